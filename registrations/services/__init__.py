"""State-changing operations on registrations and quarterly progress.

Every change of a registration's status and every save of a quarter's values goes
through one of these functions, called both by the admin and by the site, so that
neither can skip a rule. Each runs in one transaction; concurrent edits are caught by
a conditional ``UPDATE … WHERE version = expected`` instead of being overwritten.

- ``lifecycle``: register or change the target year, notes, status transitions;
- ``progress``: a unit's quarterly sheet of values, locks and conflicts;
- ``selfreport``: a unit's own quarterly report: draft, submit, return, accept;
- ``report_window``: when a unit may change that report, and when it is late;
- ``values``: parsing what people type, formatting what they read.

Callers import from here (``from registrations import services``).
"""

from .lifecycle import (
    TRANSITIONS,
    YEAR_CHANGE_STATUSES,
    StaleVersionError,
    accept_registration,
    check_year,
    maintain_registration,
    mark_not_achieved,
    recognise_registration,
    register_year,
    revoke_registration,
    stale_message,
    start_appraisal,
    title_for_unit,
    update_registration_note,
)
from .progress import (
    MAX_CONFLICT_VERSIONS,
    SHEET_REASON,
    QuarterConflictError,
    indicators_for_unit,
    is_under_review,
    lock_message,
    save_quarter,
    sheet_changes,
    under_review_message,
    under_review_reason,
)
from .report_window import is_late, unit_edit_refusal
from .selfreport import (
    ACCEPT_REASON,
    IncompleteReportError,
    accept_report,
    return_report,
    save_report_draft,
    submit_report,
)
from .values import display_user, format_number, format_value, parse_value

__all__ = [
    "ACCEPT_REASON",
    "IncompleteReportError",
    "accept_report",
    "is_late",
    "is_under_review",
    "return_report",
    "save_report_draft",
    "submit_report",
    "under_review_message",
    "under_review_reason",
    "unit_edit_refusal",
    "MAX_CONFLICT_VERSIONS",
    "SHEET_REASON",
    "TRANSITIONS",
    "YEAR_CHANGE_STATUSES",
    "QuarterConflictError",
    "StaleVersionError",
    "accept_registration",
    "check_year",
    "display_user",
    "format_number",
    "format_value",
    "indicators_for_unit",
    "lock_message",
    "maintain_registration",
    "mark_not_achieved",
    "parse_value",
    "recognise_registration",
    "register_year",
    "revoke_registration",
    "save_quarter",
    "sheet_changes",
    "stale_message",
    "start_appraisal",
    "title_for_unit",
    "update_registration_note",
]
