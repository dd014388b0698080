"""Benchmark: a province's whole quarter through the admin's preview and confirmation.

    .venv/bin/python bench/import_scale.py            (--sqlite or --postgres: one only)

For each database (a temporary SQLite file, then a throwaway PostgreSQL database,
``km_bench_scale_<pid>`` on the server of DATABASE_URL or on 127.0.0.1, dropped at
the end) it writes a province's files: 5,000 units (``--units``), their catalogue
(20 indicators a title), 5,000 registrations and one quarter's 100,000 progress
rows (XLSX), and times, each step in a fresh process, what the admin does with them:
``preview_batch`` (the dry run) and ``confirm_batch`` (the import), then the same
file again (every row unchanged). The baseline, measured in the same run: the same
progress file read with the same reader (``imports.xlsx``) and ONE plain
``bulk_create`` of its rows (no checks, no history, no concurrency versions) into
an empty table; the ratio is confirm / baseline. openpyxl's read-only read of the
file is timed too (the reader imports used before).

Then, on SQLite only (the reading does not depend on the database): a units CSV of
150,000 rows and an XLSX "bomb" of 1,480,000 rows that unpacks to 385 MB (5 MB packed),
each previewed in its own process: seconds until refused, and the process's peak
memory (ru_maxrss) with its growth during the preview.
"""

import argparse
import gc
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRITERIA, INDICATORS_PER_CRITERION = 4, 5  # 20 indicators a title
KINDS = [
    ("co_khong", "", ""),
    ("ty_le", ">=", "90"),
    ("so_luong", "<=", "3"),
    ("diem", ">=", "80"),
    ("ty_le", "<=", "5"),
]
TITLES = [  # code, name, unit kind, school level
    ("DH-CQ", "Cơ quan, đơn vị kiểu mẫu", "co_quan", ""),
    ("DH-XA", "Xã kiểu mẫu", "xa", ""),
    ("DH-THON", "Thôn, khu phố kiểu mẫu", "thon", ""),
    ("DH-MN", "Trường mầm non kiểu mẫu", "truong", "mam_non"),
    ("DH-TH", "Trường tiểu học kiểu mẫu", "truong", "tieu_hoc"),
    ("DH-THCS", "Trường THCS kiểu mẫu", "truong", "thcs"),
]
LEVELS = ["mam_non", "tieu_hoc", "thcs"]
BOMB_ROWS = 1_480_000
OVER_LIMIT_UNITS = 150_000


