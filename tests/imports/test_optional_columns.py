"""An empty optional cell clears a value; a column left out of the file keeps it."""

import datetime
from decimal import Decimal

import pytest

from registrations.models import Indicator, Progress
from tests import factories
from tests.imports.conftest import run_import, snapshot
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_units_file_without_optional_columns_keeps_them(write_file):
    commune = factories.make_unit("XA-1", kind=UnitKind.XA)
    factories.make_unit(
        "MN-1",
        kind=UnitKind.TRUONG,
        school_level="mam_non",
        parent=commune,
        roadmap_year=2019,
    )
    rows = [["ma_don_vi", "ten_don_vi", "loai"], ["MN-1", "Trường mới tên", "truong"]]
    result = run_import("units", write_file(rows))
    assert result.ok, result.err
    school = Unit.objects.get(code="MN-1")
    assert (school.name, school.school_level, school.parent, school.roadmap_year) == (
        "Trường mới tên",
        "mam_non",
        commune,
        2019,
    )


def test_units_file_without_level_column_still_needs_a_level_for_new_schools(
    write_file,
):
    before = snapshot()
    rows = [["ma_don_vi", "ten_don_vi", "loai"], ["MN-2", "Trường", "truong"]]
    result = run_import("units", write_file(rows))
    assert result.lines == [
        "row 2: cap_hoc: trường học phải có cấp học (mam_non, tieu_hoc, thcs)"
    ]
    assert snapshot() == before


def test_registration_date_is_kept_without_its_column_and_cleared_when_empty(
    catalogue, write_file
):
    registration = catalogue["unit"].registrations.get()
    registration.registered_on = datetime.date(2016, 10, 3)
    registration.save()
    before = snapshot()
    path = write_file([["ma_don_vi", "nam_dang_ky"], ["CQ-1", "2017"]])
    assert "giữ nguyên 1" in run_import("registrations", path).out
    assert snapshot() == before
    rows = [["ma_don_vi", "nam_dang_ky", "ngay_dang_ky"], ["CQ-1", "2017", ""]]
    assert run_import("registrations", write_file(rows, name="b.csv")).ok
    registration.refresh_from_db()
    assert registration.registered_on is None


def test_progress_notes_are_kept_without_the_note_column(
    catalogue, open_quarter, write_file
):
    year, quarter = open_quarter
    factories.make_progress(
        catalogue["unit"], catalogue["ty_le"], year, quarter, "50", note="giữ lại"
    )
    rows = [["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri"]]
    rows.append(["CQ-1", year, quarter, "CT-TL", "60"])
    assert run_import("progress", write_file(rows)).ok
    progress = Progress.objects.get()
    assert (progress.value, progress.note) == (Decimal(60), "giữ lại")


def test_indicator_unit_of_measure_is_kept_without_its_column(catalogue, write_file):
    Indicator.objects.filter(code="CT-TL").update(unit_of_measure="%")
    header = ["ma_danh_hieu", "ten_danh_hieu", "loai", "ma_tieu_chi", "ten_tieu_chi"]
    header += ["ma_chi_tieu", "ten_chi_tieu", "kieu", "so_sanh", "muc_tieu"]
    title = catalogue["title"]
    criterion = catalogue["ty_le"].criterion
    rows = [
        header,
        [title.code, title.name, "co_quan", criterion.code, criterion.name]
        + ["CT-TL", "Tên mới", "ty_le", ">=", "95"],
    ]
    result = run_import("criteria", write_file(rows))
    assert result.ok, result.err
    indicator = Indicator.objects.get(code="CT-TL")
    assert (indicator.name, indicator.unit_of_measure) == ("Tên mới", "%")


# The units' validity columns: hieu_luc_tu, hieu_luc_den, ma_don_vi_ke_tiep.
UNIT_HEADER = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc"]
UNIT_HEADER += ["nam_lo_trinh", "hieu_luc_tu", "hieu_luc_den", "ma_don_vi_ke_tiep"]


@pytest.mark.parametrize("name", ["units.csv", "units.xlsx"])
def test_a_merger_travels_in_the_units_file(write_file, name):
    rows = [
        UNIT_HEADER,
        # The successor comes further down the file; dates in both written forms.
        ["XA-CU", "Xã cũ", "xa", "", "", "", "01/01/2005", "30/11/2019", "XA-MOI"],
        ["XA-MOI", "Xã mới", "xa", "", "", "2018", "2019-12-01", "", ""],
    ]
    result = run_import("units", write_file(rows, name=name))
    assert result.ok, result.err
    old, new = Unit.objects.get(code="XA-CU"), Unit.objects.get(code="XA-MOI")
    assert (old.valid_from, old.valid_to, old.successor) == (
        datetime.date(2005, 1, 1),
        datetime.date(2019, 11, 30),
        new,
    )
    assert (new.valid_from, new.valid_to, new.successor) == (
        datetime.date(2019, 12, 1),
        None,
        None,
    )
    # An end date already passed: the unit no longer operates.
    assert (old.is_active, new.is_active) == (False, True)
    again = run_import("units", write_file(rows, name="again-" + name))
    assert "Đã tạo mới 0, cập nhật 0, giữ nguyên 2" in again.out


