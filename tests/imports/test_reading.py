"""Reading files as offices send them: CSV flavours, XLSX, broken and foreign files."""

import datetime
import io
import unicodedata
import zipfile

import pytest

from imports.services import import_file
from tests.imports.conftest import csv_bytes, run_import, snapshot, xlsx_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"]
ROWS = [
    HEADER,
    ["XA-DK", "Xã Đông Khê", "xa", "", "", "2018"],
    ["THON-DK-1", "Thôn Đông Khê 1", "thon", "XA-DK", "", ""],
]


def test_csv_with_bom_and_comma_imports(write_file):
    result = run_import("units", write_file(ROWS, bom=True))
    assert result.ok, result.err
    assert Unit.objects.get(code="XA-DK").roadmap_year == 2018
    assert Unit.objects.get(code="THON-DK-1").parent.code == "XA-DK"


def test_csv_with_semicolons_from_vietnamese_excel_imports(write_file):
    rows = [*ROWS, ["CQ-1", "Cơ quan một, hai", "co_quan", "", "", ""]]
    result = run_import("units", write_file(rows, delimiter=";"))
    assert result.ok, result.err
    assert Unit.objects.get(code="CQ-1").name == "Cơ quan một, hai"


def test_header_keys_match_after_trimming_in_any_case(write_file):
    header = [" MA_DON_VI ", "Ten_Don_Vi", "LOAI  ", "ghi chú thêm", "Nam_Lo_Trinh"]
    rows = [header, ["CQ-9", "Cơ quan chín", "co_quan", "bỏ qua", "2020"]]
    result = run_import("units", write_file(rows))
    assert result.ok, result.err
    assert Unit.objects.get(code="CQ-9").roadmap_year == 2020


def test_blank_lines_are_skipped_and_rows_keep_spreadsheet_numbers(write_file):
    rows = [HEADER, [], ["CQ-1", "Cơ quan", "co_quan"], [], ["CQ-2", "", "co_quan"]]
    result = run_import("units", write_file(rows))
    assert not result.ok
    assert result.lines == ["row 5: ten_don_vi: bắt buộc, không được để trống"]


def test_nfd_text_is_stored_composed(write_file):
    name = unicodedata.normalize("NFD", "Xã Đông Khê")
    rows = [HEADER, ["XA-DK", name, "xa"]]
    assert run_import("units", write_file(rows)).ok
    stored = Unit.objects.get(code="XA-DK").name
    assert stored == unicodedata.normalize("NFC", "Xã Đông Khê")
    assert unicodedata.is_normalized("NFC", stored)


def test_missing_required_column_is_reported_on_row_one(write_file):
    before = snapshot()
    rows = [["ma_don_vi", "loai"], ["CQ-1", "co_quan"]]
    result = run_import("units", write_file(rows))
    assert not result.ok
    assert result.lines == ["row 1: ten_don_vi: missing"]
    assert snapshot() == before


def test_empty_file_reports_every_required_column_missing(write_file):
    before = snapshot()
    result = run_import("units", write_file(b"", name="empty.csv"))
    assert not result.ok
    assert result.lines == [
        "row 1: ma_don_vi: missing",
        "row 1: ten_don_vi: missing",
        "row 1: loai: missing",
    ]
    assert snapshot() == before


def test_header_only_file_imports_nothing(write_file):
    result = run_import("units", write_file([HEADER]))
    assert result.ok
    assert "tạo mới 0" in result.out


def test_latin1_csv_is_refused_with_its_row(write_file):
    before = snapshot()
    rows = [HEADER, ["XA-1", "Xã Hà Tây", "xa"]]
    content = csv_bytes(rows, encoding="latin-1")
    result = run_import("units", write_file(content, name="latin.csv"))
    assert not result.ok
    assert result.lines[0].startswith("row 2: file: tệp CSV không đúng mã UTF-8")
    assert snapshot() == before


def test_utf16_csv_is_refused(write_file):
    before = snapshot()
    content = csv_bytes(ROWS, encoding="utf-16")
    result = run_import("units", write_file(content, name="u16.csv"))
    assert not result.ok
    assert result.lines[0].startswith("row 1: file: tệp CSV phải lưu bằng mã UTF-8")
    assert snapshot() == before


