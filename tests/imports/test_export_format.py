"""export_data: the output file's extension decides its format.

A file named ``.xlsx`` holding CSV text is refused by LibreOffice and Excel, so
``-o tien-do.xlsx`` writes a workbook even without ``--format``, and a
``--format`` that contradicts the extension is an error that writes nothing.
"""

import csv
import io
import subprocess
import sys

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from imports.services import columns
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    factories.make_unit("XA-1", name="Xã Đông Khê")
    factories.make_unit("XA-2", name="Xã Đông Anh")


def export(*args):
    call_command("export_data", *args, stderr=io.StringIO())


@pytest.mark.parametrize("name", ["tien-do.xlsx", "TIEN-DO.XLSX"])
def test_an_xlsx_name_gets_a_workbook_without_format(units, tmp_path, name):
    target = tmp_path / name
    export("units", "-o", str(target))
    sheet = openpyxl.load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(columns("units"))]) == columns("units")
    assert [row[:2] for row in rows[1:]] == [
        ("XA-1", "Xã Đông Khê"),
        ("XA-2", "Xã Đông Anh"),
    ]


def test_an_xlsx_name_with_the_matching_format_gets_a_workbook(units, tmp_path):
    target = tmp_path / "don-vi.xlsx"
    export("units", "--format", "xlsx", "-o", str(target))
    assert openpyxl.load_workbook(target).worksheets[0].max_row == 3


@pytest.mark.parametrize("fmt", [None, "csv"])
def test_a_csv_name_gets_csv_text(units, tmp_path, fmt):
    target = tmp_path / "don-vi.csv"
    export("units", *(["--format", fmt] if fmt else []), "-o", str(target))
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == columns("units")
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("fmt", "name"), [("csv", "tien-do.xlsx"), ("xlsx", "tien-do.csv")]
)
def test_a_format_contradicting_the_extension_is_an_error(units, tmp_path, fmt, name):
    target = tmp_path / name
    with pytest.raises(CommandError, match=r"--format"):
        export("units", "--format", fmt, "-o", str(target))
    assert not target.exists()


@pytest.mark.parametrize("name", ["tien-do.xls", "tien-do.ods", "tien-do.xlsm"])
def test_a_spreadsheet_name_the_export_cannot_write_is_an_error(units, tmp_path, name):
    target = tmp_path / name
    with pytest.raises(CommandError, match=r"\.xlsx"):
        export("units", "-o", str(target))
    assert not target.exists()


def test_any_other_name_follows_the_format(units, tmp_path):
    target = tmp_path / "don-vi.txt"
    export("units", "-o", str(target))
    assert target.read_bytes().decode("utf-8-sig").startswith("ma_don_vi,")


def test_the_contradiction_exits_non_zero_from_the_command_line(tmp_path):
    target = tmp_path / "tien-do.xlsx"
    result = subprocess.run(
        [sys.executable, "manage.py", "export_data", "progress", "--format", "csv"]
        + ["-o", str(target)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "--format" in result.stderr
    assert not target.exists()
