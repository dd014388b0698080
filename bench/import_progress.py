"""Benchmark: importing a 50,000-row progress XLSX against a plain bulk upsert.

    .venv/bin/python bench/import_progress.py          (or: make bench-import)

In a throwaway database (a new PostgreSQL database on the server of DATABASE_URL,
or on 127.0.0.1 when one answers; a temporary SQLite file otherwise) it creates
units, a title with its indicators and the registrations, writes progress XLSX
files of 10,000 and 50,000 rows, and then times, each in its own process:

  baseline  openpyxl read-only parse + ONE bulk_create(update_conflicts=True)
  import    ``manage.py import_data progress FILE`` (validation, history rows,
            quarter-sheet versions, all-or-nothing)
  reimport  the same file again (idempotent: every row unchanged)

It prints the times, the ratio import / baseline (goal: at most 2x) and each
process's peak memory (ru_maxrss, and its growth during the timed work), for both
file sizes, to show that the import's memory does not grow with the file.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDICATORS_PER_CRITERION = 5
CRITERIA = 5  # 25 indicators per unit
QUARTERS = 4
ROWS_PER_UNIT = CRITERIA * INDICATORS_PER_CRITERION * QUARTERS  # 100
KINDS = ["co_khong", "ty_le", "so_luong", "diem", "ty_le"]


def django_setup(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # As in production: DEBUG would keep every SQL statement in memory.
    settings.DEBUG = False


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- phases (each run in a fresh process) -------------------------------------


def phase_setup(args):
    django_setup(args.db)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from kieumau.text import fold, vi_sort_key
    from registrations.models import Criterion, Indicator, Registration, Title
    from units.models import Unit

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("bench", password=None)
    title = Title.objects.create(code="BENCH", name="Cơ quan kiểu mẫu", kind="co_quan")
    codes = []
    for c in range(CRITERIA):
        criterion = Criterion.objects.create(
            title=title, code=f"TC{c}", name=f"Tiêu chí {c}", order=c
        )
        for i in range(INDICATORS_PER_CRITERION):
            kind = KINDS[i]
            numeric = {} if kind == "co_khong" else {"comparison": ">=", "target": 50}
            indicator = Indicator.objects.create(
                criterion=criterion,
                code=f"CT{c}.{i}",
                name=f"Chỉ tiêu {c}.{i}",
                kind=kind,
                order=i,
                **numeric,
            )
            codes.append((indicator.code, kind))
    units = args.rows // ROWS_PER_UNIT
    names = [f"Cơ quan số {n}" for n in range(units)]
    Unit.objects.bulk_create(
        Unit(
            code=f"CQ-{n:05d}",
            name=name,
            kind="co_quan",
            search_name=fold(name),
            name_sort_key=vi_sort_key(name),
        )
        for n, name in enumerate(names)
    )
    Registration.objects.bulk_create(
        Registration(unit=unit, title=title, year=2020) for unit in Unit.objects.all()
    )
    for size in args.sizes:
        write_xlsx(Path(args.workdir) / f"progress-{size}.xlsx", size, codes)


def write_xlsx(path, rows, codes):
    from django.utils import timezone
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("progress")
    sheet.append(["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"])
    year = timezone.localdate().year
    written = 0
    for n in range(rows // ROWS_PER_UNIT):
        for quarter in range(1, QUARTERS + 1):
            for k, (code, kind) in enumerate(codes):
                value = (
                    ("dat" if (n + k) % 3 else "chua_dat")
                    if kind == "co_khong"
                    else (round((n * 7 + k * 13 + quarter) % 1000 / 10, 1))
                )
                note = "đã kiểm tra" if (n + k) % 10 == 0 else None
                sheet.append([f"CQ-{n:05d}", year, quarter, code, value, note])
                written += 1
    workbook.save(path)
    assert written == rows, (written, rows)


def phase_baseline(args):
    django_setup(args.db)
    from decimal import Decimal

    import openpyxl
    from django.utils import timezone

    from registrations.models import Indicator, Progress
    from units.models import Unit

    units = dict(Unit.objects.values_list("code", "pk"))
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    rss_before = peak_rss_mb()
    if args.traced:
        tracemalloc.start()
    start = time.perf_counter()
    workbook = openpyxl.load_workbook(args.file, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
    now = timezone.now()
    objects = []
    for row in rows:
        unit, year, quarter, code, value, note = (*row, None, None)[:6]
        if value == "dat":
            value = 1
        elif value == "chua_dat":
            value = 0
        objects.append(
            Progress(
                unit_id=units[unit],
                indicator_id=indicators[code],
                year=int(year),
                quarter=int(quarter),
                value=Decimal(str(value)),
                note=note or "",
                updated_at=now,
            )
        )
    workbook.close()
    Progress.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["unit", "indicator", "year", "quarter"],
        update_fields=["value", "note", "updated_at"],
    )
    report(args, time.perf_counter() - start, rss_before, rows=len(objects))


def phase_parse(args):
    """openpyxl's read-only parse alone: part of both the baseline and the import."""
    django_setup(args.db)
    import openpyxl

    rss_before = peak_rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    workbook = openpyxl.load_workbook(args.file, read_only=True, data_only=True)
    rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    report(args, time.perf_counter() - start, rss_before, rows=rows - 1)


