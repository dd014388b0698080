"""Export a data file (CONTRACT §1) with exactly the columns that import reads.

python manage.py export_data progress -o tien-do.xlsx

The output file's extension decides the format (a ``.xlsx`` file holding CSV
text is refused by LibreOffice and Excel); ``--format`` is for standard output
and for other names, and may not contradict the extension.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.exports import FORMATS, export_file
from imports.services import KINDS

# Spreadsheet names that this export cannot write: better refused than mislabelled.
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods")


def output_format(output, fmt):
    """The format to write ``output`` in, given ``--format`` (None when not given)."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    if suffix in OTHER_SPREADSHEETS:
        raise CommandError(
            f"Không xuất được tệp {suffix}: hãy đặt tên tệp .xlsx hoặc .csv."
        )
    implied = suffix.removeprefix(".") if suffix in (".csv", ".xlsx") else None
    if fmt and implied and fmt != implied:
        raise CommandError(
            f"--format {fmt} trái với phần mở rộng của tệp {output}: "
            f"hãy bỏ --format hoặc đặt tên tệp .{fmt}."
        )
    return implied or fmt or "csv"


class Command(BaseCommand):
    help = (
        "Xuất tệp CSV hoặc XLSX (đơn vị, tiêu chí, đăng ký, tiến độ); "
        "định dạng theo phần mở rộng của tệp ghi ra."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="fmt",
            help="csv hoặc xlsx; mặc định theo phần mở rộng của tệp, không có thì csv.",
        )
        parser.add_argument(
            "-o", "--output", help="Tệp ghi ra; mặc định là đầu ra chuẩn."
        )

    def handle(self, *args, kind, fmt, output, **options):
        fmt = output_format(output, fmt)
        if not output or output == "-":
            if fmt == "xlsx":
                raise CommandError("Tệp XLSX là nhị phân: hãy dùng -o TỆP.")
            self.stdout.write(
                export_file(kind=kind, fmt=fmt).decode("utf-8"), ending=""
            )
            return
        content = export_file(kind=kind, fmt=fmt)
        try:
            with open(output, "wb") as handle:
                handle.write(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được {output}: {exc.strerror}") from None
        self.stderr.write(self.style.SUCCESS(f"Đã ghi {output} ({len(content)} byte)."))
