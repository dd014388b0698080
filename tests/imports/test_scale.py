"""Imports bigger than a request: the admin's row limit, bombs, a province's quarter.

The admin reads at most IMPORT_MAX_ROWS rows of a file, counted while it streams;
a workbook is checked by what it unpacks to before openpyxl opens it. The command
has no row limit. Timings are the benchmark's (bench/import_scale.py), not these
tests': here the limit is lowered so that a file "at the limit" stays small.
"""

import io
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import tables
from imports.models import BatchStatus, ImportBatch
from imports.services import admin_limits, confirm_batch, import_file, preview_batch
from kieumau.text import fold, vi_sort_key
from registrations import periods
from registrations.models import (
    IndicatorKind,
    Progress,
    QuarterSheet,
    Registration,
)
from tests import factories
from tests.conftest import login
from tests.imports.conftest import csv_bytes, run_import, snapshot, xlsx_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]
INDICATORS = 20


@pytest.fixture
def province(db):
    """150 registered agencies, 20 indicators each: a 3,000-row quarter."""
    title = factories.make_title("DH-CQ")
    indicators = []
    for c in range(4):
        criterion = factories.make_criterion(title, f"TC{c}", order=c)
        for i in range(INDICATORS // 4):
            kind = IndicatorKind.CO_KHONG if i == 0 else IndicatorKind.TY_LE
            indicators.append(
                factories.make_indicator(criterion, f"CT{c}.{i}", kind=kind, order=i)
            )
    names = [f"Cơ quan số {n}" for n in range(150)]
    units = Unit.objects.bulk_create(
        Unit(
            code=f"CQ-{n:03d}",
            name=name,
            kind="co_quan",
            search_name=fold(name),
            name_sort_key=vi_sort_key(name),
        )
        for n, name in enumerate(names)
    )
    Registration.objects.bulk_create(
        Registration(unit=unit, title=title, year=2030) for unit in units
    )
    return units, indicators


def quarter_rows(units, indicators, value=Decimal("50")):
    year, quarter = periods.current()
    rows = [HEADER]
    for unit in units:
        for indicator in indicators:
            shown = "dat" if indicator.kind == IndicatorKind.CO_KHONG else value
            rows.append([unit.code, year, quarter, indicator.code, shown, ""])
    return rows


def test_a_quarter_at_the_row_limit_is_previewed_and_confirmed_in_the_admin(
    settings, province, district_staff
):
    settings.IMPORT_MAX_ROWS = 3000
    content = csv_bytes(quarter_rows(*province))
    batch = preview_batch(
        kind="progress", content=content, filename="quy.csv", by=district_staff
    )
    assert batch.status == BatchStatus.PREVIEWED, batch.report["errors"][:3]
    assert batch.report["created"] == 3000 and not Progress.objects.exists()

    batch, report = confirm_batch(batch=batch, by=district_staff)

    assert batch.status == BatchStatus.IMPORTED and report.created == 3000
    assert Progress.objects.count() == 3000
    history = Progress.history.all()
    assert history.count() == 3000
    assert set(history.values_list("history_type", flat=True)) == {"+"}
    assert set(history.values_list("history_user", flat=True)) == {district_staff.pk}
    assert set(history.values_list("id", flat=True)) == set(
        Progress.objects.values_list("pk", flat=True)
    )
    assert set(QuarterSheet.objects.values_list("version", flat=True)) == {1}


def test_a_province_quarter_changed_again_keeps_one_history_row_per_change(
    settings, province, district_staff
):
    settings.IMPORT_MAX_ROWS = 3000
    units, indicators = province
    first = csv_bytes(quarter_rows(units, indicators))
    assert import_file(kind="progress", content=first, user=district_staff).ok
    before = snapshot()

    again = import_file(kind="progress", content=first, user=district_staff)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3000)
    assert snapshot() == before
    changed = csv_bytes(quarter_rows(units, indicators, value=Decimal("75.5")))
    report = import_file(kind="progress", content=changed, user=district_staff)
    assert report.updated == 2400  # the 600 yes/no rows stay "dat"
    updates = Progress.history.filter(history_type="~")
    assert updates.count() == 2400
    assert set(updates.values_list("value", flat=True)) == {Decimal("75.5")}
    assert set(QuarterSheet.objects.values_list("version", flat=True)) == {2}


def test_a_file_over_the_row_limit_is_refused_in_the_admin_and_taken_by_the_command(
    settings, province, district_staff, write_file
):
    settings.IMPORT_MAX_ROWS = 2999
    rows = quarter_rows(*province)
    batch = preview_batch(
        kind="progress", content=csv_bytes(rows), filename="quy.csv", by=district_staff
    )

    assert batch.status == BatchStatus.REJECTED
    [error] = batch.report["errors"]
    assert error.startswith(
        "row 3001: file: tệp có hơn 2.999 dòng sau dòng tiêu đề, quá giới hạn; "
    )
    assert "python manage.py import_data progress <tệp>" in error
    assert not Progress.objects.exists()
    result = run_import("progress", write_file(rows))
    assert result.ok, result.err
    assert Progress.objects.count() == 3000