def phase_import(args):
    django_setup(args.db)
    import io

    import openpyxl  # noqa: F401 (loaded before measuring, as in the baseline)
    from django.core.management import call_command

    import imports.management.commands.import_data  # noqa: F401
    from registrations.models import Progress

    rss_before = peak_rss_mb()
    if args.traced:
        tracemalloc.start()
    start = time.perf_counter()
    out = io.StringIO()
    call_command("import_data", "progress", args.file, user="bench", stdout=out)
    elapsed = time.perf_counter() - start
    report(
        args,
        elapsed,
        rss_before,
        rows=Progress.objects.count(),
        history=Progress.history.count(),
        summary=out.getvalue().strip(),
    )


def phase_reset(args):
    django_setup(args.db)
    from django.db import connection

    from registrations.models import Progress, QuarterSheet

    # Plain SQL: a queryset delete would write one "-" history row per row.
    with connection.cursor() as cursor:
        for model in (Progress, Progress.history.model, QuarterSheet):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def report(args, seconds, rss_before, **extra):
    peak = peak_rss_mb()
    if tracemalloc.is_tracing():
        extra["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "growth_mb": peak - rss_before,
                **extra,
            }
        )
    )


PHASES = {
    "setup": phase_setup,
    "baseline": phase_baseline,
    "import": phase_import,
    "parse": phase_parse,
    "reset": phase_reset,
}


# --- orchestration --------------------------------------------------------------


