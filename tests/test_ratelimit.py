"""kieumau.ratelimit: the addresses exempt from the limits per address, what a
limit counts as one address, and the sliding window (fails open)."""

import pytest
from django.core.cache import caches

from kieumau.ratelimit import SlidingWindow, address_group, is_exempt_address
from tests.test_settings import _settings_exit


@pytest.mark.parametrize(
    "ip, exempt",
    [
        ("203.0.113.7", True),
        ("198.51.100.0", True),
        ("198.51.100.255", True),
        ("198.51.101.1", False),
        ("::ffff:198.51.100.9", True),  # IPv4 written as IPv6
        ("2001:db8:a::1", True),
        ("2001:db9::1", False),
        ("", False),
        (None, False),
        ("not-an-address", False),
    ],
)
def test_exempt_addresses_are_addresses_or_networks(settings, ip, exempt):
    settings.RATE_LIMIT_EXEMPT_ADDRESSES = [
        "203.0.113.7",
        "198.51.100.0/24",
        "2001:db8::/32",
    ]
    assert is_exempt_address(ip) is exempt


def test_no_address_is_exempt_by_default(settings):
    assert settings.RATE_LIMIT_EXEMPT_ADDRESSES == []
    assert not is_exempt_address("127.0.0.1")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RATE_LIMIT_EXEMPT_ADDRESSES": "10.0.0.0/8,van-phong"}, "van-phong"),
        ({"POLL_VOTES_PER_ADDRESS": "-1"}, "POLL_VOTES_PER_ADDRESS"),
        ({"POLL_VOTE_WINDOW_SECONDS": "0"}, "POLL_VOTE_WINDOW_SECONDS"),
        ({"AXES_ADDRESS_FAILURE_LIMIT": "-5"}, "AXES_ADDRESS_FAILURE_LIMIT"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT"),
    ],
)
def test_a_bad_limit_setting_fails_loudly_at_start(env, message):
    result = _settings_exit(DEBUG="true", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "ip, group",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_an_ipv6_customer_counts_as_one_address(ip, group):
    assert address_group(ip) == group


def test_the_window_allows_the_limit_then_refuses(db):
    window = SlidingWindow("test", limit=2, window=60)
    assert [window.hit("192.0.2.1", now=1000.0) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert window.hit("192.0.2.1", now=1000.0 + 60 + 6 + 1)  # a window and a slice
    window.undo("192.0.2.1", now=1067.0)
    assert window.hit("192.0.2.2", now=1000.0)


def test_the_window_fails_open_when_the_cache_raises(db, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    backend = caches["default"]
    for name in ("add", "incr", "decr", "get_many"):
        monkeypatch.setattr(backend, name, down)
    window = SlidingWindow("test", limit=1, window=60)
    assert all(window.hit("192.0.2.1", now=1000.0) for _ in range(5))
    window.undo("192.0.2.1", now=1000.0)  # no exception either
