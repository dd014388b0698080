"""A unit's own quarterly report: every transition, the refused ones, and the lock."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registrations import services
from registrations.models import (
    Progress,
    QuarterReport,
    QuarterSheet,
)
from tests import factories
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


def codes(exc):
    return {error.code for error in exc.value.error_list}


@at(OPEN)
def test_a_draft_is_saved_any_number_of_times_and_changes_no_progress(selfreport):
    s = selfreport
    report = draft(s, {s["tl"]: "70"}, explanations={s["tl"]: "Đang vận động."})
    assert (report.state, report.version) == (S.DRAFT, 1)
    report = draft(s, {s["tl"]: "75", s["sl"]: "1"}, version=1)
    report = draft(s, {s["ck"]: "chua_dat"}, version=2)
    assert report.version == 3
    values = dict(report.values.values_list("indicator__code", "value"))
    assert values == {"DH-TL": Decimal(75), "DH-SL": Decimal(1), "DH-CK": Decimal(0)}
    assert report.values.get(indicator=s["tl"]).explanation == "Đang vận động."
    assert not Progress.objects.exists()
    assert report.history.filter(history_user=s["head"]).count() == 3


@at(OPEN)
def test_a_draft_saved_from_a_stale_copy_is_refused(selfreport):
    s = selfreport
    draft(s, {s["tl"]: "70"})
    with pytest.raises(services.StaleVersionError):
        draft(s, {s["tl"]: "99"}, version=0)
    assert QuarterReport.objects.get().values.get().value == 70


@at(OPEN)
def test_a_bad_value_is_refused_with_the_indicator_code(selfreport):
    s = selfreport
    with pytest.raises(ValidationError) as exc:
        draft(s, {s["tl"]: "120"})
    assert "DH-TL: Tỷ lệ phải trong khoảng 0–100." in exc.value.messages
    assert not QuarterReport.objects.exists()


@at(OPEN)
def test_an_indicator_of_another_title_is_refused(selfreport):
    s = selfreport
    other = factories.make_indicator(
        factories.make_criterion(factories.make_title("DH-XA", kind="xa"))
    )
    with pytest.raises(ValidationError) as exc:
        draft(s, {other: "dat"})
    assert codes(exc) == {"foreign_indicator"}


@at(OPEN)
def test_submitting_needs_a_value_for_every_indicator(selfreport):
    s = selfreport
    report = draft(s, {s["ck"]: "dat"}, explanations={s["ck"]: "Có biên bản."})
    with pytest.raises(services.IncompleteReportError) as exc:
        services.submit_report(report=report, expected_version=1, by=s["head"])
    assert set(exc.value.problems) == {s["tl"].pk, s["sl"].pk}
    assert "DH-TL — Chỉ tiêu DH-TL: chưa nhập giá trị" in exc.value.messages
    assert QuarterReport.objects.get().state == S.DRAFT


@at(OPEN)
def test_a_value_missing_its_target_needs_an_explanation_even_with_evidence(selfreport):
    s = selfreport
    report = complete(s)
    report = draft(s, {s["tl"]: "60"}, version=report.version)
    with pytest.raises(services.IncompleteReportError) as exc:
        services.submit_report(report=report, expected_version=2, by=s["head"])
    assert exc.value.problems == {s["tl"].pk: ["chưa đạt mục tiêu: cần giải trình"]}
    report = draft(s, {}, explanations={s["tl"]: "Mưa bão tháng 1."}, version=2)
    report = services.submit_report(report=report, expected_version=3, by=s["head"])
    assert report.state == S.SUBMITTED


@at(OPEN)
def test_a_value_without_evidence_needs_an_explanation(selfreport):
    s = selfreport
    report = draft(s, {s["ck"]: "dat", s["tl"]: "90", s["sl"]: "0"})
    factories.make_link_evidence(report, s["ck"])
    factories.make_link_evidence(report, s["tl"])
    with pytest.raises(services.IncompleteReportError) as exc:
        services.submit_report(report=report, expected_version=1, by=s["head"])
    assert exc.value.problems == {
        s["sl"].pk: ["chưa có minh chứng: cần tải minh chứng hoặc giải trình"]
    }
    draft(s, {}, explanations={s["sl"]: "Không có vụ việc nào."}, version=1)
    report = services.submit_report(report=report, expected_version=2, by=s["head"])
    assert report.state == S.SUBMITTED


@at(OPEN)
def test_a_submitted_report_is_read_only_for_the_unit(selfreport):
    s = selfreport
    report = submitted(s)
    assert (report.state, report.submitted_by) == (S.SUBMITTED, s["head"])
    assert report.submitted_at == OPEN
    with pytest.raises(ValidationError) as exc:
        draft(s, {s["tl"]: "99"}, version=report.version)
    assert exc.value.messages == [
        "Báo cáo Quý I/2026 đã nộp, đang chờ duyệt; chỉ sửa được khi bị trả lại."
    ]
    with pytest.raises(ValidationError):
        services.submit_report(
            report=report, expected_version=report.version, by=s["head"]
        )


@at(OPEN)
def test_staff_return_a_report_with_a_reason_and_a_deadline(selfreport):
    s = selfreport
    report = returned(s)
    assert report.state == S.RETURNED
    assert (report.returned_by, report.return_deadline) == (
        s["staff"],
        datetime.date(2026, 2, 20),
    )
    reasons = dict(report.values.values_list("indicator__code", "return_reason"))
    assert reasons == {"DH-CK": "", "DH-TL": "Thiếu biên bản họp thôn.", "DH-SL": ""}
    assert not Progress.objects.exists()


@at(OPEN)
def test_returning_needs_a_reason_and_a_deadline_not_in_the_past(selfreport):
    s = selfreport
    report = submitted(s)
    with pytest.raises(ValidationError) as exc:
        services.return_report(
            report=report,
            reasons={s["tl"]: "  "},
            deadline=datetime.date(2026, 2, 9),
            expected_version=report.version,
            by=s["staff"],
        )
    assert exc.value.messages == [
        "Cần ghi lý do trả lại cho ít nhất một chỉ tiêu.",
        "Hạn nộp lại không được ở quá khứ.",
    ]
    with pytest.raises(ValidationError) as exc:
        services.return_report(
            report=report,
            reasons={s["tl"]: "Thiếu ảnh."},
            deadline=None,
            expected_version=report.version,
            by=s["staff"],
        )
    assert exc.value.messages == ["Cần chọn hạn nộp lại."]
    assert QuarterReport.objects.get().state == S.SUBMITTED


@at(OPEN)
def test_the_unit_fixes_a_returned_report_and_resubmits_it(selfreport):
    s = selfreport
    report = returned(s)
    report = draft(s, {s["tl"]: "88"}, version=report.version)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    assert report.state == S.SUBMITTED
    # The reviewer still sees what was asked at the last return.
    assert report.values.get(indicator=s["tl"]).return_reason


@at(OPEN)
def test_staff_may_change_the_reasons_or_the_deadline_of_a_returned_report(
    selfreport,
):
    s = selfreport
    report = returned(s)
    report = services.return_report(
        report=report,
        reasons={s["sl"]: "Số liệu chưa khớp."},
        deadline=datetime.date(2026, 3, 1),
        expected_version=report.version,
        by=s["staff"],
    )
    reasons = dict(report.values.values_list("indicator__code", "return_reason"))
    assert reasons == {"DH-CK": "", "DH-TL": "", "DH-SL": "Số liệu chưa khớp."}
    assert report.return_deadline == datetime.date(2026, 3, 1)


@at(OPEN)
def test_accepting_makes_the_values_official_with_reporter_and_accepter(selfreport):
    s = selfreport
    s["head"].first_name, s["head"].last_name = "An", "Nguyễn Văn"
    s["head"].save()
    report = submitted(s)
    report = services.accept_report(
        report=report, expected_version=report.version, by=s["staff"]
    )
    assert (report.state, report.accepted_by) == (S.ACCEPTED, s["staff"])
    values = dict(Progress.objects.values_list("indicator__code", "value"))
    assert values == {"DH-CK": 1, "DH-TL": Decimal("85.5"), "DH-SL": 2}
    history = Progress.history.filter(indicator=s["tl"]).get()
    assert history.history_user == s["staff"]
    assert history.history_change_reason == (
        "duyệt báo cáo đơn vị; người nộp: An Nguyễn Văn"
    )
    assert QuarterSheet.objects.get(unit=s["unit"]).version == 1


@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED, S.ACCEPTED])
@at(OPEN)
def test_only_a_submitted_report_may_be_accepted(selfreport, state):
    s = selfreport
    report = factories.make_report(s["unit"], 2026, 1, state)
    with pytest.raises(ValidationError) as exc:
        services.accept_report(report=report, expected_version=0, by=s["staff"])
    assert codes(exc) == {"invalid_transition"}
    assert exc.value.messages == [
        f"Không thể duyệt báo cáo đang ở trạng thái “{S(state).label}”."
    ]
    assert not Progress.objects.exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.ACCEPTED])
@at(OPEN)
def test_a_draft_or_an_accepted_report_cannot_be_returned(selfreport, state):
    s = selfreport
    report = factories.make_report(s["unit"], 2026, 1, state, values={s["tl"]: 90})
    with pytest.raises(ValidationError) as exc:
        services.return_report(
            report=report,
            reasons={s["tl"]: "Sai."},
            deadline=datetime.date(2026, 3, 1),
            expected_version=0,
            by=s["staff"],
        )
    assert codes(exc) == {"invalid_transition"}


@at(OPEN)
def test_an_accepted_report_is_final_for_the_unit(selfreport):
    s = selfreport
    report = submitted(s)
    report = services.accept_report(
        report=report, expected_version=report.version, by=s["staff"]
    )
    with pytest.raises(ValidationError) as exc:
        draft(s, {s["tl"]: "99"}, version=report.version)
    assert exc.value.messages == [
        "Báo cáo Quý I/2026 đã được duyệt; số liệu không sửa được nữa."
    ]


@at(OPEN)
def test_a_stale_review_is_refused_and_changes_nothing(selfreport):
    s = selfreport
    report = submitted(s)
    stale = report.version
    report = services.return_report(
        report=report,
        reasons={s["tl"]: "Thiếu ảnh."},
        deadline=datetime.date(2026, 3, 1),
        expected_version=stale,
        by=s["staff"],
    )
    report = draft(s, {s["tl"]: "81"}, version=report.version)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    # A second reviewer accepts from the screen opened before the return.
    with pytest.raises(services.StaleVersionError):
        services.accept_report(report=report, expected_version=stale, by=s["staff"])
    assert not Progress.objects.exists()
