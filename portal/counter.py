"""Visit counter (truy cập): page views of public pages by people, per day.

What is counted (``is_page_view``): GET requests answered 200 with an HTML page,
outside the admin, /static/, /media/, /api/ and /healthz, not prefetches, from a
browser whose user agent is not an obvious robot. Automated browsers count as
robots: "HeadlessChrome" (our own Playwright journeys, uptime probes, scrapers)
is excluded, and so is a request without any user agent, which no real browser
sends. HEAD requests, redirects, errors and JSON are never counted. The middleware
sits outside every view cache, so pages served from the cache are counted too.

What is stored: one row per calendar day in Asia/Ho_Chi_Minh with a number
(``DailyVisits``) and a staff-set opening total carried over from the old site
(``VisitCounterSettings``). No address, cookie or user agent is stored.

How it is counted without losing increments or creating a bottleneck:

* With Redis (``REDIS_URL``; the default cache is django-redis), each page
  view is a single ``INCR`` on a per-day key: atomic across every app process, no
  database write on the request path, no row lock that every request queues on.
  If Redis cannot be reached, the view is counted in the database instead (below).
  The counts are folded into the database when the widget numbers are recomputed
  (at most every ``STATS_TTL`` seconds, from whichever process needs them): each
  day key is moved out of Redis with the atomic ``GETDEL`` and added to its row
  with an upsert (``hits = hits + excluded.hits``). See ``fold_pending`` for what a
  crash between the two steps can cost.
* Without Redis there is no shared atomic counter besides the database, so each
  page view is one upsert ``INSERT … ON CONFLICT (day) DO UPDATE SET hits = hits
  + 1``: the first view of a day creates the row race-free, later ones increment
  it in the database, never read-modify-write. PostgreSQL row locks serialise the
  concurrent increments of the day's row without losing any. (The database cache's
  ``incr`` is a read-then-write and would lose increments, so it is not used.)

One client cannot inflate the counter: with Redis, at most
``COUNTER_CLIENT_LIMIT`` views per client address (an IPv6 /64 as one) and minute
are counted (``client_key``: the address hashed with the site's secret and the
minute, kept two minutes; addresses in ``RATE_LIMIT_EXEMPT_ADDRESSES`` are exempt).
Views over it are simply not counted; nobody is refused a page.

``settings.VISIT_COUNTER_ENABLED = False`` turns counting off entirely (the load
benchmark compares both).
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import TimeoutError as RedisTimeoutError

from kieumau import versions
from kieumau.dates import vietnam_today
from kieumau.middleware import client_ip
from kieumau.pagecache import stored_key
from kieumau.ratelimit import address_group, is_exempt_address

from .models import DailyVisits, VisitCounterSettings

logger = logging.getLogger(__name__)

STATS_TTL = 30  # seconds the widget numbers are reused from the shared cache
CLIENT_WINDOW = 60  # seconds: COUNTER_CLIENT_LIMIT counts views per client per minute
VERSION = "counter"  # kieumau.versions name, bumped when the numbers are recomputed
FOLD_DAYS = 35  # Redis day keys older than this are no longer looked at

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|python-urllib|httpx|aiohttp"
    r"|go-http-client|okhttp|java/|libwww|scrapy|headless|phantomjs|lighthouse"
    r"|pingdom|uptime|monitor|facebookexternalhit|preview"
)  # lower case, searched in the lowered user agent: ten times faster than re.I


def visit_day(now=None):
    """The counter's calendar day (Asia/Ho_Chi_Minh) at ``now``."""
    return vietnam_today(now)


def _excluded_prefixes():
    return (
        f"/{settings.ADMIN_PATH}/",
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/",
        settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/media/",
        "/api/",
        "/healthz",
    )


def is_page_request(request):
    """The request half of ``is_page_view``: what is known before answering."""
    if request.method != "GET":
        return False
    path = request.path_info
    if path.startswith(_excluded_prefixes()) or path == f"/{settings.ADMIN_PATH}":
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get(
        "Purpose", ""
    )
    if "prefetch" in purpose.lower():
        return False
    agent = request.headers.get("User-Agent", "").strip()
    return bool(agent) and not BOT_USER_AGENT.search(agent.lower())