def django_setup(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as in production: DEBUG keeps every query in memory
    # As gunicorn.conf.py does in the master before forking the workers: the
    # objects of the loaded app are left out of every garbage collection.
    gc.freeze()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds():
    """This process's CPU time: on a busy machine, steadier than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the province's files ----------------------------------------------------


def province_units(n):
    """(code, name, kind, parent, level, roadmap) of communes, villages, agencies
    and schools."""
    communes = max(1, n * 3 // 100)
    agencies = max(1, n * 2 // 100)
    schools = max(1, n // 4)
    villages = n - communes - agencies - schools
    units = []
    for i in range(communes):
        units.append((f"XA-{i:04d}", f"Xã Đông Khê {i}", "xa", "", "", 2025 + i % 5))
    for i in range(villages):
        parent = f"XA-{i % communes:04d}"
        name = f"Thôn Đồng Tiến {i}"
        units.append((f"THON-{i:05d}", name, "thon", parent, "", 2025 + i % 6))
    for i in range(agencies):
        units.append((f"CQ-{i:04d}", f"Phòng Nội vụ {i}", "co_quan", "", "", ""))
    for i in range(schools):
        level = LEVELS[i % 3]
        parent = f"XA-{i % communes:04d}" if i % 2 else ""
        name = f"Trường {level.replace('_', ' ')} Hòa Bình {i}"
        units.append((f"TRUONG-{i:05d}", name, "truong", parent, level, 2026))
    return units


def title_of(kind, level):
    return next(t[0] for t in TITLES if t[2] == kind and t[3] == level)


def indicator_codes(title):
    return [
        (f"{title}.TC{c}.{i}", KINDS[i][0])
        for c in range(CRITERIA)
        for i in range(INDICATORS_PER_CRITERION)
    ]


def write_csv(path, header, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def write_province(workdir, n_units, year, quarter):
    units = province_units(n_units)
    write_csv(
        workdir / "units.csv",
        ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"],
        units,
    )
    criteria = []
    for code, name, kind, level in TITLES:
        for c in range(CRITERIA):
            for i in range(INDICATORS_PER_CRITERION):
                indicator_kind, comparison, target = KINDS[i]
                criteria.append(
                    (code, name, kind, level, f"{code}.TC{c}", f"Tiêu chí {c + 1}")
                    + (f"{code}.TC{c}.{i}", f"Chỉ tiêu {c + 1}.{i + 1}")
                    + (indicator_kind, comparison, target, "")
                )
    write_csv(
        workdir / "criteria.csv",
        [
            "ma_danh_hieu",
            "ten_danh_hieu",
            "loai",
            "cap_hoc",
            "ma_tieu_chi",
            "ten_tieu_chi",
            "ma_chi_tieu",
            "ten_chi_tieu",
            "kieu",
            "so_sanh",
            "muc_tieu",
            "don_vi_tinh",
        ],
        criteria,
    )
    write_csv(
        workdir / "registrations.csv",
        ["ma_don_vi", "nam_dang_ky", "ngay_dang_ky", "ma_danh_hieu"],
        [
            (code, 2026 + n % 5, f"{1 + n % 28:02d}/03/2025", title_of(kind, level))
            for n, (code, _name, kind, _parent, level, _roadmap) in enumerate(units)
        ],
    )
    write_progress(workdir / "progress.xlsx", units, year, quarter)
    # Every number changed (the yes/no values stay): updates, history "~".
    write_progress(workdir / "progress-changed.xlsx", units, year, quarter, shift=5)


def progress_rows(units, year, quarter, shift=0):
    for n, (code, _name, kind, _parent, level, _roadmap) in enumerate(units):
        for k, (indicator, indicator_kind) in enumerate(
            indicator_codes(title_of(kind, level))
        ):
            if indicator_kind == "co_khong":
                value = "dat" if (n + k) % 3 else "chua_dat"
            else:
                value = round((n * 7 + k * 13 + shift) % 1000 / 10, 1)
            note = "đã kiểm tra hồ sơ" if (n + k) % 10 == 0 else None
            yield [code, year, quarter, indicator, value, note]


def write_progress(path, units, year, quarter, shift=0):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("tien-do")
    sheet.append(["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"])
    for row in progress_rows(units, year, quarter, shift):
        sheet.append(row)
    workbook.save(path)


def write_bomb(path, rows):
    """An XLSX whose one sheet holds ``rows`` plausible progress rows (inline text,
    no cell references, as a spreadsheet may write them): 260 bytes a row, packed
    about 75 times (the bomb checks refuse 200 times or more).

    Written straight into the zip, sheet XML streamed: openpyxl would take minutes.
    """
    from openpyxl import Workbook

    seed = path.with_suffix(".seed.xlsx")
    Workbook().save(seed)
    with (
        zipfile.ZipFile(seed) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            sheet.write(
                _xml_row(
                    ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]
                )
            )
            chunk = []
            for r in range(2, rows + 2):
                chunk.append(
                    _xml_row(
                        [f"THON-{r % 50:05d}", 2026, 1 + r % 4]
                        + [f"DH-THON.TC{r % 4}.{r % 5}", (r * 37) % 1000 / 10]
                        + ["đã kiểm tra hồ sơ, đối chiếu biên bản họp thôn"]
                    )
                )
                if len(chunk) == 10_000:
                    sheet.write(b"".join(chunk))
                    chunk = []
            sheet.write(b"".join(chunk) + b"</sheetData></worksheet>")
    seed.unlink()


def declare_smaller(content, size):
    """The same zip, its directory claiming that the sheet unpacks to ``size``.

    A ZIP64 entry keeps its real size in an extra field; overwrite that one.
    """
    data = bytearray(content)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length, extra_length = struct.unpack_from("<HH", data, entry + 28)
        name = data[entry + 46 : entry + 46 + name_length]
        if name == b"xl/worksheets/sheet1.xml":
            if struct.unpack_from("<I", data, entry + 24)[0] == 0xFFFFFFFF:
                extra = entry + 46 + name_length
                while extra < entry + 46 + name_length + extra_length:
                    tag, length = struct.unpack_from("<HH", data, extra)
                    if tag == 1:  # ZIP64: uncompressed size first
                        struct.pack_into("<Q", data, extra + 4, size)
                    extra += 4 + length
            else:
                struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise ValueError("no sheet")


def _xml_row(values):
    cells = []
    for value in values:
        if isinstance(value, str):
            cells.append(f'<c t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            cells.append(f"<c><v>{value}</v></c>")
    return f"<row>{''.join(cells)}</row>".encode()


# --- phases (each in a fresh process) -----------------------------------------


def phase_setup(args):
    django_setup(args.db)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from registrations import periods

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("bench", password=None)
    workdir = Path(args.workdir)
    if not (workdir / "progress.xlsx").exists():
        write_province(workdir, args.units, *periods.current())
    if args.bomb and not (workdir / "bomb.xlsx").exists():
        write_bomb(workdir / "bomb.xlsx", BOMB_ROWS)
        (workdir / "bomb-lying.xlsx").write_bytes(
            declare_smaller((workdir / "bomb.xlsx").read_bytes(), 40 * 2**20)
        )
        units = province_units(OVER_LIMIT_UNITS)
        write_csv(
            workdir / "units-150k.csv",
            ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc"],
            [u[:5] for u in units],
        )
    print(json.dumps({}))


def phase_admin(args):
    """preview_batch then confirm_batch, as the admin's two requests do."""
    django_setup(args.db)
    from django.contrib.auth import get_user_model

    from imports.services import confirm_batch, preview_batch

    user = get_user_model().objects.get(username="bench")
    content = Path(args.file).read_bytes()
    rss_before = peak_rss_mb()
    start, cpu = time.perf_counter(), cpu_seconds()
    batch = preview_batch(
        kind=args.kind, content=content, filename=Path(args.file).name, by=user
    )
    preview = time.perf_counter() - start
    result = {
        "preview": preview,
        "preview_cpu": cpu_seconds() - cpu,
        "status": batch.status,
        "errors": batch.report["errors"][:3],
        "error_count": len(batch.report["errors"]),
    }
    if batch.can_confirm and not args.preview_only:
        start, cpu = time.perf_counter(), cpu_seconds()
        batch, report = confirm_batch(batch=batch, by=user)
        result["confirm"] = time.perf_counter() - start
        result["confirm_cpu"] = cpu_seconds() - cpu
        result["status"] = batch.status
        result["summary"] = report.summary()
        result["errors"] = report.error_lines()[:3]
    result["peak_mb"] = peak_rss_mb()
    result["growth_mb"] = result["peak_mb"] - rss_before
    print(json.dumps(result))


def phase_baseline(args):
    """The same reader (imports.xlsx) + ONE plain bulk_create, into an empty table."""
    django_setup(args.db)
    import zipfile
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from imports.xlsx import Workbook
    from registrations.models import Indicator, Progress
    from units.models import Unit

    units = dict(Unit.objects.values_list("code", "pk"))
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    start, cpu = time.perf_counter(), cpu_seconds()
    now = timezone.now()
    objects = []
    with zipfile.ZipFile(args.file) as archive:
        rows = Workbook(archive).rows()  # as the import reads it
        next(rows)  # the header
        for row in rows:
            unit, year, quarter, code, value, note = (*row, None)[:6]
            value = {"dat": 1, "chua_dat": 0}.get(value, value)
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
    with transaction.atomic():
        Progress.objects.bulk_create(objects, batch_size=1000)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": len(objects)}))


def phase_openpyxl(args):
    """openpyxl's read-only read of the same file, the reader imports used before."""
    import openpyxl

    start, cpu = time.perf_counter(), cpu_seconds()
    workbook = openpyxl.load_workbook(args.file, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = sum(1 for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows}))


