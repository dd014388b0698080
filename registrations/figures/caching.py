"""The figures through the shared cache, and what makes them stale.

Every change of the data the figures read bumps the ``figures`` version
(``kieumau.versions``), so that every app server sees fresh figures at once (the
cache is shared: Redis or the database). Saves and deletes bump it through
signals; bulk writers that send none call ``invalidate()`` themselves. Pages built
from the figures name the same version (``VERSION``) to the page cache.
"""

import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_delete, post_save

from kieumau import versions
from units.models import Unit

from .. import periods
from ..models import Criterion, Indicator, Progress, Registration, Title
from .contract import summary
from .defaults import dashboard_year, default_quarter, registration_years
from .evaluation import evaluate
from .rules import registrations_by_kind

CACHE_SECONDS = 60
VERSION = "figures"  # the kieumau.versions name that pages built from figures use
VERSION_KEY = versions.key(VERSION)  # its cache key, for a batched get_many

# Part of every key: bump it when a cached class changes shape (or moves), so that
# a deploy never unpickles entries written by the previous code.
FORMAT = "3"


def invalidate():
    """Make every cached figure stale (bulk writers that send no signal call it)."""
    versions.bump(VERSION)


def invalidate_on_change(sender, **kwargs):
    """Signal receiver: an input of the figures was saved or deleted."""
    invalidate()


def connect_signals():
    """Bump the figures' version whenever their inputs change."""
    for model in (Progress, Registration, Indicator, Criterion, Title, Unit):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate_on_change,
                sender=model,
                dispatch_uid=f"figures-{model.__name__}",
            )


def cache_key(name, *parts):
    version = versions.get(VERSION)
    return ":".join(["figures", FORMAT, str(version), name, *map(str, parts)])


def _cached(key, compute):
    """``compute()`` through the shared cache; an unreadable entry is recomputed."""
    try:
        value = cache.get(key)
    except Exception:  # an entry pickled by other code: treat as a miss
        value = None
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def cached_summary(year, quarter=None):
    """``summary`` through the shared cache; ``quarter=None`` means the default."""
    return _cached(
        cache_key("summary", year, quarter or "auto"),
        lambda: summary(year, quarter or cached_default_quarter(year)),
    )


def cached_summary_json(year=None, quarter=None):
    """``/api/tong-hop/``'s body: ``summary`` as UTF-8 JSON, through the cache.

    ``year=None`` is the dashboard's default year, ``quarter=None`` the default
    quarter. The entry holds the encoded bytes and the figures' version they were
    computed under, and both are read in one cache round trip: a hit neither asks
    the database (not even for the default year) nor encodes JSON.
    """
    # The default year's entry is keyed by the current year: the rollover on
    # 1 January shows at once.
    asked = str(year) if year else f"auto-{periods.current()[0]}"
    key = ":".join(["figures", FORMAT, "json", asked, str(quarter)])
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:  # an entry pickled by other code: treat as a miss
        found = {}
    [version] = versions.get_many([VERSION], found)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    data = cached_summary(year or cached_dashboard_year(), quarter)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    cache.set(key, (version, body), CACHE_SECONDS)
    return body


def cached_evaluation(year, quarter):
    """``evaluate`` through the shared cache (the dashboard's main read)."""
    return _cached(
        cache_key("evaluation", year, quarter), lambda: evaluate(year, quarter)
    )


def cached_default_quarter(year):
    return _cached(cache_key("default-quarter", year), lambda: default_quarter(year))


def cached_by_kind(year):
    return _cached(cache_key("by-kind", year), lambda: registrations_by_kind(year))


def cached_registration_years():
    return _cached(cache_key("registration-years"), registration_years)


def cached_dashboard_year(now=None):
    """``dashboard_year`` through the cache.

    Keyed by the current year: the answer changes at midnight on 1 January in
    Vietnam, not up to a cache lifetime later.
    """
    year, _ = periods.current(now)
    return _cached(cache_key("dashboard-year", year), lambda: dashboard_year(now))
