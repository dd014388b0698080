"""gunicorn settings for the portal, read from the environment.

    GUNICORN_BIND=127.0.0.1:8001 .venv/bin/gunicorn -c gunicorn.conf.py kieumau.wsgi

Sync workers: on a small machine they share the cores evenly, where gthread can
leave every keep-alive connection on one worker (measured, see the deployment notes
in README). Two instances per machine are started by deploy/serve-prod.sh.
"""

import gc
import os


def _int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1")
    return value


wsgi_app = "kieumau.wsgi:application"
bind = [
    item.strip()
    for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")
    if item.strip()
]
# Three per instance (six on a 2-core machine running two instances): a cached page
# waits on Redis's round trip, and with two per instance the cores sat idle while
# every worker waited (bench/RESULTS.md, 2026-12-04: pages at 0.64–0.74 of the
# bare-Django ceiling in requests/s against 0.75–0.85 by CPU; 0.82–0.96 with three).
workers = _int("GUNICORN_WORKERS", 3)
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
preload_app = True
proc_name = os.environ.get("GUNICORN_NAME", "kieumau")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Several instances run side by side: no shared control socket in $HOME.
control_socket_disable = True

# Only nginx on this machine may say the request came over https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr (journald or the container collects them). The request id
# is the one nginx sent or the app made (echoed in the X-Request-ID header).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s [%({x-request-id}o)s] "%(r)s" %(s)s %(B)s '
    '%(M)sms "%(f)s" "%(a)s"'
)


def when_ready(server):
    """In the master, with the app preloaded, before any worker is forked.

    Every object the app made at start-up (modules, URL patterns, templates) goes
    into the collector's permanent generation: the workers' full collections no
    longer walk those hundreds of thousands of objects again and again, and
    walking them no longer dirties the pages the workers share with the master
    (copy-on-write). See the gc.freeze documentation.
    """
    gc.freeze()
