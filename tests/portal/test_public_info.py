"""Decree 42/2022 on every page: the English page, the footer's contacts, the
banner, all from configuration; the home page shows each briefing once and fills
its side column."""

import datetime
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.doclibrary.helpers import make_document
from tests.news.helpers import make_article

pytestmark = pytest.mark.django_db

CONTACTS = {
    "SITE_AUTHORITY_EN": "People's Committee of Hạ Long Ward",
    "SITE_ADDRESS": "Số 9 đường Thử Nghiệm, phường Kiểm Tra",
    "SITE_PHONE": "0203 3 123 456",
    "SITE_EMAIL": "lienhe@phuong.example",
    "SITE_CONTENT_OFFICER": "Phạm Thị Kiểm",
    "SITE_CONTENT_OFFICER_TITLE": "Chánh Văn phòng phường",
    "SITE_CONTENT_OFFICER_TITLE_EN": "Chief of the Ward Office",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_english_page_is_in_english_with_the_contacts(client):
    with override_settings(**CONTACTS):
        response = client.get("/en/")
    html = response.text
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for heading in ("Organisation", "Functions and duties", "Contacts"):
        assert heading in html
    assert "People&#x27;s Committee of Hạ Long Ward" in html
    assert 'href="tel:02033123456"' in html
    assert 'href="mailto:lienhe@phuong.example"' in html
    assert "Phạm Thị Kiểm" in html and "Chief of the Ward Office" in html


@pytest.mark.parametrize("path", ["/", "/tin-tuc/", "/van-ban/", "/tien-do/", "/en/"])
def test_every_page_links_the_english_page_and_shows_the_configured_contacts(
    client, path
):
    with override_settings(**CONTACTS):
        html = client.get(path).text
    assert 'href="/en/" lang="en" hreflang="en">English</a>' in html
    assert "Địa chỉ: Số 9 đường Thử Nghiệm, phường Kiểm Tra" in html
    assert '<a href="tel:02033123456">0203 3 123 456</a>' in html
    assert '<a href="mailto:lienhe@phuong.example">lienhe@phuong.example</a>' in html
    assert "Chịu trách nhiệm nội dung: Phạm Thị Kiểm, Chánh Văn phòng phường" in html


def test_vietnamese_pages_stay_in_vietnamese(client):
    assert '<html lang="vi">' in client.get("/").text


def test_empty_contacts_leave_their_lines_out(client):
    with override_settings(SITE_PHONE="", SITE_EMAIL="", SITE_CONTENT_OFFICER=""):
        html = client.get("/tin-tuc/").text
    assert "Điện thoại:" not in html and "Thư điện tử:" not in html
    assert "Chịu trách nhiệm nội dung" not in html
    assert "Địa chỉ:" in html


@pytest.mark.parametrize(
    ("path", "src"),
    [
        ("img/banner-demo.svg", "/static/img/banner-demo.svg"),
        ("/media/huy-hieu.png", "/media/huy-hieu.png"),
    ],
)
def test_the_banner_is_the_configured_file(client, path, src):
    with override_settings(SITE_BANNER_PATH=path):
        html = client.get("/tin-tuc/").text
    assert f'<img class="site-emblem" src="{src}"' in html


def test_no_banner_configured_shows_none(client):
    with override_settings(SITE_BANNER_PATH=""):
        assert "site-emblem" not in client.get("/tin-tuc/").text


def test_the_demo_banner_is_shipped():
    from django.contrib.staticfiles import finders

    assert finders.find("img/banner-demo.svg")


def test_the_featured_briefing_is_shown_once(client):
    now = timezone.now()
    older = make_article(
        "Giao ban quý IV/2016", is_briefing=True, published_at=now - timedelta(days=90)
    )
    newest = make_article(
        "Giao ban quý I/2017",
        is_briefing=True,
        is_featured=True,
        published_at=now - timedelta(days=1),
    )
    response = client.get("/")
    html = response.text
    assert html.count(f'href="{newest.get_absolute_url()}"') == 1
    assert html.count(f'href="{older.get_absolute_url()}"') == 1
    assert response.context["featured"] == newest
    assert response.context["briefings"] == [older]
    assert "Tin nổi bật" in html and "Bản tin giao ban" in html


def test_a_lone_featured_briefing_hides_the_empty_briefings_block(client):
    make_article("Giao ban quý I/2017", is_briefing=True, is_featured=True)
    html = client.get("/").text
    assert "Giao ban quý I/2017" in html
    assert "Chưa có bản tin giao ban nào được đăng." not in html
    assert 'id="ban-tin-giao-ban"' not in html


def test_the_side_column_lists_the_latest_documents_and_the_citizens_links(client):
    make_document("1/KH-UBND", issued_on=datetime.date(2016, 2, 1))
    make_document("2/QĐ-UBND", kind="quyet_dinh", issued_on=datetime.date(2017, 3, 1))
    make_document("3/BC-UBND", kind="bao_cao", is_published=False)
    html = client.get("/").text
    aside = html[html.index("<aside") : html.index("</aside>")]
    assert aside.index("Quyết định số 2/QĐ-UBND") < aside.index("Kế hoạch số 1/KH-UBND")
    assert "3/BC-UBND" not in aside
    assert 'href="/van-ban/"' in aside
    assert 'href="/tien-do/"' in aside
    assert 'href="/don-vi-kieu-mau/"' in aside
    assert "Ý kiến thăm dò" in aside  # the poll still follows


def test_a_new_document_shows_on_the_cached_home_page(client):
    assert "Chưa có văn bản nào được công khai." in client.get("/").text
    make_document("7/TB-UBND", kind="thong_bao")
    assert "Thông báo số 7/TB-UBND" in client.get("/").text


@pytest.mark.parametrize("count", [2, 40])
def test_home_queries_do_not_grow_with_the_documents(
    client, django_assert_max_num_queries, count
):
    for i in range(count):
        make_document(f"{i}/KH-UBND", issued_on=datetime.date(2017, 1, 1))
    make_article("Giao ban", is_briefing=True, is_featured=True)
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200
