"""Import of units: happy paths and every kind of bad row."""

import pytest

from tests import factories
from tests.imports.conftest import run_import, snapshot
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"]
GOOD = [
    HEADER,
    # Children first: units may refer to a commune further down the file.
    ["THON-DK-01", "Thôn Đông Khê 1", "thon", "XA-DONG-KHE", "", ""],
    ["MN-DK", "Trường Mầm non Đông Khê", "truong", "XA-DONG-KHE", "mam_non", "2019"],
    ["TH-HUYEN", "Trường Tiểu học Thị trấn", "truong", "", "tieu_hoc", ""],
    ["XA-DONG-KHE", "Xã Đông Khê", "xa", "", "", "2018"],
    ["UBND-HUYEN", "Ủy ban nhân dân huyện", "CO_QUAN", "", "", "2017"],
]


@pytest.mark.parametrize("name", ["units.csv", "units.xlsx"])
def test_units_file_creates_units_in_any_order(write_file, name):
    result = run_import("units", write_file(GOOD, name=name))
    assert result.ok, result.err
    assert "Đã tạo mới 5" in result.out
    village = Unit.objects.get(code="THON-DK-01")
    assert village.parent.code == "XA-DONG-KHE"
    assert village.kind == UnitKind.THON
    school = Unit.objects.get(code="MN-DK")
    assert (school.school_level, school.roadmap_year) == ("mam_non", 2019)
    assert Unit.objects.get(code="TH-HUYEN").parent is None
    assert Unit.objects.get(code="UBND-HUYEN").kind == UnitKind.CO_QUAN


def test_reimporting_the_same_units_changes_nothing(write_file):
    path = write_file(GOOD)
    assert run_import("units", path).ok
    before = snapshot()
    result = run_import("units", path)
    assert result.ok
    assert "Đã tạo mới 0, cập nhật 0, giữ nguyên 5" in result.out
    assert snapshot() == before


def test_units_upsert_by_code_and_empty_cell_clears(write_file):
    commune = factories.make_unit("XA-DONG-KHE", kind=UnitKind.XA, roadmap_year=2018)
    untouched = factories.make_unit("CQ-KHAC", name="Cơ quan khác")
    rows = [HEADER, ["XA-DONG-KHE", "Xã Đông Khê mới", "xa", "", "", ""]]
    result = run_import("units", write_file(rows))
    assert result.ok, result.err
    commune.refresh_from_db()
    assert (commune.name, commune.roadmap_year) == ("Xã Đông Khê mới", None)
    assert Unit.objects.filter(pk=untouched.pk).exists()


def test_dry_run_reports_counts_and_writes_nothing(write_file):
    factories.make_unit("XA-DONG-KHE", kind=UnitKind.XA, name="Xã cũ")
    before = snapshot()
    result = run_import("units", write_file(GOOD), "--dry-run")
    assert result.ok
    assert "Sẽ tạo mới 4, cập nhật 1, giữ nguyên 0" in result.out
    assert snapshot() == before


