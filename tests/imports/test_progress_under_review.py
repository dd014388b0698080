"""A progress file may not overwrite a quarter that a unit submitted for review."""

import datetime

import pytest
import time_machine

from kieumau.dates import VIETNAM
from registrations.models import Progress, QuarterReport, ReportState
from tests.imports.conftest import run_import, snapshot

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]
NOW = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)  # Q1/2026 is open


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _report(unit, state, **extra):
    if state == ReportState.RETURNED:
        extra.setdefault("return_deadline", datetime.date(2026, 2, 20))
    return QuarterReport.objects.create(
        unit=unit, year=2026, quarter=1, state=state, **extra
    )


def test_a_row_for_a_submitted_report_is_refused_and_nothing_is_written(
    catalogue, write_file
):
    _report(catalogue["unit"], ReportState.SUBMITTED)
    rows = [
        HEADER,
        ["CQ-1", 2026, 2, "CT-TL", "90", ""],
        ["CQ-1", 2026, 1, "CT-TL", "96", ""],
    ]
    before = snapshot()
    result = run_import("progress", write_file(rows))
    assert not result.ok
    assert result.lines == [
        "row 3: ma_don_vi: đơn vị đã nộp báo cáo quý I/2026, đang chờ duyệt"
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "state", [ReportState.DRAFT, ReportState.RETURNED, ReportState.ACCEPTED]
)
def test_rows_for_a_report_not_under_review_are_accepted_on_import(
    catalogue, write_file, state
):
    _report(catalogue["unit"], state)
    rows = [HEADER, ["CQ-1", 2026, 1, "CT-TL", "96", ""]]
    result = run_import("progress", write_file(rows))
    assert result.ok, result.err
    assert Progress.objects.get(year=2026, quarter=1).value == 96


def test_a_row_equal_to_the_stored_value_passes_while_the_report_is_under_review(
    catalogue, write_file
):
    rows = [HEADER, ["CQ-1", 2026, 1, "CT-TL", "96", ""]]
    assert run_import("progress", write_file(rows)).ok
    _report(catalogue["unit"], ReportState.SUBMITTED)
    result = run_import("progress", write_file(rows, name="again.csv"))
    assert result.ok, result.err
    assert "giữ nguyên 1" in result.out
