"""Named cache versions: one counter-like value per kind of content.

Cached things (pages, figures) record the versions of what they were built from;
an edit bumps the version of its kind (``bump("news")``), so everything built
before no longer matches and is rebuilt on the next request. Two app servers read
the same values from the shared cache, so they never disagree.

Values are random rather than counters or timestamps: they are only compared for
equality, and no value used before (ahead of an eviction, a cache flush, a clock
stepping back or a frozen clock in tests) may ever come back, since entries built
under it would match again.
"""

import secrets

from django.core.cache import cache

PREFIX = "version:"


def key(name):
    """The cache key holding version ``name`` (for callers batching a get_many)."""
    return PREFIX + name


def new_value():
    return secrets.randbits(63)


def get_many(names, found=None):
    """The current versions of ``names``, as a tuple in the same order.

    ``found`` may hold values already read (cache key -> value) in a batched
    ``cache.get_many``; a version missing from the cache (never set, or evicted)
    gets a fresh random value, so nothing built before can match it.
    """
    if found is None:
        found = cache.get_many([key(name) for name in names])
    values = []
    for name in names:
        value = found.get(key(name))
        if value is None:
            cache.add(key(name), new_value(), timeout=None)
            value = cache.get(key(name))
        values.append(value)
    return tuple(values)


def get(name):
    """The current version of ``name``."""
    return get_many([name])[0]


def bump(name):
    """Make everything built under version ``name`` stale."""
    cache.set(key(name), new_value(), timeout=None)
