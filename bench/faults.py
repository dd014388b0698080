"""Fault injection: the portal as deployed, with Redis and a worker failing.

    make bench-faults          # or: .venv/bin/python bench/faults.py [--rate 100]

Everything on loopback, with its own throwaway servers: a Redis on a spare port
(127.0.0.1:16390) configured as the README's deployment prescribes (append-only
file, fsync every second), a PostgreSQL database km_faults (recreated, migrated,
demo loaded), and two gunicorn instances (:18111, :18112) with the production
settings, DEBUG off, COUNTER_CLIENT_LIMIT=0 (all load comes from one address).
The shared Redis on 6379 is never touched.

A load of about --rate requests/s on ``/`` (a browser's user agent, so every 200
is a counted page view), spread over both instances, runs through each scenario:

(a) Redis stopped (SHUTDOWN, as systemd does) mid-run and started again;
(b) Redis killed (SIGKILL) mid-run and started again from its append-only file;
(c) Redis frozen (SIGSTOP) for 10 s, then resumed;
(d) ``manage.py import_data`` of a large progress file killed (SIGKILL) while
    writing: the database must hold nothing of it.

For each it prints the requests, their statuses by code, the slowest answers, and
the visit counter's growth against the page views answered 200. For (a) and (c)
the two must be equal; for (b) the loss must stay within the README's bound
(the views of the last 2 seconds before the kill: Redis's own worst case with
``appendfsync everysec``). The exit status is non-zero when a check fails.
"""

import argparse
import atexit
import csv
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402  (the same servers and helpers)

REDIS_PORT = 16390
PORTS = (18111, 18112)
ANSWER_BOUND = 2.0  # seconds: no page may take longer during an outage
KILL_LOSS_SECONDS = 2.0  # appendfsync everysec: Redis's worst case


class RedisServer:
    """A throwaway redis-server with the README's persistence."""

    def __init__(self, folder):
        self.folder = folder
        self.proc = None

    def start(self):
        binary = shutil.which("redis-server")
        if not binary:
            sys.exit("redis-server is needed (Debian's redis-server package)")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.folder,
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        load._children.append(self.proc)
        deadline = time.monotonic() + 10
        while not self.ping():
            if time.monotonic() > deadline:
                sys.exit("the throwaway Redis did not start")
            time.sleep(0.1)

    def ping(self):
        import redis

        try:
            return redis.Redis(port=REDIS_PORT, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def shutdown(self):
        import redis

        try:
            redis.Redis(port=REDIS_PORT).shutdown()
        except redis.ConnectionError:
            pass  # it closes the connection as it goes
        self.proc.wait(timeout=10)
        load._children.remove(self.proc)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        load._children.remove(self.proc)

    def freeze(self):
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)


class Load:
    """``rate`` GET / per second over both instances, from a few threads."""

    THREADS = 8

    def __init__(self, rate):
        self.interval = self.THREADS / rate
        self.statuses = Counter()
        self.slow = []  # answers slower than ANSWER_BOUND
        self.longest = 0.0
        self.views = 0  # HTML pages answered 200
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.worker, args=(PORTS[i % 2],), daemon=True)
            for i in range(self.THREADS)
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def worker(self, port):
        connection = None
        next_at = time.monotonic()
        while not self.stop.is_set():
            next_at += self.interval
            started = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        "127.0.0.1", port, timeout=30
                    )
                connection.request("GET", "/", headers=load.HEADERS)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                body = b""
                if connection is not None:
                    connection.close()
                connection = None
            took = time.monotonic() - started
            with self.lock:
                self.statuses[status] += 1
                self.longest = max(self.longest, took)
                if took > ANSWER_BOUND:
                    self.slow.append(took)
                if status == 200 and body.lstrip().startswith(b"<!doctype html"):
                    self.views += 1
            time.sleep(max(0.0, next_at - time.monotonic()))


def report(name, result, growth):
    total = sum(result.statuses.values())
    codes = ", ".join(
        f"{code}: {n}" for code, n in sorted(result.statuses.items(), key=str)
    )
    load.log(f"   requests {total}; statuses {codes}")
    load.log(
        f"   slowest answer {result.longest:.2f} s; over {ANSWER_BOUND:.0f} s: "
        f"{len(result.slow)}"
    )
    load.log(f"   page views answered 200: {result.views}; counter grew by {growth}")


def scenario(name, env, rate, redis_server, fault, before_s=5.0, after_s=8.0):
    load.log(f"== ({name}")
    start_total = load.counter_total(env)
    with Load(rate) as result:
        time.sleep(before_s)
        fault(redis_server)
        time.sleep(after_s)
    if not redis_server.ping():
        redis_server.start()
    time.sleep(1)
    growth = load.counter_total(env) - start_total
    report(name, result, growth)
    return result, growth


def stop_and_restart(redis_server):
    redis_server.shutdown()
    load.log("   Redis stopped")
    time.sleep(7)
    redis_server.start()
    load.log("   Redis started again")