def run_phase(name, db, workdir, file=None, rows=None, sizes=(), traced=False):
    command = [sys.executable, __file__, "--phase", name, "--db", db]
    command += ["--traced"] if traced else []
    command += ["--workdir", str(workdir)]
    if file:
        command += ["--file", str(file)]
    if rows:
        command += ["--rows", str(rows)]
    if sizes:
        command += ["--sizes", *map(str, sizes)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"phase {name} failed")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def throwaway_database(workdir):
    """(url, cleanup): a new PostgreSQL database when possible, else SQLite."""
    import dj_database_url

    given = os.environ.get("DATABASE_URL", "")
    server = (
        given
        if given.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432/postgres"
    )
    try:
        import psycopg2

        params = dj_database_url.parse(server)
        connect = {
            "host": params["HOST"] or "127.0.0.1",
            "port": params["PORT"] or 5432,
            "user": params["USER"] or "postgres",
            "password": params["PASSWORD"] or None,
            "dbname": "postgres",
            "connect_timeout": 3,
        }
        admin = psycopg2.connect(**connect)
    except Exception as exc:  # no PostgreSQL here: fall back to SQLite
        print(f"(PostgreSQL unavailable: {type(exc).__name__}; using SQLite)")
        return f"sqlite:///{workdir}/bench.sqlite3", lambda: None
    admin.autocommit = True
    name = f"km_bench_import_{os.getpid()}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = connect["user"] + (f":{connect['password']}" if connect["password"] else "")
    url = f"postgres://{auth}@{connect['host']}:{connect['port']}/{name}"

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--db")
    parser.add_argument("--workdir")
    parser.add_argument("--file")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sqlite", action="store_true", help="use a temporary SQLite database"
    )
    args = parser.parse_args()
    if args.phase:
        PHASES[args.phase](args)
        return
    sizes = sorted(args.sizes)
    # Interrupted runs still drop their throwaway database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("interrupted"))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as workdir:
        if args.sqlite:
            db, cleanup = f"sqlite:///{workdir}/bench.sqlite3", lambda: None
        else:
            db, cleanup = throwaway_database(workdir)
        try:
            engine = db.split(":", 1)[0]
            print(f"Database: {engine} (throwaway); sizes: {sizes}")
            run_phase("setup", db, workdir, rows=max(sizes), sizes=sizes)
            results = {}
            for size in sizes:
                file = Path(workdir) / f"progress-{size}.xlsx"
                run_phase("reset", db, workdir)
                base = run_phase("baseline", db, workdir, file=file)
                run_phase("reset", db, workdir)
                first = run_phase("import", db, workdir, file=file)
                again = run_phase("import", db, workdir, file=file)
                assert first["rows"] == size == first["history"] == again["history"], (
                    first,
                    again,
                )
                # Python heap peaks (tracemalloc slows the run: not timed).
                run_phase("reset", db, workdir)
                heap_base = run_phase("baseline", db, workdir, file=file, traced=True)
                run_phase("reset", db, workdir)
                heap = run_phase("import", db, workdir, file=file, traced=True)
                base["heap_peak_mb"] = heap_base["heap_peak_mb"]
                parse = run_phase("parse", db, workdir, file=file)
                first["parse_heap_mb"] = parse["heap_peak_mb"]
                first["heap_peak_mb"] = heap["heap_peak_mb"]
                results[size] = (base, first, again)
        finally:
            cleanup()
    print_table(results)


def print_table(results):
    """RSS figures are whole-process (Django included); heap is tracemalloc's."""
    print()
    print(
        f"{'rows':>7} {'phase':<10} {'seconds':>8} {'peak RSS MB':>12} "
        f"{'RSS growth MB':>14} {'heap peak MB':>13}"
    )
    for size, phases in results.items():
        for name, r in zip(("baseline", "import", "reimport"), phases, strict=True):
            heap = f"{r['heap_peak_mb']:>13.1f}" if "heap_peak_mb" in r else ""
            print(
                f"{size:>7} {name:<10} {r['seconds']:>8.2f} {r['peak_mb']:>12.1f} "
                f"{r['growth_mb']:>14.1f} {heap}"
            )
    print()
    for size, (base, first, again) in results.items():
        ratio = first["seconds"] / base["seconds"]
        verdict = "OK" if ratio <= 2 else "over the 2x goal"
        print(
            f"{size} rows: import / baseline = {ratio:.2f}x ({verdict}); "
            f"re-import / baseline = {again['seconds'] / base['seconds']:.2f}x"
        )
    small, large = min(results), max(results)
    parse = [results[size][1]["parse_heap_mb"] for size in (small, large)]
    print(
        f"openpyxl read-only parse alone: heap peak {parse[0]:.1f} MB at {small} "
        f"rows, {parse[1]:.1f} MB at {large} rows (its growth is in both runs)"
    )
    for index, name in ((1, "import"), (0, "baseline")):
        before, after = results[small][index], results[large][index]
        print(
            f"{name}: heap peak {before['heap_peak_mb']:.1f} MB at {small} rows, "
            f"{after['heap_peak_mb']:.1f} MB at {large} rows "
            f"(x{after['heap_peak_mb'] / before['heap_peak_mb']:.2f} "
            f"for x{large / small:.0f} rows)"
        )


if __name__ == "__main__":
    main()
