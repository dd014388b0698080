"""Whole-database backup and restore (manage.py backup / restore).

PostgreSQL: pg_dump's custom format (compressed, restorable table by table with
pg_restore). SQLite: an online copy through SQLite's backup API, consistent even
while the portal is serving. The units' evidence files (``EVIDENCE_ROOT``, with
the document library's files under ``van-ban/``) go into a tar file beside the
dump (``<dump>.evidence.tar``): the dump's rows name
them, so the two are made and restored together. Media files (article images)
are not in the database: back up MEDIA_ROOT alongside (README, Deployment).
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import connections

EVIDENCE_SUFFIX = ".evidence.tar"


class BackupError(Exception):
    """A dump or restore that could not be done (message in Vietnamese)."""


def _pg_command(tool, db, *args):
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"Không tìm thấy chương trình {tool} (gói postgresql-client)."
        )
    env = {**os.environ, "PGAPPNAME": "kieumau-backup"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    connection_args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        connection_args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        connection_args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        connection_args += ["--username", str(db["USER"])]
    return [executable, *connection_args, "--no-password", *args], env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} thất bại (mã {result.returncode}): "
            f"{result.stderr.strip()}"
        )


def dump_database(*, output, using="default"):
    """Write a full backup of database ``using`` to the file ``output``."""
    output = Path(output)
    if output.parent and not output.parent.is_dir():
        raise BackupError(f"Thư mục {output.parent} không tồn tại.")
    connection = connections[using]
    db = connection.settings_dict
    partial = output.with_name(output.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            command, env = _pg_command(
                "pg_dump", db, "--format=custom", "--no-owner", "--file", str(partial)
            )
            _run(command, env)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:  # pragma: no cover - settings refuse other engines
            raise BackupError(f"Không hỗ trợ cơ sở dữ liệu {connection.vendor}.")
        # Only a complete dump takes the final name.
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output.stat().st_size


def restore_database(*, source, using="default"):
    """Replace the content of database ``using`` with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    connection = connections[using]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        with source.open("rb") as handle:
            if handle.read(5) != b"PGDMP":
                raise BackupError(
                    f"{source} không phải tệp sao lưu PostgreSQL (pg_dump -Fc)."
                )
        connection.close()
        command, env = _pg_command(
            "pg_restore",
            db,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            str(source),
        )
        _run(command, env)
    elif connection.vendor == "sqlite":
        with source.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} không phải tệp sao lưu SQLite.")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:  # pragma: no cover
        raise BackupError(f"Không hỗ trợ cơ sở dữ liệu {connection.vendor}.")
    # Cached pages and figures describe the data that was just replaced.
    cache.clear()


def evidence_archive(dump):
    """The evidence files' archive that goes with the dump ``dump``."""
    dump = Path(dump)
    return dump.with_name(dump.name + EVIDENCE_SUFFIX)


def evidence_on_local_disk():
    """False when evidence lives in an S3 bucket (backed up with the bucket)."""
    return "evidence" not in settings.STORAGES


def dump_evidence(*, dump):
    """Write every file under ``EVIDENCE_ROOT`` to the archive beside ``dump``.

    Returns (number of files, bytes). PDFs and photos are compressed already, so
    the archive is a plain tar.
    """
    root = Path(settings.EVIDENCE_ROOT)
    output = evidence_archive(dump)
    partial = output.with_name(output.name + ".partial")
    count = size = 0
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=path.relative_to(root).as_posix())
                        count += 1
                        size += path.stat().st_size
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return count, size


def _safe_members(archive):
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if (
            not (member.isfile() or member.isdir())
            or path.is_absolute()
            or ".." in path.parts
        ):
            raise BackupError(
                f"Tệp sao lưu minh chứng có mục không hợp lệ: {member.name!r}."
            )
        yield member


def restore_evidence(*, dump):
    """Replace ``EVIDENCE_ROOT`` with the archive beside ``dump``.

    Returns the number of files restored, or None when the dump has no archive
    (older backups): the evidence folder is then left as it is. The files are
    unpacked beside the folder first and swapped in only when all are there.
    """
    source = evidence_archive(dump)
    if not source.is_file():
        return None
    root = Path(settings.EVIDENCE_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".evidence-restore-", dir=root.parent))
    try:
        try:
            with tarfile.open(source, "r:") as archive:
                members = list(_safe_members(archive))
                kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                archive.extractall(staging, members=members, **kwargs)
        except tarfile.TarError as exc:
            raise BackupError(
                f"{source} không phải tệp sao lưu minh chứng: {exc}."
            ) from exc
        old = None
        if root.exists():
            old = root.with_name(f".{root.name}-before-restore")
            shutil.rmtree(old, ignore_errors=True)
            root.rename(old)
        staging.rename(root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sum(1 for member in members if member.isfile())