def kill_and_restart(redis_server):
    redis_server.kill()
    load.log("   Redis killed (SIGKILL)")
    time.sleep(3)
    redis_server.start()
    load.log("   Redis started again from its append-only file")


def freeze_for_ten_seconds(redis_server):
    redis_server.freeze()
    load.log("   Redis frozen (SIGSTOP)")
    time.sleep(10)
    redis_server.thaw()
    load.log("   Redis resumed (SIGCONT)")


NOTE = "faults bench"


def import_killed(env, folder, database_url):
    """(d): a progress import SIGKILLed while it writes leaves nothing of it.

    The demo's progress file with a note on every row, imported by the same code
    as the admin's confirmation; the process is killed as soon as PostgreSQL shows
    it holding a write lock on the progress table (it has begun writing).
    """
    import psycopg2

    load.log("== (d) a worker killed during an import confirmation")
    source = load.BASE_DIR / "registrations" / "demo_data" / "progress.csv"
    with source.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    path = Path(folder) / "progress.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "ghi_chu": NOTE})
    watcher = psycopg2.connect(database_url)
    watcher.autocommit = True

    def noted_rows():
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM registrations_progress WHERE note = %s", [NOTE]
            )
            return cursor.fetchone()[0]

    def writing():
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
                "WHERE c.relname = 'registrations_progress' "
                "AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0] > 0

    before = noted_rows()
    errors = (load.OUT_DIR / "faults-import.log").open("w")
    proc = subprocess.Popen(
        [
            load.PY,
            "manage.py",
            "import_data",
            "progress",
            str(path),
            "--user",
            "giamsat.demo",
        ],
        env={**env, "LOG_LEVEL": "ERROR"},
        cwd=load.BASE_DIR,
        stdout=errors,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    while proc.poll() is None and not writing():
        time.sleep(0.002)
    killed_while_writing = proc.poll() is None
    if killed_while_writing:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    errors.close()
    if not killed_while_writing:
        load.log(
            f"   the import ended first (exit {proc.returncode}), see {errors.name}"
        )
    time.sleep(0.5)  # PostgreSQL notices the closed connection and rolls back
    after = noted_rows()
    watcher.close()
    load.log(
        f"   {len(rows)} rows; killed while writing: {killed_while_writing}; "
        f"rows carrying the file's note before {before}, after {after}"
    )
    return killed_while_writing, before == after == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=100, help="requests/s on /")
    parser.add_argument("--workers", type=int, default=2, help="workers per instance")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/km_faults"
    )
    args = parser.parse_args()
    args.redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    load.PORTS = PORTS
    signal.signal(signal.SIGTERM, load._on_signal)
    atexit.register(load.stop_children)
    folder = tempfile.mkdtemp(prefix="km-faults-")
    atexit.register(shutil.rmtree, folder, True)
    redis_server = RedisServer(folder)
    redis_server.start()

    env = load.server_env(args, counter_on=True)
    env.update(DJANGO_SETTINGS_MODULE="kieumau.settings", COUNTER_CLIENT_LIMIT="0")
    load.prepare(env, args)
    load.OUT_DIR.mkdir(exist_ok=True)
    logfile = (load.OUT_DIR / "faults-gunicorn.log").open("w")
    procs = load.start_servers(env, logfile)
    failures = []

    result, growth = scenario(
        "a) Redis stopped and restarted", env, args.rate, redis_server, stop_and_restart
    )
    errors = sum(n for code, n in result.statuses.items() if code != 200)
    if errors or growth != result.views:
        failures.append("(a) errors or a counter that is not exact")

    result, growth = scenario(
        "b) Redis killed (SIGKILL)", env, args.rate, redis_server, kill_and_restart
    )
    lost = result.views - growth
    bound = round(args.rate * KILL_LOSS_SECONDS)
    load.log(
        f"   views lost: {lost} (README's bound: {KILL_LOSS_SECONDS:.0f} s of views, "
        f"{bound} at this rate)"
    )
    errors = sum(n for code, n in result.statuses.items() if code != 200)
    if errors or lost < 0 or lost > bound:
        failures.append("(b) errors, or more views lost than the stated bound")

    result, growth = scenario(
        "c) Redis frozen for 10 s",
        env,
        args.rate,
        redis_server,
        freeze_for_ten_seconds,
        after_s=13.0,
    )
    errors = sum(n for code, n in result.statuses.items() if code != 200)
    if errors or result.slow or growth != result.views:
        failures.append("(c) errors, answers over the bound, or an inexact counter")

    load.stop_servers(procs)
    killed, untouched = import_killed(env, folder, args.database_url)
    if not untouched:
        failures.append("(d) a killed import left something written")
    if not killed:
        failures.append("(d) the import ended before it could be killed")

    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    load.log("all checks passed")


if __name__ == "__main__":
    main()
