"""Limits per client address: who is exempt from them, and a sliding window.

Many people may share one address: Vietnamese mobile networks put many phones
behind one (carrier-grade NAT), and a whole office or school goes out through one.
Every per-address limit is therefore a trade between stopping one abuser and
refusing those neighbours; ``RATE_LIMIT_EXEMPT_ADDRESSES`` (the office's
addresses or networks) exempts the addresses the district knows. The sign-in
lockout per address (``kieumau.signin``), the poll's limit on votes without a
cookie (``polls``) and the visit counter's limit per address all ask
``is_exempt_address``. The address itself is the one our own proxy vouches for
(``kieumau.middleware.client_ip``).
"""

import ipaddress
import logging
import math
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def parse_networks(entries):
    """IP networks from ``entries`` (addresses or CIDR networks, e.g. 10.0.0.0/24)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"RATE_LIMIT_EXEMPT_ADDRESSES: {entry!r} is not an IP address "
                "or network (e.g. 203.0.113.7 or 203.0.113.0/24)"
            ) from None
    return tuple(networks)


def is_exempt_address(ip):
    """Whether ``ip`` is in RATE_LIMIT_EXEMPT_ADDRESSES (exempt from the limits
    per address; the limits per username or per browser still apply)."""
    networks = parse_networks(tuple(settings.RATE_LIMIT_EXEMPT_ADDRESSES))
    if not networks or not ip:
        return False
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def address_group(ip):
    """What a limit per address counts: the IPv4 address, or the IPv6 /64.

    An IPv6 customer (a phone, a home) is given a whole /64 and may use any
    address in it, so counting single IPv6 addresses would limit nothing.
    """
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        return str(ip)
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _log_outage(exc):
    """A cache that raised: Redis failures do not reach here (django-redis answers
    them as misses, and kieumau.redisguard logs the outage once); this is the
    database cache failing, as rare as the sign-ins and votes the limits guard."""
    logger.warning("rate limit not applied, the cache did not answer: %r", exc)


class SlidingWindow:
    """At most ``limit`` hits per address group in any ``window`` seconds.

    The window is cut into ``slots`` slices, one counter each in the shared cache
    (Django's cache API: ``add`` + ``incr``, atomic on Redis); a hit is allowed when
    the current slice plus the ``slots`` before it hold at most ``limit``. So no
    ``window``-long stretch ever sees more than ``limit``, and a refused address
    waits at most a window and one slice. Refused hits are not counted, so
    retrying does not prolong the wait. Nothing stored names the address: keys hold
    an HMAC of it with the secret key. On the database cache (no Redis) ``incr`` is
    read-then-write, so two simultaneous hits may count as one: a little lenient.

    The limit fails open: when the cache does not answer, every hit is allowed,
    because the votes and sign-ins it guards must go on during a cache outage.
    """

    def __init__(self, name, *, limit, window, slots=10):
        self.name = name
        self.limit = limit
        self.window = window
        self.slots = slots

    def _keys(self, ip, now):
        digest = salted_hmac(
            f"kieumau.ratelimit.{self.name}", address_group(ip), algorithm="sha256"
        ).hexdigest()[:32]
        width = self.window / self.slots
        current = int(now // width)
        return [
            f"ratelimit:{self.name}:{digest}:{slot}"
            for slot in range(current - self.slots, current + 1)
        ]

    def _timeout(self):
        return math.ceil(self.window + 2 * self.window / self.slots)

    def hit(self, ip, *, now=None):
        """Count one hit of ``ip`` and say whether it is within the limit."""
        if self.limit <= 0 or self.window <= 0 or is_exempt_address(ip):
            return True
        *earlier, current = self._keys(ip, time.time() if now is None else now)
        try:
            cache.add(current, 0, self._timeout())
            try:
                count = cache.incr(current)
            except ValueError:  # evicted or expired between add and incr
                cache.add(current, 1, self._timeout())
                count = 1
            if count is None:  # django-redis with IGNORE_EXCEPTIONS: Redis is down
                return True
            total = count + sum(
                value for value in cache.get_many(earlier).values() if value
            )
            if total > self.limit:
                cache.decr(current)
                return False
        except Exception as exc:  # any cache failure: fail open (see the class doc)
            _log_outage(exc)
        return True

    def undo(self, ip, *, now=None):
        """Give back a hit that turned out not to count (e.g. a refused vote)."""
        if self.limit <= 0 or self.window <= 0 or is_exempt_address(ip):
            return
        current = self._keys(ip, time.time() if now is None else now)[-1]
        try:
            cache.decr(current)
        except ValueError:  # the slice has expired meanwhile: nothing to give back
            pass
        except Exception as exc:
            _log_outage(exc)
