"""Trigram (pg_trgm) GIN indexes on the accent-folded search columns, PostgreSQL only.

``Article.search_title`` / ``search_text`` hold lower-case, accent-free copies, and
the search runs ``LIKE '%term%'`` on them (Django's ``contains``), which a
``gin_trgm_ops`` index serves. On SQLite this migration does nothing (the extension
operation skips other databases itself; the indexes are created by hand below), so
the indexes are not part of the model state.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "news_article_search_title_trgm": "search_title",
    "news_article_search_text_trgm": "search_text",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON news_article "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("news", "0002_article_cover_alt_renditions")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
