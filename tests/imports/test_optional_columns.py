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
