"""A unit head is onboarded from the office's file, on paper, and keeps their profile.

Staff (desktop) print an invitation letter for a head imported from the unit-heads
file; the head (on a 390px phone) types the letter's link, chooses a password, signs
in, and corrects their phone on /tai-khoan/. Staff also see the quarter's
completeness on the work list. Every page fits its screen, without a CSP or script
error; screenshots go to test-artifacts/heads-*.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from heads.services import invitations_held
from imports.services import import_file
from registrations import periods
from tests import factories
from tests.browser.screens import assert_fits
from units.models import UnitKind

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "mat-khau-truong-thon-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page, seen):
    def on_console(msg):
        if msg.text.startswith("Failed to load resource"):
            return
        if msg.type == "error" or "Content Security Policy" in msg.text:
            seen.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"heads-{name}.png"), full_page=True)


def sign_in(page, live_server, username, password=factories.PASSWORD):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def world(transactional_db):
    year, _quarter = periods.current()
    commune = factories.make_unit("XA-DONG-KHE", kind=UnitKind.XA, name="Xã Đông Khê")
    village = factories.make_unit(
        "THON-DK-01", kind=UnitKind.THON, name="Thôn Đông Khê 1", parent=commune
    )
    title = factories.make_catalogue(kind=UnitKind.THON, code="TH")
    factories.make_registration(village, title, year)
    xa_title = factories.make_catalogue(kind=UnitKind.XA, code="XA")
    factories.make_registration(commune, xa_title, year)
    rows = (
        "ma_don_vi,ho_ten,email,so_dien_thoai\r\n"
        "THON-DK-01,Nguyễn Văn Bình,binh.nguyen@dongson.example,0912 345 678\r\n"
        "XA-DONG-KHE,Lê Thị Hoa,hoa.le@dongson.example,\r\n"
    )
    with invitations_held():  # the letter is their first invitation
        report = import_file(kind="heads", content=rows.encode(), filename="h.csv")
    assert report.ok, report.error_lines()
    staff = factories.make_user("canbo", groups=["Cán bộ huyện"], is_staff=True)
    return {"staff": staff}


def test_staff_print_an_invitation_and_the_head_activates_on_a_phone(
    live_server, browser, world
):
    seen = []
    # --- staff, desktop -------------------------------------------------------
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    watch(page, seen)
    sign_in(page, live_server, "canbo")
    page.goto(f"{live_server.url}/bao-cao/truong-don-vi/")
    expect(page.locator("main")).to_contain_text("Nguyễn Văn Bình")
    expect(page.locator("main")).to_contain_text("Chờ gửi lời mời")
    assert_fits(page)
    shot(page, "list-desktop")
    row = page.locator("tr", has_text="Nguyễn Văn Bình")
    row.get_by_role("link", name="In thư mời").click()
    expect(page.locator("h1")).to_have_text("In thư mời")
    shot(page, "letter-confirm-desktop")
    page.get_by_role("button", name="Tạo thư mời để in").click()
    expect(page.locator("h1")).to_have_text("Thư mời sử dụng tài khoản trưởng đơn vị")
    shot(page, "letter-desktop")
    link = re.search(
        r"/kich-hoat/\S+/", page.locator(".letter-link").first.inner_text()
    )
    assert link, "the letter shows the link"
    page.goto(f"{live_server.url}/bao-cao/truong-don-vi/")
    expect(page.locator("tr", has_text="Nguyễn Văn Bình")).to_contain_text("in thư")
    context.close()

    # --- the head, on a phone -------------------------------------------------
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    watch(page, seen)
    page.goto(f"{live_server.url}{link.group(0)}")
    expect(page.locator("main")).to_contain_text("binh.nguyen")
    assert_fits(page)
    shot(page, "activate-phone")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.locator("main")).to_contain_text("Đã đặt mật khẩu")
    sign_in(page, live_server, "binh.nguyen", PASSWORD)
    page.goto(f"{live_server.url}/tai-khoan/")
    expect(page.locator("main")).to_contain_text("Thôn Đông Khê 1")
    assert_fits(page)
    shot(page, "profile-phone")
    page.get_by_label("Số điện thoại").fill("0236 3822 111")
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator("main")).to_contain_text("Đã lưu thông tin tài khoản.")
    expect(page.get_by_label("Số điện thoại")).to_have_value("0236 3822 111")
    # The same link is spent.
    page.goto(f"{live_server.url}{link.group(0)}")
    expect(page.locator("h1")).to_have_text("Liên kết không còn dùng được")
    shot(page, "activate-spent-phone")
    context.close()
    assert not seen, seen


@pytest.mark.parametrize(("name", "size"), [("phone", NARROW), ("desktop", DESKTOP)])
def test_staff_pages_fit_phones_and_desktops(live_server, browser, world, name, size):
    seen = []
    year, quarter = periods.current()
    context = browser.new_context(locale="vi-VN", viewport=size)
    page = context.new_page()
    watch(page, seen)
    sign_in(page, live_server, "canbo")
    for key, path in [
        ("list", "/bao-cao/truong-don-vi/"),
        ("worklist", f"/bao-cao/tien-do/{year}/{quarter}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        if key == "worklist":
            page.locator("#day-du summary").click()
            expect(page.locator("#day-du")).to_contain_text("Xã Đông Khê")
        assert_fits(page)
        shot(page, f"{key}-{name}")
    row = page.goto(f"{live_server.url}/bao-cao/truong-don-vi/")
    assert row.status == 200
    page.locator("tr", has_text="Lê Thị Hoa").get_by_role(
        "link", name="Gửi lời mời"
    ).click()
    confirm = page.get_by_role("button", name="Gửi lời mời")
    expect(confirm).to_be_visible()  # the confirmation page has loaded
    assert_fits(page)
    shot(page, f"resend-confirm-{name}")
    confirm.click()
    expect(page.locator("main")).to_contain_text(
        "Đã gửi lời mời tới hoa.le@dongson.example"
    )
    context.close()
    assert not seen, seen
