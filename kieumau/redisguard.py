"""A Redis that has just failed is left alone for a few seconds by this process.

The need stock code does not meet: a frozen Redis (a stopped process, a full
network buffer) answers nothing, so every call waits its socket timeout (0.5 s),
and a page makes several calls (the page-cache read, versions, the counter, the
sidebar's numbers). Under load, workers would pile up behind those waits.
django-redis turns a failed call into a miss (``IGNORE_EXCEPTIONS``) but retries
the dead server on the next call; redis-py has retries and back-off, which make
waits longer, not shorter. So the connections of the default cache's pool are
``GuardedConnection``: after a failure, connecting is refused at once for
``RETRY_SECONDS``, every caller falls back as it does for a refused connection
(a miss, a page rendered afresh, a view counted in the database), and the next
attempt after that tries the server again, so recovery needs no restart.

A command whose reply timed out was sent: a frozen Redis holds it and applies it
when it resumes. So a ``TimeoutError`` means "sent, outcome unknown" and a
``ConnectionError`` "not sent" (connecting failed or was skipped); the visit
counter relies on that to count a view once, not twice.

The outage is logged once when it starts and once when it ends, not per request.
The state is this process's own: it only decides when to try again, never what a
page shows, so two app servers cannot disagree about content.
"""

import logging
import time

from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class _Outage:
    def __init__(self):
        self.since = None  # time.monotonic() of the failure that opened it
        self.retry_at = 0.0


_outages = {}  # per server address: a test's unreachable port leaves the real one be


def _outage(server):
    return _outages.setdefault(server, _Outage())


def is_down(server):
    """True while this process leaves the Redis at ``server`` alone."""
    outage = _outages.get(server)
    return (
        outage is not None
        and outage.since is not None
        and time.monotonic() < outage.retry_at
    )


def note_failure(server, error):
    """A call to ``server`` failed: leave it alone for ``RETRY_SECONDS``."""
    outage = _outage(server)
    now = time.monotonic()
    if outage.since is None:
        outage.since = now
        logger.error(
            "Redis at %s unreachable (%s): the site goes on without it; "
            "trying again every %.0f s",
            server,
            error,
            RETRY_SECONDS,
        )
    outage.retry_at = now + RETRY_SECONDS


def note_success(server):
    """A call to ``server`` was answered: the outage, if any, is over."""
    outage = _outages.get(server)
    if outage is not None and outage.since is not None:
        logger.warning(
            "Redis at %s reachable again after %.0f s",
            server,
            time.monotonic() - outage.since,
        )
        outage.since = None


class GuardMixin:
    def server(self):
        """The address this connection talks to (host:port or socket path)."""
        path = getattr(self, "path", None)
        return path or f"{self.host}:{self.port}"

    def connect(self):
        # Whatever fails here, no command was sent: it is a ConnectionError. A
        # TimeoutError is left to mean "sent, the reply did not come" (below).
        if is_down(self.server()):
            raise ConnectionError("Redis left alone after a recent failure")
        try:
            super().connect()
        except (ConnectionError, TimeoutError, OSError) as error:
            note_failure(self.server(), error)
            raise ConnectionError(f"cannot connect to Redis: {error}") from error

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError, OSError) as error:
            note_failure(self.server(), error)
            raise
        note_success(self.server())
        return response


class GuardedConnection(GuardMixin, Connection):
    """A TCP connection to Redis (``redis://``) that backs off after a failure."""


class GuardedSSLConnection(GuardMixin, SSLConnection):
    """The same over TLS (``rediss://``)."""


class GuardedUnixConnection(GuardMixin, UnixDomainSocketConnection):
    """The same over a Unix socket (``unix://``)."""


def connection_class(url):
    """The guarded connection class for a ``REDIS_URL``."""
    if url.startswith("rediss://"):
        return GuardedSSLConnection
    if url.startswith("unix://"):
        return GuardedUnixConnection
    return GuardedConnection
