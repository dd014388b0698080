"""Only accepted values count (CONTRACT §2): a unit's report changes no figure
until staff accept it, on every page that shows figures."""

import datetime

import pytest
from django.core.cache import cache

from kieumau.dates import VIETNAM
from registrations import figures, services
from registrations.briefing import briefing_html
from tests import factories
from tests.conftest import login
from tests.registrations.selfreport_steps import at, draft

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
PERIOD = {"nam": 2026, "quy": 1}


def shown(client, staff):
    """What the public and staff see of Q1/2026, computed afresh (no cache)."""
    cache.clear()
    api = client.get("/api/tong-hop/", PERIOD).json()
    client.logout()
    cache.clear()
    dashboard = client.get("/tien-do/2026/", {"quy": 1}).content.decode()
    login(client, staff)
    report = client.get("/bao-cao/", PERIOD).context["report"]
    client.logout()
    totals = report.totals()
    return {
        "api": (api["don_vi"], api["tieu_chi_cham"]),
        "dashboard": dashboard[dashboard.index("<main") : dashboard.index("</main>")],
        "report": totals["current"],
        "briefing": briefing_html(figures.quarter_report(2026, 1)),
    }


@at(NOW)
def test_a_units_report_changes_no_figure_until_it_is_accepted(client, selfreport):
    s = selfreport
    # Accepted last quarter (entered by staff): everything met.
    for key, value in (("ck", 1), ("tl", 90), ("sl", 1)):
        factories.make_progress(s["unit"], s[key], 2025, 4, value)
    before = shown(client, s["staff"])
    assert before["api"][0] == [{"ma_don_vi": "UNIT-A", "tien_do": 1.0}]

    # The unit reports worse values; as a draft, submitted and returned.
    report = draft(
        s,
        {s["ck"]: "chua_dat", s["tl"]: "10", s["sl"]: "9"},
        explanations=dict.fromkeys((s["ck"], s["tl"], s["sl"]), "Chưa đạt do bão."),
    )
    assert shown(client, s["staff"]) == before
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    assert shown(client, s["staff"]) == before
    report = services.return_report(
        report=report,
        reasons={s["tl"]: "Số liệu chưa khớp với biên bản."},
        deadline=datetime.date(2026, 2, 28),
        expected_version=report.version,
        by=s["staff"],
    )
    assert shown(client, s["staff"]) == before
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )

    services.accept_report(
        report=report, expected_version=report.version, by=s["staff"]
    )
    after = shown(client, s["staff"])
    assert after["api"][0] == [{"ma_don_vi": "UNIT-A", "tien_do": 0.0}]
    assert after["dashboard"] != before["dashboard"]
    assert after["report"] != before["report"]
    assert after["briefing"] != before["briefing"]


@at(NOW)
def test_the_default_year_waits_for_the_first_accepted_value(client, selfreport):
    s = selfreport
    earlier = factories.make_unit("CQ-2017")
    factories.make_registration(earlier, s["ck"].criterion.title, 2017)
    factories.make_progress(earlier, s["ck"], 2017, 1, 1)
    report = draft(
        s,
        {s["ck"]: "dat", s["tl"]: "90", s["sl"]: "1"},
        explanations=dict.fromkeys((s["ck"], s["tl"], s["sl"]), "Có biên bản."),
    )
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    cache.clear()
    assert client.get("/api/tong-hop/").json()["nam"] == 2017
    services.accept_report(
        report=report, expected_version=report.version, by=s["staff"]
    )
    cache.clear()
    body = client.get("/api/tong-hop/").json()
    assert (body["nam"], body["quy"]) == (2026, 1)