def test_a_unit_ending_in_the_future_stays_active(write_file):
    rows = [UNIT_HEADER, ["XA-1", "Xã", "xa", "", "", "", "", "31/12/2099", ""]]
    assert run_import("units", write_file(rows)).ok
    unit = Unit.objects.get(code="XA-1")
    assert (unit.valid_to, unit.is_active) == (datetime.date(2099, 12, 31), True)


def test_units_file_without_validity_columns_keeps_them(write_file):
    successor = factories.make_unit("XA-MOI", kind=UnitKind.XA)
    factories.make_unit(
        "XA-CU",
        kind=UnitKind.XA,
        valid_from=datetime.date(2005, 1, 1),
        valid_to=datetime.date(2019, 11, 30),
        successor=successor,
    )
    rows = [["ma_don_vi", "ten_don_vi", "loai"], ["XA-CU", "Xã cũ, tên mới", "xa"]]
    result = run_import("units", write_file(rows))
    assert result.ok, result.err
    old = Unit.objects.get(code="XA-CU")
    assert (old.name, old.valid_from, old.valid_to, old.successor) == (
        "Xã cũ, tên mới",
        datetime.date(2005, 1, 1),
        datetime.date(2019, 11, 30),
        successor,
    )


def test_empty_validity_cells_clear_them_but_never_reactivate(write_file):
    successor = factories.make_unit("XA-MOI", kind=UnitKind.XA)
    factories.make_unit(
        "XA-CU",
        kind=UnitKind.XA,
        is_active=False,
        valid_from=datetime.date(2005, 1, 1),
        valid_to=datetime.date(2019, 11, 30),
        successor=successor,
    )
    rows = [UNIT_HEADER, ["XA-CU", "Xã cũ", "xa", "", "", "", "", "", ""]]
    result = run_import("units", write_file(rows), "--dry-run")
    assert "hieu_luc_den: “30/11/2019” → (trống)" in result.out
    assert "ma_don_vi_ke_tiep: “XA-MOI” → (trống)" in result.out
    assert run_import("units", write_file(rows, name="b.csv")).ok
    old = Unit.objects.get(code="XA-CU")
    assert (old.valid_from, old.valid_to, old.successor) == (None, None, None)
    # Reopening a unit is a decision made in the admin, not by a file.
    assert old.is_active is False


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["XA-1", "Xã", "xa", "", "", "", "", "", "XA-KHONG-CO"],
            "row 2: ma_don_vi_ke_tiep: không tìm thấy đơn vị “XA-KHONG-CO”",
        ),
        (
            ["XA-1", "Xã", "xa", "", "", "", "", "", "XA-1"],
            "row 2: ma_don_vi_ke_tiep: đơn vị không thể kế thừa chính nó",
        ),
        (
            ["XA-1", "Xã", "xa", "", "", "", "01/12/2019", "30/11/2019", ""],
            "row 2: hieu_luc_den: ngày hết hiệu lực không được trước ngày bắt đầu "
            "hiệu lực",
        ),
        (
            ["XA-1", "Xã", "xa", "", "", "", "", "31/02/2019", ""],
            "row 2: hieu_luc_den: ngày “31/02/2019” không hợp lệ "
            "(dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
        ),
    ],
)
def test_bad_validity_cells_are_reported_and_nothing_is_written(
    write_file, row, expected
):
    before = snapshot()
    result = run_import("units", write_file([UNIT_HEADER, row]))
    assert result.lines == [expected]
    assert snapshot() == before


def test_an_end_date_before_the_stored_start_is_refused(write_file):
    factories.make_unit("XA-1", kind=UnitKind.XA, valid_from=datetime.date(2010, 1, 1))
    rows = [
        ["ma_don_vi", "ten_don_vi", "loai", "hieu_luc_den"],
        ["XA-1", "Xã", "xa", "31/12/2009"],
    ]
    result = run_import("units", write_file(rows))
    assert result.lines == [
        "row 2: hieu_luc_den: ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực"
    ]
    assert Unit.objects.get(code="XA-1").valid_to is None
