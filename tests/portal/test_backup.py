"""manage.py backup / restore: a restored database answers exactly as the original."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

API = "/api/tong-hop/?nam=2017&quy=1"

# Asked in a fresh process against the restored database.
ASK_API = f"""
import django
django.setup()
from django.test import Client
response = Client().get({API!r})
print(response.status_code)
print(response.content.decode())
"""


def _env(database_url):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # PYTEST_VERSION stays: the child uses the test settings (local cache).
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="kieumau.settings")
    return env


def _manage(database_url, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=_env(database_url),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        input=stdin,
    )


def _ask_api(database_url):
    result = subprocess.run(
        [sys.executable, "-c", ASK_API],
        env=_env(database_url),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split("\n", 1)
    return int(status), json.loads(body)


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same kind as the one under test."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    yield f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restored_backup_gives_the_same_summary(client, tmp_path, empty_database):
    # On PostgreSQL this is pg_dump -Fc / pg_restore into another database; on
    # SQLite the online backup API into a new file.
    call_command("load_demo")
    original = client.get(API)
    assert original.status_code == 200
    expected = original.json()
    assert sum(expected["dang_ky"]["truong"].values()) + expected["dang_ky"]["xa"] > 0

    dump = tmp_path / "kieumau.dump"
    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 10_000
    assert not (tmp_path / "kieumau.dump.partial").exists()

    result = _manage(empty_database, "restore", str(dump), "--yes")
    assert result.returncode == 0, result.stderr
    assert "Đã khôi phục" in result.stdout

    status, restored = _ask_api(empty_database)
    assert status == 200
    assert restored == expected

    # Restoring again over a database with data replaces it, same answer.
    result = _manage(empty_database, "restore", str(dump), "--yes")
    assert result.returncode == 0, result.stderr
    assert _ask_api(empty_database) == (200, expected)


@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_is_pg_dump_custom_format(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump format check needs PostgreSQL (DATABASE_URL=postgres://)")
    dump = tmp_path / "x.dump"
    call_command("backup", output=str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True
    )
    assert listing.returncode == 0
    assert "TABLE DATA public registrations_registration" in listing.stdout


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="không phải tệp sao lưu"):
        call_command("restore", str(bogus), yes=True)
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)


def test_restore_asks_for_confirmation(tmp_path):
    result = _manage(
        f"sqlite:///{tmp_path / 'x.sqlite3'}", "restore", "whatever.dump", stdin="\n"
    )
    assert result.returncode != 0
    assert "Đã hủy" in result.stderr


def test_backup_into_a_missing_folder_fails_cleanly(db, tmp_path):
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("backup", output=str(tmp_path / "nope" / "x.dump"))
