"""Shared cache of the public pages for anonymous readers ("donut" caching).

A page is cached whole except its per-visitor holes: the flash messages and the
sidebar (the poll form carries the visitor's own CSRF token, the counter changes on
every view). The cached HTML is rendered with ``request.page_cache_holes`` set, so
base.html writes a marker instead of those parts; each request fills the markers in
for its own visitor. One visitor's token is therefore never served to another.

Serving a cached page is kept cheap, since it runs on every anonymous view:

* one Redis round trip reads the page's versions, the active poll and the counter
  numbers together, and carries the visit counter's INCR (see ``_read``);
* each process keeps its own copies of the pages it served (``_LocalCopies``,
  bounded), so the ~14 KB of a page are not read from Redis on every view. A copy
  is served only under the rule the shared entry is checked by: the versions read
  from Redis on this very request are those it was rendered under, and its end of
  validity has not passed. Two app servers therefore never serve pages of
  different versions; an edit on one shows on the other at once. Without a valid
  copy, a second round trip reads the shared entry (or the page is rendered);
* the sidebar for a visitor who has not voted is the same for everyone but for the
  CSRF token and the poll form's ``next``: each process renders it once (with
  placeholders) and reuses it while the poll and counter figures it shows, read in
  that same round trip, are unchanged (the counter numbers change at most every
  ``counter.STATS_TTL`` seconds); a visitor whose voting cookie is set gets the
  sidebar rendered for them (results once they voted);
* the messages hole is empty without rendering when the visitor carries neither a
  messages nor a session cookie and the request queued no message;
* pages and the shared sidebar are kept split at their holes and slots, so filling
  them is one join of bytes, with no search through the page.

Every key carries a stamp of the deployed templates and code (a new release never
serves pages rendered by the old one). An entry records the versions it was
rendered under, which a signal bumps whenever an article, section or tag changes
(news.signals; other callers may add their own version keys, e.g. the figures'), so
an edit shows at once. Version values are random (``kieumau.cache.new_version``),
so that none ever comes back. A scheduled article is not an edit: entries never
live past the next scheduled publication time.
"""

import hashlib
import math
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from kieumau.cache import new_version
from polls.box import ACTIVE_KEY, active_poll
from polls.voter import voter_id
from portal import counter

from .models import Article, ArticleStatus

PAGE_CACHE_SECONDS = 300
VERSION_KEY = "news:pages:version"
CACHED_PARAMETERS = {"page"}
# Pages are kept and filled in as UTF-8 bytes: no decoding on the way out of the
# cache, no encoding on the way into the response.
# The holes base.html writes when ``request.page_cache_holes`` is set. A page is
# kept split at them (``_split``): literal bytes at even positions, hole names at
# odd ones, so filling it is one join, not a search of the
# whole page per hole.
_HOLES = re.compile(rb"<!--km-hole:(messages|sidebar)-->")
# Placeholders in the shared sidebar (the CSRF one goes through format_html, so
# it has no character that escaping would change); the sidebar is kept split at
# them in the same way.
_CSRF_SLOT = "__km-slot-csrf__"
_NEXT_SLOT = "/__km-slot-next__"
_SLOTS = re.compile(f"({_CSRF_SLOT}|{_NEXT_SLOT})".encode())
_CSRF = _CSRF_SLOT.encode()


def forget_local_copies():
    """Drop this process's copies of pages and sidebar (tests, after a cache flush)."""
    global _sidebar_copy
    local_copies.clear()
    _sidebar_copy = None


def _ensure_version(key):
    version = cache.get(key)
    if version is None:
        # A fresh value, not 1: if the key was evicted, no older page may match.
        version = new_version()
        cache.add(key, version, timeout=None)
        version = cache.get(key, version)
    return version


def current_version():
    return _ensure_version(VERSION_KEY)


def bump_version():
    """Invalidate every cached public page (called on article/section/tag changes)."""
    cache.set(VERSION_KEY, new_version(), timeout=None)


def _release():
    """A stamp of the deployed templates and news code: a deploy starts afresh."""
    root = Path(settings.BASE_DIR)
    files = [*(root / "templates").rglob("*.html"), *(root / "news").rglob("*.py")]
    newest = max((f.stat().st_mtime_ns for f in files), default=0)
    return hashlib.sha256(f"{len(files)}:{newest}".encode()).hexdigest()[:8]


