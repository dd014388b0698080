from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import ArticleStatus
from tests.conftest import login
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db


def test_home_answers_with_sidebar_poll_and_counter(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ý kiến thăm dò" in html
    assert "Truy cập" in html or "TRUY CẬP" in html.upper()
    assert "<!--km-hole" not in html


def test_home_lists_latest_briefings_newest_first(client):
    now = timezone.now()
    old = make_article(
        "Giao ban quý IV", is_briefing=True, published_at=now - timedelta(days=90)
    )
    new = make_article(
        "Giao ban quý I", is_briefing=True, published_at=now - timedelta(days=1)
    )
    make_article(
        "Giao ban quý II",
        is_briefing=True,
        status=ArticleStatus.SCHEDULED,
        published_at=now + timedelta(days=30),
    )
    html = client.get("/").content.decode()
    assert html.index("Giao ban quý I<") < html.index("Giao ban quý IV<")
    assert "Giao ban quý II" not in html
    assert new.get_absolute_url() in html and old.get_absolute_url() in html


def test_home_links_every_section(client):
    sections = [make_section(name) for name in ("Tin tức – Sự kiện", "Thông báo")]
    html = client.get("/").content.decode()
    for section in sections:
        assert f'href="{section.get_absolute_url()}"' in html


def test_home_has_landmarks_skip_link_and_one_h1(client):
    make_article("Bài một")
    html = client.get("/").content.decode()
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
    for landmark in ("<header", "<main", "<footer", "<nav", "<aside"):
        assert landmark in html
    assert html.count("<h1") == 1
    assert 'lang="vi"' in html


@pytest.mark.django_db
def test_public_pages_and_the_admin_name_the_portals_icon(client, superuser):
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")
    assert '<link rel="icon" href="/static/img/favicon.svg"' in client.get("/").text
    login(client, superuser)
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/admin/").text
