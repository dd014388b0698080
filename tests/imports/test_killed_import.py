"""A worker killed while it confirms an import leaves nothing half-written.

The confirmation runs in a separate process (``manage.py shell``, as a gunicorn
worker would run it) on a database file (SQLite: a copy of the test database; on
PostgreSQL the test database itself), is SIGKILLed once it has started writing
rows, and the database is then read afresh: none of the file's rows, history or
sheet versions landed, and the batch still waits for its confirmation.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from imports.models import BatchStatus, ImportBatch
from imports.services import preview_batch
from kieumau.text import fold, vi_sort_key
from registrations import periods
from registrations.models import Progress, QuarterSheet, Registration
from tests import factories
from tests.imports.conftest import csv_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
UNITS, INDICATORS = 1000, 20  # 20,000 rows: writing them takes a while
CONFIRM = """
from django.contrib.auth import get_user_model
from imports.models import ImportBatch
from imports.services import confirm_batch
confirm_batch(
    batch=ImportBatch.objects.get(pk={pk}),
    by=get_user_model().objects.get(username="{username}"),
)
"""
TABLES = {
    "progress": Progress._meta.db_table,
    "history": Progress.history.model._meta.db_table,
    "sheets": QuarterSheet._meta.db_table,
}


def _quarter_batch(user):
    title = factories.make_title("DH-CQ")
    criterion = factories.make_criterion(title, "TC")
    indicators = [
        factories.make_indicator(criterion, f"CT-{i}") for i in range(INDICATORS)
    ]
    names = [f"Cơ quan {n}" for n in range(UNITS)]
    units = Unit.objects.bulk_create(
        Unit(
            code=f"CQ-{n:04d}",
            name=name,
            kind="co_quan",
            search_name=fold(name),
            name_sort_key=vi_sort_key(name),
        )
        for n, name in enumerate(names)
    )
    Registration.objects.bulk_create(
        Registration(unit=unit, title=title, year=2030) for unit in units
    )
    year, quarter = periods.current()
    rows = [["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri"]]
    rows += [
        [unit.code, year, quarter, indicator.code, "dat"]
        for unit in units
        for indicator in indicators
    ]
    batch = preview_batch(
        kind="progress", content=csv_bytes(rows), filename="quy.csv", by=user
    )
    assert batch.status == BatchStatus.PREVIEWED, batch.report["errors"][:3]
    return batch


class SQLiteFile:
    """The test database copied to a file, which the worker then writes."""

    def __init__(self, folder):
        self.path = folder / "kieumau.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(self.path)
        connection.connection.backup(copy)
        copy.close()
        self.url = f"sqlite:///{self.path}"

    def writing(self):
        # SQLite's rollback journal exists only while a write transaction is open.
        return Path(f"{self.path}-journal").exists()

    def rows(self, sql):
        database = sqlite3.connect(self.path)  # rolls the hot journal back
        try:
            return database.execute(sql).fetchall()
        finally:
            database.close()


class PostgreSQLDatabase:
    """The test database itself: the worker's rows are seen once committed."""

    def __init__(self, folder):
        params = connection.settings_dict
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        self.url = f"postgres://{auth}@{host}/{params['NAME']}"

    def writing(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = "
                "pg_locks.relation WHERE relname = %s AND mode = 'RowExclusiveLock' "
                "AND pid <> pg_backend_pid()",
                [TABLES["progress"]],
            )
            return cursor.fetchone()[0] > 0

    def rows(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()


def test_a_confirmation_killed_while_writing_leaves_nothing_half_written(
    tmp_path, district_staff
):
    batch = _quarter_batch(district_staff)
    database = (
        SQLiteFile(tmp_path)
        if connection.vendor == "sqlite"
        else PostgreSQLDatabase(tmp_path)
    )
    code = CONFIRM.format(pk=batch.pk, username=district_staff.username)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database.url, "DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not database.writing():
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the worker never started writing"
        time.sleep(0.002)

    worker.send_signal(signal.SIGKILL)

    assert worker.wait(timeout=30) == -signal.SIGKILL  # killed, not finished
    worker.stderr.close()
    for table in TABLES.values():
        assert database.rows(f"SELECT * FROM {table}") == [], table
    assert database.rows(
        f"SELECT status, imported_at FROM {ImportBatch._meta.db_table} "
        f"WHERE id = {batch.pk}"
    ) == [(BatchStatus.PREVIEWED, None)]
