"""The demo's documents for `manage.py load_demo` (idempotent).

``demo_data/documents.csv`` (the columns of CONTRACT §1.8) lists a dozen documents
of the programme in huyện Đông Sơn, 2016–2017, written for this portal; their PDF
files are in ``demo_data/files/`` (``demo_data/make_files.py`` draws them).
"""

import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from .models import Document

DATA = Path(__file__).resolve().parent / "demo_data"
COLUMNS = (
    "so_ky_hieu",
    "loai",
    "ngay_ban_hanh",
    "co_quan_ban_hanh",
    "trich_yeu",
    "tep",
)


def parse_date(value):
    value = (value or "").strip()
    if not value:
        return None
    return datetime.datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007


@transaction.atomic
def load_documents(*, path=DATA / "documents.csv", files=DATA / "files", stdout):
    """Create the documents of ``path`` not there yet (same number and date)."""
    created = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            missing = [key for key in COLUMNS if not (row.get(key) or "").strip()]
            if missing:
                raise ValueError(f"row {line}: {missing[0]}: missing")
            number, issued_on = (
                row["so_ky_hieu"].strip(),
                parse_date(row["ngay_ban_hanh"]),
            )
            if Document.objects.filter(number=number, issued_on=issued_on).exists():
                continue
            document = Document(
                number=number,
                kind=row["loai"].strip(),
                issued_on=issued_on,
                effective_on=parse_date(row.get("ngay_hieu_luc")),
                issuer=row["co_quan_ban_hanh"].strip(),
                summary=row["trich_yeu"].strip(),
                is_published=(row.get("cong_khai") or "1").strip() != "0",
            )
            with open(files / row["tep"].strip(), "rb") as data:
                document.file = File(data, name=row["tep"].strip())
                try:
                    document.full_clean()
                except ValidationError as error:
                    raise ValueError(f"row {line}: {error.messages[0]}") from error
                document.save()
            created += 1
    stdout.write(f"Văn bản: {created} văn bản mới")
    return created
