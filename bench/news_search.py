"""Benchmark: article search on PostgreSQL with and without the pg_trgm indexes.

    .venv/bin/python bench/news_search.py [--articles 5000] [--repeat 20]

In a dedicated database (km_bench_news on the server of BENCH_DATABASE_SERVER,
default postgres://postgres@127.0.0.1:5432), migrated like production, it loads N
published articles of about 2 kB of Vietnamese text each (once; reused later), runs
VACUUM ANALYZE, and then times ``news.search.search_articles`` (the very query the
/tim-kiem/ page runs: count plus the first page of ten) for a few queries:

  baseline  the same SQL with bitmap and index scans switched off (a sequential scan
            of every folded column, what the query costs without the indexes)
  indexed   the normal plan (GIN trigram indexes of migration 0003)

It prints milliseconds per search for both and the ratio baseline / indexed. The
index pays off for selective words; a query made only of syllables found in nearly
every article ("ba", "co") cannot be narrowed by trigrams and costs about a scan.
--articles 50000 shows the trend at ten times a district's decade of news.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = "km_bench_news"
DATA_VERSION = 2  # bump when the generated text changes
# A common word, a two-word place name, tone-marked input, a rare word, no match.
QUERIES = ["ba", "Đông Khê", "khoa học", "phúc", "xyz không có"]
INITIALS = "b c ch d g gi h k kh l m n ng nh p ph qu r s t th tr v x".split()
RHYMES = (
    "a an ang anh ao at e en em eu i im inh it o oa oan oc oi on ong u uan uc ung uy"
).split()
# Syllables of folded Vietnamese, drawn with Zipf-like weights: a few are in nearly
# every article (va, cac), most are rare, as in real text.
SYLLABLES = [i + r for r in RHYMES for i in INITIALS]
WEIGHTS = [1 / (rank + 1) for rank in range(len(SYLLABLES))]


def ensure_database():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()


def django_setup():
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(count):
    from django.db import connection
    from django.utils import timezone

    from news.models import Article, ArticleStatus, Section, search_key

    marker = f"bench-v{DATA_VERSION}-{count}"
    if Section.objects.filter(slug=marker).exists():
        return
    Article.objects.all().delete()
    Section.objects.all().delete()
    print(f"loading {count:,} articles (once)…", flush=True)
    section = Section.objects.create(slug=marker, name="Chuyên mục thử tải")
    rng = random.Random(2017)
    now = timezone.now()
    batch = []
    for i in range(count):
        title = " ".join(rng.choices(SYLLABLES, WEIGHTS, k=12))
        body = " ".join(rng.choices(SYLLABLES, WEIGHTS, k=450))  # about 2 kB
        batch.append(
            Article(
                title=title,
                slug=f"bai-{i}",
                section=section,
                status=ArticleStatus.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=i),
                search_title=search_key(title),
                search_text=search_key(body),
                body=f"<p>{body}</p>",
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    connection.ensure_connection()
    old_autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE news_article")
    connection.connection.autocommit = old_autocommit


def time_search(query, repeat, *, indexed):
    from django.db import connection, transaction

    from news.search import query_words, search_articles

    words = query_words(query)
    samples = []
    for _ in range(repeat):
        with transaction.atomic(), connection.cursor() as cursor:
            if not indexed:
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
            started = time.perf_counter()
            results = search_articles(words)
            total = results.count()
            list(results[:10])
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    ensure_database()
    django_setup()
    load(args.articles)
    print(f"{args.articles:,} published articles, median of {args.repeat} runs\n")
    print(f"{'query':<24}{'hits':>8}{'scan ms':>10}{'index ms':>10}{'ratio':>8}")
    ratios = []
    for query in QUERIES:
        scan, hits = time_search(query, args.repeat, indexed=False)
        indexed, same = time_search(query, args.repeat, indexed=True)
        assert hits == same, "the index must not change the results"
        ratios.append(scan / indexed)
        print(
            f"{query:<24}{hits:>8}{scan:>10.1f}{indexed:>10.1f}{scan / indexed:>7.1f}x"
        )
    print(f"\ngeometric mean speed-up: {statistics.geometric_mean(ratios):.1f}x")


if __name__ == "__main__":
    main()
