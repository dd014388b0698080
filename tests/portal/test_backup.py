"""manage.py backup / restore: a restored database answers exactly as the original."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from portal.backup import BackupError, restore_evidence

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


def _env(database_url, extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # PYTEST_VERSION stays: the child uses the test settings (local cache).
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="kieumau.settings")
    env.update(extra or {})
    return env


def _manage(database_url, *args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=_env(database_url, env),
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


def _files(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_evidence_files_are_backed_up_and_restored_with_the_database(
    tmp_path, empty_database, settings
):
    root = tmp_path / "evidence"
    settings.EVIDENCE_ROOT = root
    (root / "ab").mkdir(parents=True)
    (root / "ab" / "abQ2x.pdf").write_bytes(b"%PDF-1.4 bien ban")
    (root / "ab" / "abQ2y.jpg").write_bytes(b"\xff\xd8\xff anh")
    (root / "Zk").mkdir()
    (root / "Zk" / "Zk9.thumb.jpg").write_bytes(b"\xff\xd8\xff nho")
    expected = _files(root)
    dump = tmp_path / "kieumau.dump"
    out = io.StringIO()
    call_command("backup", output=str(dump), stdout=out)
    assert "Đã sao lưu 3 tệp minh chứng" in out.getvalue()
    archive = tmp_path / "kieumau.dump.evidence.tar"
    assert archive.is_file()
    assert not (tmp_path / "kieumau.dump.evidence.tar.partial").exists()

    # Restored on another machine: a folder holding other files is replaced.
    restored = tmp_path / "may-khac" / "evidence"
    (restored / "cu").mkdir(parents=True)
    (restored / "cu" / "old.pdf").write_bytes(b"old")
    result = _manage(
        empty_database,
        "restore",
        str(dump),
        "--yes",
        env={"EVIDENCE_ROOT": str(restored)},
    )
    assert result.returncode == 0, result.stderr
    assert "Đã khôi phục 3 tệp minh chứng" in result.stdout
    assert _files(restored) == expected
    assert [p.name for p in restored.parent.iterdir()] == ["evidence"]

    # An older backup without the archive leaves the evidence folder alone.
    archive.unlink()
    result = _manage(
        empty_database,
        "restore",
        str(dump),
        "--yes",
        env={"EVIDENCE_ROOT": str(restored)},
    )
    assert result.returncode == 0, result.stderr
    assert "thư mục minh chứng giữ nguyên" in result.stdout
    assert _files(restored) == expected


def test_an_evidence_archive_reaching_outside_its_folder_is_refused(tmp_path, settings):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    dump = tmp_path / "x.dump"
    with tarfile.open(tmp_path / "x.dump.evidence.tar", "w") as archive:
        info = tarfile.TarInfo("../../ngoai.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="mục không hợp lệ"):
        restore_evidence(dump=dump)
    assert not (tmp_path / "ngoai.txt").exists()
    assert not settings.EVIDENCE_ROOT.exists()
