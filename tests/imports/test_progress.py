"""Import of quarterly progress: values, locks, history and sheet versions."""

import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch
from registrations.models import Progress, QuarterSheet
from tests import factories
from tests.conftest import login
from tests.imports.conftest import csv_bytes, run_import, snapshot

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]


def _rows(year, quarter):
    return [
        HEADER,
        ["CQ-1", year, quarter, "CT-CK", "Đạt", "Đã có sân"],
        ["CQ-1", year, quarter, "CT-TL", "96,5", ""],
        ["CQ-1", year, quarter, "CT-SL", "0", ""],
        ["CQ-1", year, quarter, "CT-D", "8.25", ""],
    ]


def _values():
    return dict(Progress.objects.values_list("indicator__code", "value"))


@pytest.mark.parametrize("name", ["progress.csv", "progress.xlsx"])
def test_progress_file_stores_values_with_history(
    catalogue, open_quarter, write_file, name
):
    year, quarter = open_quarter
    user = factories.make_user("canbo", groups=["Cán bộ huyện"], is_staff=True)
    path = write_file(_rows(year, quarter), name=name)
    result = run_import("progress", path, "--user", "canbo")
    assert result.ok, result.err
    assert _values() == {
        "CT-CK": Decimal(1),
        "CT-TL": Decimal("96.5"),
        "CT-SL": Decimal(0),
        "CT-D": Decimal("8.25"),
    }
    assert Progress.objects.get(indicator__code="CT-CK").note == "Đã có sân"
    assert Progress.history.filter(history_type="+", history_user=user).count() == 4
    assert Progress.objects.filter(updated_by=user).count() == 4
    sheet = QuarterSheet.objects.get(unit=catalogue["unit"], year=year)
    assert (sheet.quarter, sheet.version) == (quarter, 1)


def test_reimporting_progress_adds_no_history_and_keeps_versions(
    catalogue, open_quarter, write_file
):
    path = write_file(_rows(*open_quarter))
    assert run_import("progress", path).ok
    before = snapshot()
    result = run_import("progress", path)
    assert result.ok
    assert "Đã tạo mới 0, cập nhật 0, giữ nguyên 4" in result.out
    assert snapshot() == before


def test_changed_value_updates_in_place_with_history_and_bumps_the_sheet(
    catalogue, open_quarter, write_file
):
    year, quarter = open_quarter
    assert run_import("progress", write_file(_rows(year, quarter))).ok
    rows = [HEADER, ["CQ-1", year, quarter, "CT-TL", "97", "đã rà soát"]]
    result = run_import("progress", write_file(rows, name="second.csv"))
    assert result.ok, result.err
    assert "cập nhật 1" in result.out
    assert _values()["CT-TL"] == Decimal(97)
    assert Progress.objects.count() == 4  # other rows are not deleted
    changed = Progress.history.filter(indicator__code="CT-TL").order_by("history_id")
    assert [(h.history_type, h.value) for h in changed] == [
        ("+", Decimal("96.5")),
        ("~", Decimal(97)),
    ]
    assert QuarterSheet.objects.get(unit=catalogue["unit"]).version == 2


def test_yes_no_values_in_any_form(catalogue, open_quarter, write_file):
    year, quarter = open_quarter
    for text, stored in [
        ("DAT", 1),
        ("chua_dat", 0),
        (unicodedata.normalize("NFD", "Chưa đạt"), 0),
        ("1", 1),
        ("0", 0),
        ("Đạt", 1),
    ]:
        rows = [HEADER, ["CQ-1", year, quarter, "CT-CK", text]]
        result = run_import("progress", write_file(rows))
        assert result.ok, (text, result.err)
        assert _values()["CT-CK"] == stored, text


def test_dry_run_writes_no_progress(catalogue, open_quarter, write_file):
    before = snapshot()
    result = run_import("progress", write_file(_rows(*open_quarter)), "--dry-run")
    assert result.ok
    assert "Sẽ tạo mới 4" in result.out
    assert snapshot() == before


def _bad_cases(year, quarter):
    return [
        (
            ["CQ-404", year, quarter, "CT-TL", "50"],
            "row 3: ma_don_vi: không tìm thấy đơn vị “CQ-404”",
        ),
        (
            ["CQ-1", year, quarter, "CT-404", "50"],
            "row 3: ma_chi_tieu: không tìm thấy chỉ tiêu “CT-404”",
        ),
        (
            ["CQ-1", year, quarter, "CT-XA", "dat"],
            "row 3: ma_chi_tieu: chỉ tiêu “CT-XA” không thuộc danh hiệu mà đơn vị "
            "“CQ-1” đang đăng ký",
        ),
        (
            ["CQ-1", year, 5, "CT-TL", "50"],
            "row 3: quy: quý phải là 1, 2, 3 hoặc 4 (nhận được “5”)",
        ),
        (
            ["CQ-1", year, 0, "CT-TL", "50"],
            "row 3: quy: quý phải là 1, 2, 3 hoặc 4 (nhận được “0”)",
        ),
        (
            ["CQ-1", 1999, quarter, "CT-TL", "50"],
            "row 3: nam: năm phải là số nguyên từ 2000 đến 2100 (nhận được “1999”)",
        ),
        (["CQ-1", year, quarter, "CT-TL", "dat"], "row 3: gia_tri: “dat” không phải"),
        (["CQ-1", year, quarter, "CT-TL", "101"], "row 3: gia_tri: tỷ lệ phải trong"),
        (["CQ-1", year, quarter, "CT-SL", "-1"], "row 3: gia_tri: số lượng không được"),
        (
            ["CQ-1", year, quarter, "CT-CK", "có lẽ"],
            "row 3: gia_tri: chỉ tiêu có/không nhận “dat” hoặc “chua_dat”",
        ),
        (["CQ-1", year, quarter, "CT-CK", "2"], "row 3: gia_tri: chỉ tiêu có/không"),
        (["CQ-1", year, quarter, "CT-D", "1.234,5"], "row 3: gia_tri: “1.234,5” không"),
        (["CQ-1", year, quarter, "CT-D", ""], "row 3: gia_tri: bắt buộc"),
        (
            ["CQ-1", year, quarter, "CT-CK", "dat"],
            "row 3: ma_chi_tieu: trùng đơn vị, chỉ tiêu, năm và quý với dòng 2",
        ),
    ]


