"""The Redis cache backend (django-redis) as configured: a Redis that cannot be
reached makes cache calls answer as misses, quickly, instead of raising."""

import os
import time
import uuid

import pytest
from django.conf import settings
from django_redis.cache import RedisCache


def backend(location):
    return RedisCache(
        location,
        {
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": dict(settings.REDIS_CACHE_OPTIONS),
        },
    )


def test_an_unreachable_redis_answers_as_a_miss_without_raising():
    cache = backend("redis://127.0.0.1:1/0")  # nothing listens on port 1
    start = time.monotonic()
    cache.set("key", "value", 30)
    assert cache.get("key") is None
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("key", 1)
    assert time.monotonic() - start < 5


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_a_reachable_redis_keeps_values_of_every_kind():
    cache = backend(os.environ["REDIS_URL"])
    try:
        page = (("v1",), b"<html>" * 1000, "sidebar")
        cache.set("page", page, 30)
        cache.set("count", 41, 30)
        assert cache.get("page") == page
        assert cache.incr("count") == 42
        assert cache.get_many(["page", "count", "missing"]) == {
            "page": page,
            "count": 42,
        }
    finally:
        cache.delete_many(["page", "count"])
