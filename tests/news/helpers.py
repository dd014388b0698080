"""Creation helpers for news tests (kept here, next to the tests that use them)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from news.models import Article, ArticleStatus, Section

_seq = itertools.count(1)


def make_section(name=None, **extra):
    n = next(_seq)
    return Section.objects.create(name=name or f"Chuyên mục {n}", **extra)


def make_article(title=None, *, section=None, status=ArticleStatus.PUBLISHED, **extra):
    n = next(_seq)
    if section is None:
        section = Section.objects.first() or make_section()
    if status != ArticleStatus.DRAFT:
        extra.setdefault("published_at", timezone.now() - timedelta(hours=n))
    return Article.objects.create(
        title=title or f"Bài viết số {n}",
        section=section,
        status=status,
        lead=extra.pop("lead", f"Sapo của bài viết số {n}."),
        body=extra.pop("body", f"<p>Nội dung bài viết số {n}.</p>"),
        **extra,
    )
