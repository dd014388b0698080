"""Shared cache of the public news pages for anonymous readers ("donut" caching).

A page is cached whole except its per-visitor holes: the flash messages and the
sidebar (the poll form carries the visitor's own CSRF token, the counter changes on
every view). The cached HTML is rendered with ``request.page_cache_holes`` set, so
base.html writes a marker instead of those parts; each request fills the markers in
for its own visitor. One visitor's token is therefore never served to another.

Every key carries a stamp of the deployed templates and code (a new release never
serves pages rendered by the old one) and a version that a signal bumps whenever an
article, section or tag changes (news.signals), so an edit shows at once. A
scheduled article is not an edit: entries never live past the next scheduled
publication time.
"""

import hashlib
import math
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PAGE_CACHE_SECONDS = 300
VERSION_KEY = "news:pages:version"
CACHED_PARAMETERS = {"page"}
HOLES = {
    "<!--km-hole:messages-->": "includes/messages.html",
    "<!--km-hole:sidebar-->": "includes/sidebar.html",
}


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh value, not 1: if the key was evicted, no older page may match.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version():
    """Invalidate every cached public page (called on article/section/tag changes)."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _release():
    """A stamp of the deployed templates and news code: a deploy starts afresh."""
    root = Path(settings.BASE_DIR)
    files = [*(root / "templates").rglob("*.html"), *(root / "news").rglob("*.py")]
    newest = max((f.stat().st_mtime_ns for f in files), default=0)
    return hashlib.sha256(f"{len(files)}:{newest}".encode()).hexdigest()[:8]


RELEASE = _release()


def _key(request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"news:page:{RELEASE}:{current_version()}:{digest}"


def _valid_until():
    """Now + PAGE_CACHE_SECONDS, or the next scheduled publication if sooner."""
    from .models import Article, ArticleStatus

    now = timezone.now()
    next_time = (
        Article.objects.filter(
            status__in=[ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED],
            published_at__gt=now,
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    limit = now + timedelta(seconds=PAGE_CACHE_SECONDS)
    return min(limit, next_time) if next_time else limit


def _fill_holes(request, html):
    for marker, template_name in HOLES.items():
        if marker in html:
            part = render_to_string(template_name, request=request)
            html = html.replace(marker, part)
    return html


def serve(request, build_response):
    """Answer ``request`` from the page cache, or build, cache and answer it.

    Only anonymous GET/HEAD requests are cached, and only successful HTML answers;
    ``build_response`` returns a TemplateResponse (or raises Http404).
    """
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return build_response()
    if set(request.GET) - CACHED_PARAMETERS:
        # Tracking tags and made-up parameters would only fill the cache.
        return build_response()
    key = _key(request)
    entry = cache.get(key)
    # The entry carries its own end of validity (checked here, not only by the
    # backend's TTL), so a scheduled article shows at its exact time.
    html = None
    if isinstance(entry, tuple) and len(entry) == 2 and timezone.now() < entry[0]:
        html = entry[1]
    if html is None:
        request.page_cache_holes = True
        try:
            response = build_response()
            if hasattr(response, "render"):
                response.render()
        finally:
            request.page_cache_holes = False
        if response.status_code != 200:
            return response
        html = response.content.decode(response.charset)
        until = _valid_until()
        seconds = (until - timezone.now()).total_seconds()
        cache.set(key, (until, html), max(1, math.ceil(seconds)))
    return HttpResponse(_fill_holes(request, html))
