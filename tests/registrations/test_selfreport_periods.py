"""When a unit may report a quarter: from its first day until the lock, and after."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kieumau.dates import VIETNAM
from registrations import services
from registrations.models import Progress, QuarterReport
from tests.registrations.selfreport_steps import (
    AFTER_LOCK,
    OPEN,
    S,
    at,
    complete,
    draft,
    returned,
)

pytestmark = pytest.mark.django_db


def test_a_unit_reports_a_quarter_only_from_its_first_day(selfreport):
    s = selfreport
    with at(OPEN), pytest.raises(ValidationError) as exc:
        draft(s, {s["tl"]: "90"}, quarter=2)
    assert exc.value.messages == [
        "Quý II/2026 chưa bắt đầu; đơn vị báo cáo từ ngày 01/04/2026."
    ]
    with at(datetime.datetime(2026, 4, 1, 0, 0, tzinfo=VIETNAM)):
        assert draft(s, {s["tl"]: "90"}, quarter=2).quarter == 2


def test_after_the_lock_an_unsubmitted_report_is_read_only(selfreport):
    s = selfreport
    with at(OPEN):
        report = complete(s)
    with at(datetime.datetime(2026, 4, 30, 23, 59, tzinfo=VIETNAM)):
        assert (
            services.unit_edit_refusal(
                unit=s["unit"], year=2026, quarter=1, report=report
            )
            is None
        )
    with at(AFTER_LOCK):
        with pytest.raises(ValidationError) as exc:
            draft(s, {s["tl"]: "99"}, version=report.version)
        assert exc.value.messages == [
            "Quý I/2026 đã khóa từ 00:00 ngày 01/05/2026 mà báo cáo chưa được nộp; "
            "báo cáo chỉ còn để xem."
        ]
        with pytest.raises(ValidationError):
            services.submit_report(
                report=report, expected_version=report.version, by=s["head"]
            )
        assert services.is_late(year=2026, quarter=1, report=report)
        assert services.is_late(year=2026, quarter=1, report=None)
    assert QuarterReport.objects.get().state == S.DRAFT


def test_a_report_submitted_before_the_lock_is_reviewed_after_it(selfreport):
    s = selfreport
    with at(datetime.datetime(2026, 4, 28, 9, 0, tzinfo=VIETNAM)):
        report = returned(s, deadline=datetime.date(2026, 5, 5))
    with at(AFTER_LOCK):
        assert not services.is_late(year=2026, quarter=1, report=report)
        report = draft(s, {s["tl"]: "95"}, version=report.version)
        report = services.submit_report(
            report=report, expected_version=report.version, by=s["head"]
        )
        # A staff member without the supervisor's permission accepts it.
        assert not s["staff"].has_perm("registrations.change_locked_progress")
        report = services.accept_report(
            report=report, expected_version=report.version, by=s["staff"]
        )
    assert report.state == S.ACCEPTED
    assert Progress.objects.get(indicator=s["tl"]).value == 95
    assert report.history.filter(history_date=AFTER_LOCK).count() == 3


def test_a_returned_report_is_closed_after_its_deadline(selfreport):
    s = selfreport
    with at(OPEN):
        report = returned(s, deadline=datetime.date(2026, 2, 20))
    with at(datetime.datetime(2026, 2, 21, 0, 0, tzinfo=VIETNAM)):
        assert services.is_late(year=2026, quarter=1, report=report)
        with pytest.raises(ValidationError) as exc:
            services.submit_report(
                report=report, expected_version=report.version, by=s["head"]
            )
    assert exc.value.messages == [
        "Đã quá hạn nộp lại báo cáo Quý I/2026 (hạn ngày 20/02/2026); hãy liên hệ "
        "cán bộ huyện để được gia hạn."
    ]
