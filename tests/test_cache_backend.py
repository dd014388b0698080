"""The project's Redis cache backend (kieumau.cache): Django's, with a kept client."""

import os
import pickle
import uuid

import pytest
import redis

from kieumau.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL")


@pytest.fixture
def backend():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_client_is_built_once_and_reused(backend, monkeypatch):
    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    backend.set("a", 1)
    for _ in range(20):
        backend.get("a")
    backend.get_many(["a", "b"])
    backend.incr("a")
    assert len(built) == 1
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_it_behaves_as_djangos_backend(backend):
    assert backend.get("missing", "default") == "default"
    backend.set("page", ("v1", "<p>Xin chào</p>"), 30)
    assert backend.get("page") == ("v1", "<p>Xin chào</p>")
    assert backend.add("page", "other") is False
    assert backend.get_many(["page", "missing"]) == {"page": ("v1", "<p>Xin chào</p>")}
    backend.set("n", 1)
    assert backend.incr("n", 2) == 3
    backend.delete("page")
    assert backend.get("page") is None
    # The keys are Django's own: prefix, version, key.
    raw = backend._cache.get_client().get(backend.make_key("n"))
    assert raw == b"3"


def test_values_are_unpickled_without_trying_int_first(backend, monkeypatch):
    from django.core.cache.backends import redis as django_redis

    backend.set("page", "<p>" + "x" * 10_000 + "</p>")
    backend.set("count", 41)
    backend.incr("count")
    tried = []

    def spying_int(data):
        tried.append(data)
        return int(data)

    # Django's serialiser calls int() by name in its own module.
    monkeypatch.setattr(django_redis, "int", spying_int, raising=False)
    assert backend.get("page").startswith("<p>xx")
    assert backend.get_many(["page"])["page"].endswith("x</p>")
    assert tried == []  # the pickled page never went through int()
    assert backend.get("count") == 42  # stored as digits, read as an int
    assert tried == [b"42"]


def test_a_value_pickled_with_an_old_protocol_still_reads(backend):
    client = backend._cache.get_client(write=True)
    client.set(backend.make_key("old"), pickle.dumps({"a": 1}, protocol=0))
    assert backend.get("old") == {"a": 1}