def is_page_answer(response):
    """The response half of ``is_page_view``: an HTML page answered 200."""
    return response.status_code == 200 and response.get(
        "Content-Type", ""
    ).lower().startswith("text/html")


def is_page_view(request, response):
    """True for a public HTML page answered to a person (see module docstring)."""
    return is_page_answer(response) and is_page_request(request)


def count_if_page_view(request, response):
    """Count ``request`` when it is a public page view by a person.

    A page view already counted in the page cache's round trip (``ride``) is left
    as it is, or taken back if the answer turned out not to be a page.
    """
    replies = getattr(request, "page_cache_replies", {})
    if ride in replies:
        over_limit = (
            replies[ride] is not None
            and len(replies[ride]) > 1
            and (replies[ride][0] > settings.COUNTER_CLIENT_LIMIT)
        )
        if over_limit or not is_page_answer(response):
            _take_back(request.visit_day)
            return False
        return True
    if not getattr(settings, "VISIT_COUNTER_ENABLED", True):
        return False
    if not is_page_view(request, response):
        return False
    if over_client_limit(request):
        return False
    try:
        record_hit()
    except Exception:  # a counter must never break the page it counts
        logger.exception("visit counter: could not record a page view")
        return False
    return True


def ride(request, pipeline):
    """Send a page request's ``INCR`` with the page cache's read (one round trip).

    Registered with ``kieumau.pagecache.register_rider``. Whether the request is a
    page view is only known once answered: a page served from the cache always is,
    and the rare rendered answer that is not (an error) is taken back afterwards by
    ``count_if_page_view``.
    """
    if not getattr(settings, "VISIT_COUNTER_ENABLED", True):
        return False
    if not is_page_request(request):
        return False
    request.visit_day = visit_day()
    added = 0
    if key := client_key(request):
        added += queue_client_view(pipeline, key)
    pipeline.incr(stored_key(day_key(request.visit_day)))
    return added + 1


def client_key(request, now=None):
    """The Redis key counting this client's views this minute, or None if unlimited.

    The address (an IPv6 /64 as one) is hashed with the site's secret together with
    the minute, so Redis holds no address and nothing links two minutes.
    """
    limit = getattr(settings, "COUNTER_CLIENT_LIMIT", 0)
    address = client_ip(request)
    if not limit or not address or is_exempt_address(address):
        return None
    minute = int((now or timezone.now()).timestamp()) // CLIENT_WINDOW
    digest = salted_hmac(
        "portal.counter.client", f"{address_group(address)}|{minute}"
    ).hexdigest()[:24]
    return cache.make_and_validate_key(f"visits:client:{digest}")


def queue_client_view(pipeline, key):
    """Queue one view of the client ``key`` on ``pipeline``: its INCR (whose reply
    is the views this minute) and the key's expiry. Returns the commands queued."""
    pipeline.incr(key)
    pipeline.expire(key, CLIENT_WINDOW * 2)
    return 2


def over_client_limit(request):
    """True if this client already had ``COUNTER_CLIENT_LIMIT`` views this minute.

    Counted in the shared cache; if it fails, the view is counted (a limit that
    cannot be checked must not lose real views).
    """
    key = client_key(request)
    if key is None:
        return False
    client = _redis()
    if client is None:
        return False  # the limit needs Redis; without it every view counts
    try:
        pipeline = client.pipeline(transaction=False)
        queue_client_view(pipeline, key)
        views, _ = pipeline.execute()
    except Exception:  # unreachable (logged once by kieumau.redisguard)
        return False
    return views > settings.COUNTER_CLIENT_LIMIT


def _take_back(day):
    try:
        _redis().decr(cache.make_and_validate_key(day_key(day)))
    except Exception:
        logger.exception("visit counter: could not take back a view counted early")


def _redis():
    """The Redis connection behind the default cache, or None without Redis."""
    if not isinstance(caches["default"], RedisCache):
        return None
    return get_redis_connection("default")