RELEASE = _release()


def _split(body):
    """``body`` as a tuple: literal bytes and, between them, the hole names."""
    return tuple(_HOLES.split(body))


class _LocalCopies:
    """This process's copies of cached pages: key -> (versions, until, page).

    A page is the tuple ``_split`` makes of the body; its size is that of the body.

    ``get`` answers a body only if it was rendered under exactly ``versions`` and
    is still valid at ``now``, the check the shared entry goes through; the caller
    reads the versions from the shared cache on every request. Bounded by
    ``max_bytes`` of bodies, the least recently used going first; a lock keeps it
    sound under a threaded server (gunicorn's sync workers have one thread).
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._entries = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key, versions, now):
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is None:
                return None
            if entry[0] != versions or not now < entry[1]:
                self._size -= entry[3]
                return None
            self._entries[key] = entry  # now the most recently used
            return entry[2]

    def put(self, key, versions, until, page):
        size = sum(len(part) for part in page)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[3]
            self._entries[key] = (versions, until, page, size)
            self._size += size
            while self._size > self.max_bytes:
                oldest = next(iter(self._entries))
                self._size -= self._entries.pop(oldest)[3]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self):
        return len(self._entries)


# 16 MB per process: about a thousand pages of the home page's size.
local_copies = _LocalCopies(max_bytes=16 * 2**20)
# The shared sidebar as this process last rendered it: (poll, visits, parts), the
# parts being its UTF-8 bytes split at the slots (literals at even positions).
_sidebar_copy = None


def _key(path):
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"news:page:{RELEASE}:{digest}"


def _valid_until():
    """Now + PAGE_CACHE_SECONDS, or the next scheduled publication if sooner."""
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


def _messages_hole(request):
    storage = getattr(request, "_messages", None)
    cookies = request.COOKIES
    if (
        storage is not None
        and not getattr(storage, "_queued_messages", True)
        and CookieStorage.cookie_name not in cookies
        and settings.SESSION_COOKIE_NAME not in cookies
    ):
        return ""  # nothing stored anywhere, nothing added: no message to show
    return render_to_string("includes/messages.html", request=request)


class _Lookup(NamedTuple):
    """What one request read and knows, passed to the hole fillers."""

    found: dict  # cache key -> value, from the one round trip
    now: datetime
    stats_key: str  # the counter figures' key for today
    path: str  # request.get_full_path(), computed once


def _shared_sidebar(lookup):
    """The sidebar of a visitor who has not voted, split at the CSRF/next slots."""
    global _sidebar_copy
    found, now, stats_key = lookup.found, lookup.now, lookup.stats_key
    if ACTIVE_KEY in found:
        poll = found[ACTIVE_KEY]
        if poll and poll["closes_at"] is not None and poll["closes_at"] <= now:
            poll = None
    else:
        poll = active_poll(now)
    try:
        visits = found[stats_key] if stats_key in found else counter.stats(now)
    except Exception:  # the counter_box tag logs it and shows its own notice
        visits = None
    copy = _sidebar_copy
    if copy is not None and copy[0] == poll and copy[1] == visits:
        return copy[2]
    carrier = HttpRequest()
    carrier.path = carrier.path_info = _NEXT_SLOT
    html = render_to_string(
        "includes/sidebar.html", {"request": carrier, "csrf_token": _CSRF_SLOT}
    )
    parts = _SLOTS.split(html.encode())
    if visits is not None:
        _sidebar_copy = (poll, visits, parts)
    return parts


def _sidebar_hole(request, lookup):
    if voter_id(request) is not None:
        # Voted (or about to see the results): rendered for this browser alone.
        return render_to_string("includes/sidebar.html", request=request).encode()
    parts = _shared_sidebar(lookup)
    if len(parts) == 1:
        return parts[0]  # no poll form: no token, no CSRF cookie
    filled = list(parts)
    for i in range(1, len(filled), 2):
        if filled[i] == _CSRF:
            filled[i] = get_token(request).encode()
        else:
            filled[i] = escape(lookup.path).encode()
    return b"".join(filled)


def _fill_holes(request, page, lookup):
    """The page's bytes, each hole filled for this visitor."""
    filled = list(page)
    for i in range(1, len(filled), 2):
        if filled[i] == b"messages":
            filled[i] = _messages_hole(request).encode()
        else:
            filled[i] = _sidebar_hole(request, lookup)
    return b"".join(filled)


