"""Benchmark: every district staff screen, cold, at 500 and 5,000 units.

    .venv/bin/python bench/staff.py                  (or: make bench-staff)
    .venv/bin/python bench/staff.py --sizes 500      (skip the 4M-row database)
    .venv/bin/python bench/staff.py --repeat 7       (more cold runs per screen)
    .venv/bin/python bench/staff.py --only /bao-cao/ (screens whose label has it)

Reuses bench/generate.py's databases km_bench_<size> (20 indicators per title,
40 quarters, N × 800 progress rows; generated first when missing) and adds, once,
what the staff screens need beyond them: a district staff account ("Cán bộ huyện",
staff status) and submitted unit reports for Q4/2017 (one unit in 20, with a value
for each indicator), so that the review screens have work. Neither changes a figure:
reports count only once accepted.

For each screen, in a fresh process per database with the shared cache (Redis
database 12 when it answers, else the database cache), a cold request is the first
one after the database connection was closed and the cache cleared: the median of
``--repeat`` such requests is printed with the page's size, next to the baseline
``SELECT count(*) FROM registrations_progress`` (a fresh connection each time) of
the same run, and the ratio time / baseline. The process's own CPU time of the
median request is printed too: on a shared machine it moves less than the wall time.

Targets (issue #16, PostgreSQL, 5,000 units / 4M rows): every screen under 300 ms
cold and 300 KB of HTML. Lines over either are marked with "!".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR, QUARTER = 2017, 4
LIMIT_MS, LIMIT_KB = 300, 300
STAFF = "bench-staff"
REPORT_EVERY = 20  # one unit in 20 has a submitted report for Q4/2017


def _redis_url():
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return ""
    return url


def prepare():
    """The staff account and the submitted reports (idempotent); returns the user."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from registrations.models import (
        Progress,
        QuarterReport,
        Registration,
        ReportedValue,
        ReportState,
    )
    from registrations.services import indicators_for_unit

    user, created = get_user_model().objects.get_or_create(
        username=STAFF, defaults={"is_staff": True}
    )
    if created:
        user.groups.add(Group.objects.get(name="Cán bộ huyện"))
    if QuarterReport.objects.filter(year=YEAR, quarter=QUARTER).exists():
        return user
    with transaction.atomic():
        unit_ids = sorted(
            Registration.objects.active()
            .filter(year=YEAR)
            .values_list("unit_id", flat=True)
            .distinct()
        )[::REPORT_EVERY]
        now = timezone.now()
        reports = QuarterReport.objects.bulk_create(
            QuarterReport(
                unit_id=unit_id,
                year=YEAR,
                quarter=QUARTER,
                state=ReportState.SUBMITTED,
                submitted_at=now,
            )
            for unit_id in unit_ids
        )
        values = []
        for report in reports:
            accepted = dict(
                Progress.objects.filter(
                    unit_id=report.unit_id, year=YEAR, quarter=QUARTER
                ).values_list("indicator_id", "value")
            )
            for indicator in indicators_for_unit(report.unit):
                values.append(
                    ReportedValue(
                        report=report,
                        indicator=indicator,
                        value=accepted.get(indicator.pk, 1),
                        explanation="Số liệu của đơn vị (benchmark)",
                    )
                )
        ReportedValue.objects.bulk_create(values, batch_size=5000)
    return user


def screens():
    """(label, url) of every staff screen, for the database of this process."""
    from registrations.models import Criterion, QuarterReport, Registration
    from units.models import UnitKind

    period = f"nam={YEAR}&quy={QUARTER}"
    report = (
        QuarterReport.objects.filter(year=YEAR, quarter=QUARTER)
        .select_related("unit")
        .order_by("unit__code")
        .first()
    )
    village = (
        Registration.objects.active()
        .filter(year=YEAR, unit__kind=UnitKind.THON)
        .select_related("unit")
        .order_by("unit__code")
        .first()
        .unit
    )
    criterion = Criterion.objects.filter(title__kind=UnitKind.THON).order_by("pk")[0]
    indicator = criterion.indicators.order_by("pk")[0]
    commune = village.parent.code
    rows = [
        ("/bao-cao/", f"/bao-cao/?{period}"),
        ("/bao-cao/ all sections .xlsx", f"/bao-cao/xuat/tat-ca.xlsx?{period}"),
        ("/bao-cao/ scorecard .xlsx", f"/bao-cao/xuat/bang-diem.xlsx?{period}"),
        ("/bao-cao/ ahead, page 1", f"/bao-cao/muc/vuot-lo-trinh/?{period}"),
        ("/bao-cao/ scorecard, page 1", f"/bao-cao/muc/bang-diem/?{period}"),
        ("/bao-cao/ scorecard, page 20", f"/bao-cao/muc/bang-diem/?{period}&page=20"),
        (
            "/bao-cao/ not met, a criterion",
            f"/bao-cao/muc/chua-dat/{criterion.pk}/?{period}",
        ),
        ("work list", f"/bao-cao/tien-do/{YEAR}/{QUARTER}/"),
        (
            "work list, submitted",
            f"/bao-cao/tien-do/{YEAR}/{QUARTER}/?trang_thai=da-nop",
        ),
        ("work list .xlsx", f"/bao-cao/tien-do/{YEAR}/{QUARTER}/day-du.xlsx"),
        ("review detail", f"/bao-cao/tien-do/{YEAR}/{QUARTER}/{report.unit.code}/"),
        ("admin: unit reports list", "/admin/registrations/quarterreport/"),
        (
            "quarter overview",
            f"/admin/registrations/progress/nhap-quy/?{period}",
        ),
        (
            "quarter overview, missing only",
            f"/admin/registrations/progress/nhap-quy/?{period}&thieu=on",
        ),
        (
            "entry screen, one unit",
            f"/admin/registrations/progress/nhap-quy/{village.code}/{YEAR}/{QUARTER}/",
        ),
        (
            "bulk entry, one indicator",
            f"/admin/registrations/progress/nhap-quy/hang-loat/?{period}"
            f"&muc=ct-{indicator.pk}",
        ),
        (
            "bulk entry, a criterion, a commune",
            f"/admin/registrations/progress/nhap-quy/hang-loat/?{period}"
            f"&muc=tc-{criterion.pk}&xa={commune}",
        ),
        ("admin: progress, year filter", f"/admin/registrations/progress/?year={YEAR}"),
        ("admin: progress, unfiltered", "/admin/registrations/progress/"),
        ("admin: registrations", "/admin/registrations/registration/"),
        (
            "admin: registrations, year filter",
            f"/admin/registrations/registration/?year__exact={YEAR}",
        ),
        ("admin: units", "/admin/units/unit/"),
    ]
    return rows


