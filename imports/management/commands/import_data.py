"""Import a data file (CONTRACT §1): units, criteria, registrations or progress.

    python manage.py import_data progress tien-do-quy-1.xlsx --dry-run

The file is imported whole or not at all: every bad row is printed to standard
error as ``row N: column: reason`` and the command exits with status 1.
``--dry-run`` (and ``-v 2`` on a real run) lists what changes: each created or
updated record's key and, for updates, its changed columns as old → new.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.errors import LOCKED_QUARTER
from imports.services import KINDS, import_file

# What only the command line needs told: in the admin the user is the one signed in.
HINTS = {LOCKED_QUARTER: " (dòng lệnh: thêm --user <tài khoản giám sát>)"}


class Command(BaseCommand):
    help = (
        "Nhập tệp CSV hoặc XLSX (đơn vị, tiêu chí, đăng ký, tiến độ); "
        "tất cả hoặc không."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và cho biết sẽ thay đổi gì, không ghi gì.",
        )
        parser.add_argument(
            "--user",
            help=(
                "Tên đăng nhập của người nhập (ghi vào lịch sử); số liệu tiến độ của "
                "quý đã khóa cần tài khoản giám sát viên tiến độ."
            ),
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        user = self._user(user)
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc.strerror}") from None
        report = import_file(
            kind=kind, content=content, filename=path.name, user=user, dry_run=dry_run
        )
        for error in report.sorted_errors():
            self.stderr.write(f"{error}{HINTS.get(error.code, '')}")
        if not report.ok:
            raise CommandError(
                f"Có {len(report.errors)} lỗi; không nhập dòng nào.", returncode=1
            )
        for label, created, updated, unchanged in report.details:
            self.stdout.write(
                f"{label}: tạo mới {created}, cập nhật {updated}, "
                f"giữ nguyên {unchanged}"
            )
        if dry_run or options["verbosity"] >= 2:
            changes = report.change_lines()
            if changes:
                self.stdout.write("Sẽ thay đổi:" if dry_run else "Đã thay đổi:")
            for line in changes:
                self.stdout.write(f"  {line}")
        prefix = "Chạy thử, chưa ghi gì. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Không có người dùng “{username}”.") from None
