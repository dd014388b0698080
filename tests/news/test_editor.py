"""The article editor's server side: the widget, the body image upload, the preview.

The pasted Word fixture is what Word 365 puts on the clipboard (a Vietnamese
heading, mso classes and styles, <o:p>, <font>, a list, a table, an image on the
writer's disk and a script): whatever reaches the server, the sanitiser keeps only
its allow-list.
"""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from news import editor_views
from news.models import Article
from news.sanitize import ALLOWED_TAGS
from tests import factories
from tests.conftest import login
from tests.news.helpers import make_section
from tests.news.test_admin import form_data

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "word_clipboard.html"
UPLOAD = reverse("admin:news_article_body_image")
PREVIEW = reverse("admin:news_article_body_preview")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_file(name="anh.png", size=(1600, 900), fmt="PNG", color=(20, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def tags_of(html):
    return re.findall(r"<([a-z0-9]+)", html)


def test_the_body_field_is_the_editor_over_a_textarea(client, editor):
    login(client, editor)
    html = client.get(reverse("admin:news_article_add")).content.decode()
    assert "data-article-editor" in html
    assert f'data-upload-url="{UPLOAD}"' in html
    assert f'data-preview-url="{PREVIEW}"' in html
    # The textarea is still the field that is posted.
    assert re.search(r'<textarea name="body"[^>]*id="id_body"', html)
    for label in ["Tiêu đề 2", "Đậm", "Nghiêng", "Danh sách", "Liên kết"]:
        assert f'aria-label="{label}"' in html
    for label in ["Chèn bảng", "Chèn ảnh", "Xem trước"]:
        assert f'aria-label="{label}"' in html
    assert "vendor/tiptap/editor.bundle.js" in html
    assert "js/article_editor.js" in html
    assert "css/article_editor.css" in html
    # No inline script or style for the CSP: the widget brings none.
    widget = html[html.index("data-article-editor") : html.rindex("</dialog>")]
    assert "<script" not in widget
    assert "style=" not in widget


def test_a_pasted_word_document_comes_out_as_allowed_html(client, editor):
    section = make_section("Tin tức")
    pasted = FIXTURE.read_text(encoding="utf-8")
    login(client, editor)
    response = client.post(
        reverse("admin:news_article_add"), form_data(section, body=pasted)
    )
    assert response.status_code == 302
    body = Article.objects.get().body

    assert set(tags_of(body)) <= ALLOWED_TAGS
    assert tags_of(body) == [
        "h2", "a", "p", "u", "p", "a", "a", "ul", "li", "li", "p",
        "table", "tbody", "tr", "td", "p", "td", "p", "tr", "td", "p", "td", "p",
        "p",
    ]  # fmt: skip
    # Word's attributes are gone: classes, styles, lang, widths of cells, targets.
    for word_only in ["class=", "style=", "lang=", "valign=", "target=", "mso-", "o:p"]:
        assert word_only not in body
    assert "<font" not in body and "<span" not in body
    assert "<script" not in body and "alert" not in body
    # A link keeps its address; a javascript: one loses it; an image on the
    # writer's own disk (file:) has no address here and is left out altogether.
    assert '<a href="https://dongson.example/ke-hoach" rel="noopener">' in body
    assert "javascript:" not in body and "file:" not in body
    assert "<img" not in body
    # The Vietnamese heading and text, composed (NFC) as everything stored.
    heading = re.search(r"<h2>.*?</h2>", body).group(0)
    assert re.sub(r"<[^>]+>", "", heading) == (
        "Kết quả xây dựng cơ quan, đơn vị kiểu mẫu quý I"
    )
    assert unicodedata.is_normalized("NFC", body)
    assert "<u>xã Đông Khê</u>" in body
    assert "<li>8 cơ quan đăng ký</li>" in body
    assert "<td>\n  <p>Loại đơn vị</p>\n  </td>" in body


def test_a_decomposed_vietnamese_paste_is_stored_composed(client, editor):
    section = make_section("Tin tức")
    decomposed = unicodedata.normalize("NFD", "<h2>Kết quả quý I</h2><p>Đông Khê</p>")
    login(client, editor)
    client.post(reverse("admin:news_article_add"), form_data(section, body=decomposed))
    assert Article.objects.get().body == "<h2>Kết quả quý I</h2><p>Đông Khê</p>"


def test_editor_uploads_an_image_and_gets_its_rendition(client, editor, media):
    login(client, editor)
    response = client.post(
        UPLOAD, {"image": image_file(), "alt": " Hội nghị  giao ban quý I "}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["alt"] == "Hội nghị giao ban quý I"
    assert (data["width"], data["height"]) == (1200, 675)
    assert re.fullmatch(
        r"/media/news/renditions/news/body/\d{4}/\d{2}/\w+-1200\.jpg", data["src"]
    )
    stored = data["src"].removeprefix("/media/")
    with default_storage.open(stored) as rendition, Image.open(rendition) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 675))
    small = stored.replace("-1200.jpg", "-400.webp")
    assert default_storage.exists(small)
    # The src survives the sanitiser, so the image reaches the public page.
    section = make_section("Tin tức")
    img = f'<img src="{data["src"]}" alt="{data["alt"]}" width="1200" height="675">'
    client.post(reverse("admin:news_article_add"), form_data(section, body=img))
    assert f'src="{data["src"]}"' in Article.objects.get().body


def test_a_small_image_keeps_its_size(client, editor):
    login(client, editor)
    response = client.post(UPLOAD, {"image": image_file(size=(300, 200)), "alt": "Ảnh"})
    assert (response.json()["width"], response.json()["height"]) == (300, 200)


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (None, "Ảnh", "Hãy chọn một tệp ảnh."),
        ("png", "", "Hãy nhập mô tả ảnh (alt) cho người khiếm thị."),
        ("png", "   ", "Hãy nhập mô tả ảnh (alt) cho người khiếm thị."),
        ("png", "x" * 301, "Mô tả ảnh dài quá 300 ký tự."),
        ("text", "Ảnh", "Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF."),
        ("truncated", "Ảnh", "Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF."),
        ("bmp", "Ảnh", "Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF."),
    ],
)
def test_upload_refuses_what_is_not_an_image_with_its_alt(
    client, editor, media, upload, alt, message
):
    files = {
        None: None,
        "png": image_file(),
        # A text file named like an image: the content decides, not the name.
        "text": SimpleUploadedFile("anh.jpg", b"<html>not an image</html>"),
        "truncated": SimpleUploadedFile("anh.png", image_file().read()[:200]),
        "bmp": image_file("anh.bmp", fmt="BMP"),
    }
    data = {"alt": alt}
    if files[upload] is not None:
        data["image"] = files[upload]
    login(client, editor)
    response = client.post(UPLOAD, data)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not (media / "news").exists()