def child(repeat, only=()):
    """Measure in this process (started with the environment of one database)."""
    from bench.generate import django_setup

    django_setup(os.environ["DATABASE_URL"])
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    user = prepare()
    client = Client()

    def cold(function):
        """Median wall and CPU seconds of ``repeat`` cold calls, and the last result."""
        walls, cpus, result = [], [], None
        for _ in range(repeat):
            cache.clear()
            client.force_login(user)
            connection.close()
            started, cpu = time.perf_counter(), time.process_time()
            result = function()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        return statistics.median(walls), statistics.median(cpus), result

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registrations_progress")
            return cursor.fetchone()[0]

    count_all()  # warm PostgreSQL's buffers, as the pages' first runs do
    baseline, _, rows = cold(count_all)
    result = {"rows": rows, "baseline": baseline, "screens": []}
    for label, url in screens():
        if only and not any(text in label for text in only):
            continue
        client.force_login(user)
        response = client.get(url)  # warm the code paths and the templates
        if response.status_code == 404:
            result["screens"].append({"label": label, "url": url, "missing": True})
            continue
        wall, cpu, response = cold(lambda url=url: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        result["screens"].append(
            {
                "label": label,
                "url": url,
                "wall": wall,
                "cpu": cpu,
                "bytes": len(response.content),
                "html": response["Content-Type"].startswith("text/html"),
            }
        )
    print(json.dumps(result))


def run_size(size, repeat, only=()):
    from bench.generate import database_url

    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--units", str(size)],
        check=True,
        stdout=sys.stderr,
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        # As bench/summary.py: DEBUG off, plain http on the test client.
        "DEBUG": "false",
        "KIEUMAU_TESTING": "true",
        "VISIT_COUNTER_ENABLED": "false",
        "REDIS_URL": _redis_url(),
        "CACHE_KEY_PREFIX": f"km-bench-staff-{size}",
    }
    args = [sys.executable, __file__, "--child", "--repeat", str(repeat)]
    args += [f"--only={text}" for text in only]
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"measuring {size} units failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results, repeat):
    sizes = list(results)
    print(
        f"\nStaff screens, cold (connection closed, cache cleared), median of "
        f"{repeat}; ratio = time / count(*) baseline of the same run; "
        f"'!' = over {LIMIT_MS} ms or {LIMIT_KB} KB"
    )
    for size in sizes:
        r = results[size]
        print(
            f"  {size:>5} units: {r['rows']:>9,} progress rows, "
            f"count(*) baseline {r['baseline'] * 1000:6.1f} ms"
        )
    head = f"\n{'screen':38}"
    for size in sizes:
        head += f" | {size:>5}: {'ms':>6} {'cpu':>5} {'KB':>6} {'ratio':>5}"
    print(head)
    labels = [s["label"] for s in results[sizes[0]]["screens"]]
    over = {True: [], False: []}  # HTML screens, downloads (workbooks)
    for index, label in enumerate(labels):
        line = f"{label[:38]:38}"
        for size in sizes:
            s = results[size]["screens"][index]
            if s.get("missing"):
                line += f" | {'(not built: 404)':>29}"
                continue
            ms, kb = s["wall"] * 1000, s["bytes"] / 1024
            ratio = s["wall"] / results[size]["baseline"]
            flag = "!" if ms > LIMIT_MS or (s["html"] and kb > LIMIT_KB) else " "
            if flag == "!" and size == sizes[-1]:
                over[s["html"]].append(label)
            cpu = s["cpu"] * 1000
            line += f" | {'':6} {ms:6.0f} {cpu:5.0f} {kb:6.1f} {ratio:5.2f}{flag}"
        print(line)
    for html, kind in [(True, "Screens (HTML)"), (False, "Downloads (workbooks)")]:
        print(
            f"{kind} over {LIMIT_MS} ms or {LIMIT_KB} KB at {sizes[-1]} units: "
            + (", ".join(over[html]) or "none")
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the screens whose label contains this (repeatable)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat, args.only)
        return
    results = {size: run_size(size, args.repeat, args.only) for size in args.sizes}
    report(results, args.repeat)


if __name__ == "__main__":
    main()
