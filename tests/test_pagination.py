"""Every paginated list, public and staff, can be walked with its "Sau »" link.

One parameter name everywhere (``page``): the shared pagination include writes it
and every paginated view reads it, so following "next" from the first page reaches
the last one, one page at a time, with the list's filters kept.
"""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from imports import views as import_views
from imports.models import BatchStatus, ImportBatch
from news.views import ArticleListView, SearchView, SectionDetailView
from polls.views import QuestionListView
from registrations import admin_views
from registrations.views import public
from tests import factories
from tests.conftest import login
from tests.news.helpers import make_article, make_section
from tests.polls.conftest import make_question
from units.models import UnitKind

pytestmark = pytest.mark.django_db

PER_PAGE = 2
NEXT = re.compile(r'<a class="page-link" href="([^"]*)">Sau »</a>')
POSITION = re.compile(r"Trang (\d+)/(\d+)")
# Inside 2017 Q1's entry window for the staff overview.
OPEN = "2017-03-20 10:00 +07:00"


def walk(client, url):
    """Follow "Sau »" from ``url``: the page numbers shown and the last URL."""
    numbers = []
    for _ in range(10):  # a link leading back to page 1 must not loop for ever
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        number, total = map(int, POSITION.search(page).groups())
        numbers.append(number)
        found = NEXT.search(page)
        if not found:
            break
        url = urljoin(url, html.unescape(found.group(1)))
    return numbers, total, url


def assert_walks_to_the_last_page(client, url, pages):
    numbers, total, last = walk(client, url)
    assert total == pages
    assert numbers == list(range(1, pages + 1))
    query = parse_qs(urlsplit(last).query)
    assert query.pop("page") == [str(pages)]
    # The list's own filters ride along, once each.
    assert query == parse_qs(urlsplit(url).query)


@pytest.fixture
def small_pages(monkeypatch):
    for view in (ArticleListView, SectionDetailView, SearchView, QuestionListView):
        monkeypatch.setattr(view, "paginate_by", PER_PAGE)
    monkeypatch.setattr(public, "UNITS_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(admin_views, "OVERVIEW_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(import_views, "BATCHES_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(import_views, "ERRORS_PER_PAGE", PER_PAGE)


def test_news_list_walks_to_its_last_page(client, small_pages):
    for _ in range(5):
        make_article()
    assert_walks_to_the_last_page(client, "/tin-tuc/", 3)


def test_section_walks_to_its_last_page(client, small_pages):
    section = make_section("Thông báo", slug="thong-bao")
    for _ in range(6):
        make_article(section=section)
    assert_walks_to_the_last_page(client, "/chuyen-muc/thong-bao/", 3)


def test_search_results_walk_to_their_last_page(client, small_pages):
    for n in range(5):
        make_article(f"Hội nghị giao ban số {n}")
    assert_walks_to_the_last_page(client, "/tim-kiem/?q=giao+ban", 3)


def test_poll_list_walks_to_its_last_page(client, small_pages):
    now = timezone.now()
    for n in range(5):
        make_question(
            f"Câu hỏi {n}",
            opens_at=now - timedelta(days=30 + n),
            closes_at=now - timedelta(days=n + 1),
        )
    assert_walks_to_the_last_page(client, "/binh-chon/", 3)


def _registered_units(n, *, kind=UnitKind.CO_QUAN):
    title = factories.make_catalogue(kind=kind)
    for i in range(n):
        unit = factories.make_unit(f"DV-{kind}-{i:02}", kind=kind)
        factories.make_registration(unit, title, year=2017)


@pytest.mark.parametrize("logged_in", [False, True])
def test_dashboard_walks_to_its_last_page_with_its_filters(
    client, small_pages, district_staff, logged_in
):
    _registered_units(3)
    _registered_units(5, kind=UnitKind.XA)
    if logged_in:  # not served from the page cache
        login(client, district_staff)
    assert_walks_to_the_last_page(client, "/tien-do/2017/?quy=1&loai=xa", 3)


def test_dashboard_reads_the_old_trang_links(client, small_pages):
    _registered_units(5)
    page = client.get("/tien-do/2017/?trang=3").content.decode()
    assert "Trang 3/3" in page


@time_machine.travel(OPEN, tick=False)
def test_quarter_overview_walks_to_its_last_page(client, small_pages, district_staff):
    _registered_units(5)
    login(client, district_staff)
    overview = reverse("admin:registrations_progress_quarters")
    assert_walks_to_the_last_page(client, f"{overview}?nam=2017&quy=1", 3)


def test_import_screen_walks_to_its_last_page(client, small_pages, district_staff):
    factories.make_import_batches(5, district_staff)
    login(client, district_staff)
    assert_walks_to_the_last_page(client, reverse("imports:index"), 3)


def test_import_errors_walk_to_their_last_page(client, small_pages, district_staff):
    refused = ImportBatch.objects.create(
        kind="units",
        filename="sai.csv",
        content=b"x",
        size=1,
        uploaded_by=district_staff,
        status=BatchStatus.REJECTED,
        report={"errors": [f"row {n}: loai: không hợp lệ" for n in range(2, 7)]},
    )
    login(client, district_staff)
    assert_walks_to_the_last_page(
        client, reverse("imports:batch", args=[refused.pk]), 3
    )
