"""Load benchmark: the portal as deployed (two gunicorn instances, PostgreSQL, Redis).

    make bench-load            # or: .venv/bin/python bench/load.py [--duration 10]

What it does, in one run, on loopback only:
1. Recreates a dedicated database (km_load), migrates it and loads the demo; empties
   a dedicated Redis database (12); collects static files.
2. Starts two gunicorn instances (127.0.0.1:18101 and :18102) with the production
   settings (DEBUG off, behind-proxy mode) plus one extra URL, a bare Django view
   returning fixed HTML as large as the home page: the ceiling.
3. Measures the targets in turns: --rounds rounds, each running every target once
   (in a rotating order) for --duration seconds after a --warmup, with one wrk per
   port hitting both instances at once. Per target it prints the median requests/s
   and p99 latency, and its ratio to the ceiling: the median of the ratios taken
   round by round, each against the ceiling measured seconds apart. On a shared
   machine whose capacity drifts (another tenant, CPU steal), taking turns and
   medians is what keeps a ratio meaningful; the per-round ratios are printed too.
4. Restarts the instances with VISIT_COUNTER_ENABLED=false and measures the ceiling
   and the home page again the same way: the counter's cost as a ratio.
5. Checks that the visit counter grew by exactly the number of page requests wrk
   completed with the counter on (every HTML target, warm-ups included).
Everything it started is stopped on exit (also on Ctrl-C or an error).

Exact counting with wrk: every wrk thread drives a single connection and a Lua
response() hook stops the thread after a response once the time is up, so no
request is left in flight when wrk stops; the server has answered exactly the
requests wrk reports (wrk's own -d timer is set later and never fires first).
"""

import argparse
import atexit
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from statistics import median

BASE_DIR = Path(__file__).resolve().parent.parent
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
OUT_DIR = BASE_DIR / "bench" / "out"
PORTS = (18101, 18102)
GOAL = 0.75  # anonymous public pages against the ceiling, in req/s (issue #12)
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
HEADERS = {
    "User-Agent": BROWSER_UA,
    "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi-VN,vi;q=0.9",
    "X-Forwarded-Proto": "https",  # as nginx says it (BEHIND_PROXY=true)
}

LUA = """
-- LuaJIT (Debian's wrk): microsecond clock through the FFI.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } km_timeval;
int gettimeofday(km_timeval *tv, void *tz);
]]
local tv = ffi.new("km_timeval")
local function now_us()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000000 + tonumber(tv.tv_usec)
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  started_us = now_us()
  stopped_us = 0
  deadline_us = started_us + tonumber(args[1]) * 1000000
end

-- One connection per thread: stopping right after a response leaves nothing in
-- flight, so the server answered exactly the requests wrk counts.
function response(status, headers, body)
  local t = now_us()
  if t >= deadline_us then
    stopped_us = t
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last, unstopped = nil, 0, 0
  for _, thread in ipairs(threads) do
    local s, e = thread:get("started_us"), thread:get("stopped_us")
    if first == nil or s < first then first = s end
    if e == 0 then unstopped = unstopped + 1 end
    if e > last then last = e end
  end
  io.write(string.format("KM_ACTIVE_US %d\\n", last - first))
  io.write(string.format("KM_UNSTOPPED %d\\n", unstopped))
end
"""

GRACE = 5  # seconds wrk waits after the deadline for the last answers

_children = []


def log(message):
    print(message, flush=True)


def stop_children():
    while _children:
        proc = _children.pop()
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _on_signal(signum, frame):
    stop_children()
    sys.exit(128 + signum)


def run(cmd, env, **kwargs):
    result = subprocess.run(
        cmd, env=env, cwd=BASE_DIR, capture_output=True, text=True, **kwargs
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env, args):
    db = args.database_url.rsplit("/", 1)
    admin_url = f"{db[0]}/postgres"
    name = db[1]
    if not re.fullmatch(r"km_[a-z0-9_]+", name):
        sys.exit(f"refusing to recreate a database not named km_…: {name}")
    log(f"== preparing {name} (migrate, load_demo) and Redis {args.redis_url}")
    psql = shutil.which("psql")
    if not psql:
        sys.exit("psql is needed (postgresql-client)")
    for sql in (
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    ):
        run([psql, admin_url, "-qc", sql], env)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "load_demo"], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    import redis  # the project's own dependency

    redis.Redis.from_url(args.redis_url).flushdb()


