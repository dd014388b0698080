"""Benchmark: /api/tong-hop/ and /tien-do/<year>/ at 50, 500 and 5,000 units.

    .venv/bin/python bench/summary.py                 (or: make bench-summary)
    .venv/bin/python bench/summary.py --sizes 50 500  (skip the 4M-row database)

For each size it makes sure the database km_bench_<size> is filled
(bench/generate.py: 20 indicators per title, 40 quarters, N × 800 progress rows),
then, in a fresh process on that database with the shared cache (Redis when
REDIS_URL or 127.0.0.1:6379 answers, database 12; otherwise the database cache):

  baseline    SELECT count(*) FROM registrations_progress (a plain aggregate over
              the whole table), and the latest-value query alone (the correlated
              subquery for every registered unit and indicator, no grouping)
  api cold    GET /api/tong-hop/?nam=2017&quy=4 with the figures' cache made stale
  api auto    GET /api/tong-hop/?nam=2017 (default quarter: one query more), cold
  api cached  the same request again (cache hit)
  dashboard   GET /tien-do/2017/ cold and cached

Medians of several runs; each time is also printed as a ratio of the count(*)
baseline measured in the same run. Peak Python memory (tracemalloc) of one cold
summary shows that memory grows with the units, not with the progress rows.
EXPLAIN (ANALYZE, BUFFERS) of the main query is printed for the largest size.

Targets (PostgreSQL, 5,000 units, 4M rows): summary under 1 s cold, under 50 ms
cached.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR, QUARTER = 2017, 4
REPEAT_COLD = 5
REPEAT_CACHED = 50


def _redis_url():
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return ""
    return url


def _timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def child(size, explain):
    """Measure in this process (started with the environment of one database)."""
    from bench.generate import django_setup

    django_setup(os.environ["DATABASE_URL"])
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from registrations import figures
    from registrations.figures import rules
    from registrations.models import Progress

    client = Client()

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registrations_progress")
            cursor.fetchone()

    def latest_values_alone():
        # The latest-value subquery for every (registration, indicator), no
        # grouping, no met rule: the floor of the main query.
        rows = (
            rules.pairs(YEAR)
            .annotate(v=rules.latest_value(YEAR, QUARTER))
            .values_list("v")
        )
        len(list(rows))

    def cold(url):
        def run():
            figures.invalidate()
            get(url)

        return run

    cache.clear()
    get("/api/tong-hop/?nam=2017&quy=4")  # warm connections and PostgreSQL buffers
    result = {
        "size": size,
        "rows": Progress.objects.count(),
        "registrations": figures.registrations(YEAR).count(),
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "count_all": _timed(count_all, REPEAT_COLD),
        "latest_alone": _timed(latest_values_alone, REPEAT_COLD),
        "api_cold": _timed(
            cold(f"/api/tong-hop/?nam={YEAR}&quy={QUARTER}"), REPEAT_COLD
        ),
        "api_auto_cold": _timed(cold(f"/api/tong-hop/?nam={YEAR}"), REPEAT_COLD),
        "api_q1_cold": _timed(cold(f"/api/tong-hop/?nam={YEAR}&quy=1"), REPEAT_COLD),
    }
    get(f"/api/tong-hop/?nam={YEAR}&quy={QUARTER}")
    result["api_cached"] = _timed(
        lambda: get(f"/api/tong-hop/?nam={YEAR}&quy={QUARTER}"), REPEAT_CACHED
    )
    result["dashboard_cold"] = _timed(cold(f"/tien-do/{YEAR}/"), REPEAT_COLD)
    get(f"/tien-do/{YEAR}/")
    result["dashboard_cached"] = _timed(lambda: get(f"/tien-do/{YEAR}/"), REPEAT_CACHED)

    figures.invalidate()
    tracemalloc.start()
    figures.summary(YEAR, QUARTER)
    result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()

    if explain:
        in_quarter, earlier = rules.criteria_met_querysets(YEAR, QUARTER)
        result["explain"] = "\n".join(
            [
                "-- values entered in the reported quarter (join):",
                in_quarter.explain(analyze=True, buffers=True),
                "-- pairs without a value in that quarter, worst case (every"
                " registration lacks one; normally only those that do):",
                earlier.explain(analyze=True, buffers=True),
            ]
        )
    print(json.dumps(result))


def run_size(size, explain):
    from bench.generate import database_url

    # Each database in its own process: Django is set up once per process.
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--units", str(size)],
        check=True,
        stdout=sys.stderr,
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        # DEBUG off (cached templates, no query log); KIEUMAU_TESTING relaxes only
        # what plain http on the test client needs (hosts, SSL redirect, plain
        # static storage without a collectstatic manifest).
        "DEBUG": "false",
        "KIEUMAU_TESTING": "true",
        "VISIT_COUNTER_ENABLED": "false",
        "REDIS_URL": _redis_url(),
        "CACHE_KEY_PREFIX": f"km-bench-{size}",
    }
    args = [sys.executable, __file__, "--child", str(size)]
    if explain:
        args.append("--explain")
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"measuring {size} units failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ms(seconds):
    return f"{seconds * 1000:9.1f}"


def report(results):
    print(
        f"\nSummary figures, registrations for {YEAR}, report on Q{QUARTER}/{YEAR} "
        f"(medians; ratio = time / count(*) baseline of the same run)"
    )
    print(f"cache backend: {results[0]['cache']}\n")
    rows = [
        ("baseline: SELECT count(*) over progress", "count_all"),
        ("baseline: latest-value query alone", "latest_alone"),
        ("/api/tong-hop/?nam&quy=4, cold", "api_cold"),
        ("/api/tong-hop/?nam&quy=1, cold", "api_q1_cold"),
        ("/api/tong-hop/?nam (default quarter), cold", "api_auto_cold"),
        ("/api/tong-hop/ cached", "api_cached"),
        ("/tien-do/<year>/, cold", "dashboard_cold"),
        ("/tien-do/<year>/, cached", "dashboard_cached"),
    ]
    header = f"{'':44}" + "".join(f"{r['size']:>10,} units  ratio" for r in results)
    print(header)
    print(f"{'progress rows':44}" + "".join(f"{r['rows']:>17,}      " for r in results))
    for label, key in rows:
        line = f"{label:44}"
        for r in results:
            line += f"{ms(r[key])} ms {r[key] / r['count_all']:6.2f}x"
        print(line)
    print(
        f"{'peak Python memory of one summary (MB)':44}"
        + "".join(f"{r['peak_mb']:9.1f} MB        " for r in results)
    )
    largest = results[-1]
    api = largest["api_cold"]
    print(
        f"\nTargets at {largest['size']:,} units: cold {ms(api).strip()} ms "
        f"({'met' if api < 1 else 'MISSED'}, < 1000 ms); cached "
        f"{ms(largest['api_cached']).strip()} ms "
        f"({'met' if largest['api_cached'] < 0.05 else 'MISSED'}, < 50 ms)"
    )
    if "explain" in largest:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS), main query, {largest['size']:,} units:")
        print(largest["explain"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.explain)
        return
    sizes = sorted(args.sizes)
    results = [run_size(size, explain=size == sizes[-1]) for size in sizes]
    report(results)


if __name__ == "__main__":
    main()
