"""The programme itself: titles → criteria → indicators, registrations, progress.

Responsible for the criteria catalogue (danh hiệu, tiêu chí, chỉ tiêu) with versions
per period, each unit's registration of the year it commits to complete its title and
that registration's lifecycle, and the quarterly progress of every indicator. The
figures computed from them (CONTRACT §2) live in ``registrations.figures``.

- ``catalogue``: Title, Criterion, Indicator (and how an indicator is judged);
- ``registration``: Registration, its statuses and the year range;
- ``progress``: QuarterSheet and Progress.
"""

from .catalogue import Comparison, Criterion, Indicator, IndicatorKind, Title
from .progress import Progress, QuarterSheet
from .registration import (
    ACTIVE_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    Registration,
    RegistrationStatus,
)

__all__ = [
    "ACTIVE_STATUSES",
    "YEAR_MAX",
    "YEAR_MIN",
    "Comparison",
    "Criterion",
    "Indicator",
    "IndicatorKind",
    "Progress",
    "QuarterSheet",
    "Registration",
    "RegistrationStatus",
    "Title",
]