def server_env(args, counter_on):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "GUNICORN_"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        BEHIND_PROXY="true",
        DJANGO_SETTINGS_MODULE="bench.settings",
        VISIT_COUNTER_ENABLED="true" if counter_on else "false",
        COUNTER_CLIENT_LIMIT="0",  # every request comes from one address
        GUNICORN_WORKERS=str(args.workers),
        # No worker recycling in the middle of a measurement.
        GUNICORN_MAX_REQUESTS="1000000",
        LOG_LEVEL="WARNING",
    )
    return env


def start_servers(env, logfile):
    procs = []
    for port in PORTS:
        proc = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            cwd=BASE_DIR,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _children.append(proc)
        procs.append(proc)
    deadline = time.monotonic() + 60
    for port in PORTS:
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                sys.exit(f"gunicorn on :{port} did not start (see {logfile.name})")
            time.sleep(0.3)
    return procs


def stop_servers(procs):
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=30)
        _children.remove(proc)


def fetch(path, port=PORTS[0]):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


_LATENCY = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path, seconds, connections, lua_file):
    """Both instances at once.

    Returns (req/s summed, p99 ms worst, completed, waiting): ``waiting`` counts
    the connections still waiting for an answer when wrk gave up (see ``rounds``).
    """
    header_args = [arg for k, v in HEADERS.items() for arg in ("-H", f"{k}: {v}")]
    procs = []
    for port in PORTS:
        cmd = ["wrk", f"-t{connections}", f"-c{connections}", "--latency"]
        cmd += [f"-d{seconds + GRACE}s", "--timeout", "10s", *header_args]
        cmd += ["-s", lua_file, f"http://127.0.0.1:{port}{path}", "--", str(seconds)]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    rps = p99 = 0.0
    completed = errors = waiting = 0
    for port, proc in zip(PORTS, procs, strict=True):
        out, _ = proc.communicate(timeout=seconds + 60)
        if proc.returncode != 0:
            sys.exit(f"wrk failed on {path}:\n{out}")
        summary = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
        done = int(summary.group(1))
        active_us = int(re.search(r"KM_ACTIVE_US (\d+)", out).group(1))
        unstopped = int(re.search(r"KM_UNSTOPPED (\d+)", out).group(1))
        waiting += unstopped
        if unstopped:
            # A connection got no answer after the deadline (e.g. a slow connect):
            # fall back on wrk's own run time (lower rate); the counter check
            # below then shows whether a request was cut off in flight.
            log(f"   note: a connection on :{port} was still waiting at the end")
            scale = 1e3 if summary.group(3) == "ms" else 1e6
            active_us = int(float(summary.group(2)) * scale)
        # wrk's own Requests/sec divides by its -d timer; the threads stopped
        # earlier, at the end of their last response.
        rps += done / (active_us / 1e6)
        completed += done
        match = _LATENCY.search(out)
        p99 = max(p99, float(match.group(1)) * _UNITS[match.group(2)])
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(bad.group(1)) if bad else 0
        socket_errors = re.search(r"Socket errors: (.*)", out)
        if socket_errors:
            log(f"   socket errors on {path}: {socket_errors.group(1)}")
    if errors:
        sys.exit(f"{path}: {errors} responses were not 2xx/3xx")
    return rps, p99, completed, waiting


def _descendants(pid):
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split()
            todo.extend(int(child) for child in children)
    return found


