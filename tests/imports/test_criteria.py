"""Import of the catalogue: titles, criteria and indicators, one row per indicator."""

from decimal import Decimal

import pytest

from registrations.models import Criterion, Indicator, Title
from tests import factories
from tests.imports.conftest import run_import, snapshot

pytestmark = pytest.mark.django_db

HEADER = [
    "ma_danh_hieu",
    "ten_danh_hieu",
    "loai",
    "cap_hoc",
    "ma_tieu_chi",
    "ten_tieu_chi",
    "ma_chi_tieu",
    "ten_chi_tieu",
    "kieu",
    "so_sanh",
    "muc_tieu",
    "don_vi_tinh",
]
THON = ["DH-THON", "Thôn, khu phố kiểu mẫu", "thon", ""]
GOOD = [
    HEADER,
    [*THON, "TC-NVH", "Nhà văn hóa thôn", "CT-NVH", "Có nhà văn hóa", "co_khong"],
    [*THON, "TC-NGHEO", "Giảm nghèo", "CT-NGHEO", "Tỷ lệ hộ nghèo", "ty_le"]
    + ["<=", "3,5", "%"],
    [*THON, "TC-NGHEO", "Giảm nghèo", "CT-VL", "Số lao động thiếu việc", "SO_LUONG"]
    + ["'=", "0", "người"],
    ["DH-MN", "Trường mầm non kiểu mẫu", "truong", "mam_non", "TC-CSVC", "Cơ sở vật"]
    + ["CT-DIEM", "Điểm đánh giá", "diem", ">=", "8.5", "điểm"],
]


@pytest.mark.parametrize("name", ["criteria.csv", "criteria.xlsx"])
def test_criteria_file_builds_the_catalogue(write_file, name):
    result = run_import("criteria", write_file(GOOD, name=name))
    assert result.ok, result.err
    title = Title.objects.get(code="DH-THON")
    assert (title.name, title.kind, title.school_level) == (
        "Thôn, khu phố kiểu mẫu",
        "thon",
        "",
    )
    assert list(title.criteria.values_list("code", flat=True)) == [
        "TC-NVH",
        "TC-NGHEO",
    ]
    poverty = Indicator.objects.get(code="CT-NGHEO")
    assert (poverty.kind, poverty.comparison, poverty.target) == (
        "ty_le",
        "<=",
        Decimal("3.5"),
    )
    assert poverty.unit_of_measure == "%"
    assert Indicator.objects.get(code="CT-VL").comparison == "="
    assert Indicator.objects.get(code="CT-NVH").target is None
    assert Title.objects.get(code="DH-MN").school_level == "mam_non"
    assert "chỉ tiêu: tạo mới 4" in result.out


def test_reimporting_criteria_changes_nothing(write_file):
    path = write_file(GOOD)
    assert run_import("criteria", path).ok
    before = snapshot()
    result = run_import("criteria", path)
    assert result.ok
    assert "Đã tạo mới 0, cập nhật 0" in result.out
    assert snapshot() == before


def test_criteria_update_names_and_targets_in_place(write_file):
    assert run_import("criteria", write_file(GOOD)).ok
    poverty_pk = Indicator.objects.get(code="CT-NGHEO").pk
    rows = [HEADER, [*THON, "TC-NGHEO", "Giảm nghèo bền vững", "CT-NGHEO", "Hộ nghèo"]]
    rows[1] += ["ty_le", "<=", "2", ""]
    result = run_import("criteria", write_file(rows, name="second.csv"))
    assert result.ok, result.err
    poverty = Indicator.objects.get(code="CT-NGHEO")
    assert (poverty.pk, poverty.target, poverty.unit_of_measure) == (
        poverty_pk,
        Decimal("2"),
        "",
    )
    assert Criterion.objects.get(code="TC-NGHEO").name == "Giảm nghèo bền vững"
    assert Indicator.objects.count() == 4  # never deletes what the file omits


def _bad(indicator_cells, title=THON):
    return [*title, "TC-1", "Tiêu chí", "CT-1", "Chỉ tiêu", *indicator_cells]


BAD_ROWS = [
    (_bad(["phan_tram"]), "row 3: kieu: giá trị “phan_tram” không hợp lệ"),
    (_bad(["ty_le", "", "50"]), "row 3: so_sanh: bắt buộc với chỉ tiêu dạng số"),
    (_bad(["ty_le", ">", "50"]), "row 3: so_sanh: phép so sánh “>” không hợp lệ"),
    (_bad(["diem", ">=", ""]), "row 3: muc_tieu: bắt buộc với chỉ tiêu dạng số"),
    (_bad(["ty_le", ">=", "120"]), "row 3: muc_tieu: mục tiêu tỷ lệ phải trong"),
    (_bad(["so_luong", ">=", "-1"]), "row 3: muc_tieu: mục tiêu số lượng không được"),
    (_bad(["diem", ">=", "abc"]), "row 3: muc_tieu: “abc” không phải là số"),
    (
        _bad(["co_khong"], title=["DH-X", "Danh hiệu", "doanh_nghiep", ""]),
        "row 3: loai: giá trị “doanh_nghiep” không hợp lệ",
    ),
    (
        _bad(["co_khong"], title=["DH-X", "Danh hiệu", "xa", "thcs"]),
        "row 3: cap_hoc: chỉ danh hiệu trường học mới có cấp học",
    ),
    (
        _bad(["co_khong"], title=["DH-THON", "Tên khác", "thon", ""]),
        "row 3: ten_danh_hieu: khác với dòng 2 (“Thôn, khu phố kiểu mẫu”)",
    ),
    (
        [*THON, "TC-NVH", "Nhà văn hóa thôn", "CT-NVH", "Lặp", "co_khong"],
        "row 3: ma_chi_tieu: trùng mã “CT-NVH” với dòng 2",
    ),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_bad_criteria_row_is_reported_and_nothing_is_written(write_file, row, expected):
    before = snapshot()
    rows = [HEADER, GOOD[1], row]
    result = run_import("criteria", write_file(rows))
    assert not result.ok
    assert len(result.lines) == 1, result.lines
    assert result.lines[0].startswith(expected)
    assert snapshot() == before


def test_indicator_code_of_another_criterion_is_an_error(write_file):
    title = factories.make_title("DH-OLD")
    factories.make_indicator(factories.make_criterion(title, "TC-OLD"), "CT-NVH")
    before = snapshot()
    result = run_import("criteria", write_file(GOOD[:2]))
    assert result.lines == [
        "row 2: ma_chi_tieu: chỉ tiêu “CT-NVH” đã thuộc tiêu chí “TC-OLD” "
        "của danh hiệu “DH-OLD”"
    ]
    assert snapshot() == before


def test_missing_columns_are_each_reported(write_file):
    rows = [HEADER[:6], ["DH", "Tên", "xa", "", "TC", "Tiêu chí"]]
    result = run_import("criteria", write_file(rows))
    assert result.lines == [
        "row 1: ma_chi_tieu: missing",
        "row 1: ten_chi_tieu: missing",
        "row 1: kieu: missing",
    ]
