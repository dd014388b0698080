"""Replace the database's content with a backup made by `manage.py backup`.

    python manage.py restore /var/backups/kieumau/2026-11-28.dump --yes

Destructive: every table is dropped and recreated from the file, and the
evidence files (EVIDENCE_ROOT) are replaced by those of the archive beside it
(2026-11-28.dump.evidence.tar) when there is one. Stop the app servers first (or
accept that requests during the restore may fail), then run `migrate` if the
backup is older than the code.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import (
    BackupError,
    evidence_archive,
    evidence_on_local_disk,
    restore_database,
    restore_evidence,
)


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một tệp sao lưu (xóa dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Tệp sao lưu do lệnh backup tạo ra.")
        parser.add_argument(
            "--database", default="default", help="Tên cơ sở dữ liệu trong settings."
        )
        parser.add_argument(
            "--yes",
            "--noinput",
            dest="yes",
            action="store_true",
            help="Không hỏi xác nhận.",
        )

    def handle(self, *args, **options):
        name = connections[options["database"]].settings_dict["NAME"]
        if not options["yes"]:
            answer = input(
                f"Toàn bộ dữ liệu hiện có của «{name}» (cả tệp minh chứng) sẽ bị thay "
                "thế. "
                "Gõ 'co' để tiếp tục: "
            )
            if answer.strip().lower() not in {"co", "có"}:
                raise CommandError("Đã hủy, không thay đổi gì.")
        try:
            restore_database(source=options["source"], using=options["database"])
            restored = (
                restore_evidence(dump=options["source"])
                if evidence_on_local_disk()
                else None
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục «{name}» từ tệp sao lưu."))
        if restored is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Đã khôi phục {restored} tệp minh chứng.")
            )
        elif evidence_on_local_disk():
            self.stdout.write(
                f"Không có {evidence_archive(options['source'])}: thư mục minh chứng "
                "giữ nguyên."
            )
