"""End-to-end journeys across the portal, in Debian's chromium (Playwright).

Each journey is what one kind of person does from the first page to the result,
through the real pages: a citizen on a phone, a unit head, district staff and an
editor. Every page along the way must run without a Content-Security-Policy
violation or a JavaScript error (the admin included). Screenshots of the key
steps go to test-artifacts/; on a failure, tests/conftest.py saves the page too.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kieumau.dates import vietnam_today
from news.models import Article, ArticleStatus
from polls.models import Vote
from registrations import periods
from registrations.briefing import draft_briefing
from registrations.models import Indicator, Progress, Registration
from tests import factories
from tests.browser.screens import assert_fits

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}

# live_server needs committed data (the flush after each test is followed by
# post_migrate, which makes the role groups again: portal/roles.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    """A Vietnamese browser (Django's admin strings follow the browser's language)."""
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def problems(page):
    """Console errors, CSP violations, failed loads and uncaught exceptions."""
    seen = []

    def on_console(msg):
        # A failed load is reported below with its URL.
        if msg.text.startswith("Failed to load resource"):
            return
        if msg.type == "error" or "Content Security Policy" in msg.text:
            seen.append(msg.text)

    def on_response(response):
        # The 404 of the journey's own "another unit" step is expected.
        if response.status >= 400 and response.request.resource_type != "document":
            seen.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    return seen


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def sign_in(page, live_server, user, path="/dang-nhap/"):
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_citizen_reads_a_briefing_searches_without_diacritics_and_votes_on_a_phone(
    live_server, page, demo, problems
):
    briefing = (
        Article.objects.published().filter(is_briefing=True).latest("published_at")
    )
    votes_before = Vote.objects.count()
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/")
    assert_fits(page)
    page.get_by_role("link", name=briefing.title).first.click()
    expect(page.locator("h1")).to_have_text(briefing.title)
    expect(page.locator("article, main").first).to_contain_text("đơn vị")
    assert_fits(page)
    shot(page, "citizen-briefing-phone")

    # The search box sits in the collapsed menu on a phone; no diacritics typed.
    page.get_by_role("button", name="Mở menu").click()
    search = page.get_by_role("searchbox", name="Tìm kiếm")
    search.fill("giao ban tien do kieu mau")
    search.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/tim-kiem/?q=giao+ban+tien+do+kieu+mau")
    expect(page.get_by_role("link", name=briefing.title).first).to_be_visible()
    assert_fits(page)
    shot(page, "citizen-search-phone")

    # Back on the home page, the poll in the sidebar.
    page.goto(f"{live_server.url}/")
    box = page.locator("[data-poll-box]")
    box.scroll_into_view_if_needed()
    box.get_by_role("radio").first.check()
    box.get_by_role("button", name="Bình chọn").click()
    expect(box).to_contain_text("Cảm ơn bạn đã gửi ý kiến")
    expect(box.locator("progress").first).to_be_visible()
    shot(page, "citizen-voted-phone")
    assert Vote.objects.count() == votes_before + 1
    assert problems == []


def test_unit_head_signs_in_registers_a_year_and_cannot_reach_another_unit(
    live_server, page, unit_head, other_unit_head, unit_a, unit_b, problems
):
    factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    next_year = vietnam_today().year + 1

    sign_in(page, live_server, unit_head)
    expect(page).to_have_url(f"{live_server.url}/dang-ky/")
    card = page.locator(f"#don-vi-{unit_a.code}")
    expect(card).to_contain_text("Cơ quan A")
    expect(card).to_contain_text("Chưa đăng ký")
    expect(page.locator(f"#don-vi-{unit_b.code}")).to_have_count(0)
    card.get_by_label("Năm đăng ký hoàn thành").fill(str(next_year))
    card.get_by_role("button", name="Đăng ký").click()

    # The confirmation step names the year before anything is saved.
    expect(page.locator("h1")).to_have_text("Xác nhận đăng ký")
    assert not Registration.objects.filter(unit=unit_a).exists()
    page.get_by_role("button", name=f"Xác nhận đăng ký năm {next_year}").click()

    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()
    card = page.locator(f"#don-vi-{unit_a.code}")
    expect(card).to_contain_text(str(next_year))
    shot(page, "unit-head-registered")
    registration = Registration.objects.get(unit=unit_a)
    assert registration.year == next_year

    # Another unit's page: 404, the Vietnamese page, nothing about that unit.
    response = page.goto(f"{live_server.url}/dang-ky/{unit_b.code}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    expect(page.locator("body")).not_to_contain_text("Cơ quan B")
    shot(page, "unit-head-other-unit-404")
    assert not Registration.objects.filter(unit=unit_b).exists()
    assert problems == []


def test_staff_enter_a_quarter_and_the_public_figures_move(
    live_server, page, district_staff, problems
):
    year, quarter = periods.current()
    label = periods.label(year, quarter)
    title = factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    unit = factories.make_unit("UBND-XA", name="UBND xã Đông Khê")
    factories.make_registration(unit, title, year=year)
    ck, tl, sl = (Indicator.objects.get(code=f"CQKM-{c}") for c in ("CK", "TL", "SL"))

    page.goto(f"{live_server.url}/tien-do/")
    row = page.locator("tr", has_text="UBND xã Đông Khê")
    expect(row).to_contain_text("0/2")
    expect(row).to_contain_text("0%")

    sign_in(page, live_server, district_staff, path="/dang-nhap/?next=/admin/")
    page.get_by_role("link", name="Nhập tiến độ quý").first.click()
    expect(page.locator("h1")).to_contain_text(label)
    page.locator("tr", has_text="UBND xã Đông Khê").get_by_role(
        "link", name="Nhập"
    ).click()
    page.select_option(f"#id_ct_{ck.pk}", "1")
    page.fill(f"#id_ct_{tl.pk}", "85,5")
    page.fill(f"#id_ct_{sl.pk}", "2")
    page.get_by_role("button", name=f"Lưu {label}").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Đã lưu tiến độ {label}")
    shot(page, "staff-quarter-saved")
    assert Progress.objects.filter(unit=unit, year=year, quarter=quarter).count() == 3

    page.goto(f"{live_server.url}/tien-do/")
    row = page.locator("tr", has_text="UBND xã Đông Khê")
    expect(row).to_contain_text("2/2")
    expect(row).to_contain_text("100%")
    shot(page, "staff-public-figures-moved")
    assert problems == []


def test_editor_publishes_a_drafted_briefing(
    live_server, page, demo, district_staff, editor, problems
):
    draft = draft_briefing(year=2017, quarter=2, by=district_staff)
    assert draft.status == ArticleStatus.DRAFT
    page.goto(f"{live_server.url}/tin-tuc/")
    expect(page.get_by_role("link", name=draft.title)).to_have_count(0)

    sign_in(page, live_server, editor, path="/admin/login/")
    page.goto(f"{live_server.url}/admin/news/article/?status__exact=draft")
    row = page.locator("#result_list tr", has_text=draft.title)
    expect(row).to_have_count(1)
    # Titles read as lines, not one word per line beside the one-line columns.
    assert row.locator(".field-title").bounding_box()["width"] >= 250
    shot(page, "editor-drafts")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "publish_now")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã đăng 1 bài")
    shot(page, "editor-published")

    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    assert draft.published_at is not None

    # Citizens see it at once: in the list, then the article itself.
    page.goto(f"{live_server.url}/tin-tuc/")
    page.get_by_role("link", name=draft.title).first.click()
    expect(page.locator("h1")).to_have_text(draft.title)
    expect(page.locator("main")).to_contain_text("quý II/2017")
    shot(page, "editor-briefing-public")
    assert problems == []
