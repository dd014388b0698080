"""/so-do-trang/: the site map for people; /sitemap.xml stays for search engines."""

import re

import pytest

from tests import factories
from tests.news.helpers import make_section
from tests.polls.conftest import make_question

pytestmark = pytest.mark.django_db


def links(html):
    return set(re.findall(r'href="([^"]+)"', html))


def content(html):
    """The page's own part, without the header, sidebar and footer."""
    return html[html.index('<h1 class="page-title">') : html.index("</main>")]


def test_the_site_map_lists_sections_dashboard_years_and_main_pages(client):
    make_section("Thông báo", slug="thong-bao", description="Thông báo của huyện")
    make_section("Bản tin giao ban", slug="ban-tin-giao-ban")
    title = factories.make_catalogue()
    factories.make_registration(factories.make_unit(), title, year=2017)
    factories.make_registration(factories.make_unit(), title, year=2019)

    response = client.get("/so-do-trang/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sơ đồ trang — " in html
    page = content(html)
    assert {
        "/",
        "/tin-tuc/",
        "/chuyen-muc/thong-bao/",
        "/chuyen-muc/ban-tin-giao-ban/",
        "/tien-do/",
        "/tien-do/2017/",
        "/tien-do/2019/",
        "/binh-chon/",
        "/tim-kiem/",
        "/rss/",
        "/sitemap.xml",
    } <= links(page)
    assert "Thông báo" in page and "Thông báo của huyện" in page
    assert "Năm 2017" in page and "Năm 2019" in page
    assert "<!--km-hole" not in html


def test_an_empty_site_still_has_its_map(client):
    response = client.get("/so-do-trang/")
    assert response.status_code == 200
    page = content(response.content.decode())
    assert {"/", "/tin-tuc/", "/tien-do/", "/binh-chon/", "/tim-kiem/"} <= links(page)
    assert "/don-vi-kieu-mau/" in links(page)  # the roll, even before a recognition
    assert "/chuyen-muc/" not in page


@pytest.mark.parametrize("sections", [2, 30])
def test_the_site_map_costs_a_few_queries_however_many_sections(
    client, django_assert_max_num_queries, sections
):
    for n in range(sections):
        make_section(f"Chuyên mục {n}")
    make_question()
    client.get("/so-do-trang/")  # warm the figures' and sidebar's caches
    with django_assert_max_num_queries(6):
        response = client.get("/so-do-trang/")
    assert content(response.content.decode()).count("/chuyen-muc/") == sections


def test_the_footer_links_the_site_map_for_people(client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/so-do-trang/">Sơ đồ trang</a>' in footer
    assert "/sitemap.xml" not in footer


def test_the_xml_sitemap_stays_for_search_engines(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