def test_a_batch_confirmed_after_the_limit_was_lowered_writes_nothing(
    settings, province, district_staff
):
    settings.IMPORT_MAX_ROWS = 3000
    content = csv_bytes(quarter_rows(*province))
    batch = preview_batch(
        kind="progress", content=content, filename="quy.csv", by=district_staff
    )
    settings.IMPORT_MAX_ROWS = 2500  # the last rows arrive after others were written

    batch, report = confirm_batch(batch=batch, by=district_staff)

    assert batch.status == BatchStatus.REJECTED
    assert report.error_lines()[0].startswith("row 2502: file: tệp có hơn 2.500 dòng")
    assert not Progress.objects.exists() and not Progress.history.exists()
    assert not QuarterSheet.objects.exists()


def test_the_admin_page_says_how_to_import_a_file_over_the_limit(
    settings, client, province, district_staff
):
    settings.IMPORT_MAX_ROWS = 100
    upload = SimpleUploadedFile("quy.csv", csv_bytes(quarter_rows(*province)))
    login(client, district_staff)

    response = client.post(
        reverse("imports:index"), {"kind": "progress", "file": upload}, follow=True
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "tệp có hơn 100 dòng sau dòng tiêu đề" in page
    assert "python manage.py import_data progress &lt;tệp&gt;" in page
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_units_over_the_row_limit_are_refused_before_any_is_written(
    settings, district_staff
):
    settings.IMPORT_MAX_ROWS = 50
    rows = [["ma_don_vi", "ten_don_vi", "loai"]]
    rows += [[f"XA-{n}", f"Xã {n}", "xa"] for n in range(51)]
    batch = preview_batch(
        kind="units", content=csv_bytes(rows), filename="dv.csv", by=district_staff
    )
    assert batch.report["errors"][0].startswith("row 52: file: tệp có hơn 50 dòng")
    assert "import_data units" in batch.report["errors"][0]
    assert not Unit.objects.exists()


def test_rows_are_counted_as_the_sheet_streams_blank_rows_included(settings):
    settings.IMPORT_MAX_ROWS = 100
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["CQ-1", 2026, 1, "CT-1", "dat"])
    sheet.cell(row=1_000_000, column=1, value="CQ-2")  # a million rows to read
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_file(
        kind="progress",
        content=buffer.getvalue(),
        filename="thua.xlsx",
        limits=admin_limits("progress"),
    )

    # Row 2's own errors (an unknown unit…), then the refusal at the 101st row.
    assert report.error_lines()[-1].startswith(
        "row 102: file: tệp có hơn 100 dòng sau dòng tiêu đề"
    )


def _bomb(rows):
    """An XLSX whose sheet holds ``rows`` plausible progress rows (deflated ~30x)."""
    template = io.BytesIO(xlsx_bytes([HEADER]))
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info.filename))
        header = "".join(
            f'<c r="{column}1" t="inlineStr"><is><t>{key}</t></is></c>'
            for column, key in zip("ABCDEF", HEADER, strict=True)
        )
        cells = f'<row r="1">{header}</row>' + "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>THON-{r % 997}</t></is>'
            f'</c><c r="B{r}"><v>2026</v></c><c r="E{r}"><v>{r * 37 % 1000}</v></c>'
            "</row>"
            for r in range(2, rows + 2)
        )
        bomb.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            f'main"><sheetData>{cells}</sheetData></worksheet>',
        )
    return buffer.getvalue()


def _declare_smaller(content, name, size):
    """Make the zip's directory claim that member ``name`` unpacks to ``size``."""
    data = bytearray(content)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(name)


@pytest.fixture
def never_read(monkeypatch):
    """The workbook reader must not even start on the file."""

    def refuse(*args, **kwargs):
        raise AssertionError("the bomb reached the workbook reader")

    monkeypatch.setattr(tables, "Workbook", refuse)


def test_a_workbook_unpacking_past_the_limit_is_refused_before_it_is_read(
    settings, never_read, district_staff
):
    settings.IMPORT_MAX_ROWS = 1000  # 1.5 MB unpacked at most
    content = _bomb(30_000)  # about 4 MB of sheet, 30 times smaller packed
    assert len(content) < 500_000

    batch = preview_batch(
        kind="progress", content=content, filename="bom.xlsx", by=district_staff
    )

    [error] = batch.report["errors"]
    assert error.startswith(
        "row 1: file: bảng tính giải nén ra hơn 1,5 MB, quá giới hạn; "
    )
    assert "python manage.py import_data progress" in error


def test_a_workbook_unpacking_to_more_than_it_declares_is_refused_before_it_is_read(
    settings, never_read
):
    settings.IMPORT_MAX_ROWS = 1000
    content = _declare_smaller(_bomb(30_000), "xl/worksheets/sheet1.xml", 100_000)

    report = import_file(
        kind="progress",
        content=content,
        filename="bom.xlsx",
        limits=admin_limits("progress"),
    )

    assert report.error_lines() == [
        "row 1: file: tệp .xlsx bị hỏng (không giải nén được)"
    ]


def test_the_command_reads_a_workbook_of_any_number_of_rows(write_file):
    report = import_file(kind="progress", content=_bomb(2000), filename="x.xlsx")
    # Read to the end: every row is checked (unknown units), none refused as a whole.
    assert len(report.errors) > 2000
    assert not any(e.column == "file" for e in report.errors)
