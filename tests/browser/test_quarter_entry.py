"""Staff sign in to the admin, open a unit's quarter, enter values, save, see."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from registrations import periods
from registrations.models import Indicator, Progress
from tests import factories

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_context_args(browser_context_args):
    """District staff use Vietnamese browsers (the admin's own strings follow)."""
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def staff(transactional_db):
    # Groups come from a data migration that a transactional test may have flushed:
    # give the permissions directly.
    user = factories.make_user("canbo_trinhduyet", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=["change_progress", "view_progress", "view_registration"],
        )
    )
    return user


@pytest.fixture
def unit(transactional_db):
    title = factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    unit = factories.make_unit("UBND-XA", name="UBND xã Đông Khê")
    factories.make_registration(unit, title, year=2027)
    year, quarter = periods.previous(*periods.current())
    # Entered last quarter: shown beside the field as the previous value.
    factories.make_progress(
        unit, Indicator.objects.get(code="CQKM-TL"), year, quarter, "72.5"
    )
    return unit


@pytest.mark.browser
def test_staff_enter_a_quarter_and_see_met_and_not_met(live_server, page, staff, unit):
    ARTIFACTS.mkdir(exist_ok=True)
    year, quarter = periods.current()
    label = periods.label(year, quarter)
    ck, tl, sl = (Indicator.objects.get(code=f"CQKM-{c}") for c in ("CK", "TL", "SL"))

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Nhập tiến độ quý").first.click()
    expect(page.locator("h1")).to_contain_text(f"Tiến độ {label}")
    row = page.locator("tr", has_text="UBND xã Đông Khê")
    expect(row).to_contain_text("3")  # indicators, none entered yet
    page.screenshot(path=str(ARTIFACTS / "quarter_overview.png"), full_page=True)
    row.get_by_role("link", name="Nhập").click()

    expect(page.locator("h1")).to_contain_text("UBND xã Đông Khê")
    expect(page.locator(f"#target-{tl.pk}")).to_have_text("≥ 80")
    expect(page.get_by_text("72,5")).to_be_visible()  # last quarter's value
    page.wait_for_load_state()  # the entry script listens to the fields from then on
    page.select_option(f"#id_ct_{ck.pk}", "1")
    page.fill(f"#id_ct_{tl.pk}", "85,5")
    page.fill(f"#id_ct_{sl.pk}", "4")
    # The page shows the outcome while typing…
    expect(page.locator(f"#met-{sl.pk}")).to_have_text("Chưa đạt")
    expect(page.locator(f"#met-{tl.pk}")).to_have_text("Đạt")
    page.get_by_role("button", name=f"Lưu {label}").click()

    # …and the server's verdict after saving.
    expect(page.locator(".messagelist")).to_contain_text(f"Đã lưu tiến độ {label}")
    expect(page.locator(f"#met-{ck.pk}")).to_have_text("Đạt")
    expect(page.locator(f"#met-{tl.pk}")).to_have_text("Đạt")
    expect(page.locator(f"#met-{sl.pk}")).to_have_text("Chưa đạt")
    expect(page.locator("#km-summary")).to_have_text("Đã nhập 3/3 chỉ tiêu · đạt 2/3.")
    expect(page.locator(f"#id_ct_{tl.pk}")).to_have_value("85,5")
    page.screenshot(path=str(ARTIFACTS / "quarter_entry.png"), full_page=True)

    values = dict(
        Progress.objects.filter(year=year, quarter=quarter).values_list(
            "indicator__code", "value"
        )
    )
    assert values == {"CQKM-CK": 1, "CQKM-TL": Decimal("85.5"), "CQKM-SL": 4}

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(ARTIFACTS / "quarter_entry_mobile.png"), full_page=True)
    # Wrapped indicator names keep room for their diacritics on a phone.
    spacing = page.evaluate(
        """() => {
            const label = document.querySelector(".km-entry th label");
            const style = getComputedStyle(label);
            return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
        }"""
    )
    assert spacing >= 1.3
