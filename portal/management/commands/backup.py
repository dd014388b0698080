"""Back up the whole database to one file.

    python manage.py backup --output /var/backups/kieumau/2026-11-28.dump

PostgreSQL: pg_dump custom format (restore with `manage.py restore` or pg_restore).
SQLite: a consistent copy made with SQLite's backup API.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, dump_database


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
                f"Đã sao lưu vào {options['output']} ({size:,} byte).".replace(",", ".")
            )
        )
