"""Staff's own entry never overwrites a unit's report under review, nor the reverse."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registrations import services
from registrations.models import Indicator, Progress, QuarterReport, QuarterSheet
from tests import factories
from tests.conftest import login
from tests.registrations.selfreport_steps import (
    OPEN,
    S,
    at,
    complete,
    draft,
    returned,
    submitted,
)

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Cơ quan A đã nộp báo cáo quý I/2026, đang chờ duyệt. Hãy duyệt hoặc trả lại "
    "báo cáo trước khi sửa số liệu quý này, để không ghi đè số liệu đơn vị đã nộp."
)


def entry_url(unit):
    return reverse("admin:registrations_progress_entry", args=[unit.code, 2026, 1])


def staff_save(s, value, *, version=0):
    return services.save_quarter(
        unit=s["unit"],
        year=2026,
        quarter=1,
        values={s["tl"]: value},
        expected_version=version,
        by=s["staff"],
    )


@at(OPEN)
def test_staff_values_are_refused_while_the_unit_report_is_under_review(selfreport):
    s = selfreport
    submitted(s)
    with pytest.raises(ValidationError) as exc:
        staff_save(s, "99")
    assert exc.value.messages == [MESSAGE]
    assert exc.value.error_list[0].code == "under_review"
    assert not Progress.objects.exists()


@at(OPEN)
def test_staff_values_are_accepted_on_save_for_a_draft_or_a_returned_report(
    selfreport,
):
    s = selfreport
    complete(s)
    staff_save(s, "90")
    assert Progress.objects.get().value == 90
    QuarterReport.objects.all().delete()
    returned(s)
    staff_save(s, "91", version=1)
    assert Progress.objects.get().value == 91


@at(OPEN)
def test_the_entry_screen_says_the_report_is_under_review_and_refuses_to_save(
    client, selfreport
):
    s = selfreport
    submitted(s)
    login(client, s["staff"])
    page = client.get(entry_url(s["unit"])).content.decode()
    assert MESSAGE in page
    assert "Lưu Quý I/2026" not in page  # no save button
    assert f'name="ct_{s["tl"].pk}"' in page and "disabled" in page

    response = client.post(
        entry_url(s["unit"]),
        {f"ct_{s['tl'].pk}": "99", "version": 0, "loaded_at": OPEN.isoformat()},
        follow=True,
    )
    assert MESSAGE in response.content.decode()
    assert not Progress.objects.exists()


@at(OPEN)
def test_a_staff_form_opened_before_the_unit_submitted_overwrites_nothing(
    client, selfreport
):
    s = selfreport
    login(client, s["staff"])
    assert client.get(entry_url(s["unit"])).status_code == 200  # version 0
    submitted(s)  # meanwhile, the unit head submits
    client.post(
        entry_url(s["unit"]),
        {f"ct_{s['tl'].pk}": "10", "version": 0, "loaded_at": OPEN.isoformat()},
    )
    assert not Progress.objects.exists()
    assert QuarterReport.objects.get().state == S.SUBMITTED


@at(OPEN)
def test_acceptance_is_refused_when_staff_changed_the_values_after_the_review_opened(
    selfreport,
):
    s = selfreport
    staff_save(s, "70")  # sheet version 1, shown on the review screen
    report = submitted(s)
    # Returned and resubmitted meanwhile; staff corrected the quarter in between.
    report = services.return_report(
        report=report,
        reasons={s["tl"]: "Xem lại."},
        deadline=datetime.date(2026, 3, 1),
        expected_version=report.version,
        by=s["staff"],
    )
    staff_save(s, "72", version=1)
    report = draft(s, {s["tl"]: "85"}, version=report.version)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    with pytest.raises(services.QuarterConflictError) as exc:
        services.accept_report(
            report=report,
            expected_version=report.version,
            by=s["staff"],
            sheet_version=1,
            loaded_at=OPEN - datetime.timedelta(minutes=1),
        )
    assert [c["new_text"] for c in exc.value.changes] == ["70", "72"]
    assert Progress.objects.get().value == 72  # nothing of the report written
    assert QuarterReport.objects.get().state == S.SUBMITTED
    services.accept_report(
        report=report, expected_version=report.version, by=s["staff"], sheet_version=2
    )
    assert Progress.objects.get(indicator=s["tl"]).value == 85
    assert QuarterSheet.objects.get().version == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@at(OPEN)  # process-wide: the threads see it too
def test_a_staff_save_waits_for_a_submission_in_progress_and_is_then_refused():
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent transactions need PostgreSQL")
    title = factories.make_catalogue(code="DH")
    unit = factories.make_unit("UNIT-A", name="Cơ quan A")
    factories.make_registration(unit, title, 2026)
    s = {code.split("-")[1].lower(): i for code, i in _indicators(title).items()}
    s.update(unit=unit, head=factories.make_user(), staff=factories.make_user())
    report = complete(s)
    holding, release, results = threading.Event(), threading.Event(), {}

    def unit_submits():
        try:
            with transaction.atomic():
                services.submit_report(
                    report=report, expected_version=report.version, by=s["head"]
                )
                holding.set()  # submitted, not yet committed
                release.wait(timeout=10)
            results["unit"] = "submitted"
        finally:
            connection.close()

    def staff_saves():
        try:
            holding.wait(timeout=10)
            staff_save(s, "10")
            results["staff"] = "saved"
        except ValidationError as exc:
            results["staff"] = exc.error_list[0].code
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (unit_submits, staff_saves)]
    for thread in threads:
        thread.start()
    assert holding.wait(timeout=10)
    threads[1].join(timeout=0.5)
    assert threads[1].is_alive()  # the staff's save waits on the report's row
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {"unit": "submitted", "staff": "under_review"}
    assert not Progress.objects.filter(value=Decimal(10)).exists()
    assert QuarterReport.objects.get().state == S.SUBMITTED


def _indicators(title):
    return {i.code: i for i in Indicator.objects.filter(criterion__title=title)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@at(OPEN)
def test_a_submission_waits_for_evidence_being_changed_on_the_report():
    # Evidence upload and delete hold the report's row (registrations.evidence):
    # a submission's checks must wait for them, not count evidence going away.
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent transactions need PostgreSQL")
    title = factories.make_catalogue(code="DH")
    unit = factories.make_unit("UNIT-A", name="Cơ quan A")
    factories.make_registration(unit, title, 2026)
    s = {code.split("-")[1].lower(): i for code, i in _indicators(title).items()}
    s.update(unit=unit, head=factories.make_user(), staff=factories.make_user())
    report = complete(s)
    holding, release, results = threading.Event(), threading.Event(), {}

    def evidence_changes():
        try:
            with transaction.atomic():
                QuarterReport.objects.select_for_update().get(pk=report.pk)
                # what a deletion does to the checks: the report is now incomplete
                report.values.update(value=None)
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def unit_submits():
        try:
            services.submit_report(
                report=report, expected_version=report.version, by=s["head"]
            )
            results["unit"] = "submitted"
        except services.IncompleteReportError:
            results["unit"] = "incomplete"
        finally:
            connection.close()

    changer = threading.Thread(target=evidence_changes)
    changer.start()
    assert holding.wait(timeout=10)
    submitter = threading.Thread(target=unit_submits)
    submitter.start()
    submitter.join(timeout=0.5)
    assert submitter.is_alive()  # waits on the report's row
    release.set()
    for thread in (changer, submitter):
        thread.join(timeout=30)
    assert results == {"unit": "incomplete"}  # checked after the change
    assert QuarterReport.objects.get().state == S.DRAFT
