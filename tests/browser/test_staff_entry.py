"""Issue #16 in the browser: the registration form's steps, quick quarter entry.

Screenshots on a phone and a desktop go to test-artifacts/ (issue16-*.png).
"""

import re

import pytest
from playwright.sync_api import expect

from kieumau.dates import vietnam_today
from registrations import periods
from registrations.models import Indicator, Progress, Registration
from tests import factories
from tests.browser import test_journeys
from tests.browser.screens import assert_fits
from tests.browser.test_journeys import PHONE, shot, sign_in

DESKTOP = {"width": 1366, "height": 900}
problems = test_journeys.problems  # the same fixture: console errors, CSP, failed loads

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.mark.parametrize(("screen", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_unit_head_sees_vietnamese_errors_then_confirms_a_new_year(
    live_server, page, unit_head, unit_a, problems, screen, size
):
    this_year = vietnam_today().year
    factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    unit_a.roadmap_year = this_year + 2
    unit_a.save()
    page.set_viewport_size(size)
    sign_in(page, live_server, unit_head)
    page.goto(f"{live_server.url}/dang-ky/{unit_a.code}/")

    expect(page.locator("h1")).to_have_text("Đăng ký năm hoàn thành danh hiệu")
    box = page.get_by_label("Năm đăng ký hoàn thành")
    expect(box).to_have_value(str(this_year + 2))  # the roadmap year
    box.fill(str(this_year - 1))
    page.get_by_role("button", name="Đăng ký").click()
    # The server's message on the page (the form has novalidate: no tooltip).
    expect(page.locator(".invalid-feedback, .errorlist").first).to_contain_text(
        f"Không thể đăng ký năm đã qua (năm nay là {this_year})."
    )
    assert_fits(page)
    shot(page, f"issue16-register-error-{screen}")

    page.get_by_label("Năm đăng ký hoàn thành").fill(str(this_year + 1))
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator("h1")).to_have_text("Xác nhận đăng ký")
    expect(page.locator("table")).to_contain_text(str(this_year + 1))
    expect(page.locator("table")).to_contain_text("Sớm hơn lộ trình")
    assert not Registration.objects.exists()
    assert_fits(page)
    shot(page, f"issue16-register-confirm-{screen}")

    page.get_by_role("button", name=f"Xác nhận đăng ký năm {this_year + 1}").click()
    expect(page.locator(".alert-success").first).to_contain_text("Đã ghi nhận")
    expect(page.locator(f"#don-vi-{unit_a.code}")).to_contain_text("Sớm hơn lộ trình")
    assert Registration.objects.get(unit=unit_a).year == this_year + 1
    assert_fits(page)
    shot(page, f"issue16-register-done-{screen}")
    assert problems == []


@pytest.mark.parametrize(("screen", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_staff_find_a_unit_without_diacritics_and_save_and_go_next(
    live_server, page, district_staff, problems, screen, size
):
    year, quarter = periods.current()
    label = periods.label(year, quarter)
    title = factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    for code, name in [
        ("UBND-KHE", "UBND xã Đông Khê"),
        ("UBND-HOA", "UBND xã Đông Hòa"),
        ("UBND-TAN", "UBND xã Đông Tân"),
    ]:
        unit = factories.make_unit(code, name=name)
        factories.make_registration(unit, title, year=year + 1)
    tl = Indicator.objects.get(code="CQKM-TL")
    page.set_viewport_size(size)

    sign_in(page, live_server, district_staff)
    expect(page).to_have_url(f"{live_server.url}/bao-cao/")
    entry = page.get_by_role("link", name=re.compile(r"^Nhập tiến độ Quý"))
    expect(entry).to_be_visible()
    shot(page, f"issue16-reports-{screen}")
    entry.click()
    expect(page.locator("h1")).to_contain_text("Tiến độ Quý")

    page.get_by_label("Năm", exact=True).fill(str(year))
    page.get_by_label("Quý", exact=True).select_option(str(quarter))
    page.get_by_label("Tìm đơn vị").fill("dong")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text(f"Tiến độ {label}")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    shot(page, f"issue16-overview-search-{screen}")
    page.get_by_role("link", name="UBND xã Đông Hòa").click()

    expect(page.locator("h1")).to_contain_text("UBND xã Đông Hòa")
    # The entry script (deferred) listens to the fields once the page has loaded:
    # typing before that would leave the state beside a field unchanged.
    page.wait_for_load_state()
    label_cell = page.locator(f"label[for=id_ct_{tl.pk}]")
    expect(label_cell).to_have_text(tl.name)
    for raw in ("abc", "150"):
        page.fill(f"#id_ct_{tl.pk}", raw)
        expect(page.locator(f"#met-{tl.pk}")).to_have_text("Không hợp lệ")
    shot(page, f"issue16-entry-invalid-{screen}")
    page.fill(f"#id_ct_{tl.pk}", "85")
    expect(page.locator(f"#met-{tl.pk}")).to_have_text("Đạt")
    shot(page, f"issue16-entry-{screen}")
    page.get_by_role("button", name="Lưu và sang đơn vị tiếp").click()

    expect(page.locator("h1")).to_contain_text("UBND xã Đông Khê")
    expect(page.locator(".messagelist")).to_contain_text(
        f"Đã lưu tiến độ {label} của UBND xã Đông Hòa."
    )
    assert "q=dong" in page.url
    assert Progress.objects.get(unit__code="UBND-HOA", indicator=tl).value == 85
    shot(page, f"issue16-entry-next-{screen}")
    assert problems == []
