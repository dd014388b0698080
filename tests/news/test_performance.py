"""Query counts of the public pages: constant in the number of articles (no N+1)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from news.models import Tag
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db

# Queries on a cache miss, whatever the number of articles: at most 5 for the page
# itself plus the sidebar's poll and counter (3 when their own caches are cold); the
# home page makes 6 (featured, briefings, latest, sections, the latest documents of
# its side column, next scheduled time).
MAX_QUERIES = 8
HOME_MAX_QUERIES = 9


def populate(count):
    sections = [make_section(f"Chuyên mục {i}") for i in range(3)]
    tags = [Tag.objects.create(name=f"thẻ {i}") for i in range(4)]
    articles = []
    for i in range(count):
        article = make_article(
            f"Đông Khê giao ban số {i}",
            section=sections[i % 3],
            is_briefing=i % 4 == 0,
            is_featured=i == 3,
        )
        article.tags.add(tags[i % 4], tags[(i + 1) % 4])
        articles.append(article)
    return articles


PAGES = [
    lambda articles: "/",
    lambda articles: "/tin-tuc/",
    lambda articles: "/tin-tuc/?page=1",
    lambda articles: articles[0].get_absolute_url(),
    lambda articles: articles[0].section.get_absolute_url(),
    lambda articles: "/tim-kiem/?q=dong+khe",
    lambda articles: (
        "/tim-kiem/?q=giao+ban&chuyen_muc="
        + articles[1].section.slug
        + "&tu_ngay=01/01/2000&den_ngay=31/12/2100"
    ),
    lambda articles: "/rss/",
    lambda articles: "/sitemap.xml",
]


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("page", range(len(PAGES)))
def test_public_pages_use_few_queries_whatever_the_number_of_articles(
    client, django_assert_max_num_queries, count, page
):
    url = PAGES[page](populate(count))
    cache.clear()
    with django_assert_max_num_queries(HOME_MAX_QUERIES if url == "/" else MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def sidebar_queries():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        render_to_string("includes/sidebar.html", request=request)
    return len(captured.captured_queries)


@pytest.mark.parametrize("count", [5, 50])
def test_cached_pages_run_no_page_query(client, django_assert_max_num_queries, count):
    articles = populate(count)
    urls = ["/", "/tin-tuc/", articles[0].get_absolute_url()]
    for url in urls:
        client.get(url)
    # On a hit only the per-visitor sidebar (poll, counter) may query.
    allowed = sidebar_queries()
    for url in urls:
        with django_assert_max_num_queries(allowed):
            assert client.get(url).status_code == 200
