"""Load the demo district (Đông Sơn, 2017): units, catalogue, registrations, progress,
news, the poll and the visit counter's opening total.

    python manage.py load_demo [--users]

Idempotent: running it twice leaves the same data. The units, the catalogue, the
registrations and the progress are data files loaded through the importer; the
steps are in ``portal.demo``, all in one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo, demo_users


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của huyện Đông Sơn năm 2017 (chạy lại không nhân đôi)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action="store_true",
            help="Tạo thêm các tài khoản thử (chỉ dùng trên máy cá nhân).",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.load(stdout=self.stdout)
            if options["users"]:
                demo_users.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
