"""Appraisal and recognition: the year's council, its verdicts and the decisions.

Responsible for what follows the quarterly progress at the end of a programme year
(docs/contract.md §5): the appraisal council (hội đồng thẩm định) of a year and a
title with its members and minutes; one appraisal per registered unit, criterion by
criterion, pre-filled from the accepted values and overridable with a reason; the
votes and the outcome; the decisions (công nhận, thu hồi) with their units, their
certificates and the signed scan the public sees once published. The changes go
through ``recognition.services``; every verdict, vote and outcome keeps its history.
"""

from .appraisal import (
    Appraisal,
    Council,
    CouncilMember,
    MemberRole,
    Outcome,
    Verdict,
)
from .decision import (
    DECISION_NUMBER,
    CertificateYear,
    Decision,
    DecisionEntry,
    DecisionKind,
    validate_decision_number,
)
from .files import minutes_upload_to, scan_upload_to

__all__ = [
    "DECISION_NUMBER",
    "Appraisal",
    "CertificateYear",
    "Council",
    "CouncilMember",
    "Decision",
    "DecisionEntry",
    "DecisionKind",
    "MemberRole",
    "Outcome",
    "Verdict",
    "minutes_upload_to",
    "scan_upload_to",
    "validate_decision_number",
]
