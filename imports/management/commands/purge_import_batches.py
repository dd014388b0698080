"""Clean up uploaded import files kept in the database; run daily.

    python manage.py purge_import_batches --days 30 --dry-run

Batches never confirmed (still waiting, or refused) are deleted after two days:
they changed nothing. Confirmed batches keep their row for good (who imported
which file, when, and what it changed); only the file's bytes are dropped after
``--days`` days.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from imports.services.purge import (
    IMPORTED_DAYS,
    UNCONFIRMED_DAYS,
    purge_import_batches,
)


def _days(text):
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise CommandError(f"Số ngày phải là số nguyên không âm: “{text}”.")
    return days


class Command(BaseCommand):
    help = (
        "Xóa các lần tải lên chưa xác nhận và nội dung tệp cũ của các lần đã nhập "
        "(giữ lại lịch sử ai nhập tệp nào)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            default=str(IMPORTED_DAYS),
            help=(
                "Giữ nội dung tệp đã nhập bao nhiêu ngày "
                f"(mặc định {IMPORTED_DAYS}); lịch sử nhập luôn được giữ."
            ),
        )
        parser.add_argument(
            "--unconfirmed-days",
            default=str(UNCONFIRMED_DAYS),
            help=(
                "Xóa lần tải lên chưa xác nhận sau bao nhiêu ngày "
                f"(mặc định {UNCONFIRMED_DAYS})."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ cho biết sẽ xóa gì, không xóa gì.",
        )

    def handle(self, *args, days, unconfirmed_days, dry_run, **options):
        result = purge_import_batches(
            imported_days=_days(days),
            unconfirmed_days=_days(unconfirmed_days),
            dry_run=dry_run,
        )
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(
            f"{verb} {result.deleted} lần tải lên chưa xác nhận "
            f"({filesizeformat(result.deleted_bytes)})."
        )
        self.stdout.write(
            f"{verb} nội dung tệp của {result.emptied} lần đã nhập "
            f"({filesizeformat(result.emptied_bytes)}); lịch sử nhập vẫn giữ."
        )
        total = filesizeformat(result.deleted_bytes + result.emptied_bytes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Chạy thử, chưa xóa gì; sẽ giải phóng {total}."
                if dry_run
                else f"Đã giải phóng {total}."
            )
        )
