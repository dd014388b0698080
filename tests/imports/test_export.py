"""Export: the contract's columns, formula-injection guard, and the round trip."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from imports.exports import export_file
from imports.services import columns, import_file
from tests import factories
from tests.imports.conftest import snapshot
from units.models import UnitKind

pytestmark = pytest.mark.django_db

KINDS = ["units", "criteria", "registrations", "progress"]


@pytest.fixture
def data(catalogue):
    """A little of everything, with texts a spreadsheet would take for formulas."""
    commune = factories.make_unit("XA-1", kind=UnitKind.XA, name="=Xã một")
    factories.make_unit(
        "THON-1", kind=UnitKind.THON, parent=commune, name="+Thôn", roadmap_year=2019
    )
    school = factories.make_unit(
        "MN-1", kind=UnitKind.TRUONG, name="@Trường", school_level="mam_non"
    )
    # Quotes already before a sign: import takes one off, so export adds one.
    factories.make_unit("XA-2", kind=UnitKind.XA, name="'=Xã hai")
    school_title = factories.make_title(
        "DH-MN", kind=UnitKind.TRUONG, school_level="mam_non", name="-Danh hiệu"
    )
    factories.make_indicator(
        factories.make_criterion(school_title, "TC-MN", name="Tiêu chí"),
        "CT-MN",
        kind="diem",
        comparison="=",
        target=Decimal("8.5"),
    )
    factories.make_registration(
        school, school_title, 2018, registered_on=datetime.date(2016, 10, 5)
    )
    unit = catalogue["unit"]
    factories.make_progress(unit, catalogue["co_khong"], 2017, 1, "1", note="=1+1")
    factories.make_progress(unit, catalogue["co_khong"], 2017, 2, "0", note="\tghi chú")
    factories.make_progress(unit, catalogue["ty_le"], 2017, 1, "96.5")
    factories.make_progress(unit, catalogue["diem"], 2017, 1, "-2.125")
    return catalogue


def _csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", KINDS)
def test_csv_export_has_exactly_the_contract_columns(data, kind):
    rows = _csv_rows(export_file(kind=kind, fmt="csv"))
    assert rows[0] == columns(kind)
    assert len(rows) > 1


def test_exported_text_cells_cannot_run_as_formulas(data):
    units = {row[0]: row for row in _csv_rows(export_file(kind="units"))}
    assert units["XA-1"][1] == "'=Xã một"
    assert units["THON-1"][1:4] == ["'+Thôn", "thon", "XA-1"]
    assert units["MN-1"][1] == "'@Trường"
    assert units["XA-2"][1] == "''=Xã hai"
    criteria = _csv_rows(export_file(kind="criteria"))
    school_row = next(r for r in criteria if r[0] == "DH-MN")
    assert school_row[1] == "'-Danh hiệu"
    assert school_row[9:11] == ["=", "8.5"]
    progress = _csv_rows(export_file(kind="progress"))
    assert ["CQ-1", "2017", "1", "CT-CK", "dat", "'=1+1"] in progress
    assert ["CQ-1", "2017", "2", "CT-CK", "chua_dat", "'\tghi chú"] in progress
    assert ["CQ-1", "2017", "1", "CT-D", "-2.125", ""] in progress


def test_xlsx_export_keeps_numbers_dates_and_inert_text(data):
    sheet = openpyxl.load_workbook(
        io.BytesIO(export_file(kind="registrations", fmt="xlsx"))
    ).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(columns("registrations"))
    excel_date = datetime.datetime(2016, 10, 5)  # noqa: DTZ001 (cells are naive)
    assert ("MN-1", 2018, excel_date, "DH-MN") in rows
    units = openpyxl.load_workbook(
        io.BytesIO(export_file(kind="units", fmt="xlsx"))
    ).worksheets[0]
    assert all(cell.data_type != "f" for row in units.iter_rows() for cell in row)


def _exported_cells(kind, fmt):
    """Rows of an export as text cells, for both formats alike."""
    content = export_file(kind=kind, fmt=fmt)
    if fmt == "csv":
        return _csv_rows(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [
        ["" if v is None else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_comparison_signs_are_exported_as_the_contract_writes_them(catalogue, fmt):
    # CONTRACT §1: so_sanh is one of >=, <=, = (a sign alone is no formula).
    criterion = factories.make_criterion(catalogue["title"], "TC-2")
    factories.make_indicator(criterion, "CT-BANG", kind="diem", comparison="=")
    rows = _exported_cells("criteria", fmt)
    signs = {row[6]: row[9] for row in rows[1:]}
    assert signs == {
        "CT-CK": "",
        "CT-TL": ">=",
        "CT-SL": "<=",
        "CT-D": ">=",
        "CT-XA": "",
        "CT-BANG": "=",
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_is_still_neutralised(db, fmt):
    names = {
        "DV-1": '=HYPERLINK("http://x.example","bấm")',
        "DV-2": "+1+2",
        "DV-3": "@SUM(1)",
        "DV-4": "-2+3",
        "DV-5": "=",
        "DV-6": "-",
    }
    for code, name in names.items():
        factories.make_unit(code, name=name)
    exported = {row[0]: row[1] for row in _exported_cells("units", fmt)[1:]}
    assert exported == {
        "DV-1": "'" + names["DV-1"],
        "DV-2": "'+1+2",
        "DV-3": "'@SUM(1)",
        "DV-4": "'-2+3",
        "DV-5": "=",
        "DV-6": "-",
    }
    before = snapshot()
    report = import_file(
        kind="units", content=export_file(kind="units", fmt=fmt), filename=f"u.{fmt}"
    )
    assert (report.ok, report.created, report.updated) == (True, 0, 0)
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(data, kind, fmt):
    content = export_file(kind=kind, fmt=fmt)
    before = snapshot()
    report = import_file(kind=kind, content=content, filename=f"{kind}.{fmt}")
    assert report.ok, report.error_lines()
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 0
    assert snapshot() == before


def test_export_command_writes_a_file_and_prints_csv(data, tmp_path):
    target = tmp_path / "tien-do.xlsx"
    call_command("export_data", "progress", "--format", "xlsx", "-o", str(target))
    assert openpyxl.load_workbook(target).worksheets[0].max_row == 5
    out = io.StringIO()
    call_command("export_data", "units", stdout=out)
    assert out.getvalue().lstrip("\ufeff").startswith(",".join(columns("units")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_units_export_adds_only_the_validity_columns_some_unit_uses(data, fmt):
    successor = factories.make_unit("XA-MOI", kind=UnitKind.XA)
    factories.make_unit(
        "XA-CU",
        kind=UnitKind.XA,
        valid_to=datetime.date(2019, 11, 30),
        successor=successor,
    )
    rows = _exported_cells("units", fmt)
    assert rows[0] == [*columns("units"), "hieu_luc_den", "ma_don_vi_ke_tiep"]
    by_code = {row[0]: row[6:] for row in rows[1:]}
    end = "2019-11-30" if fmt == "csv" else datetime.datetime(2019, 11, 30)  # noqa: DTZ001
    assert by_code["XA-CU"] == [end, "XA-MOI"]
    assert by_code["XA-MOI"] == ["", ""]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_merger_exports_and_imports_back_unchanged(db, fmt):
    successor = factories.make_unit("XA-MOI", kind=UnitKind.XA)
    factories.make_unit(
        "XA-CU",
        kind=UnitKind.XA,
        is_active=False,
        valid_from=datetime.date(2005, 1, 1),
        valid_to=datetime.date(2019, 11, 30),
        successor=successor,
    )
    content = export_file(kind="units", fmt=fmt)
    before = snapshot()
    report = import_file(kind="units", content=content, filename=f"units.{fmt}")
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert snapshot() == before
