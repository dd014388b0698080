"""A citizen on a phone reads the latest briefing and finds it again by searching."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.screens import assert_fits
from tests.news.helpers import make_article, make_section

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BRIEFING = "Giao ban tiến độ kiểu mẫu quý I: xã Đông Khê về đích sớm"


# live_server needs real transactions (the flush after each test is followed by
# post_migrate, which makes the role groups again: portal/roles.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def news():
    briefings = make_section("Tin tức – Sự kiện")
    notices = make_section("Thông báo")
    make_article(
        "Thông báo thời hạn đăng ký danh hiệu kiểu mẫu năm 2017",
        section=notices,
        lead="Các đơn vị gửi đăng ký trước ngày 28/02/2017.",
    )
    make_article(
        "Đoàn công tác của huyện thăm các trường mầm non",
        section=briefings,
        is_featured=True,
        lead="Đoàn kiểm tra bếp ăn, sân chơi và hồ sơ chuyên môn.",
    )
    return make_article(
        BRIEFING,
        section=briefings,
        is_briefing=True,
        lead="Huyện đánh giá tiến độ quý I và giao nhiệm vụ quý II năm 2017.",
        body="<p>Xã Đông Khê hoàn thành nhiều tiêu chí trước lộ trình.</p>"
        "<h2>Tiêu chí còn chậm</h2><ul><li>Nhà văn hóa thôn</li></ul>",
        credit="Minh Ánh, Mạnh Cường",
    )


def watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return violations


@pytest.mark.browser
def test_citizen_reads_a_briefing_and_finds_it_by_search_on_a_phone(
    live_server, page, news
):
    ARTIFACTS.mkdir(exist_ok=True)
    violations = watch_csp(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_count(1)
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "citizen-home-phone.png", full_page=True)

    briefings = page.locator("section[aria-labelledby=ban-tin-giao-ban]")
    briefings.get_by_role("link", name=BRIEFING).click()
    expect(page.locator("h1")).to_have_text(BRIEFING)
    expect(page.get_by_text("Đăng lúc:")).to_be_visible()
    expect(page.get_by_text("Thực hiện: Minh Ánh, Mạnh Cường")).to_be_visible()
    expect(page.get_by_role("button", name="In bài viết")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "citizen-article-phone.png", full_page=True)

    # On a phone the search box sits in the collapsed menu.
    page.get_by_role("button", name="Mở menu").click()
    search_box = page.get_by_role("searchbox", name="Tìm kiếm")
    expect(search_box).to_be_visible()
    search_box.fill("dong khe")
    search_box.press("Enter")
    expect(page).to_have_url(live_server.url + "/tim-kiem/?q=dong+khe")
    result = page.get_by_role("link", name=BRIEFING)
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Đông Khê")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "citizen-search-phone.png", full_page=True)
    result.click()
    expect(page.locator("h1")).to_have_text(BRIEFING)
    assert violations == []


@pytest.mark.browser
def test_text_size_and_contrast_toggles_work(live_server, page, news):
    violations = watch_csp(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + news.get_absolute_url())
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(size)
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    assert page.evaluate(size) > normal
    page.get_by_role("button", name="Giảm cỡ chữ").click()
    page.get_by_role("button", name="Giảm cỡ chữ").click()
    assert page.evaluate(size) < normal
    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    assert page.evaluate(size) == normal

    contrast = page.get_by_role("button", name="Tăng tương phản")
    contrast.click()
    expect(page.locator("body")).to_have_class("high-contrast")
    expect(page.locator("[data-contrast]")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=ARTIFACTS / "citizen-article-contrast.png", full_page=True)
    page.reload()  # remembered
    expect(page.locator("body")).to_have_class("high-contrast")
    page.get_by_role("button", name="Giảm tương phản").click()
    expect(page.locator("body")).not_to_have_class("high-contrast")

    page.screenshot(path=ARTIFACTS / "citizen-article-desktop.png", full_page=True)
    # Keyboard users: the skip link is the first stop and is visible on focus.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.goto(live_server.url + "/")
    page.screenshot(path=ARTIFACTS / "citizen-home-desktop.png", full_page=True)
    assert violations == []
