"""The unit heads' quarterly self-report at /dang-ky/<ma>/tien-do/<nam>/<quy>/."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kieumau.dates import VIETNAM
from registrations import services
from registrations.models import Indicator, QuarterReport, ReportState
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

S = ReportState
# Q1/2026 runs 1 January – 31 March and locks on 1 May 2026 at 00:00 (30 days).
OPEN = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
AFTER_LOCK = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=VIETNAM)


def at(moment):
    return time_machine.travel(moment, tick=False)


def url(unit, year=2026, quarter=1):
    return reverse(
        "registrations:selfreport",
        kwargs={"code": unit.code, "year": year, "quarter": quarter},
    )


def submit_url(unit, year=2026, quarter=1):
    return reverse(
        "registrations:selfreport-submit",
        kwargs={"code": unit.code, "year": year, "quarter": quarter},
    )


@pytest.fixture
def s(unit_a, unit_head, district_staff):
    title = factories.make_catalogue(code="DH")
    factories.make_registration(unit_a, title, 2026)
    indicators = {ind.code: ind for ind in Indicator.objects.all()}
    return {
        "unit": unit_a,
        "head": unit_head,
        "staff": district_staff,
        "ck": indicators["DH-CK"],  # yes/no
        "tl": indicators["DH-TL"],  # percent ≥ 80
        "sl": indicators["DH-SL"],  # count ≤ 3
    }


def form_data(s, *, version=0, ck="1", tl="85", sl="2", action="save", **extra):
    data = {
        "version": version,
        f"ct_{s['ck'].pk}": ck,
        f"ct_{s['tl'].pk}": tl,
        f"ct_{s['sl'].pk}": sl,
        f"gt_{s['ck'].pk}": "",
        f"gt_{s['tl'].pk}": "",
        f"gt_{s['sl'].pk}": "",
        "action": action,
    }
    data.update(extra)
    return data


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def complete_with_evidence(s):
    """A draft every indicator of which is met and has evidence (submittable)."""
    report = services.save_report_draft(
        unit=s["unit"],
        year=2026,
        quarter=1,
        values={s["ck"]: "1", s["tl"]: "85", s["sl"]: "2"},
        expected_version=0,
        by=s["head"],
    )
    for indicator in (s["ck"], s["tl"], s["sl"]):
        factories.make_link_evidence(report, indicator)
    return QuarterReport.objects.get(pk=report.pk)


# --- what the page shows ------------------------------------------------------


@at(OPEN)
def test_head_sees_every_indicator_with_target_and_empty_fields(client, s):
    response = login(client, s["head"]).get(url(s["unit"]))
    html = text(response)
    assert response.status_code == 200
    assert "Báo cáo tiến độ Quý I/2026" in html
    for indicator in (s["ck"], s["tl"], s["sl"]):
        assert indicator.name in html
        assert f'name="ct_{indicator.pk}"' in html
        assert f'name="gt_{indicator.pk}"' in html
    assert "≥ 80" in html and "≤ 3" in html
    assert "Chưa nộp" in html
    assert "Lưu nháp" in html and "Nộp báo cáo" in html


@at(OPEN)
def test_last_accepted_value_is_labelled_with_the_quarter_it_is_carried_from(client, s):
    factories.make_progress(s["unit"], s["tl"], 2025, 3, "70")
    factories.make_progress(s["unit"], s["sl"], 2026, 1, "1")
    html = text(login(client, s["head"]).get(url(s["unit"])))
    assert '70 <span class="carried">(từ Quý III/2025)</span>' in html
    # This quarter's own accepted value carries no label.
    sl_card = html.split(f'id="ct-{s["sl"].pk}"')[1].split("</article>")[0]
    assert "Đã duyệt</dt><dd>1" in sl_card and "từ Quý" not in sl_card


@at(OPEN)
def test_a_value_after_the_quarter_is_not_the_accepted_one(client, s):
    # 97,5: a value no id or attribute of the page can contain (a decimal comma)
    factories.make_progress(s["unit"], s["tl"], 2026, 2, "97.5")
    html = text(login(client, s["head"]).get(url(s["unit"])))
    tl_card = html.split(f'id="ct-{s["tl"].pk}"')[1].split("</article>")[0]
    assert "97,5" not in tl_card and "97.5" not in tl_card and "chưa có" in tl_card


@at(OPEN)
def test_unit_without_registration_is_told_so(client, unit_b, other_unit_head):
    response = login(client, other_unit_head).get(url(unit_b))
    assert response.status_code == 200
    assert "không có chỉ tiêu để báo cáo" in text(response)


@at(OPEN)
def test_page_fits_a_phone_layout_markup(client, s):
    html = text(login(client, s["head"]).get(url(s["unit"])))
    assert 'name="viewport"' in html
    assert "css/selfreport.css" in html
    # Fields sit in the indicators' cards and join the main form by its id.
    assert html.count('form="bao-cao"') >= 7
    assert 'inputmode="decimal"' in html


# --- saving the draft ---------------------------------------------------------


@at(OPEN)
def test_head_saves_a_draft_and_sees_it_again(client, s):
    login(client, s["head"])
    response = client.post(
        url(s["unit"]),
        form_data(s, tl="72,5", **{f"gt_{s['tl'].pk}": "Đang tập huấn thêm"}),
        follow=True,
    )
    report = QuarterReport.objects.get(unit=s["unit"])
    assert report.state == S.DRAFT
    values = {rv.indicator_id: rv for rv in report.values.all()}
    assert values[s["tl"].pk].value == Decimal("72.5")
    assert values[s["tl"].pk].explanation == "Đang tập huấn thêm"
    html = text(response)
    assert "Đã lưu nháp báo cáo Quý I/2026" in html
    assert 'value="72,5"' in html and "Đang tập huấn thêm" in html
    assert f'name="version" value="{report.version}"' in html
    assert "Đang soạn" in html


@at(OPEN)
def test_draft_can_be_saved_many_times(client, s):
    login(client, s["head"])
    client.post(url(s["unit"]), form_data(s, version=0))
    version = QuarterReport.objects.get().version
    client.post(url(s["unit"]), form_data(s, version=version, sl="3"))
    report = QuarterReport.objects.get()
    assert report.version == version + 1
    assert report.values.get(indicator=s["sl"]).value == 3


@at(OPEN)
def test_invalid_values_are_refused_in_vietnamese_beside_their_field(client, s):
    login(client, s["head"])
    response = client.post(url(s["unit"]), form_data(s, tl="120", sl="abc"))
    html = text(response)
    assert response.status_code == 200
    assert "Tỷ lệ phải trong khoảng 0–100." in html
    assert "“abc” không phải là một số." in html
    assert "Có giá trị chưa hợp lệ; xem các ô báo lỗi." in html
    # What was typed stays in the fields.
    assert 'value="120"' in html and 'value="abc"' in html
    assert not QuarterReport.objects.exists()


@at(OPEN)
def test_too_long_explanation_is_refused_in_vietnamese(client, s):
    login(client, s["head"])
    data = form_data(s, **{f"gt_{s['ck'].pk}": "x" * 2001})
    html = text(client.post(url(s["unit"]), data))
    assert "Nội dung dài quá 2000 ký tự (hiện có 2001)." in html


@at(OPEN)
def test_stale_save_is_refused_and_keeps_what_was_typed(client, s):
    services.save_report_draft(
        unit=s["unit"],
        year=2026,
        quarter=1,
        values={s["tl"]: "60"},
        expected_version=0,
        by=s["head"],
    )
    # A second head saved meanwhile (version 1 → 2); this screen still has 1.
    services.save_report_draft(
        unit=s["unit"],
        year=2026,
        quarter=1,
        values={s["tl"]: "65"},
        expected_version=1,
        by=s["head"],
    )
    login(client, s["head"])
    response = client.post(
        url(s["unit"]),
        form_data(s, version=1, tl="90", **{f"gt_{s['sl'].pk}": "Ghi chú của tôi"}),
    )
    html = text(response)
    assert response.status_code == 200
    assert any("vừa được người khác thay đổi" in m for m in messages_of(response))
    assert 'value="90"' in html and "Ghi chú của tôi" in html
    assert "Đang lưu: 65" in html
    # The page now carries the current version: saving again is deliberate.
    assert 'name="version" value="2"' in html
    assert QuarterReport.objects.get().values.get(indicator=s["tl"]).value == 65
    client.post(url(s["unit"]), form_data(s, version=2, tl="90"))
    assert QuarterReport.objects.get().values.get(indicator=s["tl"]).value == 90


@at(OPEN)
def test_tampered_version_is_refused_in_vietnamese(client, s):
    login(client, s["head"])
    response = client.post(url(s["unit"]), form_data(s, version="abc"))
    assert "Biểu mẫu đã cũ hoặc không hợp lệ" in text(response)
    assert not QuarterReport.objects.exists()


# --- submitting ---------------------------------------------------------------


@at(OPEN)
def test_submit_button_saves_then_asks_for_confirmation(client, s):
    login(client, s["head"])
    response = client.post(url(s["unit"]), form_data(s, action="submit"))
    assert response.status_code == 302
    assert response["Location"] == submit_url(s["unit"])
    report = QuarterReport.objects.get()
    assert report.state == S.DRAFT  # nothing is submitted before the confirmation
    page = client.get(submit_url(s["unit"]))
    html = text(page)
    assert "Xác nhận nộp báo cáo" in html
    assert "Đã nhập <strong>3/3</strong>" in html
    assert f'name="version" value="{report.version}"' in html


@at(OPEN)
def test_confirming_submits_and_the_page_becomes_read_only(client, s):
    report = complete_with_evidence(s)
    login(client, s["head"])
    response = client.post(
        submit_url(s["unit"]), {"version": report.version}, follow=True
    )
    report.refresh_from_db()
    assert report.state == S.SUBMITTED and report.submitted_by == s["head"]
    html = text(response)
    assert "Đã nộp báo cáo Quý I/2026" in html
    assert "đang chờ duyệt" in html
    assert 'name="ct_' not in html and "Lưu nháp" not in html
    assert "Đạt mục tiêu" in html


@at(OPEN)
def test_incomplete_report_is_not_submitted_and_says_what_is_missing(client, s):
    report = services.save_report_draft(
        unit=s["unit"],
        year=2026,
        quarter=1,
        values={s["ck"]: "1", s["tl"]: "50"},
        expected_version=0,
        by=s["head"],
    )
    login(client, s["head"])
    response = client.post(submit_url(s["unit"]), {"version": report.version})
    html = text(response)
    assert response.status_code == 200
    assert QuarterReport.objects.get().state == S.DRAFT
    assert "Báo cáo chưa nộp được: còn 3 chỉ tiêu cần bổ sung" in html
    assert "Chưa nhập giá trị" in html
    assert "Chưa đạt mục tiêu: cần giải trình" in html
    assert "Chưa có minh chứng" in html
    assert f"#ct-{s['sl'].pk}" in html


@at(OPEN)
def test_stale_confirmation_is_refused(client, s):
    report = complete_with_evidence(s)
    login(client, s["head"])
    response = client.post(
        submit_url(s["unit"]), {"version": report.version - 1}, follow=True
    )
    assert QuarterReport.objects.get().state == S.DRAFT
    assert any("vừa được người khác thay đổi" in m for m in messages_of(response))


@at(OPEN)
def test_submit_page_without_a_report_sends_back_to_the_form(client, s):
    login(client, s["head"])
    response = client.get(submit_url(s["unit"]))
    assert response.status_code == 302 and response["Location"] == url(s["unit"])


@at(OPEN)
def test_submitted_report_refuses_a_save(client, s):
    report = complete_with_evidence(s)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    login(client, s["head"])
    response = client.post(url(s["unit"]), form_data(s, version=report.version, sl="0"))
    html = text(response)
    assert "đang chờ duyệt" in html
    assert "Bạn vừa nhập (chưa lưu)" in html
    assert QuarterReport.objects.get().values.get(indicator=s["sl"]).value == 2
    assert client.get(submit_url(s["unit"])).status_code == 302


# --- returned, accepted, locked -----------------------------------------------


@at(OPEN)
def test_returned_report_shows_the_reason_and_deadline_and_is_editable(client, s):
    report = complete_with_evidence(s)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    services.return_report(
        report=report,
        reasons={s["tl"]: "Biên bản không khớp số liệu"},
        deadline=datetime.date(2026, 2, 20),
        note="Xem lại tỷ lệ",
        expected_version=report.version,
        by=s["staff"],
    )
    html = text(login(client, s["head"]).get(url(s["unit"])))
    assert "Trả lại" in html
    assert "Lý do trả lại:</strong> Biên bản không khớp số liệu" in html
    assert "20/02/2026" in html and "Xem lại tỷ lệ" in html
    assert f'name="ct_{s["tl"].pk}"' in html
    assert "Nộp lại báo cáo" in html
    # Only the returned indicator is marked.
    assert html.count("indicator-returned") == 1


@at(OPEN)
def test_returned_report_past_its_deadline_is_read_only_and_late(client, s):
    report = complete_with_evidence(s)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    services.return_report(
        report=report,
        reasons={s["tl"]: "Thiếu ảnh"},
        deadline=datetime.date(2026, 2, 12),
        expected_version=report.version,
        by=s["staff"],
    )
    with at(datetime.datetime(2026, 2, 13, 8, 0, tzinfo=VIETNAM)):
        html = text(login(client, s["head"]).get(url(s["unit"])))
    assert "Đã quá hạn nộp lại" in html and "Quá hạn" in html
    assert 'name="ct_' not in html


@at(OPEN)
def test_accepted_report_is_read_only(client, s):
    report = complete_with_evidence(s)
    report = services.submit_report(
        report=report, expected_version=report.version, by=s["head"]
    )
    services.accept_report(
        report=report, expected_version=report.version, by=s["staff"]
    )
    html = text(login(client, s["head"]).get(url(s["unit"])))
    assert "Đã duyệt" in html and "đã được duyệt" in html
    assert 'name="ct_' not in html


def test_locked_quarter_opens_read_only_never_404(client, s):
    with at(OPEN):
        services.save_report_draft(
            unit=s["unit"],
            year=2026,
            quarter=1,
            values={s["tl"]: "60"},
            expected_version=0,
            by=s["head"],
        )
    with at(AFTER_LOCK):
        login(client, s["head"])
        response = client.get(url(s["unit"]))
        html = text(response)
        assert response.status_code == 200
        assert "đã khóa" in html and "Quá hạn" in html
        assert 'name="ct_' not in html and "60" in html
        posted = client.post(url(s["unit"]), form_data(s, version=1))
        assert posted.status_code == 200
        assert QuarterReport.objects.get().values.get(indicator=s["tl"]).value == 60
        # A quarter long past, never reported, also opens.
        assert client.get(url(s["unit"], 2017, 1)).status_code == 200


@at(OPEN)
def test_a_quarter_not_started_opens_read_only(client, s):
    response = login(client, s["head"]).get(url(s["unit"], 2026, 3))
    assert response.status_code == 200
    assert "chưa bắt đầu" in text(response)


@pytest.mark.parametrize(("year", "quarter"), [(1999, 1), (2026, 5), (2026, 0)])
@at(OPEN)
def test_impossible_quarters_answer_404(client, s, year, quarter):
    login(client, s["head"])
    assert client.get(url(s["unit"], year, quarter)).status_code == 404


@at(OPEN)
def test_staff_reads_any_unit_report_but_cannot_save_or_submit(client, s):
    complete_with_evidence(s)
    login(client, s["staff"])
    response = client.get(url(s["unit"]))
    html = text(response)
    assert response.status_code == 200
    assert "chỉ xem" in html and 'name="ct_' not in html
    assert "Mở màn hình duyệt" in html
    assert client.post(url(s["unit"]), form_data(s)).status_code == 403
    assert client.get(submit_url(s["unit"])).status_code == 403


# --- the unit heads' home -----------------------------------------------------


@at(OPEN)
def test_home_links_the_current_quarter_report_with_its_state(client, s):
    html = text(login(client, s["head"]).get("/dang-ky/"))
    assert f'href="{url(s["unit"])}"' in html
    assert "Báo cáo Quý I/2026" in html and "Chưa nộp" in html
    complete_with_evidence(s)
    html = text(client.get("/dang-ky/"))
    assert "Đang soạn" in html


@at(datetime.datetime(2026, 4, 10, 9, 0, tzinfo=VIETNAM))
def test_home_also_links_last_quarter_until_it_locks(client, s):
    html = text(login(client, s["head"]).get("/dang-ky/"))
    assert "Báo cáo Quý II/2026" in html and "Báo cáo Quý I/2026" in html
    with at(AFTER_LOCK):
        html = text(client.get("/dang-ky/"))
    assert "Báo cáo Quý I/2026" not in html


@at(OPEN)
def test_home_has_no_report_link_without_an_active_registration(
    client, unit_b, other_unit_head
):
    html = text(login(client, other_unit_head).get("/dang-ky/"))
    assert "Báo cáo tiến độ của đơn vị" not in html
    assert url(unit_b) not in html


# --- queries ------------------------------------------------------------------


@at(OPEN)
def test_query_count_does_not_grow_with_indicators_or_evidence(
    client, s, django_assert_max_num_queries
):
    report = complete_with_evidence(s)
    login(client, s["head"])
    client.get(url(s["unit"]))  # warm the session and the permission cache
    with django_assert_max_num_queries(10):
        client.get(url(s["unit"]))
    criterion = s["tl"].criterion
    for i in range(30):
        indicator = factories.make_indicator(criterion, f"DH-X{i}", order=10 + i)
        factories.make_link_evidence(report, indicator)
        factories.make_link_evidence(report, indicator)
        factories.make_progress(s["unit"], indicator, 2025, 4, "1")
    with django_assert_max_num_queries(10):
        response = client.get(url(s["unit"]))
    assert text(response).count("(từ Quý IV/2025)") == 30
