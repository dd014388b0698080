"""Helpers for import tests: files on disk, the command, database snapshots."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from registrations import periods
from registrations.models import (
    Criterion,
    Indicator,
    IndicatorKind,
    Progress,
    QuarterSheet,
    Registration,
    Title,
)
from tests import factories
from units.models import Unit, UnitKind


def csv_bytes(rows, *, delimiter=",", bom=False, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    return text.encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def write_file(tmp_path):
    """write_file(rows, name="x.csv", **csv options) -> path (XLSX by extension)."""

    def write(rows, name="data.csv", **options):
        path = tmp_path / name
        if isinstance(rows, bytes):
            path.write_bytes(rows)
        elif name.endswith(".xlsx"):
            path.write_bytes(xlsx_bytes(rows))
        else:
            path.write_bytes(csv_bytes(rows, **options))
        return path

    return write


class Result:
    def __init__(self, ok, out, err):
        self.ok, self.out, self.err = ok, out, err
        self.lines = [line for line in err.splitlines() if line.startswith("row ")]


def run_import(kind, path, *args):
    """Run ``import_data``; never raises: returns ok, stdout, stderr lines."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", kind, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 1
        return Result(False, out.getvalue(), err.getvalue())
    return Result(True, out.getvalue(), err.getvalue())


def snapshot():
    """Everything an import may touch, to assert that a refused file changed nothing."""
    return {
        "units": list(
            Unit.objects.order_by("code").values_list(
                "code", "name", "kind", "school_level", "parent_id", "roadmap_year"
            )
        ),
        "titles": list(Title.objects.order_by("code").values_list()),
        "criteria": list(Criterion.objects.order_by("pk").values_list()),
        "indicators": list(Indicator.objects.order_by("pk").values_list()),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "unit_id", "title_id", "year", "registered_on", "status", "version"
            )
        ),
        "registration_history": Registration.history.count(),
        "progress": list(
            Progress.objects.order_by("pk").values_list(
                "unit_id", "indicator_id", "year", "quarter", "value", "note"
            )
        ),
        "progress_history": Progress.history.count(),
        "sheets": list(QuarterSheet.objects.order_by("pk").values_list("version")),
    }


@pytest.fixture
def catalogue(db):
    """One title for agencies with an indicator of each kind, and a registered unit."""
    title = factories.make_title("DH-CQ", kind=UnitKind.CO_QUAN)
    criterion = factories.make_criterion(title, "TC-1")
    indicators = {
        "co_khong": factories.make_indicator(criterion, "CT-CK"),
        "ty_le": factories.make_indicator(
            criterion, "CT-TL", kind=IndicatorKind.TY_LE, target=Decimal("95")
        ),
        "so_luong": factories.make_indicator(
            criterion,
            "CT-SL",
            kind=IndicatorKind.SO_LUONG,
            comparison="<=",
            target=Decimal("0"),
        ),
        "diem": factories.make_indicator(criterion, "CT-D", kind=IndicatorKind.DIEM),
    }
    other_title = factories.make_title("DH-XA", kind=UnitKind.XA)
    other = factories.make_indicator(factories.make_criterion(other_title), "CT-XA")
    unit = factories.make_unit("CQ-1", name="Cơ quan một")
    factories.make_registration(unit, title, 2017)
    return {"title": title, "unit": unit, "other_indicator": other, **indicators}


@pytest.fixture
def open_quarter():
    """The current quarter: not locked."""
    return periods.current()
