"""Staff reports at /bao-cao/ and their Excel exports."""

import io

import pytest
from openpyxl import load_workbook

from registrations import figures
from registrations.views import reports
from tests import factories as f
from tests.conftest import login
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db

SECTIONS = ["dang-ky", "vuot-lo-trinh", "tieu-chi-cham", "bang-diem", "so-sanh"]
PROTECTED = ["/bao-cao/"] + [f"/bao-cao/xuat/{s}.xlsx" for s in [*SECTIONS, "tat-ca"]]


@pytest.fixture
def data():
    return figures_data.scenario()


@pytest.mark.parametrize("url", PROTECTED)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("url", PROTECTED)
def test_editors_and_unit_heads_are_refused(client, editor, unit_head, url):
    for user in (editor, unit_head):
        login(client, user)
        assert client.get(url).status_code == 403


def test_district_staff_see_every_section(client, district_staff, data):
    login(client, district_staff)
    response = client.get("/bao-cao/", {"nam": 2017, "quy": 1})
    assert response.status_code == 200
    html = response.content.decode()
    for heading in [
        "Đăng ký theo loại đơn vị và cấp học",
        "Đơn vị đăng ký vượt lộ trình",
        "Tiêu chí chậm",
        "Kết quả từng đơn vị",
        "So với Quý IV/2016",
    ]:
        assert heading in html
    assert "Trường THCS" in html and "Trường mầm non" in html
    assert "data-print" in html
    # The lagging table names the units that have not met each criterion.
    lagging = html[html.index('id="bc-c"') : html.index('id="bc-d"')]
    assert "Bảo hiểm xã hội huyện" in lagging and "Thôn An Hòa" in lagging
    assert "Thôn Ấp Ba" not in lagging