BAD_ROWS = [
    (
        ["CQ-1", "Cơ quan", "phong_ban", "", "", ""],
        "row 2: loai: giá trị “phong_ban” không hợp lệ "
        "(dùng một trong: co_quan, xa, thon, truong)",
    ),
    (
        ["THON-1", "Thôn một", "thon", "XA-ABC", "", ""],
        "row 2: ma_don_vi_cha: không tìm thấy xã “XA-ABC”",
    ),
    (
        ["THON-1", "Thôn một", "thon", "", "", ""],
        "row 2: ma_don_vi_cha: thôn, khu phố phải có mã xã trực thuộc",
    ),
    (
        ["TR-1", "Trường", "truong", "", "", ""],
        "row 2: cap_hoc: trường học phải có cấp học (mam_non, tieu_hoc, thcs)",
    ),
    (
        ["XA-1", "Xã", "xa", "", "thcs", ""],
        "row 2: cap_hoc: chỉ trường học mới có cấp học, hãy để trống",
    ),
    (
        ["TR-1", "Trường", "truong", "", "dai_hoc", ""],
        "row 2: cap_hoc: giá trị “dai_hoc” không hợp lệ "
        "(dùng một trong: mam_non, tieu_hoc, thcs)",
    ),
    (
        ["CQ-1", "Cơ quan", "co_quan", "", "", "1999"],
        "row 2: nam_lo_trinh: năm phải là số nguyên từ 2000 đến 2100 "
        "(nhận được “1999”)",
    ),
    (
        ["CQ-1", "Cơ quan", "co_quan", "", "", "hai nghìn"],
        "row 2: nam_lo_trinh: năm phải là số nguyên từ 2000 đến 2100 "
        "(nhận được “hai nghìn”)",
    ),
    (
        ["CQ-1", "", "co_quan", "", "", ""],
        "row 2: ten_don_vi: bắt buộc, không được để trống",
    ),
    (
        ["CQ-1", "Cơ quan", "co_quan", "XA-OLD", "", ""],
        "row 2: ma_don_vi_cha: cơ quan và xã không trực thuộc đơn vị khác",
    ),
    (
        ["THON-1", "Thôn", "thon", "CQ-OLD", "", ""],
        "row 2: ma_don_vi_cha: đơn vị “CQ-OLD” không phải là xã",
    ),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_bad_unit_row_is_reported_and_nothing_is_written(write_file, row, expected):
    factories.make_unit("CQ-OLD")
    factories.make_unit("XA-OLD", kind=UnitKind.XA)
    before = snapshot()
    rows = [HEADER, ["CQ-GOOD", "Cơ quan tốt", "co_quan"], row]
    rows[1], rows[2] = rows[2], rows[1]
    result = run_import("units", write_file(rows))
    assert not result.ok
    assert result.lines == [expected]
    assert snapshot() == before


def test_duplicate_code_in_file_is_an_error_on_the_second_row(write_file):
    before = snapshot()
    rows = [
        HEADER,
        ["CQ-1", "Cơ quan", "co_quan"],
        ["CQ-2", "Cơ quan hai", "co_quan"],
        ["CQ-1", "Cơ quan lặp", "co_quan"],
    ]
    result = run_import("units", write_file(rows))
    assert result.lines == ["row 4: ma_don_vi: trùng mã “CQ-1” với dòng 2"]
    assert snapshot() == before


def test_every_bad_row_is_reported_one_line_each(write_file):
    rows = [
        HEADER,
        ["CQ-1", "", "co_quan", "", "", "3000"],
        ["CQ-2", "Cơ quan hai", "co_quan"],
        ["THON-1", "Thôn", "thon", "XA-ABC"],
    ]
    result = run_import("units", write_file(rows))
    assert [line.split(":")[:2] for line in result.lines] == [
        ["row 2", " ten_don_vi"],
        ["row 2", " nam_lo_trinh"],
        ["row 4", " ma_don_vi_cha"],
    ]
    assert not Unit.objects.exists()


def test_commune_with_villages_cannot_become_another_kind(write_file):
    commune = factories.make_unit("XA-1", kind=UnitKind.XA)
    factories.make_unit("THON-1", kind=UnitKind.THON, parent=commune)
    before = snapshot()
    result = run_import("units", write_file([HEADER, ["XA-1", "Xã", "co_quan"]]))
    assert result.lines == ["row 2: loai: xã “XA-1” còn đơn vị trực thuộc (THON-1)"]
    assert snapshot() == before


def test_unit_cannot_be_its_own_parent(write_file):
    rows = [HEADER, ["TR-1", "Trường", "truong", "TR-1", "thcs"]]
    result = run_import("units", write_file(rows))
    assert result.lines == [
        "row 2: ma_don_vi_cha: đơn vị không thể trực thuộc chính nó"
    ]
