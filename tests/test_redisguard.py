"""kieumau.redisguard: a frozen Redis costs one timeout, then nothing until retry."""

import logging
import socket

import pytest
import redis

from kieumau import redisguard


@pytest.fixture
def frozen_server():
    """A port that accepts connections and never answers (a SIGSTOPped Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()
    listener.close()


def guarded_client(host, port):
    pool = redis.ConnectionPool(
        host=host,
        port=port,
        socket_timeout=0.2,
        socket_connect_timeout=0.2,
        connection_class=redisguard.GuardedConnection,
    )
    return redis.Redis(connection_pool=pool)


def test_after_a_timeout_redis_is_left_alone_until_the_retry(frozen_server, caplog):
    client = guarded_client(*frozen_server)
    server = "{}:{}".format(*frozen_server)
    with caplog.at_level(logging.WARNING, logger="kieumau.redisguard"):
        with pytest.raises(redis.ConnectionError, match="cannot connect"):
            client.get("a")  # waits its timeout once (the handshake's reply)
        assert redisguard.is_down(server)
        for _ in range(3):
            with pytest.raises(redis.ConnectionError, match="left alone"):
                client.get("a")  # refused at once, no wait
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1  # logged once, not per request


def test_when_the_retry_time_has_come_redis_is_tried_again(frozen_server, monkeypatch):
    monkeypatch.setattr(redisguard, "RETRY_SECONDS", 0)
    client = guarded_client(*frozen_server)
    for _ in range(2):
        with pytest.raises(redis.ConnectionError, match="cannot connect"):
            client.get("a")  # each call tries the server again


def test_another_server_is_not_affected(frozen_server):
    client = guarded_client(*frozen_server)
    with pytest.raises(redis.ConnectionError):
        client.get("a")
    assert redisguard.is_down("{}:{}".format(*frozen_server))
    assert not redisguard.is_down("127.0.0.1:6379")


def test_recovery_is_logged_once_and_ends_the_outage(caplog):
    server = "recovery-test:0"  # a name no other test uses
    redisguard.note_failure(server, ConnectionError("refused"))
    with caplog.at_level(logging.WARNING, logger="kieumau.redisguard"):
        redisguard.note_success(server)
        redisguard.note_success(server)
    assert [
        r.getMessage() for r in caplog.records if "reachable again" in r.getMessage()
    ] == ["Redis at recovery-test:0 reachable again after 0 s"]
    assert not redisguard.is_down(server)


def test_settings_pick_the_guarded_class_for_the_url():
    assert (
        redisguard.connection_class("redis://h:6379/0") is redisguard.GuardedConnection
    )
    assert (
        redisguard.connection_class("rediss://h:6379/0")
        is redisguard.GuardedSSLConnection
    )
    assert (
        redisguard.connection_class("unix:///run/redis.sock")
        is redisguard.GuardedUnixConnection
    )