def test_every_bad_progress_row_is_refused_and_nothing_is_written(
    catalogue, open_quarter, write_file
):
    year, quarter = open_quarter
    factories.make_progress(catalogue["unit"], catalogue["diem"], year, quarter, "7")
    for row, expected in _bad_cases(year, quarter):
        before = snapshot()
        rows = [HEADER, ["CQ-1", year, quarter, "CT-CK", "dat"], row]
        result = run_import("progress", write_file(rows))
        assert not result.ok, row
        assert len(result.lines) == 1, result.lines
        assert result.lines[0].startswith(expected), result.lines
        assert snapshot() == before


def test_locked_quarter_is_refused_without_a_supervisor(
    catalogue, write_file, supervisor, district_staff
):
    rows = [HEADER, ["CQ-1", 2017, 1, "CT-TL", "80"]]
    path = write_file(rows)
    before = snapshot()
    for args in ([], ["--user", district_staff.username]):
        result = run_import("progress", path, *args)
        assert result.lines == [
            "row 2: quy: Quý I/2017 đã khóa; chỉ giám sát viên tiến độ mới được "
            "sửa số liệu quý đã khóa (dòng lệnh: thêm --user <tài khoản giám sát>)"
        ]
        assert snapshot() == before
    result = run_import("progress", path, "--user", supervisor.username)
    assert result.ok, result.err
    assert _values() == {"CT-TL": Decimal(80)}
    assert Progress.history.get().history_user == supervisor


def test_admin_preview_of_a_locked_quarter_gives_no_command_line_hint(
    catalogue, client, district_staff
):
    content = csv_bytes([HEADER, ["CQ-1", 2017, 1, "CT-TL", "80"]])
    login(client, district_staff)
    upload = SimpleUploadedFile("tien-do.csv", content, content_type="text/csv")
    client.post(reverse("imports:index"), {"kind": "progress", "file": upload})
    batch = ImportBatch.objects.get()
    assert batch.report["errors"] == [
        "row 2: quy: Quý I/2017 đã khóa; chỉ giám sát viên tiến độ mới được "
        "sửa số liệu quý đã khóa"
    ]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Quý I/2017 đã khóa" in page and "--user" not in page


def test_other_progress_errors_give_no_command_line_hint(
    catalogue, open_quarter, write_file
):
    year, quarter = open_quarter
    rows = [HEADER, ["CQ-1", year, quarter, "CT-XA", "dat"]]
    result = run_import("progress", write_file(rows))
    assert len(result.lines) == 1
    assert "không thuộc danh hiệu" in result.lines[0]
    assert "--user" not in result.err


def test_unchanged_rows_of_a_locked_quarter_reimport_quietly(catalogue, write_file):
    factories.make_progress(catalogue["unit"], catalogue["ty_le"], 2017, 1, "80")
    path = write_file([HEADER, ["CQ-1", "2017", "1", "CT-TL", "80,0"]])
    result = run_import("progress", path)
    assert result.ok, result.err
    assert "giữ nguyên 1" in result.out


def test_many_rows_cross_chunks_and_touch_each_sheet_once(
    catalogue, open_quarter, write_file, monkeypatch
):
    from imports.services import progress

    monkeypatch.setattr(progress, "CHUNK_ROWS", 3)
    year, quarter = open_quarter
    units = [factories.make_unit(f"CQ-{n:02d}") for n in range(2, 6)]
    for unit in units:
        factories.make_registration(unit, catalogue["title"], 2018)
    rows = [HEADER]
    for unit in [catalogue["unit"], *units]:
        for code in ("CT-TL", "CT-D"):
            rows.append([unit.code, year, quarter, code, "50"])
    result = run_import("progress", write_file(rows))
    assert result.ok, result.err
    assert Progress.objects.count() == 10
    assert Progress.history.count() == 10
    assert sorted(QuarterSheet.objects.values_list("version", flat=True)) == [1] * 5


def test_duplicate_in_a_later_chunk_names_the_first_row(
    catalogue, open_quarter, write_file, monkeypatch
):
    from imports.services import progress

    monkeypatch.setattr(progress, "CHUNK_ROWS", 2)
    year, quarter = open_quarter
    rows = [HEADER] + [
        ["CQ-1", year, quarter, code, "50"] for code in ("CT-TL", "CT-D", "CT-SL")
    ]
    rows.append(["CQ-1", year, quarter, "CT-D", "60"])
    rows.append(["CQ-1", year, quarter, "CT-TL", "1"])
    before = snapshot()
    result = run_import("progress", write_file(rows))
    assert result.lines == [
        "row 5: ma_chi_tieu: trùng đơn vị, chỉ tiêu, năm và quý với dòng 3",
        "row 6: ma_chi_tieu: trùng đơn vị, chỉ tiêu, năm và quý với dòng 2",
    ]
    assert snapshot() == before
