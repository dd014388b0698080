"""Steps of a unit's quarter report shared by the self-report tests.

The ``selfreport`` fixture (tests/registrations/conftest.py) gives the unit, its head,
a staff member and three indicators: ``ck`` yes/no, ``tl`` percent ≥ 80, ``sl``
count ≤ 3, for a registration of 2026.
"""

import datetime

import time_machine

from kieumau.dates import VIETNAM
from registrations import services
from registrations.models import ReportState
from tests import factories

S = ReportState
# Q1/2026 runs 1 January – 31 March and locks on 1 May 2026 at 00:00 (30 days).
OPEN = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
AFTER_LOCK = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=VIETNAM)


def at(moment):
    return time_machine.travel(moment, tick=False)


def draft(s, values, *, version=0, explanations=None, quarter=1):
    return services.save_report_draft(
        unit=s["unit"],
        year=2026,
        quarter=quarter,
        values=values,
        explanations=explanations,
        expected_version=version,
        by=s["head"],
    )


def complete(s):
    """A draft ready to submit: every value met, evidence (links) on each."""
    report = draft(s, {s["ck"]: "dat", s["tl"]: "85,5", s["sl"]: "2"})
    for key in ("ck", "tl", "sl"):
        factories.make_link_evidence(report, s[key])
    return report


def submitted(s):
    report = complete(s)
    return services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )


def returned(s, deadline=datetime.date(2026, 2, 20)):
    report = submitted(s)
    return services.return_report(
        report=report,
        reasons={s["tl"]: "Thiếu biên bản họp thôn."},
        deadline=deadline,
        expected_version=report.version,
        by=s["staff"],
    )
