"""Search keys become whole-word keys (' dong khe 2017 '): recompute stored rows.

The folding is repeated here rather than imported, so this migration keeps working
whatever later happens to the app's code.
"""

import html
import re
import unicodedata

from django.db import migrations

_D = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[\W_]+")
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|h[1-6]|li|ul|ol|blockquote|table|thead|tbody|tr|td|th|figure|"
    r"figcaption)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def _key(value):
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_D))
    folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
    words = _NON_WORD.sub(" ", folded).split()
    return f" {' '.join(words)} " if words else ""


def recompute(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    for article in Article.objects.only("id", "title", "lead", "body").iterator():
        body = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", article.body or "")))
        Article.objects.filter(pk=article.pk).update(
            search_title=_key(article.title),
            search_text=_key(f"{article.lead} {body}"),
        )


class Migration(migrations.Migration):
    dependencies = [("news", "0003_search_trigram_indexes")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
