"""Bulk entry: one indicator (or criterion) for a commune's units, pasted or typed."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kieumau import versions
from registrations import services
from registrations.models import Progress, QuarterSheet, ReportState
from registrations.services import bulk_entry
from tests import factories
from tests.conftest import login
from tests.registrations.bulk_steps import (
    OPEN,
    bulk_url,
    cell,
    form_data,
    make_commune,
    preview,
    save,
)


def stored(units, indicator, year=2017, quarter=1):
    values = dict(
        Progress.objects.filter(
            indicator=indicator, year=year, quarter=quarter
        ).values_list("unit__code", "value")
    )
    return [values.get(unit.code) for unit in units]


@pytest.fixture
def commune(db):
    return make_commune(3)


@pytest.fixture
def staff(client, district_staff):
    return login(client, district_staff)


@time_machine.travel(OPEN, tick=False)
def test_pasted_column_is_previewed_then_saved_with_history(staff, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    factories.make_progress(units[1], tl, 2017, 1, "70")
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    assert page.status_code == 200
    assert 'inputmode="decimal"' in page.content.decode()

    shown = preview(staff, url, page, dan="85,5\n90\r\n\n")
    html = shown.content.decode()
    assert "Xem trước: 2 giá trị thay đổi" in html
    assert "70</span> → <strong>90</strong>" in html
    assert "chưa nhập</span> → <strong>85,5</strong>" in html
    assert stored(units, tl) == [None, Decimal(70), None]  # nothing saved yet

    figures = versions.get("figures")
    done = save(staff, url, shown)
    assert done.status_code == 302
    assert versions.get("figures") != figures  # the public figures are stale
    assert stored(units, tl) == [Decimal("85.5"), Decimal(90), None]
    history = Progress.history.filter(unit=units[1], indicator=tl).order_by(
        "history_id"
    )
    latest = history.last()
    assert latest.history_user.username == "canbo"
    assert latest.history_type == "~" and latest.history_change_reason == "phiếu v1"
    created = Progress.history.get(unit=units[0], indicator=tl)
    assert created.history_type == "+" and created.history_change_reason == "phiếu v1"
    assert QuarterSheet.objects.get(unit=units[0], year=2017, quarter=1).version == 1
    assert (
        "Đã lưu 2 giá trị Quý I/2017 của 2 đơn vị." in staff.get(url).content.decode()
    )


@time_machine.travel(OPEN, tick=False)
def test_a_bad_cell_saves_nothing_and_names_the_cell(staff, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)

    shown = preview(staff, url, page, dan="85\nabc\n150")
    html = shown.content.decode()
    assert (
        f"{units[1].code} · {tl.name} ({tl.code}): “abc” không phải là một số." in html
    )
    assert (
        f"{units[2].code} · {tl.name} ({tl.code}): Tỷ lệ phải trong khoảng 0–100."
        in html
    )
    assert 'name="_luu"' not in html
    # Saving anyway (a forged press of "Lưu") saves nothing, the good cell included.
    data = {**form_data(shown), "_luu": "Lưu"}
    staff.post(url, data)
    assert stored(units, tl) == [None, None, None]


def test_save_bulk_refuses_every_cell_when_one_is_invalid(commune, district_staff):
    units, tl, ck = commune["units"], commune["ind"]["TL"], commune["ind"]["CK"]
    with time_machine.travel(OPEN, tick=False), pytest.raises(ValidationError) as exc:
        bulk_entry.save_bulk(
            year=2017,
            quarter=1,
            units=units,
            indicators=[ck, tl],
            raw={(units[0].pk, tl.pk): "90", (units[2].pk, ck.pk): "có lẽ"},
            versions={},
            by=district_staff,
        )
    assert exc.value.messages == [
        f"{units[2].code} · {ck.name} ({ck.code}): Chọn “Đạt” hoặc “Chưa đạt”."
    ]
    assert not Progress.objects.exists()


@time_machine.travel(OPEN, tick=False)
def test_two_column_paste_in_another_order_lands_on_the_right_units(staff, commune):
    units, ck = commune["units"], commune["ind"]["CK"]
    url = bulk_url(ck, commune=commune["commune"])
    page = staff.get(url)
    text = (
        f"ma_don_vi\tgia_tri\n{units[2].code}\tĐạt\n"
        f"{units[0].code.lower()}\tChưa đạt\n{units[1].code}\t\n"
    )
    shown = preview(staff, url, page, dan=text)
    assert "Xem trước: 2 giá trị thay đổi" in shown.content.decode()
    save(staff, url, shown)
    assert stored(units, ck) == [Decimal(0), None, Decimal(1)]


@time_machine.travel(OPEN, tick=False)
def test_unknown_unit_code_in_a_paste_is_named_and_nothing_pasted(staff, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    other = make_commune(1, code="XB", title=commune["title"])["units"][0]
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    shown = preview(
        staff, url, page, dan=f"{units[0].code}\t90\nKHONG-CO\t80\n{other.code}\t70"
    )
    html = shown.content.decode()
    assert "Dòng 2: không có đơn vị mã “KHONG-CO” trong trang này." in html
    assert f"Dòng 3: không có đơn vị mã “{other.code}” trong trang này." in html
    assert 'name="_luu"' not in html
    assert "KHONG-CO" in form_data(shown)["dan"]  # the paste is kept to be fixed
    assert stored(units, tl) == [None, None, None]


@time_machine.travel(OPEN, tick=False)
def test_a_paste_longer_than_the_page_is_refused_clearly(staff, commune):
    url = bulk_url(commune["ind"]["TL"], commune=commune["commune"])
    page = staff.get(url)
    shown = preview(staff, url, page, dan="1\n2\n3\n4")
    html = shown.content.decode()
    assert "Đã dán 4 dòng nhưng trang này chỉ có 3 đơn vị: không dán gì." in html
    assert 'name="_luu"' not in html


def test_pages_are_sized_under_the_post_field_cap(settings):
    assert bulk_entry.units_per_page(1) == 200
    assert bulk_entry.units_per_page(10) == 98  # (1000 - 20) // 10
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 60
    assert bulk_entry.units_per_page(2) == 20


@time_machine.travel(OPEN, tick=False)
def test_a_criterion_pages_its_units_and_a_page_posts_under_the_cap(staff, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 60  # a criterion of 2 columns: 20 a page
    world = make_commune(25)
    criterion = world["ind"]["TL"].criterion
    url = bulk_url(criterion=criterion)
    first = staff.get(url)
    assert "25 đơn vị, trang 1/2 (20 đơn vị một trang)" in first.content.decode()
    second = staff.get(url + "&page=2")
    fields = form_data(second)
    assert sum(name.startswith("v-") for name in fields) == 5 * 2
    shown = preview(
        staff,
        url + "&page=2",
        second,
        dan="80\n81\n82\n83\n84",
        cot=str(world["ind"]["TL"].pk),
    )
    assert shown.status_code == 200
    save(staff, url + "&page=2", shown)
    assert stored(world["units"][20:], world["ind"]["TL"]) == [
        Decimal(n) for n in range(80, 85)
    ]


@time_machine.travel(OPEN, tick=False)
def test_a_value_changed_meanwhile_refuses_the_whole_save(staff, commune, supervisor):
    units, tl = commune["units"], commune["ind"]["TL"]
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    shown = preview(staff, url, page, dan="81\n82\n83")
    # Someone saves unit 2's sheet on the per-unit screen in between.
    services.save_quarter(
        unit=units[1],
        year=2017,
        quarter=1,
        values={tl.pk: "50"},
        expected_version=0,
        by=supervisor,
    )
    refused = save(staff, url, shown)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert f"1 đơn vị ({units[1].code}) đã được người khác lưu" in html
    assert "chưa nhập → 50" in html  # what they changed, and who
    assert stored(units, tl) == [None, Decimal(50), None]
    # The page was read again: its values now save.
    shown = preview(staff, url, refused, dan="81\n\n83")
    save(staff, url, shown)
    assert stored(units, tl) == [Decimal(81), Decimal(50), Decimal(83)]


@time_machine.travel(OPEN, tick=False)
def test_a_per_unit_form_left_open_is_refused_after_a_bulk_save(
    staff, commune, district_staff
):
    units, tl = commune["units"], commune["ind"]["TL"]
    url = bulk_url(tl, commune=commune["commune"])
    save(staff, url, preview(staff, url, staff.get(url), dan="81"))
    with pytest.raises(services.QuarterConflictError):
        services.save_quarter(
            unit=units[0],
            year=2017,
            quarter=1,
            values={tl.pk: "50"},
            expected_version=0,
            by=district_staff,
        )


@time_machine.travel(OPEN, tick=False)
def test_a_unit_whose_report_awaits_review_is_refused(staff, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    factories.make_report(units[1], 2017, 1, ReportState.SUBMITTED)
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    html = page.content.decode()
    assert f"đang chờ duyệt: {units[1].code}" in html
    assert cell(units[1], tl) not in form_data(page)  # its input is disabled

    shown = preview(staff, url, page, dan="81\n82\n83")
    html = shown.content.decode()
    assert "đơn vị đã nộp báo cáo quý I/2017, đang chờ duyệt" in html
    assert 'name="_luu"' not in html
    # Posted anyway, its cell included: nothing is saved.
    data = {**form_data(shown), cell(units[1], tl): "82", "_luu": "Lưu"}
    staff.post(url, data)
    assert stored(units, tl) == [None, None, None]


def test_save_bulk_names_the_unit_under_review(commune, district_staff):
    units, tl = commune["units"], commune["ind"]["TL"]
    factories.make_report(units[0], 2017, 1, ReportState.SUBMITTED)
    with time_machine.travel(OPEN, tick=False), pytest.raises(ValidationError) as exc:
        bulk_entry.save_bulk(
            year=2017,
            quarter=1,
            units=units,
            indicators=[tl],
            raw={(units[0].pk, tl.pk): "90", (units[1].pk, tl.pk): "90"},
            versions={},
            by=district_staff,
        )
    assert exc.value.messages == [services.under_review_message(units[0], 2017, 1)]
    assert not Progress.objects.exists()


@time_machine.travel("2017-06-01 10:00 +07:00", tick=False)
def test_a_locked_quarter_is_shown_read_only_and_refused(staff, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    html = page.content.decode()
    assert "đã khóa từ" in html and "Bạn chỉ xem được số liệu." in html
    assert 'name="dan"' not in html and 'name="_xem"' not in html
    data = {**form_data(page), cell(units[0], tl): "90", "dan": "1\n2", "_luu": "x"}
    refused = staff.post(url, data)
    assert "đã khóa từ" in refused.content.decode()
    assert stored(units, tl) == [None, None, None]


@time_machine.travel("2017-06-01 10:00 +07:00", tick=False)
def test_a_supervisor_may_change_a_locked_quarter(client, supervisor, commune):
    units, tl = commune["units"], commune["ind"]["TL"]
    login(client, supervisor)
    url = bulk_url(tl, commune=commune["commune"])
    save(client, url, preview(client, url, client.get(url), dan="90"))
    assert stored(units, tl) == [Decimal(90), None, None]


@time_machine.travel(OPEN, tick=False)
def test_a_forged_or_foreign_token_saves_nothing(staff, commune):
    units, tl, ck = commune["units"], commune["ind"]["TL"], commune["ind"]["CK"]
    url = bulk_url(tl, commune=commune["commune"])
    page = staff.get(url)
    for token in ["abc", form_data(staff.get(bulk_url(ck)))["trang"]]:
        data = {**form_data(page), "trang": token, cell(units[0], tl): "90"}
        answer = staff.post(url, {**data, "_xem": "x"})
        assert answer.status_code == 200
        assert "không có gì được lưu" in answer.content.decode()
    assert stored(units, tl) == [None, None, None]


@time_machine.travel(OPEN, tick=False)
def test_saving_a_grid_changed_after_its_preview_shows_the_preview_again(
    staff, commune
):
    units, tl = commune["units"], commune["ind"]["TL"]
    url = bulk_url(tl, commune=commune["commune"])
    shown = preview(staff, url, staff.get(url), dan="81")
    data = {**form_data(shown), cell(units[2], tl): "99", "_luu": "Lưu"}
    again = staff.post(url, data)
    assert "hãy xem lại trước khi lưu" in again.content.decode()
    assert stored(units, tl) == [None, None, None]


@time_machine.travel(OPEN, tick=False)
def test_bad_filters_answer_400_and_no_choice_shows_the_picker(staff, commune):
    from django.urls import reverse

    base = reverse("admin:registrations_progress_bulk")
    assert staff.get(base).status_code == 200
    assert staff.get(base + "?muc=ct-999999").status_code == 400
    assert staff.get(base + "?nam=abc").status_code == 400
    assert staff.get(base + "?muc=tc-x&xa=NOWHERE").status_code == 400


@pytest.mark.parametrize("persona", ["unit_head", "editor"])
def test_only_staff_who_enter_progress_may_use_the_screen(
    client, commune, request, persona
):
    url = bulk_url(commune["ind"]["TL"])
    assert client.get(url).status_code == 302  # anonymous: to the admin's sign-in
    login(client, request.getfixturevalue(persona))
    expected = 302 if persona == "unit_head" else 403
    assert client.get(url).status_code == expected
    assert client.post(url, {"dan": "1"}).status_code == expected


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if data else client.get(url)
    assert response.status_code in (200, 302)
    return len(queries)


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize("villages", [5, 50])
def test_queries_do_not_grow_with_the_units(
    staff, villages, django_assert_max_num_queries
):
    world = make_commune(villages)
    criterion = world["ind"]["TL"].criterion
    url = bulk_url(criterion=criterion, commune=world["commune"])
    for unit in world["units"][::2]:
        factories.make_progress(unit, world["ind"]["TL"], 2017, 1, "50")
    # Measured: 12, 13 and 23 at 5 and at 50 units (session, user, permissions,
    # catalogue, communes, page, values, versions, reviews; the save's bulk writes).
    with django_assert_max_num_queries(12):
        page = staff.get(url)
    paste = "\n".join(str(60 + n % 30) for n in range(villages))
    with django_assert_max_num_queries(13):
        shown = preview(staff, url, page, dan=paste, cot=str(world["ind"]["TL"].pk))
    with django_assert_max_num_queries(23):
        save(staff, url, shown)
    assert stored(world["units"], world["ind"]["TL"])[-1] == Decimal(
        60 + (villages - 1) % 30
    )