def test_png_named_xlsx_is_refused_without_traceback(write_file):
    before = snapshot()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    result = run_import("units", write_file(png, name="anh.xlsx"))
    assert not result.ok
    assert result.lines == [
        "row 1: file: tệp không phải bảng tính Excel (.xlsx) mà là ảnh PNG"
    ]
    assert "Traceback" not in result.err
    assert snapshot() == before


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    report = import_file(kind="units", content=buffer.getvalue(), filename="a.xlsx")
    assert [str(e) for e in report.errors] == [
        "row 1: file: tệp nén không phải bảng tính Excel (.xlsx)"
    ]


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    report = import_file(kind="units", content=buffer.getvalue(), filename="a.xlsx")
    assert len(report.errors) == 1
    assert str(report.errors[0]).startswith("row 1: file: bảng tính có tỷ lệ nén")


def test_truncated_xlsx_is_refused():
    content = xlsx_bytes(ROWS)[:400]
    report = import_file(kind="units", content=content, filename="a.xlsx")
    assert not report.ok
    assert str(report.errors[0]).startswith("row 1: file: ")


def test_xml_entity_bomb_in_xlsx_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' + data
                )
            target.writestr(item, data)
    report = import_file(kind="units", content=buffer.getvalue(), filename="a.xlsx")
    assert not report.ok
    assert str(report.errors[0]).startswith("row 1: file: không đọc được bảng tính")
    assert not Unit.objects.exists()


def test_xlsx_numbers_are_numbers_and_blank_rows_are_skipped(write_file):
    rows = [HEADER, ["XA-DK", "Xã Đông Khê", "xa", None, None, 2018.0], [], [None]]
    result = run_import("units", write_file(rows, name="units.xlsx"))
    assert result.ok, result.err
    assert Unit.objects.get(code="XA-DK").roadmap_year == 2018


def test_xlsx_errors_use_sheet_row_numbers(write_file):
    rows = [HEADER, [], ["XA-DK", "Xã Đông Khê", "xa", None, None, 2017.5]]
    result = run_import("units", write_file(rows, name="units.xlsx"))
    assert result.lines == [
        "row 3: nam_lo_trinh: năm phải là số nguyên từ 2000 đến 2100 "
        "(nhận được “2017.5”)"
    ]


def test_formula_guard_prefix_is_removed_on_import(write_file):
    rows = [HEADER, ["CQ-1", "'=Cơ quan", "co_quan"]]
    assert run_import("units", write_file(rows)).ok
    assert Unit.objects.get(code="CQ-1").name == "=Cơ quan"


def test_repeated_header_column_is_an_error(write_file):
    rows = [[*HEADER, "loai"], ["CQ-1", "Cơ quan", "co_quan", "", "", "", "xa"]]
    result = run_import("units", write_file(rows))
    assert result.lines == ["row 1: loai: cột bị lặp lại trong dòng tiêu đề"]


def test_unknown_user_is_a_command_error(write_file):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("import_data", "units", str(write_file(ROWS)), user="nobody")


def test_xlsx_dates_arrive_as_dates(catalogue, write_file):
    rows = [
        ["ma_don_vi", "nam_dang_ky", "ngay_dang_ky", "ma_danh_hieu"],
        ["CQ-1", 2019, datetime.datetime(2016, 10, 3), "DH-CQ"],  # noqa: DTZ001
    ]
    result = run_import("registrations", write_file(rows, name="r.xlsx"))
    assert result.ok, result.err
    registration = catalogue["unit"].registrations.get()
    assert registration.registered_on == datetime.date(2016, 10, 3)


@pytest.mark.parametrize("row", [2, 3])
def test_broken_csv_row_is_refused_with_its_row_number(write_file, row):
    lines = [b"ma_don_vi,ten_don_vi,loai", b"CQ-1,A,co_quan", b"CQ-2,B,co_quan"]
    lines[row - 1] = b'CQ-X,"' + b"x" * 200_000 + b'",co_quan'  # over csv's limit
    content = b"\r\n".join(lines) + b"\r\n"
    result = run_import("units", write_file(content, name="broken.csv"))
    assert not result.ok
    assert len(result.lines) == 1
    assert result.lines[0].startswith(f"row {row}: file: tệp CSV hỏng")
    assert not Unit.objects.exists()