def _db_add(day, hits):
    """Add ``hits`` to ``day``'s row in one statement, creating it if needed."""
    qn = connection.ops.quote_name
    table = qn(DailyVisits._meta.db_table)
    day_col, hits_col = qn("day"), qn("hits")
    sql = (
        f"INSERT INTO {table} ({day_col}, {hits_col}) VALUES (%s, %s) "
        f"ON CONFLICT ({day_col}) DO UPDATE "
        f"SET {hits_col} = {table}.{hits_col} + excluded.{hits_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), hits])


def record_hit(now=None):
    """Add one page view to today's count: in Redis, or else in the database."""
    day = visit_day(now)
    client = _redis()
    if client is not None:
        try:
            client.incr(cache.make_and_validate_key(day_key(day)))
            return
        except RedisTimeoutError:
            return  # sent: a frozen Redis applies it when it resumes (redisguard)
        except Exception:  # not sent (logged once by kieumau.redisguard)
            pass
    _db_add(day, 1)


def fold_pending(now=None):
    """Move the per-day counts from Redis into the database; return how many.

    Order of the two steps: ``GETDEL`` first (atomic, so two processes folding at
    once never both take the same hits, and hits arriving meanwhile start a fresh
    key), then the upsert. If the database refuses the upsert, the counts are put
    back with ``INCRBY`` and the next fold retries them: nothing lost, nothing
    doubled. Only a hard crash of this process between ``GETDEL`` and the commit
    loses the hits taken (at most one fold interval's worth). The opposite order
    (write the database, then delete from Redis) would instead count them twice
    on such a crash; an inflated total is worse than a few missing views.
    """
    client = _redis()
    if client is None:
        return 0
    today = visit_day(now)
    days = [today - timedelta(days=n) for n in range(FOLD_DAYS)]
    keys = [cache.make_key(day_key(day)) for day in days]
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.getdel(key)
    taken = [
        (day, key, int(value))
        for day, key, value in zip(days, keys, pipe.execute(), strict=True)
        if value is not None and int(value) != 0  # a take-back may leave -1
    ]
    if not taken:
        return 0
    try:
        with transaction.atomic():
            for day, _key, hits in taken:
                _db_add(day, hits)
    except Exception:
        pipe = client.pipeline(transaction=False)
        for _day, key, hits in taken:
            pipe.incrby(key, hits)
        pipe.execute()
        raise
    return sum(hits for _day, _key, hits in taken)


def compute_stats(now=None):
    """The five widget numbers, straight from the database (two queries)."""
    fold_pending(now)
    today = visit_day(now)
    yesterday = today - timedelta(days=1)
    week_start = today - timedelta(days=today.weekday())  # Monday
    month_start = today.replace(day=1)
    upto_today = Q(day__lte=today)

    def total(condition=None):
        return Coalesce(
            Sum("hits", filter=condition), 0, output_field=models.BigIntegerField()
        )

    figures = DailyVisits.objects.aggregate(
        hom_nay=total(Q(day=today)),
        hom_qua=total(Q(day=yesterday)),
        tuan_nay=total(Q(day__gte=week_start) & upto_today),
        thang_nay=total(Q(day__gte=month_start) & upto_today),
        tat_ca=total(),
    )
    opening = (
        VisitCounterSettings.objects.filter(pk=1)
        .values_list("opening_total", flat=True)
        .first()
    )
    figures["tat_ca"] += opening or 0
    return {
        key: int(figures[key])
        for key in ("hom_nay", "hom_qua", "tuan_nay", "thang_nay", "tat_ca")
    }


def day_key(day):
    """The Redis key holding ``day``'s page views not yet folded into the database."""
    return f"visits:day:{day.isoformat()}"


def stats_key(day):
    return f"visits:stats:{day.isoformat()}"


def stats(now=None):
    """The widget numbers, reused from the shared cache for ``STATS_TTL`` seconds.

    The key names the day, so the numbers never carry over past midnight.
    """
    key = stats_key(visit_day(now))
    figures = cache.get(key)
    if figures is None:
        figures = compute_stats(now)
        cache.set(key, figures, STATS_TTL)
        versions.bump(VERSION)  # what shows the numbers shows the new ones
    return figures


def forget_stats(now=None):
    cache.delete(stats_key(visit_day(now)))
    versions.bump(VERSION)
