"""Export a data file (CONTRACT §1) with exactly the columns that import reads.

python manage.py export_data progress --format xlsx -o tien-do.xlsx
"""

from django.core.management.base import BaseCommand, CommandError

from imports.exports import FORMATS, export_file
from imports.services import KINDS


class Command(BaseCommand):
    help = "Xuất tệp CSV hoặc XLSX (đơn vị, tiêu chí, đăng ký, tiến độ)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
        parser.add_argument(
            "-o", "--output", help="Tệp ghi ra; mặc định là đầu ra chuẩn."
        )

    def handle(self, *args, kind, fmt, output, **options):
        content = export_file(kind=kind, fmt=fmt)
        if not output or output == "-":
            if fmt == "xlsx":
                raise CommandError("Tệp XLSX là nhị phân: hãy dùng -o TỆP.")
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            with open(output, "wb") as handle:
                handle.write(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được {output}: {exc.strerror}") from None
        self.stderr.write(self.style.SUCCESS(f"Đã ghi {output} ({len(content)} byte)."))