def server_cpu_seconds(procs, redis_pid):
    """CPU time used so far by the gunicorn masters and workers and by Redis.

    Time the hypervisor gives to other tenants (steal) is not in it, so CPU time
    per request compares the targets' costs even when the machine's speed drifts.
    """
    ticks = 0
    pids = [p for proc in procs for p in _descendants(proc.pid)]
    for pid in [*pids, redis_pid]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rounds(targets, args, lua_file, counted, procs, redis_pid):
    """``args.rounds`` rounds, each measuring every target once, in turns.

    Returns ({label: [(req/s, p99 ms) per round]}, completed requests of the
    ``counted`` targets, warm-ups included, and how many of their connections were
    still waiting when wrk gave up). The order rotates every round, so no target
    always follows the same neighbour or always comes first.

    A waiting connection has at most one request in flight, which the server may
    answer (and count) after wrk has left: gunicorn's sync workers serve one
    connection at a time, and a thread that stopped can leave a just-opened
    connection holding a worker until wrk exits. The counter check allows exactly
    that many, no more.
    """
    results = {label: [] for label, _ in targets}
    cpu = {label: [0.0, 0] for label, _ in targets}  # CPU seconds, requests
    views = waiting = 0
    for n in range(args.rounds):
        shift = n % len(targets)
        for label, path in targets[shift:] + targets[:shift]:
            _, _, warm, warm_waiting = wrk(
                path, args.warmup, args.connections, lua_file
            )
            used = server_cpu_seconds(procs, redis_pid)
            rps, p99, completed, still = wrk(
                path, args.duration, args.connections, lua_file
            )
            cpu[label][0] += server_cpu_seconds(procs, redis_pid) - used
            cpu[label][1] += completed
            results[label].append((rps, p99))
            if label in counted:
                views += warm + completed
                waiting += warm_waiting + still
        log(
            f"   round {n + 1}: "
            + ", ".join(f"{label} {results[label][-1][0]:.0f}" for label, _ in targets)
            + " req/s"
        )
    cpu_us = {label: 1e6 * used / max(n, 1) for label, (used, n) in cpu.items()}
    return results, views, waiting, cpu_us


def redis_process_id(url):
    import redis  # the project's own dependency

    return int(redis.Redis.from_url(url).info("server")["process_id"])


