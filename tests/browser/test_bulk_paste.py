"""Issue #16, bulk entry in the browser: staff paste a spreadsheet column for a
commune's villages, check the preview, save, and see the values.

Screenshots on a phone and a desktop go to test-artifacts/ (journey-bulk-*.png).
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registrations import periods
from registrations.models import Progress
from tests.browser import test_journeys
from tests.browser.test_journeys import PHONE, shot, sign_in
from tests.registrations.bulk_steps import make_commune

DESKTOP = {"width": 1366, "height": 900}
problems = test_journeys.problems  # console errors, CSP, failed loads

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.mark.parametrize(("screen", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_staff_paste_a_column_for_a_commune_preview_and_save(
    live_server, page, district_staff, problems, screen, size
):
    year, quarter = periods.current()
    world = make_commune(4, code="DK")
    units, tl = world["units"], world["ind"]["TL"]
    page.set_viewport_size(size)
    sign_in(page, live_server, district_staff)
    page.goto(live_server.url + reverse("admin:registrations_progress_quarters"))
    page.get_by_role("link", name="Nhập hàng loạt").click()
    page.get_by_label("Chỉ tiêu", exact=True).select_option(f"ct-{tl.pk}")
    page.get_by_label("Xã", exact=True).select_option(world["commune"].code)
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator(".km-summary")).to_contain_text("4 đơn vị")
    page.wait_for_load_state()  # the grid's script (deferred) is in place
    shot(page, f"bulk-grid-{screen}")

    # A column copied from a spreadsheet: values, one a line, the last one empty.
    page.get_by_label("Dán từ Excel").fill("85,5\r\n90\r\n\r\n77\r\n")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator(".km-preview")
    expect(preview).to_contain_text("Xem trước: 3 giá trị thay đổi")
    expect(preview).to_contain_text(units[0].code)
    expect(preview).to_contain_text("85,5")
    assert not Progress.objects.exists()
    shot(page, f"bulk-preview-{screen}")

    page.get_by_role("button", name="Lưu 3 giá trị").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Đã lưu 3 giá trị {periods.label(year, quarter)} của 3 đơn vị."
    )
    grid = page.locator(".km-bulk-grid")
    expect(
        grid.get_by_role("textbox", name=f"{tl.name} {units[0].name}")
    ).to_have_value("85,5")
    expect(
        grid.get_by_role("textbox", name=f"{tl.name} {units[3].name}")
    ).to_have_value("77")
    values = dict(
        Progress.objects.filter(year=year, quarter=quarter).values_list(
            "unit__code", "value"
        )
    )
    assert values == {
        units[0].code: Decimal("85.5"),
        units[1].code: Decimal(90),
        units[3].code: Decimal(77),
    }
    shot(page, f"bulk-saved-{screen}")

    # Enter moves down the column, as in a spreadsheet.
    grid.get_by_role("textbox", name=f"{tl.name} {units[0].name}").focus()
    page.keyboard.press("Enter")
    expect(
        grid.get_by_role("textbox", name=f"{tl.name} {units[1].name}")
    ).to_be_focused()
    # Lines pasted into a cell fill the cells below it (the preview still checks).
    grid.get_by_role("textbox", name=f"{tl.name} {units[1].name}").evaluate(
        """cell => {
            const data = new DataTransfer();
            data.setData("text/plain", "61\\r\\n62\\r\\n");
            cell.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(
        grid.get_by_role("textbox", name=f"{tl.name} {units[2].name}")
    ).to_have_value("62")
    assert problems == []


def test_staff_see_a_bad_cell_named_then_fix_it_in_a_criterion_grid(
    live_server, page, district_staff, problems
):
    year, quarter = periods.current()
    world = make_commune(3, code="DT")
    units, ck, tl = world["units"], world["ind"]["CK"], world["ind"]["TL"]
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, district_staff)
    page.goto(
        live_server.url
        + reverse("admin:registrations_progress_bulk")
        + f"?nam={year}&quy={quarter}&muc=tc-{ck.criterion_id}"
    )
    # Two columns copied from a sheet, in another order, into the yes/no column.
    page.get_by_label("Dán vào cột").select_option(str(ck.pk))
    page.get_by_label("Dán từ Excel").fill(
        f"{units[2].code}\tĐạt\n{units[0].code}\tcó lẽ\n"
    )
    page.get_by_role("button", name="Xem trước").click()
    errors = page.locator(".km-preview .errorlist")
    expect(errors).to_contain_text(
        f"{units[0].code} · {ck.name} ({ck.code}): Chọn “Đạt” hoặc “Chưa đạt”."
    )
    expect(page.get_by_role("button", name="Lưu", exact=False)).to_have_count(0)
    shot(page, "bulk-criterion-error-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "bulk-criterion-error-phone")
    page.set_viewport_size(DESKTOP)

    # Fixed in the grid: Tab goes down the first column, then to the second.
    bad = page.get_by_role("combobox", name=f"{ck.name} {units[0].name}")
    bad.fill("Chưa đạt")
    page.get_by_role("combobox", name=f"{ck.name} {units[2].name}").focus()
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("textbox", name=f"{tl.name} {units[0].name}")
    ).to_be_focused()
    page.keyboard.type("88")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator(".km-preview")).to_contain_text("Xem trước: 3 giá trị thay đổi")
    page.get_by_role("button", name="Lưu 3 giá trị").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã lưu 3 giá trị")
    saved = set(
        Progress.objects.filter(year=year, quarter=quarter).values_list(
            "unit__code", "indicator__code", "value"
        )
    )
    assert saved == {
        (units[0].code, ck.code, Decimal(0)),
        (units[0].code, tl.code, Decimal(88)),
        (units[2].code, ck.code, Decimal(1)),
    }
    assert problems == []