def test_upload_refuses_an_oversize_file(client, editor, media, monkeypatch):
    monkeypatch.setattr(editor_views, "MAX_IMAGE_BYTES", 1000)
    login(client, editor)
    response = client.post(UPLOAD, {"image": image_file(), "alt": "Ảnh"})
    assert response.status_code == 400
    assert response.json() == {"error": "Ảnh lớn quá 10 MB; hãy chọn ảnh nhỏ hơn."}
    assert not (media / "news").exists()


def test_upload_refuses_too_many_pixels(client, editor, monkeypatch):
    monkeypatch.setattr(editor_views, "MAX_IMAGE_PIXELS", 1000)
    login(client, editor)
    response = client.post(UPLOAD, {"image": image_file(), "alt": "Ảnh"})
    assert response.json() == {
        "error": "Ảnh có quá nhiều điểm ảnh (tối đa 40 megapixel)."
    }


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_anonymous_and_unit_heads_are_sent_to_the_admin_sign_in(
    client, unit_head, media, url
):
    data = {"image": image_file(), "alt": "Ảnh", "body": "<p>x</p>"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    login(client, unit_head)
    response = client.post(url, {**data, "image": image_file()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not (media / "news").exists()


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_staff_who_do_not_write_articles_are_refused(client, district_staff, url):
    login(client, district_staff)
    response = client.post(url, {"image": image_file(), "alt": "Ảnh"})
    assert response.status_code == 403


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_both_requests_need_the_csrf_token(editor, url):
    client = Client(enforce_csrf_checks=True)
    login(client, editor)
    response = client.post(url, {"image": image_file(), "alt": "Ảnh", "body": "x"})
    assert response.status_code == 403
    # With the token of the admin's page, the same request goes through.
    client.get(reverse("admin:news_article_add"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url,
        {"image": image_file(), "alt": "Ảnh", "body": "<p>x</p>"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_get_is_not_allowed(client, editor, url):
    login(client, editor)
    assert client.get(url).status_code == 405


def test_preview_shows_the_sanitised_body_as_the_public_page(client, editor):
    login(client, editor)
    response = client.post(
        PREVIEW,
        {
            "title": "Giao ban quý I",
            "lead": "Sapo <b>ngắn</b>",
            "body": (
                '<h2 onclick="x()">Kết quả</h2><script>alert("preview")</script>'
                '<p style="color:red">Đông Khê <a href="javascript:alert(2)">x</a></p>'
                '<img src="x" onerror="alert(3)" alt="Ảnh">'
            ),
        },
    )
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert '<h1 class="article-title">Giao ban quý I</h1>' in html
    assert "Sapo &lt;b&gt;ngắn&lt;/b&gt;" in html
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    assert body == (
        '<h2>Kết quả</h2><p>Đông Khê <a rel="noopener">x</a></p><img src="x" alt="Ảnh">'
    )
    assert "alert(" not in html and "<script>alert" not in html
    assert "onerror" not in html and "onclick" not in html


def test_preview_answers_any_input_without_an_error(client, editor):
    login(client, editor)
    for body in ["", "<", "\x00", "<table><td>", "x" * 100_000, "<p>" * 5000]:
        assert client.post(PREVIEW, {"body": body}).status_code == 200


def test_a_writer_who_may_not_publish_may_upload(client, media):
    writer = factories.make_user("phongvien", is_staff=True)
    writer.user_permissions.add(
        Permission.objects.get(content_type__app_label="news", codename="add_article")
    )
    login(client, writer)
    response = client.post(UPLOAD, {"image": image_file(), "alt": "Ảnh"})
    assert response.status_code == 200