def counter_total(env):
    """The counter's exact total (pending Redis counts folded in, no cache)."""
    out = run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from portal import counter; print(counter.compute_stats()['tat_ca'])",
        ],
        {**env, "LOG_LEVEL": "ERROR"},
    )
    return int(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration", type=int, default=4, help="seconds per URL and round"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds (URLs in turn)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds before each")
    parser.add_argument(
        "--connections", type=int, default=4, help="connections per instance"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="workers per instance (as deployed)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/km_load"
        ),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    )
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        host = re.search(r"@?([^@/:]+)(:\d+)?/", url.split("://", 1)[1])
        if host and host.group(1) not in {"127.0.0.1", "localhost", "::1"}:
            sys.exit(f"loopback only: {url}")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")

    atexit.register(stop_children)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    logfile = (OUT_DIR / f"load-{stamp}.gunicorn.log").open("w")
    lua_file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    lua_file.write(LUA)
    lua_file.close()
    atexit.register(os.unlink, lua_file.name)

    env_on = server_env(args, counter_on=True)
    prepare({**env_on, "DJANGO_SETTINGS_MODULE": "kieumau.settings"}, args)

    log(f"== counter on: 2 instances × {args.workers} workers, ports {PORTS}")
    procs = start_servers(env_on, logfile)
    _, home = fetch("/")
    size = len(home)
    _, listing = fetch("/tin-tuc/")
    slug = re.search(rb'href="(/tin-tuc/[^"/?#]+/)"', listing)
    if not slug:
        sys.exit("no article link on /tin-tuc/")
    article = slug.group(1).decode()
    ceiling = f"/__bench__/ceiling/?bytes={size}"
    status, body = fetch(ceiling)
    assert status == 200 and len(body) == size, (status, len(body), size)
    targets = [
        ("ceiling (bare view)", ceiling),
        ("/", "/"),
        ("/tin-tuc/", "/tin-tuc/"),
        ("article", article),
        ("/tien-do/", "/tien-do/"),
        ("/api/tong-hop/", "/api/tong-hop/?nam=2017&quy=1"),
    ]
    # Every HTML page is a counted page view, the ceiling included; the JSON is not.
    counted = {label for label, path in targets if not path.startswith("/api/")}
    before = counter_total(env_on)
    redis_pid = redis_process_id(args.redis_url)
    on, views, in_flight, cpu_on = rounds(
        targets, args, lua_file.name, counted, procs, redis_pid
    )
    after = counter_total(env_on)
    stop_servers(procs)

    log("== counter off (VISIT_COUNTER_ENABLED=false)")
    env_off = server_env(args, counter_on=False)
    procs = start_servers(env_off, logfile)
    off, _, _, _ = rounds(targets[:2], args, lua_file.name, set(), procs, redis_pid)
    stop_servers(procs)

    lines = [
        "",
        f"Load benchmark {stamp}: 2 gunicorn instances × {args.workers} sync workers, "
        f"PostgreSQL + Redis, wrk {args.connections} connections per instance; "
        f"{args.rounds} rounds of {args.duration} s per URL, the URLs taking turns "
        f"(medians shown); home page {size:,} bytes.",
        "",
        f"{'target':<24}{'req/s':>9}{'p99 ms':>9}{'× ceiling':>11}{'p99 ×':>8}"
        f"{'CPU µs/req':>12}{'× ceiling':>11}{'  req/s × ceiling, each round'}",
    ]
    ratios = {}
    for label, _path in targets:
        rps = median(r for r, _ in on[label])
        p99 = median(p for _, p in on[label])
        # Each round's ratio is taken against the ceiling of the same round, a few
        # seconds apart: the host's drift cancels out, and the median drops a round
        # that another tenant of the machine disturbed.
        each = [
            r / c for (r, _), (c, _) in zip(on[label], on[targets[0][0]], strict=True)
        ]
        ratios[label] = median(each)
        base_p99 = median(p for _, p in on[targets[0][0]])
        cost = cpu_on[label]
        lines.append(
            f"{label:<24}{rps:9.1f}{p99:9.1f}{ratios[label]:11.2f}"
            f"{p99 / base_p99:8.1f}{cost:12.0f}{cpu_on[targets[0][0]] / cost:11.2f}  "
            + " ".join(f"{x:.2f}" for x in each)
        )
    public = ["/", "/tin-tuc/", "article", "/tien-do/"]
    worst = min(ratios[label] for label in public)
    worst_cpu = min(cpu_on[targets[0][0]] / cpu_on[label] for label in public)
    lines += [
        "",
        "CPU µs/req: CPU time of the gunicorn processes and Redis per request (wrk",
        "and PostgreSQL not included); its ratio is the throughput ratio a saturated",
        "machine would show, without the drift of a shared host.",
        f"Anonymous public pages (counter on): worst {worst:.2f} × ceiling in req/s "
        f"(goal ≥ {GOAL:.2f}: {'met' if worst >= GOAL else 'MISSED'}), worst "
        f"{worst_cpu:.2f} × ceiling in CPU per request",
    ]
    home_ratio = median(a / b for (a, _), (b, _) in zip(on["/"], off["/"], strict=True))
    ceiling_ratio = median(
        a / b
        for (a, _), (b, _) in zip(on[targets[0][0]], off[targets[0][0]], strict=True)
    )
    lines.append(
        f"Home page, counter on / off: {home_ratio:.2f} "
        f"(goal ≥ 0.90: {'met' if home_ratio >= 0.90 else 'MISSED'}); "
        f"ceiling on / off: {ceiling_ratio:.2f} (on and off run minutes apart: "
        "host drift included)"
    )
    extra = after - before - views
    exact = 0 <= extra <= in_flight
    lines.append(
        f"Visit counter: {before:,} → {after:,} (+{after - before:,}); wrk completed "
        f"{views:,} page requests (warm-ups included), {in_flight} more were in "
        f"flight when wrk gave up and {extra} of them were answered and counted "
        f"after it left: {'exact' if exact else 'MISMATCH'}"
    )
    results = {"on": on, "off": off, "ratios": ratios, "cpu_us_per_request": cpu_on}
    report = "\n".join(lines)
    log(report)
    (OUT_DIR / f"load-{stamp}.txt").write_text(report + "\n")
    (OUT_DIR / f"load-{stamp}.json").write_text(json.dumps(results, indent=1))
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
