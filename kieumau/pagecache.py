"""Whole public pages cached for anonymous readers, with holes filled per visitor.

The need stock Django does not meet: every public page carries, in its sidebar, the
poll (its form, or its results once this browser has voted) and may show a flash
message (after a vote). ``cache_page`` would serve one visitor's results and
messages to everyone, and with ``Vary: Cookie`` it would cache nothing useful.
Rendering every page for every reader, though, costs the database a dozen queries
per view, which a briefing day's traffic on a province portal would feel. So a
page is cached whole except its *holes*: base.html writes ``<!--km-hole:NAME-->``
where a hole goes when the page is rendered for the cache, and each request fills
the holes in for its own visitor (``register_hole``; the site registers "sidebar",
and "messages" is built in).

Use it on a view with ``cached_page`` (``method_decorator(cached_page(...),
name="get")`` on a class-based view), naming the versions the page depends on
(``kieumau.versions``): an edit bumps its version, so the page is rendered anew on
the next request, on every app server at once. One read per request fetches the
versions, the page and the holes' shared copies.

With Redis, that read is one pipelined round trip which other parts of the site
may join (``register_rider``): the visit counter sends its ``INCR`` with it, since
on a briefing day a second round trip per page view costs more than rendering the
answer from the cache. Without Redis (the database cache of a single machine) the
read is a plain ``cache.get_many`` and riders do their own work.

What is cached carries nothing of one visitor: no CSRF token either, since minting
one for each cookieless reader cost a cached page a quarter of its time (issue #12);
a form on a cached page asks for its token when it is sent (``polls:token``).

Every key carries a stamp of the deployed code (``release()``), so a new release never
serves what the old one rendered.
"""

import hashlib
import math
import re
from datetime import timedelta
from functools import cache as once
from functools import lru_cache, wraps
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import versions

MAX_SECONDS = 300
# The query parameters that select a cached variant of a page (the page number).
PAGE_PARAMETERS = frozenset({"page"})
_HOLE = re.compile(rb"<!--km-hole:([a-z]+)-->")


@once
def release():
    """A stamp of the deployed code, templates and catalogues, taken once.

    Covers the project package and every app of the project (not the libraries:
    their upgrades come with a new requirements.txt, hence a new deployment of
    the project's files too).
    """
    root = Path(settings.BASE_DIR)
    folders = {root / "templates", root / "locale", Path(__file__).parent}
    folders.update(
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(root)
    )
    digest = hashlib.sha256()
    for path in sorted(p for folder in folders for p in folder.rglob("*")):
        if path.suffix in {".py", ".html", ".mo"} and "migrations" not in path.parts:
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


class Hole(NamedTuple):
    """What fills one hole: ``render(request)`` for a visitor of their own.

    With ``shared(request)`` true, the visitor gets the copy shared by all such
    visitors, rendered with ``template`` and kept ``max_seconds`` under the
    ``depends_on`` versions, or until ``expires(now)`` if that is sooner.
    """

    render: object
    shared: object = None
    template: str = ""
    depends_on: tuple = ()
    max_seconds: int = MAX_SECONDS
    expires: object = None


_holes = {}


def register_hole(name, render, **shared_copy):
    """Fill ``<!--km-hole:name-->`` on cached pages (see ``Hole`` for the options)."""
    _holes[name] = Hole(render, **shared_copy)


_riders = []


def register_rider(rider):
    """Let ``rider(request, pipeline)`` add Redis commands to the page-cache read.

    It is called before the read, on requests that may be answered from the cache
    when the cache is Redis, and returns how many commands it added. Their replies
    (once the read succeeded) are put, as a list, in
    ``request.page_cache_replies[rider]``: None when the commands were sent and
    the reply timed out (Redis frozen: it applies them when it resumes). A request
    whose read could not be sent (Redis unreachable) has no such entry: the
    rider's work was not done.
    """
    _riders.append(rider)


@lru_cache(maxsize=4096)
def stored_key(key):
    """The name under which the cache keeps ``key`` in Redis (prefix and version
    added), for riders' raw commands. Remembered: it depends only on settings."""
    return caches["default"].make_and_validate_key(key)


def _read(request, keys):
    """``cache.get_many(keys)``, with the riders' commands in the same round trip."""
    backend = caches["default"]  # looked up once: each ``cache.x`` looks it up again
    if not isinstance(backend, RedisCache) or not _riders:
        return backend.get_many(keys)
    riding = {}  # rider -> how many commands it added
    try:
        pipeline = get_redis_connection("default").pipeline(transaction=False)
        pipeline.mget([stored_key(k) for k in keys])
        for rider in _riders:
            if added := rider(request, pipeline):
                riding[rider] = added
        values, *replies = pipeline.execute()
    except RedisTimeoutError:
        # Sent, no reply: a frozen Redis holds the riders' commands and applies
        # them when it resumes (kieumau.redisguard), so they count as done.
        request.page_cache_replies = dict.fromkeys(riding)
        return {}
    except Exception:  # not sent (logged once by kieumau.redisguard)
        return {}  # the page is rendered afresh; riders do their work elsewhere
    request.page_cache_replies = {}
    for rider, added in riding.items():
        request.page_cache_replies[rider], replies = replies[:added], replies[added:]
    decode = backend.client.decode
    return {
        k: decode(value)
        for k, value in zip(keys, values, strict=True)
        if value is not None
    }