def phase_reader(args):
    """imports.xlsx's read of the same file, for comparison."""
    import zipfile

    sys.path.insert(0, str(ROOT))
    from imports.xlsx import Workbook

    start, cpu = time.perf_counter(), cpu_seconds()
    with zipfile.ZipFile(args.file) as archive:
        rows = sum(1 for _row in Workbook(archive).rows())
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows}))


def phase_reset(args):
    django_setup(args.db)
    from django.db import connection

    from registrations.models import Progress, QuarterSheet

    # Plain SQL: a queryset delete would write one "-" history row per row.
    with connection.cursor() as cursor:
        for model in (Progress, Progress.history.model, QuarterSheet):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    print(json.dumps({}))


PHASES = {
    "setup": phase_setup,
    "admin": phase_admin,
    "baseline": phase_baseline,
    "openpyxl": phase_openpyxl,
    "reader": phase_reader,
    "reset": phase_reset,
}


# --- orchestration --------------------------------------------------------------


def run_phase(name, db, workdir, *options):
    command = [sys.executable, __file__, "--phase", name, "--db", db]
    command += ["--workdir", str(workdir), *map(str, options)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"phase {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def throwaway_postgres():
    """(url, drop) of a new database on the PostgreSQL server, or None."""
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
    except Exception as exc:
        print(f"(PostgreSQL unavailable: {type(exc).__name__}; SQLite only)")
        return None
    admin.autocommit = True
    name = f"km_bench_scale_{os.getpid()}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = connect["user"] + (f":{connect['password']}" if connect["password"] else "")
    url = f"postgres://{auth}@{connect['host']}:{connect['port']}/{name}"

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


def run_database(db, workdir, units, bomb):
    """Every step on one database: {step: figures}."""
    results = {}
    run_phase("setup", db, workdir, "--units", units, *(["--bomb"] if bomb else []))
    for kind, file in (
        ("units", "units.csv"),
        ("criteria", "criteria.csv"),
        ("registrations", "registrations.csv"),
        ("progress", "progress.xlsx"),
    ):
        steps = [(kind, file), (f"{kind} again", file)]
        if kind == "progress":
            steps.append(("progress changed", "progress-changed.xlsx"))
        for step, name in steps:
            results[step] = run_phase(
                "admin", db, workdir, "--kind", kind, "--file", workdir / name
            )
            print(f"  {step:<20} {_line(results[step])}", flush=True)
    run_phase("reset", db, workdir)
    results["baseline"] = run_phase(
        "baseline", db, workdir, "--file", workdir / "progress.xlsx"
    )
    for step in ("baseline", "openpyxl", "reader"):
        if step != "baseline":
            results[step] = run_phase(
                step, db, workdir, "--file", workdir / "progress.xlsx"
            )
        r = results[step]
        print(f"  {step:<20} {r['seconds']:.2f} s (CPU {r['cpu']:.2f})", flush=True)
    if bomb:
        for step, kind, file in (
            ("units 150,000 rows", "units", "units-150k.csv"),
            ("bomb", "progress", "bomb.xlsx"),
            ("bomb, sizes falsified", "progress", "bomb-lying.xlsx"),
        ):
            results[step] = run_phase(
                "admin",
                db,
                workdir,
                "--kind",
                kind,
                "--file",
                workdir / file,
                "--preview-only",
            )
            results[step]["file_mb"] = (workdir / file).stat().st_size / 2**20
            print(f"  {step:<20} {_line(results[step])}", flush=True)
    return results


def _line(r):
    times = f"preview {r['preview']:6.2f} s (CPU {r['preview_cpu']:5.2f})"
    if "confirm" in r:
        times += f", confirm {r['confirm']:6.2f} s (CPU {r['confirm_cpu']:5.2f})"
    return (
        f"{times}; {r['status']}; peak {r['peak_mb']:.0f} MB "
        f"(+{r['growth_mb']:.0f}); {r.get('summary') or r['errors'][:1]}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--db")
    parser.add_argument("--workdir")
    parser.add_argument("--file")
    parser.add_argument("--kind")
    parser.add_argument("--preview-only", action="store_true")
    parser.add_argument("--bomb", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument(
        "--skip-bomb", action="store_true", help="leave out the big and bomb files"
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite", action="store_true", help="SQLite only")
    only.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    if args.phase:
        PHASES[args.phase](args)
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("interrupted"))
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        workdir = Path(tmp)
        if not args.postgres:
            print("SQLite (temporary file)", flush=True)
            db = f"sqlite:///{workdir}/bench.sqlite3"
            bomb = not args.skip_bomb
            results["sqlite"] = run_database(db, workdir, args.units, bomb=bomb)
        postgres = None if args.sqlite else throwaway_postgres()
        if postgres:
            db, drop = postgres
            print("PostgreSQL (throwaway database)", flush=True)
            try:
                results["postgresql"] = run_database(
                    db, workdir, args.units, bomb=args.postgres and not args.skip_bomb
                )
            finally:
                drop()
    print_summary(results)


def print_summary(results):
    print()
    for engine, steps in results.items():
        progress, base = steps["progress"], steps["baseline"]
        print(
            f"{engine}: {base['rows']:,} progress rows: preview "
            f"{progress['preview']:.2f} s, confirm {progress['confirm']:.2f} s "
            f"(CPU {progress['confirm_cpu']:.2f}); baseline (the same reader + one "
            f"plain bulk_create) {base['seconds']:.2f} s (CPU {base['cpu']:.2f}); "
            f"confirm / baseline {progress['confirm'] / base['seconds']:.2f}x wall, "
            f"{progress['confirm_cpu'] / base['cpu']:.2f}x CPU"
        )
        old, new = steps["openpyxl"], steps["reader"]
        print(
            f"{engine}: reading the file: openpyxl read-only {old['seconds']:.2f} s "
            f"(CPU {old['cpu']:.2f}), imports.xlsx {new['seconds']:.2f} s (CPU "
            f"{new['cpu']:.2f})"
        )
        for kind in ("progress again", "progress changed", "units", "registrations"):
            r = steps[kind]
            print(
                f"{engine}: {kind}: preview {r['preview']:.2f} s (CPU "
                f"{r['preview_cpu']:.2f}), confirm {r['confirm']:.2f} s (CPU "
                f"{r['confirm_cpu']:.2f}) ({r['summary']})"
            )
        for step in ("units 150,000 rows", "bomb", "bomb, sizes falsified"):
            if step in steps:
                r = steps[step]
                print(
                    f"{engine}: {step} ({r['file_mb']:.1f} MB file): refused after "
                    f"{r['preview']:.2f} s, peak {r['peak_mb']:.0f} MB (+"
                    f"{r['growth_mb']:.0f} MB during the preview, which also keeps "
                    f"the file in the database): {r['errors'][:1]}"
                )


if __name__ == "__main__":
    main()
