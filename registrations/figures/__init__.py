"""The programme's figures (CONTRACT §2), computed in the database.

The one place that says what "registered", "ahead of the roadmap", "met", "achievement
rate", "lagging" and "progress" mean. Views, the JSON API, the Excel workbooks and the
drafted briefing all read their numbers from here, through the names below
(``from registrations import figures``; ``figures.summary(2017, 1)``).

- ``rules``: the rules in SQL (registrations for Y, ahead of the roadmap, the value
  in force, indicator met, criterion met), a fixed number of queries per call;
- ``evaluation``: units' progress and criteria's rates for (Y, Q), the quarter report;
- ``aggregates`` and ``staff_report``: the same figures counted in SQL, for the
  staff report's pages and workbooks, each list cut to the rows a page shows;
- ``history``: one unit's criteria met quarter by quarter;
- ``contract``: the JSON of ``/api/tong-hop/`` (CONTRACT §3);
- ``defaults``: the year and quarter a page opens on;
- ``caching``: the same through the shared cache, and the ``figures`` version that
  makes them (and the pages built from them) stale.

Decisions the contract leaves open, taken here:
- a criterion that has no indicator is met (every one of its zero indicators is met);
- a unit whose title has no criterion has progress 0;
- a unit holding registrations for two titles in the same year has the progress of
  all its criteria together;
- fractions are rounded half up to 4 decimals.
"""

from .aggregates import ALL, registered_units
from .caching import (
    CACHE_SECONDS,
    VERSION,
    VERSION_KEY,
    cached_by_kind,
    cached_dashboard_year,
    cached_default_quarter,
    cached_evaluation,
    cached_registration_years,
    cached_summary,
    cached_summary_json,
    connect_signals,
    invalidate,
)
from .contract import summary
from .defaults import (
    dashboard_year,
    default_quarter,
    latest_quarter_with_data,
    latest_year_with_progress,
    registration_years,
)
from .evaluation import (
    CriterionRate,
    Evaluation,
    QuarterReport,
    UnitStanding,
    evaluate,
    lagging_criteria,
    quarter_report,
    rounded,
    unit_progress,
)
from .history import last_period_with_data, unit_history
from .rules import (
    ahead_of_roadmap,
    criteria_met,
    indicator_status,
    registrations,
    registrations_by_kind,
)
from .staff_report import (
    Pages,
    StaffReport,
    criteria_of,
    staff_report,
    standing,
    with_figures,
)

__all__ = [
    "ALL",
    "CACHE_SECONDS",
    "VERSION",
    "VERSION_KEY",
    "CriterionRate",
    "Pages",
    "StaffReport",
    "Evaluation",
    "QuarterReport",
    "UnitStanding",
    "ahead_of_roadmap",
    "cached_by_kind",
    "cached_dashboard_year",
    "cached_default_quarter",
    "cached_evaluation",
    "cached_registration_years",
    "cached_summary",
    "cached_summary_json",
    "connect_signals",
    "criteria_met",
    "criteria_of",
    "dashboard_year",
    "default_quarter",
    "evaluate",
    "indicator_status",
    "invalidate",
    "lagging_criteria",
    "last_period_with_data",
    "latest_quarter_with_data",
    "latest_year_with_progress",
    "quarter_report",
    "registration_years",
    "registrations",
    "registered_units",
    "registrations_by_kind",
    "rounded",
    "staff_report",
    "standing",
    "summary",
    "unit_history",
    "unit_progress",
    "with_figures",
]
