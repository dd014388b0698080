"""What an import would change, record by record (CONTRACT §1: ``--dry-run``)."""

import pytest

from imports.services import import_file
from imports.services.base import CHANGES_SHOWN
from registrations import periods
from tests import factories
from tests.imports.conftest import csv_bytes, run_import, snapshot
from units.models import UnitKind

pytestmark = pytest.mark.django_db

UNITS = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"]
PROGRESS = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]


def _listed(out):
    """The indented lines of the command's change list."""
    return [line.strip() for line in out.splitlines() if line.startswith("  ")]


def test_units_dry_run_lists_created_and_updated_units_with_old_and_new(write_file):
    factories.make_unit("XA-DK", kind=UnitKind.XA, name="Xã cũ", roadmap_year=2018)
    factories.make_unit("CQ-1", name="Cơ quan một")
    rows = [
        UNITS,
        ["XA-DK", "Xã Đông Khê", "xa", "", "", ""],
        ["CQ-1", "Cơ quan một", "co_quan", "", "", ""],  # unchanged: not listed
        ["THON-1", "Thôn một", "thon", "XA-DK", "", "2019"],
    ]
    before = snapshot()
    result = run_import("units", write_file(rows), "--dry-run")
    assert result.ok, result.err
    assert "Sẽ thay đổi:" in result.out
    assert _listed(result.out) == [
        "cập nhật đơn vị XA-DK: ten_don_vi: “Xã cũ” → “Xã Đông Khê”; "
        "nam_lo_trinh: “2018” → (trống)",
        "tạo mới đơn vị THON-1",
    ]
    assert "Sẽ tạo mới 1, cập nhật 1, giữ nguyên 1" in result.out
    assert snapshot() == before


def test_registrations_dry_run_names_unit_and_title(write_file):
    title = factories.make_title("DH-CQ", kind=UnitKind.CO_QUAN)
    factories.make_registration(factories.make_unit("CQ-1"), title, 2019)
    factories.make_unit("CQ-2")
    rows = [["ma_don_vi", "nam_dang_ky"], ["CQ-1", "2018"], ["CQ-2", "2020"]]
    result = run_import("registrations", write_file(rows), "--dry-run")
    assert result.ok, result.err
    assert _listed(result.out) == [
        "cập nhật đăng ký CQ-1 · DH-CQ: nam_dang_ky: “2019” → “2018”",
        "tạo mới đăng ký CQ-2 · DH-CQ",
    ]


def test_criteria_dry_run_lists_titles_criteria_and_indicators(catalogue, write_file):
    header = [
        "ma_danh_hieu",
        "ten_danh_hieu",
        "loai",
        "ma_tieu_chi",
        "ten_tieu_chi",
        "ma_chi_tieu",
        "ten_chi_tieu",
        "kieu",
        "so_sanh",
        "muc_tieu",
    ]
    title = ["DH-CQ", catalogue["title"].name, "co_quan"]
    rows = [
        header,
        [*title, "TC-1", "Tiêu chí đổi tên", "CT-TL", "Chỉ tiêu CT-TL"]
        + ["ty_le", "=", "97,5"],
        [*title, "TC-MOI", "Tiêu chí mới", "CT-MOI", "Chỉ tiêu mới", "co_khong"],
    ]
    result = run_import("criteria", write_file(rows), "--dry-run")
    assert result.ok, result.err
    assert _listed(result.out) == [
        "cập nhật tiêu chí DH-CQ · TC-1: ten_tieu_chi: “Tiêu chí TC-1” → "
        "“Tiêu chí đổi tên”",
        "tạo mới tiêu chí DH-CQ · TC-MOI",
        "cập nhật chỉ tiêu CT-TL: so_sanh: “>=” → “=”; muc_tieu: “95” → “97.5”",
        "tạo mới chỉ tiêu CT-MOI",
    ]


def test_progress_dry_run_lists_unit_indicator_and_quarter(
    catalogue, open_quarter, write_file
):
    year, quarter = open_quarter
    unit = catalogue["unit"]
    factories.make_progress(unit, catalogue["co_khong"], year, quarter, "1")
    factories.make_progress(unit, catalogue["ty_le"], year, quarter, "96.5", note="cũ")
    rows = [
        PROGRESS,
        ["CQ-1", year, quarter, "CT-CK", "chua_dat", ""],
        ["CQ-1", year, quarter, "CT-TL", "96,5", "mới"],
        ["CQ-1", year, quarter, "CT-D", "8", ""],
    ]
    before = snapshot()
    result = run_import("progress", write_file(rows), "--dry-run")
    assert result.ok, result.err
    period = periods.label(year, quarter)
    assert _listed(result.out) == [
        f"cập nhật tiến độ CQ-1 · CT-CK · {period}: gia_tri: “dat” → “chua_dat”",
        f"cập nhật tiến độ CQ-1 · CT-TL · {period}: ghi_chu: “cũ” → “mới”",
        f"tạo mới tiến độ CQ-1 · CT-D · {period}",
    ]
    assert snapshot() == before


def test_change_list_stops_at_its_limit_and_counts_the_rest(write_file):
    extra = 5
    rows = [UNITS] + [
        [f"CQ-{n:03}", f"Cơ quan {n}", "co_quan"] for n in range(CHANGES_SHOWN + extra)
    ]
    result = run_import("units", write_file(rows), "--dry-run")
    assert result.ok, result.err
    listed = _listed(result.out)
    assert len(listed) == CHANGES_SHOWN + 1
    assert listed[0] == "tạo mới đơn vị CQ-000"
    assert listed[-1] == f"… và {extra} thay đổi khác"


def test_real_run_lists_changes_only_when_verbose(write_file):
    path = write_file([UNITS, ["CQ-1", "Cơ quan một", "co_quan"]])
    quiet = run_import("units", path)
    assert quiet.ok and _listed(quiet.out) == []
    factories.make_unit("CQ-2", name="Tên cũ")
    path = write_file([UNITS, ["CQ-2", "Tên mới", "co_quan"]], name="b.csv")
    verbose = run_import("units", path, "--verbosity", "2")
    assert verbose.ok, verbose.err
    assert "Đã thay đổi:" in verbose.out
    assert _listed(verbose.out) == [
        "cập nhật đơn vị CQ-2: ten_don_vi: “Tên cũ” → “Tên mới”"
    ]


def test_refused_file_reports_no_change(db):
    content = csv_bytes([UNITS, ["CQ-1", "Cơ quan", "co_quan"], ["CQ-2", "", "xa"]])
    report = import_file(kind="units", content=content, dry_run=True)
    assert not report.ok
    assert (report.changes, report.more_changes) == ([], 0)
    assert report.as_dict()["changes"] == []


def test_report_keeps_the_change_list_for_the_admin(db):
    factories.make_unit("CQ-1", name="Tên cũ", roadmap_year=2019)
    content = csv_bytes([UNITS, ["CQ-1", "Tên mới", "co_quan", "", "", "2019"]])
    report = import_file(kind="units", content=content, dry_run=True).as_dict()
    assert report["changes"] == [
        {
            "action": "updated",
            "label": "đơn vị",
            "key": "CQ-1",
            "columns": [["ten_don_vi", "Tên cũ", "Tên mới"]],
        }
    ]
    assert report["more_changes"] == 0