def test_without_a_period_the_report_opens_on_the_dashboards_default(
    client, district_staff, data
):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    login(client, district_staff)
    # 2026 has nothing: the latest earlier year with progress, its latest quarter.
    moment = datetime.datetime(2026, 11, 28, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        response = client.get("/bao-cao/")
        export = client.get("/bao-cao/xuat/dang-ky.xlsx")
    report = response.context["report"]
    assert (report.year, report.quarter) == (2017, 2)
    assert response.context["form"].initial == {"nam": 2017, "quy": 2}
    assert 'filename="bao-cao-dang-ky-2017-q2.xlsx"' in export["Content-Disposition"]


@pytest.mark.parametrize(
    "params",
    [
        {"nam": "abc"},
        {"nam": "2017", "quy": "9"},
        {"nam": "-1"},
        {"quy": "x"},
        {"nam": "²"},  # isdigit() but not int()
        {"nam": "9" * 5000},  # beyond int()'s digit limit
    ],
)
def test_bad_periods_fall_back_to_the_default_without_error(
    client, district_staff, data, params
):
    login(client, district_staff)
    response = client.get("/bao-cao/", params)
    assert response.status_code == 200
    export = client.get("/bao-cao/xuat/dang-ky.xlsx", params)
    assert export.status_code == 200


def test_unknown_export_is_not_found(client, district_staff, db):
    login(client, district_staff)
    assert client.get("/bao-cao/xuat/khong-co.xlsx").status_code == 404


def _sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return sheet, [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_registrations_export_holds_the_screen_numbers(client, district_staff, data):
    login(client, district_staff)
    response = client.get("/bao-cao/xuat/dang-ky.xlsx", {"nam": 2017, "quy": 1})
    sheet, rows = _sheet_rows(response)
    assert sheet["A3"].value == "Loại đơn vị" and sheet["B3"].value == "Số đăng ký"
    assert rows == [
        ["Cơ quan, đơn vị", 1],
        ["Xã", 0],
        ["Thôn, khu phố", 2],
        ["Trường mầm non", 0],
        ["Trường tiểu học", 0],
        ["Trường THCS", 0],
        ["Tổng", 3],
    ]
    assert sheet.column_dimensions["A"].width >= 30


def test_lagging_export_has_rates_as_percentages(client, district_staff, data):
    login(client, district_staff)
    response = client.get("/bao-cao/xuat/tieu-chi-cham.xlsx", {"nam": 2017, "quy": 1})
    sheet, rows = _sheet_rows(response)
    expected = figures.lagging_criteria(2017, 1)
    assert [r[1] for r in rows] == [c.name for c in expected]
    assert [r[6] for r in rows] == [0.0, 0.5, 0.5, 1.0]
    assert [(r[4], r[5]) for r in rows] == [(0, 1), (1, 2), (1, 2), (2, 2)]
    assert sheet["G4"].number_format == "0.0%"
    assert rows[1][7] == "Thôn An Hòa"  # house not met by B only
    assert rows[3][7] in ("", None)  # an empty cell


def test_scorecard_and_ahead_exports(client, district_staff, data):
    login(client, district_staff)
    _, rows = _sheet_rows(
        client.get("/bao-cao/xuat/bang-diem.xlsx", {"nam": 2017, "quy": 1})
    )
    assert rows == [
        ["Bảo hiểm xã hội huyện", "CQ-1", 0, 1, 0.0, 0, 1, 1],
        ["Thôn An Hòa", "THON-B", 1, 3, 0.3333, 2, 4, 0],
        ["Thôn Ấp Ba", "THON-A", 3, 3, 1.0, 4, 4, 0],
    ]
    _, ahead = _sheet_rows(
        client.get("/bao-cao/xuat/vuot-lo-trinh.xlsx", {"nam": 2017, "quy": 1})
    )
    assert ahead == [["Thôn An Hòa", "THON-B", 2017, 2018, 1]]


def test_change_export_compares_with_the_previous_quarter(client, district_staff, data):
    login(client, district_staff)
    sheet, rows = _sheet_rows(
        client.get("/bao-cao/xuat/so-sanh.xlsx", {"nam": 2017, "quy": 2})
    )
    assert rows[0] == ["Đơn vị đạt đủ mọi tiêu chí", 1, 1, 0]
    assert rows[1] == ["Lượt tiêu chí đạt", 4, 5, 1]
    house = next(r for r in rows if r[0] == "Nhà văn hóa thôn")
    assert house[1:] == [0.5, 1.0, 0.5]
    assert sheet.cell(row=4 + rows.index(house), column=2).number_format == "0.0%"


def test_whole_workbook_has_one_sheet_per_section(client, district_staff, data):
    login(client, district_staff)
    response = client.get("/bao-cao/xuat/tat-ca.xlsx", {"nam": 2017, "quy": 1})
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5


def test_text_that_looks_like_a_formula_is_escaped(client, district_staff, data):
    unit = f.make_unit("CQ-EVIL", name='=HYPERLINK("http://x","bấm")')
    f.make_registration(unit, data["agency"])
    login(client, district_staff)
    _, rows = _sheet_rows(
        client.get("/bao-cao/xuat/bang-diem.xlsx", {"nam": 2017, "quy": 1})
    )
    names = [r[0] for r in rows]
    assert '\'=HYPERLINK("http://x","bấm")' in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)


def test_report_query_count_does_not_grow_with_units(client, district_staff, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = figures_data.catalogue()
    figures_data.many_agencies(c["agency"], [c["sport"]], 10)
    login(client, district_staff)

    def count():
        # The first read after a change rebuilds the quarters' tallies (a fixed
        # number of queries too); the count is of the reads that follow.
        client.get("/bao-cao/", {"nam": 2017, "quy": 1})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/bao-cao/", {"nam": 2017, "quy": 1}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    figures_data.many_agencies(c["agency"], [c["sport"]], 90, start=10)
    assert count() == small


def test_long_lists_of_units_not_met_are_cut_with_the_count_of_the_rest(
    client, district_staff, data, monkeypatch
):
    monkeypatch.setattr(reports, "UNITS_SHOWN", 0)
    login(client, district_staff)
    page = client.get("/bao-cao/", {"nam": 2017, "quy": 1}).content.decode()
    assert "và 1 đơn vị khác" in page
    assert "Thôn An Hòa" not in page.split("3. Tiêu chí chậm")[1].split("4. ")[0]
