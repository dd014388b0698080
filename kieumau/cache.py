"""Django's Redis cache backend, with two costs of every cache call removed.

1. The redis client is kept instead of being rebuilt for every call.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` around the
(kept) connection pool for every cache call. With redis-py 8 building a client
costs more than the round trip itself: its constructor fills a table of about 170
response callbacks, ~0.3 ms of CPU against ~0.08 ms for a GET on loopback
(measured on this project's 2-core machine). A public page makes a few cache
calls, so that was most of the time a page served from the cache spent in Python.

The client holds no data, only the pool, and redis-py clients are thread-safe;
Django already keeps one backend instance (so one pool) per thread. Keeping the
client beside its pool changes nothing else: same keys, same stored values, same
behaviour on errors. After a fork, redis-py's pool notices the new process id and
opens its own connections, as before.

2. Values are unpickled without first trying ``int()`` on them. Django's
serialiser stores integers as plain digits (so INCR works on them) and reads
every value with ``int(data)`` first, falling back to pickle on ValueError. For a
cached page that failed attempt formats an error message holding the ``repr`` of
the whole pickled page before it is thrown away. Pickles of protocol 2 and later
start with the PROTO opcode (0x80), which no integer's digits do, so such values
go straight to pickle; anything else is read exactly as Django reads it.

The module also gives the project's cache versions (``new_version``).
"""

import pickle
import secrets

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient, RedisSerializer


class RedisPickleFirstSerializer(RedisSerializer):
    def loads(self, data):
        # pickle.PROTO is b"\x80", the first byte of every pickle of protocol >= 2.
        if data[:1] == pickle.PROTO:
            return pickle.loads(data)
        return super().loads(data)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, serializer=None, **options):
        super().__init__(servers, serializer or RedisPickleFirstSerializer, **options)
        self._clients = {}  # id(pool) -> redis.Redis around that pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache``, cheaper per call."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def new_version():
    """A fresh value for a cache version key (the news pages', the figures').

    Random rather than a timestamp: a version is compared for equality only, and
    no value used before (ahead of an eviction, a flush of the cache, a step back of
    the clock or a frozen clock in tests) may come back, since entries rendered
    under it, in the shared cache or in a process's own copies, would match again.
    """
    return secrets.randbits(63)
