"""The app's writes, each one transaction (docs/conventions.md, "Where logic lives")."""

from kieumau.concurrency import StaleVersionError

from .appraisal import open_appraisals, save_appraisal, save_council
from .decisions import (
    attach_scan,
    create_decision,
    discard_decision,
    eligible_registrations,
    publish_decision,
)

__all__ = [
    "StaleVersionError",
    "attach_scan",
    "create_decision",
    "discard_decision",
    "eligible_registrations",
    "open_appraisals",
    "publish_decision",
    "save_appraisal",
    "save_council",
]
