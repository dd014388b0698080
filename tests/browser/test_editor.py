"""An editor writes and illustrates an article without HTML; a citizen reads it.

The journey runs under the site's enforced CSP (no 'unsafe-inline' scripts or
styles): any console message "Refused to …" fails it, in the admin and on the
public page. Screenshots go to test-artifacts/ (editor at 1366 px, article at 390 px).
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import re_path
from django.views.static import serve
from PIL import Image
from playwright.sync_api import expect

from kieumau.urls import urlpatterns as site_urlpatterns
from news.models import Article, ArticleStatus
from tests.browser.screens import assert_fits
from tests.browser.test_journeys import ARTIFACTS, PHONE
from tests.browser.test_journeys import sign_in as sign_in_at
from tests.news.helpers import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
WORD = Path(__file__).parents[1] / "news" / "fixtures" / "word_clipboard.html"
# Word desktop's numbered list: paragraphs with the level in mso-list, the number
# as text in a span marked mso-list:Ignore between conditional comments.
NUMBERED = (
    "<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='mso-list:Ignore'>1.<span "
    "style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span>"
    "<![endif]>Đăng ký<o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'>"
    "<![if !supportLists]><span style='mso-list:Ignore'>o<span>&nbsp; </span>"
    "</span><![endif]>Cơ quan<o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='mso-list:Ignore'>2.<span>&nbsp; </span>"
    "</span><![endif]>Đánh giá<o:p></o:p></p>"
)


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The site's URLs and, as a server's nginx would, the uploaded media (Django serves
# them only with DEBUG on).
urlpatterns = [*site_urlpatterns, re_path(r"^media/(?P<path>.*)$", serve_media)]


@pytest.fixture
def site_with_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


def watch(page):
    """Console messages of a refused script, style or image, and uncaught errors."""
    seen = []

    def on_console(msg):
        # Chromium words a blocked inline style "Applying inline style violates
        # the following Content Security Policy directive…", a script "Refused to…".
        text = msg.text
        if "Refused to" in text or "Content Security Policy" in text:
            seen.append(text)
        elif msg.type == "error":
            seen.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and seen.append(f"{r.status} {r.url}"),
    )
    return seen


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-{name}.png"), full_page=True)


def photo(tmp_path):
    path = tmp_path / "hoi-nghi.jpg"
    image = Image.new("RGB", (1600, 1000), (30, 110, 170))
    for x in range(0, 1600, 200):
        image.paste((240, 200, 40), (x, 300, x + 100, 700))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def paste_html(page, html):
    page.locator(".ProseMirror").evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "");
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        html,
    )


def test_editor_writes_and_illustrates_an_article_a_citizen_reads_it_on_a_phone(
    live_server, page, browser, editor, site_with_media, tmp_path
):
    make_section("Tin hoạt động")
    problems = watch(page)
    page.set_viewport_size(DESKTOP)
    sign_in_at(page, live_server, editor, path="/admin/login/")
    page.goto(f"{live_server.url}/admin/news/article/add/")

    # The editor replaces the textarea, which stays in the form, hidden.
    expect(page.locator("#id_body")).to_be_hidden()
    toolbar = page.get_by_role("toolbar", name="Định dạng nội dung")
    expect(toolbar).to_be_visible()
    page.locator("#id_title").fill("Đông Khê ra mắt mô hình thôn kiểu mẫu")
    page.locator("#id_section").select_option(label="Tin hoạt động")
    page.locator("#id_lead").fill("Xã Đông Khê tổ chức ra mắt mô hình.")

    body = page.get_by_role("textbox", name="Nội dung bài viết")
    body.click()
    toolbar.get_by_role("button", name="Tiêu đề 2", exact=True).click()
    expect(toolbar.get_by_role("button", name="Tiêu đề 2")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.type("Kết quả sau một năm")
    page.keyboard.press("Enter")
    page.keyboard.type("Thôn đạt các tiêu chí sau:")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Danh sách", exact=True).click()
    page.keyboard.type("Đường làng sạch đẹp")
    page.keyboard.press("Enter")
    page.keyboard.type("Nhà văn hóa đạt chuẩn")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    bold = toolbar.get_by_role("button", name="Đậm")
    bold.click()
    # Typed only once the editor has taken the command back (a loaded machine
    # could otherwise type while the focus is still on the button).
    expect(bold).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("Người dân đồng thuận.")
    expect(body.locator("strong")).to_have_text("Người dân đồng thuận.")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")

    # A link: a javascript: address is refused in the dialog, https is taken.
    page.keyboard.press("Control+k")  # as in a word processor; the button does it too
    dialog = page.get_by_role("dialog", name="Liên kết")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Địa chỉ").fill("javascript:alert(1)")
    dialog.get_by_role("button", name="Áp dụng").click()
    expect(dialog.get_by_role("alert")).to_contain_text("http://, https://")
    dialog.get_by_label("Địa chỉ").fill("dongson.example/ke-hoach")
    dialog.get_by_label("Địa chỉ").press("Enter")
    expect(dialog).to_be_hidden()
    expect(body.locator('a[href="https://dongson.example/ke-hoach"]')).to_be_visible()
    page.keyboard.press("End")
    page.keyboard.press("Enter")

    # An image: the dialog refuses an empty alt text, then uploads.
    toolbar.get_by_role("button", name="Chèn ảnh").click()
    dialog = page.get_by_role("dialog", name="Chèn ảnh")
    dialog.get_by_label("Tệp ảnh").set_input_files(photo(tmp_path))
    dialog.get_by_role("button", name="Tải lên và chèn").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Hãy nhập mô tả ảnh (alt) cho người khiếm thị."
    )
    dialog.get_by_label("Mô tả ảnh").fill("Người dân dự lễ ra mắt tại nhà văn hóa thôn")
    dialog.get_by_role("button", name="Tải lên và chèn").click()
    expect(dialog).to_be_hidden()
    image = body.locator('img[alt="Người dân dự lễ ra mắt tại nhà văn hóa thôn"]')
    expect(image).to_be_visible()
    # Visible is not loaded: wait for the file itself (a loaded CI machine lags).
    image.evaluate(
        "img => img.complete ? null : new Promise((done) => "
        "{ img.onload = img.onerror = done; })"
    )
    assert image.evaluate("img => img.naturalWidth") == 1200

    # A paste from Word, cleaned; then a table with a row added.
    paste_html(page, WORD.read_text(encoding="utf-8"))
    expect(body.locator("h2", has_text="Kết quả xây dựng cơ quan")).to_be_visible()
    toolbar.get_by_role("button", name="Chèn bảng").click()
    page.keyboard.type("Tiêu chí")
    toolbar.get_by_role("button", name="Thêm hàng").click()
    expect(body.locator("table").last.locator("tr")).to_have_count(4)
    html = page.locator("#id_body").input_value()
    for word_only in ["mso-", "class=", "style=", "<o:p", "<span", "<font", "file:"]:
        assert word_only not in html
    # Word's list paragraph became a list item, its bullet glyph gone.
    assert "<ul><li><p>Trường học</p></li></ul>" in html
    # A numbered Word list with a second level, through the same cleaning.
    cleaned = page.evaluate("html => KieumauEditor.cleanPastedHTML(html)", NUMBERED)
    cleaned = cleaned.replace("\n", "")
    assert cleaned == (
        "<ol><li>Đăng ký<ul><li>Cơ quan</li></ul></li><li>Đánh giá</li></ol>"
    )
    shot(page, "admin-1366")

    # The preview: the sanitised body in the public page's layout, in a new tab.
    with page.expect_popup() as popup:
        toolbar.get_by_role("button", name="Xem trước").click()
    preview = popup.value
    preview_problems = watch(preview)
    preview.wait_for_load_state()
    expect(preview.locator(".article-body h2").first).to_have_text(
        "Kết quả sau một năm"
    )
    expect(preview.locator(".article-body img")).to_be_visible()
    shot(preview, "preview-1366")
    preview.close()

    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")

    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED
    assert "<h2>Kết quả sau một năm</h2>" in article.body
    assert "<ul><li><p>Đường làng sạch đẹp</p></li>" in article.body
    assert 'alt="Người dân dự lễ ra mắt tại nhà văn hóa thôn"' in article.body
    assert "<strong>Người dân đồng thuận.</strong>" in article.body

    # A citizen on a phone, without the editor's session.
    citizen = browser.new_context(viewport=PHONE, locale="vi-VN")
    phone = citizen.new_page()
    phone_problems = watch(phone)
    phone.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(phone.locator("h1")).to_have_text(article.title)
    expect(phone.locator(".article-body h2").first).to_have_text("Kết quả sau một năm")
    picture = phone.locator(".article-body img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert picture.bounding_box()["width"] <= PHONE["width"]
    assert_fits(phone)
    shot(phone, "article-390")
    citizen.close()

    assert problems == []
    assert preview_problems == []
    assert phone_problems == []


def test_an_article_saved_without_touching_its_body_keeps_its_html(
    live_server, page, editor, site_with_media
):
    """The editor's schema has no <figure>: opening an older body in it and saving
    the article changes nothing unless the body itself is edited."""
    body = (
        '<figure><img src="/media/anh.jpg" alt="Ảnh cũ"><figcaption>Chú thích'
        "</figcaption></figure><ul><li>Mục một</li></ul>"
    )
    article = make_article(
        "Bài cũ có ảnh kèm chú thích", section=make_section("Tin cũ"), body=body
    )
    stored = Article.objects.get(pk=article.pk).body
    settings.MEDIA_ROOT.mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 40, 40)).save(settings.MEDIA_ROOT / "anh.jpg")
    problems = watch(page)
    page.set_viewport_size(DESKTOP)
    sign_in_at(page, live_server, editor, path="/admin/login/")
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    expect(page.get_by_role("textbox", name="Nội dung bài viết")).to_contain_text(
        "Mục một"
    )
    page.locator("#id_title").fill("Bài cũ có ảnh kèm chú thích (sửa tiêu đề)")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")
    article.refresh_from_db()
    assert article.title.endswith("(sửa tiêu đề)")
    assert article.body == stored
    assert problems == []