def _messages(request):
    if not len(messages.get_messages(request)):
        return ""  # the common case: nothing to show, nothing to render
    return render_to_string("includes/messages.html", request=request)


register_hole("messages", _messages)


@lru_cache(maxsize=4096)
def _key(kind, name):
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return f"pagecache:{release()}:{kind}:{digest}"


def _valid(entry, wanted_versions, now):
    """The parts kept in a cache ``entry`` if it is still good, else None."""
    if isinstance(entry, tuple) and len(entry) == 3:
        entry_versions, until, parts = entry
        if entry_versions == wanted_versions and now < until:
            return parts
    return None


def _store(key, versions_, now, max_seconds, expires, parts):
    # The entry carries its own end of validity, checked on reading, so that
    # content scheduled for a given moment shows at that exact moment.
    until = now + timedelta(seconds=max_seconds)
    if expires is not None:
        until = min(until, expires(now) or until)
    seconds = math.ceil((until - timezone.now()).total_seconds())
    cache.set(key, (versions_, until, parts), max(1, seconds))


def _fill_shared(name, hole, found, known, now):
    key = _key("hole", name)
    wanted = tuple(known[n] for n in hole.depends_on)
    html = _valid(found.get(key), wanted, now)
    if html is None:
        # Rendered for nobody in particular: a request without cookies or path.
        html = render_to_string(hole.template, {"request": HttpRequest()}).encode()
        if b"csrfmiddlewaretoken" in html:
            raise ImproperlyConfigured(
                f"{hole.template}: a shared copy is the same for every visitor, so "
                "it cannot carry a CSRF token (fetch one when the form is sent)"
            )
        _store(key, wanted, now, hole.max_seconds, hole.expires, html)
    return html


def _fill(request, parts, found, known, now):
    filled = list(parts)
    for i in range(1, len(filled), 2):
        name = filled[i].decode()
        hole = _holes[name]
        if hole.shared is not None and hole.shared(request):
            filled[i] = _fill_shared(name, hole, found, known, now)
        else:
            filled[i] = hole.render(request).encode()
    return b"".join(filled)


def _cacheable(request, parameters):
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.GET) - parameters:
        return False  # tracking tags and made-up parameters would only fill the cache
    # Signing in is by session only, so a request without a session cookie is
    # anonymous, and its (empty) session need not be loaded to know it.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def serve(request, build, *, depends_on, parameters, max_seconds, expires):
    """Answer from the page cache, or ``build()`` the page, keep it and answer it."""
    if not _cacheable(request, parameters):
        return build()
    now = timezone.now()
    page_key = _key("page", request.get_full_path())
    names = sorted({*depends_on, *(n for h in _holes.values() for n in h.depends_on)})
    found = _read(
        request,
        [
            *(versions.key(name) for name in names),
            page_key,
            *(_key("hole", name) for name, hole in _holes.items() if hole.shared),
        ],
    )
    known = dict(zip(names, versions.get_many(names, found), strict=True))
    wanted = tuple(known[name] for name in depends_on)
    parts = _valid(found.get(page_key), wanted, now)
    if parts is None:
        request.page_cache_holes = True
        try:
            response = build()
            if hasattr(response, "render"):
                response.render()
        finally:
            request.page_cache_holes = False
        if response.status_code != 200:
            return response
        parts = tuple(_HOLE.split(response.content))
        _store(page_key, wanted, now, max_seconds, expires, parts)
    return HttpResponse(_fill(request, parts, found, known, now))


def cached_page(
    *, depends_on, parameters=PAGE_PARAMETERS, max_seconds=MAX_SECONDS, expires=None
):
    """Cache a view's page for anonymous readers (see the module's docstring).

    ``depends_on``: names of the versions the page is built from; ``parameters``:
    the query parameters that select a cached variant (any other is served fresh);
    ``max_seconds``: the longest an entry lives; ``expires(now)``: when the content
    changes by itself (a scheduled article), or None. The view must answer a
    (Template)Response; only 200 answers are kept.
    """
    depends_on = tuple(depends_on)
    parameters = frozenset(parameters)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return serve(
                request,
                lambda: view(request, *args, **kwargs),
                depends_on=depends_on,
                parameters=parameters,
                max_seconds=max_seconds,
                expires=expires,
            )

        return wrapped

    return decorator