def _read(request, keys, now):
    """``cache.get_many(keys)``; with Redis, the visit count rides along.

    One pipeline carries the MGET and the visit counter's INCR (portal.counter
    .precount, settled by its middleware once the answer is known), so a cached
    page costs a single Redis round trip in all.
    """
    client, backend = counter._redis()
    if client is None:
        return cache.get_many(keys)
    made = {backend.make_key(k): k for k in keys}  # our own keys: known valid
    try:
        pipe = client.pipeline(transaction=False)
        pipe.mget(list(made))
        counter.precount(request, pipe, backend, now)
        values = pipe.execute()[0]
    except Exception:
        # Not counted here (the middleware counts as usual); the cache itself is
        # asked again below, with its usual behaviour on errors.
        request.__dict__.pop("visit_counted_key", None)
        return cache.get_many(keys)
    loads = backend._cache._serializer.loads
    return {
        made[k]: loads(v) for k, v in zip(made, values, strict=True) if v is not None
    }


def _signed_in(request):
    """Whether a user is signed in, without loading an empty session for nothing.

    Signing in is by session only (django.contrib.auth's session backends), so a
    request that carries no session cookie is anonymous.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def serve(
    request,
    build_response,
    *,
    parameters=CACHED_PARAMETERS,
    version_keys=(),
    max_seconds=PAGE_CACHE_SECONDS,
    lists_articles=True,
):
    """Answer ``request`` from the page cache, or build, cache and answer it.

    Only anonymous GET/HEAD requests are cached, and only successful HTML answers;
    ``build_response`` returns a TemplateResponse (or raises Http404). ``parameters``
    are the query parameters that select a cached variant (any other one is served
    fresh); ``version_keys`` are cache keys of further versions the page depends on
    (bumped by their own invalidation), besides the news version. A page that
    shows no article (``lists_articles=False``) need not end at the next scheduled
    publication.
    """
    if request.method not in ("GET", "HEAD") or _signed_in(request):
        return build_response()
    if set(request.GET) - set(parameters):
        # Tracking tags and made-up parameters would only fill the cache.
        return build_response()
    now = timezone.now()
    path = request.get_full_path()
    key = _key(path)
    versions_keys = [VERSION_KEY, *version_keys]
    stats_key = counter.stats_key(counter.visit_day(now))
    found = _read(request, [*versions_keys, ACTIVE_KEY, stats_key], now)
    versions = tuple(
        found[k] if found.get(k) is not None else _ensure_version(k)
        for k in versions_keys
    )
    page = local_copies.get(key, versions, now)
    if page is None:
        # The entry carries its own end of validity (checked here, not only by the
        # backend's TTL), so a scheduled article shows at its exact time.
        entry = cache.get(key)
        if (
            isinstance(entry, tuple)
            and len(entry) == 3
            and entry[0] == versions
            and now < entry[1]
            and isinstance(entry[2], bytes)
        ):
            page = _split(entry[2])
            local_copies.put(key, versions, entry[1], page)
    if page is None:
        request.page_cache_holes = True
        try:
            response = build_response()
            if hasattr(response, "render"):
                response.render()
        finally:
            request.page_cache_holes = False
        if response.status_code != 200:
            return response
        body = response.content  # UTF-8 (DEFAULT_CHARSET)
        until = now + timedelta(seconds=max_seconds)
        if lists_articles:
            until = min(until, _valid_until())
        seconds = (until - timezone.now()).total_seconds()
        cache.set(key, (versions, until, body), max(1, math.ceil(seconds)))
        page = _split(body)
        local_copies.put(key, versions, until, page)
    lookup = _Lookup(found, now, stats_key, path)
    return HttpResponse(_fill_holes(request, page, lookup))
