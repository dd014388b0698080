import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import ArticleStatus
from tests import factories
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_rss_is_valid_xml_with_the_latest_twenty_public_articles(client):
    now = timezone.now()
    articles = [
        make_article(f"Tin số {i} & <b>đậm</b>", published_at=now - timedelta(hours=i))
        for i in range(25)
    ]
    make_article("Bản nháp", status=ArticleStatus.DRAFT)
    make_article(
        "Hẹn giờ",
        status=ArticleStatus.SCHEDULED,
        published_at=now + timedelta(hours=1),
    )
    response = client.get("/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) == 20
    titles = [item.findtext("title") for item in items]
    assert titles == [a.title for a in articles[:20]]
    assert "Bản nháp" not in titles and "Hẹn giờ" not in titles
    first = items[0]
    assert (
        first.findtext("link") == f"http://testserver{articles[0].get_absolute_url()}"
    )
    assert first.findtext("pubDate")
    assert first.findtext("category") == articles[0].section.name


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text for loc in root.findall("./s:url/s:loc", SITEMAP_NS)}


def test_sitemap_lists_only_public_urls(client):
    section = make_section("Thông báo")
    public = make_article("Công khai", section=section)
    draft = make_article("Nháp", status=ArticleStatus.DRAFT)
    future = make_article(
        "Tương lai",
        status=ArticleStatus.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    unit = factories.make_unit()
    factories.make_registration(unit, factories.make_title(), year=2017)
    locations = sitemap_locations(client)
    base = "http://testserver"
    assert {
        f"{base}/",
        f"{base}/tin-tuc/",
        f"{base}/tien-do/",
        f"{base}/tien-do/2017/",
        f"{base}{section.get_absolute_url()}",
        f"{base}{public.get_absolute_url()}",
    } <= locations
    assert f"{base}{draft.get_absolute_url()}" not in locations
    assert f"{base}{future.get_absolute_url()}" not in locations
    assert not any("/dang-ky/" in loc or "/bao-cao/" in loc for loc in locations)
    assert f"{base}/tien-do/2018/" not in locations
