"""Import and export of the data files (CONTRACT §1), for the command and admin.

``import_file`` validates a whole file and writes it in one transaction, or
writes nothing at all: on any bad row, and always on a dry run.

The admin's preview and confirmation each run within one request, so they read
at most ``settings.IMPORT_MAX_ROWS`` rows (``admin_limits``), sized so that such a
file is confirmed well within the app server's worker timeout; larger files go
through ``manage.py import_data``, which has no such limit.
"""

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from registrations import figures

from ..errors import FILE_COLUMN, RowError
from ..models import BatchStatus, ImportBatch
from ..tables import MAX_UNCOMPRESSED_BYTES, MB, FileRefused, Limits, open_table
from . import criteria, heads, progress, registrations, units
from .base import Report, check_columns

KINDS = {
    "units": units,
    "criteria": criteria,
    "registrations": registrations,
    "progress": progress,
    "heads": heads,
}
KIND_LABELS = {
    "units": "Đơn vị",
    "criteria": "Danh hiệu, tiêu chí, chỉ tiêu",
    "registrations": "Đăng ký",
    "progress": "Tiến độ theo quý",
    "heads": "Trưởng đơn vị",
}


# What a legitimate workbook unpacks to: its parts (styles, theme…) and, per row,
# the sheet's XML (250 bytes a progress row as openpyxl writes it, inline text).
UNPACKED_BASE_BYTES = MB
UNPACKED_BYTES_PER_ROW = 512


def columns(kind):
    return KINDS[kind].COLUMNS


def admin_limits(kind):
    """What a file may make one admin request read: IMPORT_MAX_ROWS rows."""
    rows = settings.IMPORT_MAX_ROWS
    return Limits(
        rows=rows,
        unpacked_bytes=min(
            MAX_UNCOMPRESSED_BYTES,
            UNPACKED_BASE_BYTES + rows * UNPACKED_BYTES_PER_ROW,
        ),
        advice=(
            "trang quản trị chỉ nhận tệp nhập xong trong một lần gửi; hãy chia nhỏ "
            "tệp, hoặc nhờ người quản trị máy chủ nhập bằng lệnh “python manage.py "
            f"import_data {kind} <tệp>” (không giới hạn số dòng)"
        ),
    )


def _import(module, table, report, user, dry_run):
    if hasattr(module, "run"):
        module.run(table, report=report, user=user, dry_run=dry_run)
        return
    plan = module.validate(table, report)
    if report.ok and not dry_run:
        module.write(plan, user=user)


def import_file(*, kind, content, filename="", user=None, dry_run=False, limits=None):
    """Import ``content`` (CSV or XLSX bytes) of ``kind``; return a Report.

    ``limits`` (``imports.tables.Limits``): what the file may make the reader do;
    by default, as for the command, any number of rows.
    """
    module = KINDS[kind]
    report = Report(kind=kind, dry_run=dry_run)
    try:
        table = open_table(content, filename, limits or Limits())
        with table, transaction.atomic():
            report.errors += check_columns(table, module.REQUIRED)
            if report.ok:
                _import(module, table, report, user, dry_run)
            if not report.ok or dry_run:
                transaction.set_rollback(True)
    except FileRefused as exc:
        report.errors += exc.errors
    except (IntegrityError, OperationalError):
        report.errors.append(
            RowError(
                1,
                FILE_COLUMN,
                "không ghi được vào cơ sở dữ liệu (xung đột với một thay đổi "
                "đồng thời); chưa nhập gì, hãy thử lại",
            )
        )
    if not report.ok:
        report.discard_counts()
    elif not dry_run:
        # Bulk writes send no post_save: make the cached figures stale here.
        figures.invalidate()
    return report


def preview_batch(*, kind, content, filename, by):
    """Check ``content`` without writing any row; keep it as a batch to confirm."""
    report = import_file(
        kind=kind,
        content=content,
        filename=filename,
        user=by,
        dry_run=True,
        limits=admin_limits(kind),
    )
    return ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        content=content,
        size=len(content),
        uploaded_by=by,
        status=BatchStatus.PREVIEWED if report.ok else BatchStatus.REJECTED,
        report=report.as_dict(),
    )


@transaction.atomic
def confirm_batch(*, batch, by):
    """Import a previewed batch once: (batch, report), or None if already handled."""
    # Two clicks (or two servers) must not import the same file twice.
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.can_confirm:
        return None
    report = import_file(
        kind=batch.kind,
        content=bytes(batch.content),
        filename=batch.filename,
        user=by,
        limits=admin_limits(batch.kind),
    )
    batch.report = report.as_dict()
    batch.status = BatchStatus.IMPORTED if report.ok else BatchStatus.REJECTED
    batch.imported_at = timezone.now() if report.ok else None
    batch.save(update_fields=["report", "status", "imported_at"])
    return batch, report


__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Report",
    "admin_limits",
    "columns",
    "confirm_batch",
    "import_file",
    "preview_batch",
]
