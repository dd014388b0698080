"""The programme itself: titles → criteria → indicators, registrations, progress.

Responsible for the criteria catalogue (danh hiệu, tiêu chí, chỉ tiêu) with versions
per period, each unit's registration of the year it commits to complete its title and
that registration's lifecycle, and the quarterly progress of every indicator. The
figures computed from them (CONTRACT §2) live in ``registrations.figures``.

- ``catalogue``: Title, Criterion, Indicator (and how an indicator is judged);
- ``registration``: Registration, its statuses and the year range;
- ``progress``: QuarterSheet and Progress;
- ``selfreport``: a unit's own quarterly report (QuarterReport, ReportedValue,
  Evidence) and its states; only accepted reports reach Progress;
- ``tally``: a quarter's values counted per unit and criterion, derived from
  Progress for the staff report (CriterionTally, TallyQuarter).
"""

from .catalogue import Comparison, Criterion, Indicator, IndicatorKind, Title
from .progress import Progress, QuarterSheet
from .registration import (
    ACTIVE_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    Registration,
    RegistrationStatus,
    RoadmapPosition,
    roadmap_position,
)
from .selfreport import (
    EDITABLE_STATES,
    Evidence,
    QuarterReport,
    ReportedValue,
    ReportState,
)
from .tally import CriterionTally, TallyQuarter

__all__ = [
    "ACTIVE_STATUSES",
    "EDITABLE_STATES",
    "YEAR_MAX",
    "YEAR_MIN",
    "Comparison",
    "Criterion",
    "CriterionTally",
    "Evidence",
    "Indicator",
    "IndicatorKind",
    "Progress",
    "QuarterReport",
    "QuarterSheet",
    "Registration",
    "RegistrationStatus",
    "ReportState",
    "ReportedValue",
    "RoadmapPosition",
    "TallyQuarter",
    "Title",
    "roadmap_position",
]
