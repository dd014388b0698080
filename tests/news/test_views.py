import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article, ArticleStatus, Tag
from tests.conftest import login
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db


def h1_count(html):
    return len(re.findall(r"<h1[\s>]", html))


def test_article_page_shows_title_stamp_breadcrumb_credit_and_tools(client, settings):
    section = make_section("Tin tức – Sự kiện")
    article = make_article(
        "Hội nghị giao ban quý I",
        section=section,
        credit="Minh Ánh, Mạnh Cường",
        published_at=datetime(2017, 3, 20, 18, 19, 57, tzinfo=UTC),
    )
    settings.SITE_URL = "https://kieumau.dongson.example"
    response = client.get(article.get_absolute_url(), HTTP_HOST="localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng lúc: " in html and "21/03/2017 01:19:57 (GMT+7)" in html
    assert f'href="{section.get_absolute_url()}"' in html  # breadcrumb
    assert "Thực hiện: Minh Ánh, Mạnh Cường" in html
    assert "data-print" in html
    assert (
        "facebook.com/sharer/sharer.php?u=https%3A%2F%2Fkieumau.dongson.example"
        "%2Ftin-tuc%2F" in html
    )
    assert "mailto:?subject=" in html
    link = "https://kieumau.dongson.example/tin-tuc/hoi-nghi-giao-ban-quy-i/"
    assert f'data-copy-link="{link}"' in html  # the site's address, not the request's
    assert f'<link rel="canonical" href="{link}">' in html
    assert '<meta property="og:title" content="Hội nghị giao ban quý I">' in html
    assert h1_count(html) == 1
    assert "<script>" not in html and 'style="' not in html


def test_related_articles_come_from_the_same_section_or_tags(client):
    a, b = make_section("A"), make_section("B")
    tag = Tag.objects.create(name="nhà văn hóa")
    article = make_article("Chính", section=a)
    article.tags.add(tag)
    same_section = make_article("Cùng chuyên mục", section=a)
    same_tag = make_article("Cùng thẻ", section=b)
    same_tag.tags.add(tag)
    unrelated = make_article("Không liên quan", section=b)
    draft = make_article("Nháp cùng chuyên mục", section=a, status=ArticleStatus.DRAFT)
    related = client.get(article.get_absolute_url()).context["related"]
    assert set(related) == {same_section, same_tag}
    assert unrelated not in related and draft not in related


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_article(status=ArticleStatus.DRAFT),
        lambda: make_article(
            status=ArticleStatus.SCHEDULED,
            published_at=timezone.now() + timedelta(days=1),
        ),
        lambda: make_article(published_at=timezone.now() + timedelta(days=1)),
    ],
    ids=["draft", "future-scheduled", "future-published"],
)
def test_hidden_articles_answer_the_vietnamese_404(client, make):
    article = make()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    listing = client.get("/tin-tuc/").content.decode()
    assert article.title not in listing


@pytest.mark.parametrize(
    "url",
    [
        "/tin-tuc/khong-ton-tai/",
        "/chuyen-muc/khong-ton-tai/",
        "/tin-tuc/?page=abc",
        "/tin-tuc/?page=-1",
        "/tin-tuc/?page=0",
        "/tin-tuc/?page=999999999999",
        "/tin-tuc/?page=1.5",
        "/chuyen-muc/thong-bao/?page=abc",
        "/tim-kiem/?q=bai&page=abc",
        "/tim-kiem/?q=bai&page=999999999999",
    ],
)
def test_bad_slugs_and_page_numbers_answer_404_never_500(client, url):
    make_section("Thông báo")
    make_article("Bài một")
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_list_is_newest_first_and_paginated_by_ten(client):
    now = timezone.now()
    articles = [make_article(published_at=now - timedelta(days=i)) for i in range(12)]
    first = client.get("/tin-tuc/")
    assert list(first.context["articles"]) == articles[:10]
    second = client.get("/tin-tuc/?page=2")
    assert list(second.context["articles"]) == articles[10:]
    assert 'href="?page=2"' in first.content.decode()


def test_section_page_lists_only_its_articles(client):
    a, b = make_section("Thông báo"), make_section("Khác")
    mine = make_article("Của chuyên mục", section=a)
    make_article("Chuyên mục khác", section=b)
    response = client.get("/chuyen-muc/thong-bao/")
    assert list(response.context["articles"]) == [mine]
    assert h1_count(response.content.decode()) == 1


def test_home_shows_briefings_featured_latest_and_sections(client):
    section = make_section("Thông báo")
    briefing = make_article("Giao ban quý I", is_briefing=True)
    featured = make_article("Tin nổi bật nhất", is_featured=True)
    latest = make_article("Tin thường")
    make_article("Bản nháp bí mật", status=ArticleStatus.DRAFT, is_briefing=True)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["featured"] == featured
    assert response.context["briefings"] == [briefing]
    assert latest in response.context["latest"]
    assert featured not in response.context["latest"]
    assert section.get_absolute_url() in html
    assert "Bản nháp bí mật" not in html
    assert h1_count(html) == 1


def test_home_with_no_articles_shows_friendly_empty_states(client):
    html = client.get("/").content.decode()
    assert "Chưa có bản tin giao ban nào được đăng." in html


def test_robots_txt_disallows_private_paths_and_points_to_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert f"Disallow: /{settings.ADMIN_PATH}/" in text
    assert "Disallow: /dang-ky/" in text
    assert "Disallow: /bao-cao/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_staff_preview_shows_a_draft_that_the_public_cannot_see(client, editor):
    draft = make_article("Bản nháp chờ duyệt", status=ArticleStatus.DRAFT)
    url = reverse("admin:news_article_preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the admin login
    assert client.get(draft.get_absolute_url()).status_code == 404
    login(client, editor)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản xem trước" in html and "Bản nháp chờ duyệt" in html
    assert 'content="noindex, nofollow"' in html


def test_staff_without_news_permissions_cannot_preview(client, district_staff):
    draft = make_article(status=ArticleStatus.DRAFT)
    login(client, district_staff)
    url = reverse("admin:news_article_preview", args=[draft.pk])
    assert client.get(url).status_code == 403


def test_article_renditions_are_used_when_a_cover_is_uploaded(
    client, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), (200, 30, 30)).save(buffer, "PNG")
    article = make_article(
        "Có ảnh",
        cover_image=SimpleUploadedFile("anh bia.png", buffer.getvalue()),
        cover_alt="Hội trường UBND huyện",
    )
    article.refresh_from_db()
    assert article.cover_renditions
    for width in (1200, 400):
        for ext in ("jpg", "webp"):
            url = article.cover_url(width, ext)
            path = tmp_path / url.removeprefix(settings.MEDIA_URL)
            with Image.open(path) as image:
                assert image.width == width
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.cover_large in html and article.cover_large_webp in html
    assert 'alt="Hội trường UBND huyện"' in html
    listing = client.get("/tin-tuc/").content.decode()
    assert article.cover_small in listing


def test_article_model_is_listed_once_in_public_listing_even_with_many_tags(client):
    article = make_article()
    for name in ("a", "b", "c"):
        article.tags.add(Tag.objects.create(name=name))
    assert list(client.get("/tin-tuc/").context["articles"]) == [article]
    assert Article.objects.count() == 1
