"""Completeness of the units' quarterly reports: on the work list and in Excel."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from kieumau.dates import VIETNAM
from registrations.models import ReportState
from tests import factories
from tests.conftest import login
from units.models import UnitKind

pytestmark = pytest.mark.django_db

S = ReportState
# Q1/2026 locks on 1 May 2026 at 00:00.
OPEN = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
AFTER_LOCK = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=VIETNAM)
LIST = reverse("registrations:review-list", args=[2026, 1])
EXPORT = reverse("registrations:review-export", args=[2026, 1])


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def world(db):
    """Two communes with villages, two agencies; a report in each state."""
    with at(OPEN):
        xa_title = factories.make_catalogue(kind=UnitKind.XA, code="XA")
        thon_title = factories.make_catalogue(kind=UnitKind.THON, code="TH")
        cq_title = factories.make_catalogue(code="CQ")
        khe = factories.make_unit("XA-KHE", kind=UnitKind.XA, name="Xã Đông Khê")
        hoa = factories.make_unit("XA-HOA", kind=UnitKind.XA, name="Xã Đông Hòa")
        units = {"khe": khe, "hoa": hoa}
        for commune, n in [(khe, 3), (hoa, 2)]:
            factories.make_registration(commune, xa_title, 2026)
            for i in range(1, n + 1):
                village = factories.make_unit(
                    f"{commune.code}-T{i}",
                    kind=UnitKind.THON,
                    name=f"Thôn {commune.name[3:]} {i}",
                    parent=commune,
                )
                factories.make_registration(village, thon_title, 2026)
                units[village.code] = village
        for code in ("CQ-1", "CQ-2"):
            units[code] = factories.make_unit(code, name=f"Cơ quan {code}")
            factories.make_registration(units[code], cq_title, 2026)
        factories.make_unit("CQ-NONE", name="Cơ quan Không Đăng Ký")
        factories.make_report(khe, 2026, 1, S.SUBMITTED)
        factories.make_report(units["XA-KHE-T1"], 2026, 1, S.ACCEPTED)
        factories.make_report(units["XA-KHE-T2"], 2026, 1, S.DRAFT)
        factories.make_report(
            units["XA-KHE-T3"],
            2026,
            1,
            S.RETURNED,
            return_deadline=datetime.date(2026, 2, 5),  # past on the 10th
        )
        factories.make_report(
            units["XA-HOA-T1"],
            2026,
            1,
            S.RETURNED,
            return_deadline=datetime.date(2026, 2, 20),
        )
        factories.make_report(units["CQ-1"], 2026, 1, S.SUBMITTED)
    return units


def groups(response, caption):
    for title, rows in response.context["summary_tables"]:
        if title == caption:
            return {row["label"]: row for row in rows}
    raise AssertionError(caption)


COLUMNS = [
    "total",
    "submitted",
    "accepted",
    "not_submitted",
    "returned",
    "returned_late",
    "late",
]


def counts(row):
    return dict(zip(COLUMNS, row["values"], strict=True))


@at(OPEN)
def test_work_list_shows_completeness_by_commune(client, world, district_staff):
    response = login(client, district_staff).get(LIST)
    assert response.status_code == 200
    by_commune = groups(response, "Theo xã")
    assert list(by_commune) == [
        "Xã Đông Hòa",
        "Xã Đông Khê",
        "Cấp huyện (không thuộc xã)",
        "Tất cả",
    ]
    assert counts(by_commune["Xã Đông Khê"]) == {
        "total": 4,
        "submitted": 1,
        "accepted": 1,
        "not_submitted": 1,
        "returned": 1,
        "returned_late": 1,
        "late": 1,
    }
    assert counts(by_commune["Xã Đông Hòa"]) == {
        "total": 3,
        "submitted": 0,
        "accepted": 0,
        "not_submitted": 2,
        "returned": 1,
        "returned_late": 0,
        "late": 0,
    }
    assert by_commune["Xã Đông Khê"]["percent"] == "50,0 %"
    assert counts(by_commune["Tất cả"])["total"] == 9
    html = response.content.decode()
    assert "Mức độ đầy đủ" in html
    assert "Trả lại, quá hạn nộp lại" in html


@at(OPEN)
def test_work_list_shows_completeness_by_kind(client, world, district_staff):
    response = login(client, district_staff).get(LIST)
    by_kind = groups(response, "Theo loại đơn vị")
    assert list(by_kind) == ["Cơ quan, đơn vị", "Xã", "Thôn, khu phố", "Tất cả"]
    assert counts(by_kind["Thôn, khu phố"]) == {
        "total": 5,
        "submitted": 0,
        "accepted": 1,
        "not_submitted": 2,
        "returned": 2,
        "returned_late": 1,
        "late": 1,
    }


@at(AFTER_LOCK)
def test_after_the_lock_units_that_never_submitted_count_as_late(
    client, world, district_staff
):
    response = login(client, district_staff).get(LIST)
    total = counts(groups(response, "Theo xã")["Tất cả"])
    # Never submitted (3 without a report, 1 draft), and both returned reports
    # past their deadline by now.
    assert total["not_submitted"] == 4
    assert total["returned_late"] == 2
    assert total["late"] == 6


@at(OPEN)
def test_completeness_follows_the_kind_and_commune_filters(
    client, world, district_staff
):
    response = login(client, district_staff).get(LIST, {"xa": "XA-KHE"})
    assert list(groups(response, "Theo xã")) == ["Xã Đông Khê", "Tất cả"]
    response = client.get(LIST, {"loai": "co_quan"})
    assert counts(groups(response, "Theo loại đơn vị")["Tất cả"])["total"] == 2


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


@pytest.mark.parametrize(
    "query",
    [{}, {"trang_thai": "qua-han"}, {"xa": "XA-KHE"}, {"q": "dong hoa"}],
)
@at(OPEN)
def test_export_lists_the_same_units_as_the_work_list(
    client, world, district_staff, query
):
    login(client, district_staff)
    listed = client.get(LIST, query).context["rows"]
    book = workbook(client.get(EXPORT, query))
    exported = sheet_rows(book["Danh sách đơn vị"])
    assert [row[0] for row in exported] == [unit.code for unit in listed]
    assert [row[4] for row in exported] == [str(unit.state_label) for unit in listed]
    assert [row[5] == "Quá hạn" for row in exported] == [u.late for u in listed]


@at(OPEN)
def test_export_counts_match_the_work_list(client, world, district_staff):
    login(client, district_staff)
    response = client.get(LIST)
    on_page = {
        label: row["values"] for label, row in groups(response, "Theo xã").items()
    }
    book = workbook(client.get(EXPORT))
    in_file = {row[0]: list(row[1:8]) for row in sheet_rows(book["Theo xã"])}
    assert in_file == on_page
    by_kind = {row[0]: list(row[1:8]) for row in sheet_rows(book["Theo loại đơn vị"])}
    assert by_kind["Tất cả"] == on_page["Tất cả"]
    assert by_kind["Tất cả"][0] == response.context["counts"]["total"]


@at(OPEN)
def test_export_names_the_quarter_and_the_filters(client, world, district_staff):
    book = workbook(login(client, district_staff).get(EXPORT, {"loai": "thon"}))
    heading = book["Theo xã"]["A1"].value
    assert "Quý I/2026" in heading
    assert "Loại đơn vị: Thôn, khu phố" in heading


@pytest.mark.parametrize("query", [{"loai": "x"}, {"xa": "KHONG-CO"}, {"q": "a" * 300}])
@at(OPEN)
def test_export_with_bad_filters_answers_400(client, world, district_staff, query):
    response = login(client, district_staff).get(EXPORT, query)
    assert response.status_code == 400


def test_export_is_for_staff_only(client, world, unit_head, editor):
    assert client.get(EXPORT).status_code == 302
    assert login(client, unit_head).get(EXPORT).status_code == 403
    assert login(client, editor).get(EXPORT).status_code == 403
