"""Fill a dedicated PostgreSQL database with a district of N units for the benchmarks.

    .venv/bin/python bench/generate.py --units 5000        (database km_bench_5000)

Creates the database if needed (on the server of BENCH_DATABASE_SERVER, default
postgres://postgres@127.0.0.1:5432), migrates it, and loads:

- N units: 10 % agencies, 2 % communes, 70 % villages, 18 % schools (the three
  levels in turn), roadmap years 2016–2019;
- four titles (one per unit kind), each with 5 criteria of 4 indicators (20
  indicators per title, every indicator kind and comparison);
- one registration per unit: 90 % for 2017, 10 % for 2018, 5 % of all revoked;
- progress for every unit and indicator of its title in 40 quarters (Q1/2008 to
  Q4/2017), values drifting towards the target: N × 20 × 40 rows (4,000,000 at
  5,000 units), written with COPY.

Nothing is regenerated when the database already holds this size (``--force`` to
redo). Ends with VACUUM ANALYZE so that plans and index-only scans are realistic.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
FIRST_YEAR, LAST_YEAR = 2008, 2017  # 40 quarters
CRITERIA, INDICATORS_PER_CRITERION = 5, 4
COPY_CHUNK = 250_000
# (kind, comparison, target, low, high): values drawn between low and high.
INDICATOR_SHAPES = [
    ("co_khong", "", None, 0, 1),
    ("ty_le", ">=", 90, 60, 100),
    ("ty_le", "<=", 3, 0, 12),
    ("so_luong", ">=", 2, 0, 4),
    ("diem", "=", 10, 6, 10),
]


def database_url(units):
    return f"{SERVER}/km_bench_{units}"


def ensure_database(name):
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def django_setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def expected_rows(units):
    return (
        units * CRITERIA * INDICATORS_PER_CRITERION * (LAST_YEAR - FIRST_YEAR + 1) * 4
    )


def already_loaded(units):
    from registrations.models import Progress
    from units.models import Unit

    return Unit.objects.count() == units and Progress.objects.count() == expected_rows(
        units
    )


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registrations_progress, registrations_historicalprogress, "
            "registrations_registration, registrations_historicalregistration, "
            "registrations_quartersheet, registrations_indicator, "
            "registrations_criterion, registrations_title, units_unit_heads, "
            "units_unit RESTART IDENTITY CASCADE"
        )


def make_catalogue():
    from registrations.models import Criterion, Indicator, Title

    titles = {}
    for kind, name in [
        ("co_quan", "Cơ quan, đơn vị kiểu mẫu"),
        ("xa", "Xã kiểu mẫu"),
        ("thon", "Thôn, khu phố kiểu mẫu"),
        ("truong", "Trường học kiểu mẫu"),
    ]:
        title = Title.objects.create(code=f"BENCH_{kind.upper()}", name=name, kind=kind)
        indicators = []
        for c in range(1, CRITERIA + 1):
            criterion = Criterion.objects.create(
                title=title, code=f"TC{c:02d}", name=f"Tiêu chí {c} ({name})", order=c
            )
            for i in range(1, INDICATORS_PER_CRITERION + 1):
                shape = INDICATOR_SHAPES[(c * INDICATORS_PER_CRITERION + i) % 5]
                kind_, comparison, target, low, high = shape
                indicators.append(
                    (
                        Indicator.objects.create(
                            criterion=criterion,
                            code=f"{title.code}.{c:02d}.{i}",
                            name=f"Chỉ tiêu {c}.{i}",
                            kind=kind_,
                            comparison=comparison,
                            target=target,
                            order=i,
                        ),
                        shape,
                    )
                )
        titles[kind] = (title, indicators)
    return titles


def make_units(count, rng):
    from kieumau.text import fold, vi_sort_key
    from units.models import Unit

    def unit(code, name, kind, **extra):
        return Unit(
            code=code,
            name=name,
            kind=kind,
            search_name=fold(name),
            name_sort_key=vi_sort_key(name),
            roadmap_year=rng.choice([2016, 2017, 2018, 2018, 2019]),
            **extra,
        )

    communes_n = max(1, count * 2 // 100)
    agencies_n = count // 10
    schools_n = count * 18 // 100
    villages_n = count - communes_n - agencies_n - schools_n
    communes = Unit.objects.bulk_create(
        [unit(f"XA-{i:05d}", f"Xã Đông Số {i}", "xa") for i in range(communes_n)]
    )
    levels = ["mam_non", "tieu_hoc", "thcs"]
    others = [
        unit(f"CQ-{i:05d}", f"Cơ quan số {i}", "co_quan") for i in range(agencies_n)
    ]
    others += [
        unit(
            f"THON-{i:05d}",
            f"Thôn {i}, {communes[i % communes_n].name}",
            "thon",
            parent=communes[i % communes_n],
        )
        for i in range(villages_n)
    ]
    others += [
        unit(
            f"TR-{i:05d}",
            f"Trường số {i}",
            "truong",
            school_level=levels[i % 3],
        )
        for i in range(schools_n)
    ]
    return communes + Unit.objects.bulk_create(others, batch_size=2000)


def make_registrations(units, titles, rng):
    from registrations.models import Registration

    registrations = []
    for unit in units:
        draw = rng.random()
        registrations.append(
            Registration(
                unit=unit,
                title=titles[unit.kind][0],
                year=2018 if draw < 0.10 else 2017,
                status="revoked" if draw > 0.95 else "accepted",
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=2000)


def progress_lines(units, titles, rng):
    """COPY lines (tab separated): values drift towards the target over time."""
    quarters = [(y, q) for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    stamp = "2018-01-15 08:00:00+07"
    for unit in units:
        for indicator, (kind, comparison, target, low, high) in titles[unit.kind][1]:
            skill = rng.random()
            for n, (year, quarter) in enumerate(quarters):
                progress = n / len(quarters)
                draw = rng.random() * 0.6 + 0.4 * progress * (0.5 + skill)
                if kind == "co_khong":
                    value = "1" if draw > 0.55 else "0"
                elif comparison == "<=":
                    value = f"{high - (high - low) * draw:.2f}"
                elif comparison == "=":
                    value = str(target if draw > 0.5 else low)
                else:
                    value = f"{low + (high - low) * min(draw, 1):.2f}"
                yield (
                    "\t".join(
                        [str(unit.pk), str(indicator.pk), str(year), str(quarter)]
                        + [value, "", stamp]
                    )
                    + "\n"
                )


def copy_progress(units, titles, rng):
    from django.db import connection

    columns = "(unit_id, indicator_id, year, quarter, value, note, updated_at)"
    buffer, rows, total = io.StringIO(), 0, 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2 cursor under Django's wrapper

        def flush():
            buffer.seek(0)
            raw.copy_expert(f"COPY registrations_progress {columns} FROM STDIN", buffer)
            buffer.seek(0)
            buffer.truncate()

        for line in progress_lines(units, titles, rng):
            buffer.write(line)
            rows += 1
            if rows == COPY_CHUNK:
                flush()
                total += rows
                rows = 0
        if rows:
            flush()
            total += rows
    return total


def vacuum(url):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def generate(units, force=False, out=sys.stdout):
    url = database_url(units)
    ensure_database(f"km_bench_{units}")
    django_setup(url)
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    if already_loaded(units) and not force:
        out.write(f"km_bench_{units}: already holds {units} units, kept\n")
        return url
    started = time.perf_counter()
    rng = random.Random(units)
    with transaction.atomic():
        reset()
        titles = make_catalogue()
        unit_rows = make_units(units, rng)
        make_registrations(unit_rows, titles, rng)
        total = copy_progress(unit_rows, titles, rng)
    loaded = time.perf_counter() - started
    vacuum(url)
    vacuumed = time.perf_counter() - started - loaded
    out.write(
        f"km_bench_{units}: {len(unit_rows)} units, {total:,} progress rows "
        f"in {loaded:.1f} s (+ VACUUM ANALYZE {vacuumed:.1f} s)\n"
    )
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    if args.units < 10:
        parser.error("--units must be at least 10")
    generate(args.units, force=args.force)


if __name__ == "__main__":
    main()
