"""The units' reports in the admin: listed, filtered, searched; never changed there."""

import pytest
from django.urls import reverse

from registrations.models import ReportState
from tests import factories
from tests.conftest import login
from units.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(db):
    khe = factories.make_unit("XA-DK", name="Xã Đông Khê", kind=UnitKind.XA)
    agency = factories.make_unit("CQ-1", name="Cơ quan một")
    title = factories.make_catalogue(code="DH")
    indicator = title.criteria.first().indicators.first()
    submitted = factories.make_report(
        khe, 2026, 4, ReportState.SUBMITTED, values={indicator: 1}
    )
    factories.make_link_evidence(submitted, indicator)
    factories.make_report(agency, 2026, 4, ReportState.DRAFT)
    return submitted


def test_staff_list_reports_by_state_and_kind_and_find_them_without_accents(
    client, district_staff, reports
):
    login(client, district_staff)
    url = reverse("admin:registrations_quarterreport_changelist")
    page = client.get(url, {"state__exact": "submitted"})
    assert [r.unit.code for r in page.context["cl"].result_list] == ["XA-DK"]
    page = client.get(url, {"unit__kind__exact": "co_quan"})
    assert [r.unit.code for r in page.context["cl"].result_list] == ["CQ-1"]
    page = client.get(url, {"q": "dong khe"})
    assert [r.unit.code for r in page.context["cl"].result_list] == ["XA-DK"]
    detail = client.get(
        reverse("admin:registrations_quarterreport_change", args=[reports.pk])
    )
    assert detail.status_code == 200
    assert "Đã nộp" in detail.content.decode()


def test_the_admin_changes_no_report_and_no_evidence(client, district_staff, reports):
    login(client, district_staff)
    for model in ("quarterreport", "evidence"):
        assert (
            client.get(reverse(f"admin:registrations_{model}_add")).status_code == 403
        )
        listing = client.get(reverse(f"admin:registrations_{model}_changelist"))
        assert listing.status_code == 200
    response = client.post(
        reverse("admin:registrations_quarterreport_change", args=[reports.pk]),
        {"state": "accepted"},
    )
    assert response.status_code == 403
    reports.refresh_from_db()
    assert reports.state == ReportState.SUBMITTED
