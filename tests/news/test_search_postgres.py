"""On PostgreSQL the search is served by the pg_trgm indexes of migration 0003."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from news.models import Article, ArticleStatus
from news.search import search_articles
from tests.news.helpers import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")


def test_trigram_indexes_exist_on_the_folded_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'news_article'"
        )
        indexes = dict(cursor.fetchall())
    for name, column in [
        ("news_article_search_title_trgm", "search_title"),
        ("news_article_search_text_trgm", "search_text"),
    ]:
        assert "gin" in indexes[name] and f"{column} gin_trgm_ops" in indexes[name]


def test_search_query_uses_the_trigram_indexes():
    section = make_article("Xã Đông Khê").section
    now = timezone.now()
    words = "giao ban tien do quy thon xa truong nha van hoa can bo huyen".split()
    Article.objects.bulk_create(
        Article(
            title=f"Bài {i}",
            slug=f"bai-{i}",
            section=section,
            status=ArticleStatus.PUBLISHED,
            published_at=now - timedelta(minutes=i),
            search_title=f"bai {i} " + " ".join(words[i % 7 :]),
            search_text=" ".join(
                f"{w}{(i * 7 + n) % 997}" for n, w in enumerate(words)
            ),
        )
        for i in range(5000)
    )
    with connection.cursor() as cursor:
        # What autovacuum does in production: move the new rows out of GIN's
        # pending list (the planner counts it as a cost) and refresh statistics.
        for name in ("news_article_search_title_trgm", "news_article_search_text_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute("ANALYZE news_article")
    plan = search_articles(["dong khe"]).explain()
    assert "news_article_search_title_trgm" in plan
    assert "news_article_search_text_trgm" in plan
    assert [a.title for a in search_articles(["dong khe"])] == ["Xã Đông Khê"]
