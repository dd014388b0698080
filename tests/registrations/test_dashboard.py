"""Public dashboard /tien-do/ and unit pages /tien-do/don-vi/<code>/."""

import datetime
import json
import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.registrations import figures_data
from units.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return figures_data.scenario()


def test_dashboard_shows_registrations_progress_and_lagging_criteria(client, data):
    response = client.get("/tien-do/2017/", {"quy": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiến độ xây dựng kiểu mẫu năm 2017" in html
    assert "Quý I/2017" in html
    for name in ["Bảo hiểm xã hội huyện", "Thôn An Hòa", "Thôn Ấp Ba"]:
        assert name in html
    assert "Thôn Cầu" not in html  # revoked registration
    # Vietnamese order of the units in the progress table.
    table = html[html.index('id="h-don-vi"') :]
    positions = [
        table.index(name)
        for name in ["Bảo hiểm xã hội huyện", "Thôn An Hòa", "Thôn Ấp Ba"]
    ]
    assert positions == sorted(positions)
    assert "1/3" in table and "3/3" in table and "0/1" in table
    lagging = html[html.index('id="h-cham"') : html.index('id="h-don-vi"')]
    assert lagging.index("Khu thể thao") < lagging.index("Nhà văn hóa thôn")
    assert "Vượt lộ trình" in html


def test_dashboard_chart_data_comes_through_json_script_without_inline_code(
    client, data
):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    match = re.search(
        r'<script id="du-lieu-bieu-do" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    chart = json.loads(match.group(1))
    assert chart["kinds"]["values"] == [1, 0, 2, 0, 0, 0]
    assert chart["criteria"]["labels"][0] == "Khu thể thao"
    for script in re.findall(
        r"<script(?![^>]*application/json)([^>]*)>(.*?)</script>", html, re.S
    ):
        assert "src=" in script[0] and script[1].strip() == ""
    assert 'style="' not in html
    assert "js/dashboard.js" in html and "chart.umd.min.js" in html


def test_dashboard_draws_both_charts_when_they_have_something_to_show(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    assert 'id="bieu-do-dang-ky"' in html and 'id="bieu-do-tieu-chi"' in html
    assert "chưa có đơn vị nào đạt tiêu chí nào" not in html


def test_dashboard_says_no_criterion_is_met_instead_of_an_empty_chart(client, db):
    f.make_registration(f.make_unit("CQ-2019"), f.make_catalogue(), 2019)
    html = client.get("/tien-do/2019/", {"quy": 1}).content.decode()
    assert 'id="bieu-do-dang-ky"' in html
    assert 'id="bieu-do-tieu-chi"' not in html
    assert "Đến hết Quý I/2019 chưa có đơn vị nào đạt tiêu chí nào." in html


def test_dashboard_of_a_year_without_registrations_draws_no_empty_chart(client, db):
    html = client.get("/tien-do/2030/").content.decode()
    assert 'id="bieu-do-dang-ky"' not in html and 'id="bieu-do-tieu-chi"' not in html
    assert "đăng ký hoàn thành danh hiệu kiểu mẫu trong năm 2030." in html
    assert "Chưa có năm nào có đơn vị đăng ký." in html


def test_empty_year_offers_the_years_that_have_registrations(client, data):
    html = client.get("/tien-do/2030/").content.decode()
    empty = html[html.index('id="h-chua-dang-ky"') :]
    assert "Xem tiến độ các năm đã có đơn vị đăng ký" in empty
    assert 'href="/tien-do/2017/"' in empty and 'href="/tien-do/2018/"' in empty
    assert 'name="xa"' not in html  # no filter form over nothing


def test_dashboard_links_the_years_that_have_registrations(client, data):
    html = client.get("/tien-do/2017/").content.decode()
    nav = html[: html.index("</nav>", html.index("Các năm có đơn vị đăng ký"))]
    nav = nav[nav.index("Các năm có đơn vị đăng ký") :]
    assert 'href="/tien-do/2018/"' in nav
    assert '<span class="me-2 fw-bold" aria-current="page">Năm 2017</span>' in nav
    # Neither the year before nor a year without registrations.
    assert "/tien-do/2016/" not in html and "/tien-do/2019/" not in html


def test_dashboard_without_year_uses_the_current_year_in_vietnam(client, db):
    title = f.make_title("DH-1")
    f.make_registration(f.make_unit("CQ-2026", name="Cơ quan năm nay"), title, 2026)
    # 31/12/2025 20:00 UTC is already 2026 in Asia/Ho_Chi_Minh.
    moment = datetime.datetime(2025, 12, 31, 20, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        html = client.get("/tien-do/").content.decode()
    assert "năm 2026" in html and "Cơ quan năm nay" in html


def test_dashboard_falls_back_to_the_latest_earlier_year_with_progress(client, data):
    # 2018 has a registration but no value of 2018; 2027 is not an earlier year.
    f.make_registration(f.make_unit("CQ-2027"), data["agency"], 2027)
    moment = datetime.datetime(2026, 5, 1, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        html = client.get("/tien-do/").content.decode()
    assert "Tiến độ xây dựng kiểu mẫu năm 2017" in html
    assert "Số liệu đến hết <strong>Quý II/2017</strong>" in html
    assert "Thôn An Hòa" in html


def test_dashboard_without_data_in_any_year_shows_the_current_year_empty(client, db):
    f.make_registration(f.make_unit("CQ-2019"), f.make_catalogue(), 2019)
    moment = datetime.datetime(2026, 11, 28, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        html = client.get("/tien-do/").content.decode()
    assert "Tiến độ xây dựng kiểu mẫu năm 2026" in html
    empty = html[html.index('id="h-chua-dang-ky"') :]
    assert "trong năm 2026" in empty and 'href="/tien-do/2019/"' in empty


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_years_outside_the_range_are_not_found(client, db, year):
    assert client.get(f"/tien-do/{year}/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"xa": "KHONG-CO"},
        {"loai": "<script>"},
        {"quy": "9"},
        {"quy": "abc"},
        {"trang": "-3"},
        {"trang": "999999999999999999999"},
        {"xa": "'; DROP TABLE units_unit; --", "loai": "truong-abc"},
    ],
)
def test_bad_filters_are_ignored(client, data, params):
    response = client.get("/tien-do/2017/", params)
    assert response.status_code == 200
    assert "Thôn An Hòa" in response.content.decode()


def test_commune_and_kind_filters(client, data):
    by_commune = client.get("/tien-do/2017/", {"xa": "XA-DK", "quy": 1})
    html = by_commune.content.decode()
    table = html[html.index("h-don-vi") :]
    assert "Thôn An Hòa" in table and "Bảo hiểm xã hội huyện" not in table
    by_kind = client.get("/tien-do/2017/", {"loai": "co_quan"}).content.decode()
    table = by_kind[by_kind.index("h-don-vi") :]
    assert "Bảo hiểm xã hội huyện" in table and "Thôn An Hòa" not in table
    schools = client.get("/tien-do/2017/", {"loai": "truong-thcs"}).content.decode()
    assert "Không có đơn vị nào" in schools


def test_commune_filter_offers_only_communes_in_force_during_the_year(client, data):
    merged = f.make_unit(
        "XA-DA",
        kind=UnitKind.XA,
        name="Xã Đông Anh",
        is_active=False,
        valid_to=datetime.date(2019, 11, 30),
        successor=data["commune"],
    )
    village = f.make_unit("THON-DA", kind=UnitKind.THON, name="Thôn Cũ", parent=merged)
    f.make_registration(village, data["village"], 2026)
    f.make_registration(f.make_unit("CQ-26", name="Cơ quan mới"), data["agency"], 2026)

    def offered(year):
        html = client.get(f"/tien-do/{year}/").content.decode()
        select = html[html.index('id="chon-xa"') :]
        select = select[: select.index("</select>")]
        return re.findall(r'<option value="([^"]+)"', select), html

    codes, html = offered(2026)
    assert "XA-DK" in codes and "XA-DA" not in codes
    # The village still under the old commune keeps its commune's name.
    row = html[html.index("Thôn Cũ") :]
    assert "Xã Đông Anh" in row[: row.index("</tr>")]
    codes = offered(2017)[0]
    assert codes.index("XA-DA") == codes.index("XA-DK") - 1  # Anh before Khê
    # Asked for by its code on a year it was not in force: ignored, every unit.
    table = client.get("/tien-do/2026/", {"xa": "XA-DA"}).content.decode()
    assert "Thôn Cũ" in table and "Cơ quan mới" in table


def _dashboard_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/tien-do/2017/").status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_units(client, db):
    c = figures_data.catalogue()
    figures_data.many_agencies(c["agency"], [c["sport"]], 10)
    small = _dashboard_queries(client)
    figures_data.many_agencies(c["agency"], [c["sport"]], 90, start=10)
    assert _dashboard_queries(client) == small
    # default quarter, six for the figures, kinds, communes, years with registrations
    assert small <= 10


def test_cached_dashboard_reads_only_the_commune_list(
    client, data, django_assert_max_num_queries
):
    client.get("/tien-do/2017/", {"quy": 1})
    with django_assert_max_num_queries(1):
        client.get("/tien-do/2017/", {"quy": 1})


def test_anonymous_dashboard_is_a_cached_page_and_shows_new_figures_at_once(
    client, data, django_assert_max_num_queries
):
    from django.test import Client

    from registrations import figures
    from units.models import Unit

    client.get("/tien-do/2017/", {"quy": 1})
    with django_assert_max_num_queries(0):
        html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    assert "Thôn An Hòa" in html and "<!--km-hole" not in html
    unit = Unit.objects.get(name="Thôn An Hòa")
    unit.name = "Thôn An Hòa Mới"
    unit.save()  # the figures' version is bumped: the cached page is stale
    assert "Thôn An Hòa Mới" in client.get("/tien-do/2017/?quy=1").content.decode()
    Unit.objects.filter(pk=unit.pk).update(name="Thôn An Hòa Đổi")
    figures.invalidate()  # what bulk writers call
    assert "Thôn An Hòa Đổi" in Client().get("/tien-do/2017/?quy=1").content.decode()


def test_unit_page_shows_title_registration_status_and_history(client, data):
    response = client.get("/tien-do/don-vi/THON-B/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thôn An Hòa" in html and "Thôn kiểu mẫu" in html
    assert "Đã đăng ký" in html  # status
    # Eight quarters ending at B's latest entry (Q2/2017): 1 of 3 criteria in
    # Q1 and 2 of 3 in Q2; nothing before Q4/2016.
    row = (
        r'<th scope="row" class="fw-normal">(Quý [IV]+/20\d\d)</th>'
        r'<td class="table-num">(\d)/(\d)</td>'
    )
    rows = re.findall(row, html)
    assert len(rows) == 8
    assert rows[0] == ("Quý III/2015", "0", "3")
    assert rows[-2:] == [("Quý I/2017", "1", "3"), ("Quý II/2017", "2", "3")]
    assert "Quý III/2017" not in html
    assert 'id="du-lieu-don-vi"' in html


def test_unit_page_query_count(client, data, django_assert_max_num_queries):
    # unit, registrations, then per registration: latest entry, criteria with
    # indicators (2), values; the criteria one by one (registrations.unit_criteria):
    # indicators, criteria without any, values.
    with django_assert_max_num_queries(10):
        assert client.get("/tien-do/don-vi/THON-A/").status_code == 200


def test_unknown_unit_is_not_found(client, db):
    assert client.get("/tien-do/don-vi/KHONG-CO/").status_code == 404


def test_nfd_names_are_shown_composed(client, db):
    from imports.services import import_file

    name = unicodedata.normalize("NFD", "Trường Mầm non Đông Hòa")
    csv = f"ma_don_vi,ten_don_vi,loai,cap_hoc\nMN-DH,{name},truong,mam_non\n"
    report = import_file(kind="units", content=csv.encode(), filename="u.csv")
    assert report.ok, report.errors
    title = f.make_title("DH-MN", kind=UnitKind.TRUONG)
    from units.models import Unit

    f.make_registration(Unit.objects.get(code="MN-DH"), title)
    composed = unicodedata.normalize("NFC", name)
    for url in ["/tien-do/2017/", "/tien-do/don-vi/MN-DH/"]:
        html = client.get(url).content.decode()
        assert composed in html and name not in html
