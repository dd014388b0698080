"""Load the demo district (Đông Sơn, 2017): units, catalogue, registrations, progress,
news, the poll and the visit counter's opening total.

Idempotent: running it twice leaves the same data. Each app owns its part in its
``demo`` module; this command runs them in order inside one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của huyện Đông Sơn năm 2017 (chạy lại không nhân đôi)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action="store_true",
            help="Tạo thêm các tài khoản thử (chỉ dùng trên máy cá nhân).",
        )

    def handle(self, *args, **options):
        from news import demo as news_demo
        from polls import demo as polls_demo
        from registrations import demo as registrations_demo
        from units import demo as units_demo

        with transaction.atomic():
            units_demo.load(stdout=self.stdout)
            registrations_demo.load(stdout=self.stdout)
            news_demo.load(stdout=self.stdout)
            polls_demo.load(stdout=self.stdout)
            registrations_demo.publish_briefing(stdout=self.stdout)
            if options["users"]:
                from portal import demo_users

                demo_users.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
