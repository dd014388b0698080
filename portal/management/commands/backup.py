"""Back up the whole database to one file.

    python manage.py backup --output /var/backups/kieumau/2026-11-28.dump

PostgreSQL: pg_dump custom format (restore with `manage.py restore` or pg_restore).
SQLite: a consistent copy made with SQLite's backup API. The evidence files
(EVIDENCE_ROOT) go beside it, in 2026-11-28.dump.evidence.tar.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.backup import (
    BackupError,
    dump_database,
    dump_evidence,
    evidence_archive,
    evidence_on_local_disk,
)


def _number(n):
    return f"{n:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", required=True, help="Tệp sao lưu sẽ được ghi ra."
        )
        parser.add_argument(
            "--database", default="default", help="Tên cơ sở dữ liệu trong settings."
        )

    def handle(self, *args, **options):
        try:
            size = dump_database(output=options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {options['output']} ({_number(size)} byte)."
            )
        )
        if not evidence_on_local_disk():
            self.stdout.write(
                "Minh chứng nằm trên kho S3 (STORAGES['evidence']): sao lưu kho đó "
                "riêng (bật versioning của bucket)."
            )
            return
        count, size = dump_evidence(dump=options["output"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {_number(count)} tệp minh chứng ({_number(size)} byte) "
                f"vào {evidence_archive(options['output'])}."
            )
        )
