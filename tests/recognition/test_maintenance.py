"""Maintenance: recognised units flagged when they fall back or stop reporting."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from recognition.maintenance import Reason, flags
from recognition.models import DecisionKind
from registrations.models import ReportState
from tests import factories as f
from tests.conftest import login
from tests.recognition import roll_data
from units.models import UnitKind

pytestmark = pytest.mark.django_db

LIST = "/bao-cao/duy-tri/"
EXPORT = "/bao-cao/duy-tri/xuat.xlsx"
DECIDED = datetime.date(2017, 12, 20)  # quarter IV/2017


@pytest.fixture
def data():
    title = f.make_title("DH-THON", kind=UnitKind.THON, name="Thôn kiểu mẫu")
    house = f.make_criterion(title, "TC-01", name="Nhà văn hóa", order=1)
    poverty = f.make_criterion(title, "TC-02", name="Hộ nghèo", order=2)
    nvh = f.make_indicator(house, "NVH")
    hn = f.make_indicator(poverty, "HN", kind="ty_le", comparison="<=", target="3")
    commune = f.make_unit("XA-DK", kind=UnitKind.XA, name="Xã Đông Khê")

    def village(code, name, **extra):
        unit = f.make_unit(code, kind=UnitKind.THON, name=name, parent=commune)
        extra.setdefault("day", DECIDED)
        reg = roll_data.recognised(
            unit, title, 2017, "123/QĐ-UBND", extra.pop("day"), **extra
        )
        f.make_progress(unit, nvh, 2017, 4, 1)
        f.make_progress(unit, hn, 2017, 4, "2")
        return unit, reg

    a, reg_a = village("THON-A", "Thôn Ấp Ba")  # falls back in Q1/2018
    f.make_progress(a, nvh, 2018, 1, 1)
    f.make_progress(a, hn, 2018, 1, "5")
    f.make_progress(a, hn, 2018, 2, "2")  # back on track in Q2
    b, reg_b = village("THON-B", "Thôn Bình")  # stops reporting after Q4/2017
    f.make_report(b, 2018, 1, ReportState.SUBMITTED, values={hn: "1"})
    c, _ = village("THON-C", "Thôn Cầu", day=datetime.date(2018, 2, 10))
    f.make_progress(c, nvh, 2018, 1, 1)
    d, _ = village("THON-D", "Thôn Đình", status="revoked")  # done with
    e = f.make_unit("THON-E", kind=UnitKind.THON, name="Thôn Én", parent=commune)
    f.make_registration(e, title, 2017)  # never recognised
    f.make_progress(e, hn, 2018, 1, "9")
    return locals()


def _summary(found):
    return [(x.registration.unit.code, x.year, x.quarter, x.reason) for x in found]


def test_a_unit_whose_accepted_values_miss_a_criterion_is_flagged(data):
    found = flags(2018, 1)
    assert _summary(found) == [("THON-A", 2018, 1, Reason.FELL_BACK)]
    assert [c.code for c in found[0].criteria] == ["TC-02"]
    assert found[0].detail == "Chưa đạt: Hộ nghèo"


def test_a_unit_without_accepted_values_two_quarters_running_is_flagged(data):
    found = flags(2018, 2)
    # B: nothing accepted in Q1 or Q2 (its submitted report does not count);
    # C was recognised in Q1/2018 and reported then.
    assert _summary(found) == [("THON-B", 2018, 2, Reason.SILENT)]
    assert found[0].last_period == (2017, 4)
    assert found[0].detail == "Số liệu đã duyệt gần nhất: Quý IV/2017"


def test_the_quarter_of_recognition_and_the_one_after_are_not_silent(data):
    assert not [x for x in flags(2018, 1) if x.reason == Reason.SILENT]
    codes = {x.registration.unit.code for x in flags(2018, 3, Reason.SILENT)}
    assert codes == {"THON-B", "THON-C"}  # A reported in Q2, C in Q1 only


def test_a_whole_year_lists_its_quarters_latest_first_and_filters_by_reason(data):
    found = _summary(flags(2018))
    assert found[0][1:3] == (2018, 4) and found[-1] == (
        "THON-A",
        2018,
        1,
        Reason.FELL_BACK,
    )
    assert all(
        r == Reason.FELL_BACK for *_, r in _summary(flags(2018, None, "khong-dat"))
    )


def test_a_quarter_not_yet_over_is_not_counted_as_silent(data):
    spring = datetime.datetime(2018, 5, 10, tzinfo=datetime.UTC)
    assert flags(2018, 2, now=spring) == []
    assert flags(2018, 3, now=spring) == []  # in the future


def test_revoked_and_unrecognised_registrations_are_never_flagged(data):
    codes = {x.registration.unit.code for x in flags(2018)}
    assert "THON-D" not in codes and "THON-E" not in codes


def test_staff_see_the_list_with_links_to_the_unit_and_to_revocation(
    client, data, district_staff
):
    login(client, district_staff)
    html = client.get(LIST, {"nam": 2018, "quy": 1}).content.decode()
    assert "Thôn Ấp Ba" in html and "Không còn đạt tiêu chí" in html
    criterion = data["poverty"].pk
    assert f'href="/tien-do/don-vi/THON-A/#tieu-chi-{criterion}"' in html
    revoke = f"/bao-cao/tham-dinh/thu-hoi/?title={data['title'].pk}&amp;year=2017"
    assert revoke in html


def test_a_flag_links_to_the_revocation_decision_once_there_is_one(
    client, data, district_staff
):
    revocation = roll_data.decision(
        data["title"],
        2017,
        "45/QĐ-UBND",
        datetime.date(2018, 4, 2),
        [data["reg_a"]],
        kind=DecisionKind.REVOCATION,
        published=False,
    )
    login(client, district_staff)
    html = client.get(LIST, {"nam": 2018, "quy": 1}).content.decode()
    assert f'href="{revocation.get_absolute_url()}"' in html
    assert "(chưa công bố)" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"nam": "abc"}, "Năm phải là một số nguyên."),
        ({"nam": "1999"}, "Năm phải từ 2000 đến 2100."),
        ({"nam": "2018", "quy": "7"}, "Quý phải từ 1 đến 4."),
        ({"nam": "2018", "ly_do": "x"}, "Lý do không hợp lệ."),
        ({"quy": "1"}, "Cần chọn năm."),
    ],
)
def test_bad_filters_give_a_vietnamese_error_and_no_rows(
    client, data, district_staff, query, message
):
    login(client, district_staff)
    response = client.get(LIST, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Thôn Ấp Ba" not in html
    export = client.get(EXPORT, query)
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith('attachment; filename="duy-tri')
    assert "None" not in export["Content-Disposition"]


def test_the_list_pages_keeping_its_filters(client, data, district_staff):
    for i in range(55):
        unit = f.make_unit(f"CQ-{i:02d}", name=f"Thôn số {i:02d}")
        roll_data.recognised(unit, data["title"], 2017, "1/QĐ-UBND", DECIDED)
        f.make_progress(unit, data["nvh"], 2017, 4, 1)
        f.make_progress(unit, data["hn"], 2017, 4, "1")
    login(client, district_staff)
    html = client.get(LIST, {"nam": 2018, "quy": 2}).content.decode()
    assert "56 lượt cần rà soát" in html  # the 55 and B, silent since Q4/2017
    assert "nam=2018&amp;quy=2&amp;page=2" in html
    second = client.get(LIST, {"nam": 2018, "quy": 2, "page": 2}).content.decode()
    assert "Trang 2/2" in second


def test_the_workbook_holds_every_flag_of_the_filter(client, data, district_staff):
    login(client, district_staff)
    response = client.get(EXPORT, {"nam": 2018, "quy": 1})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="duy-tri-2018-q1.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Đơn vị kiểu mẫu cần rà soát duy trì danh hiệu")
    assert rows[2][:4] == ("Mã đơn vị", "Tên đơn vị", "Xã", "Danh hiệu")
    first = rows[3]
    assert first[:6] == (
        "THON-A",
        "Thôn Ấp Ba",
        "Xã Đông Khê",
        "Thôn kiểu mẫu",
        2017,
        "123/QĐ-UBND",
    )
    assert first[6].date() == DECIDED  # a date cell, shown dd/mm/yyyy
    assert first[7:] == ("Quý I/2018", "Không còn đạt tiêu chí", "Chưa đạt: Hộ nghèo")
    assert len(rows) == 4


def test_the_list_opens_on_the_last_quarter_that_is_over(client, data, district_staff):
    login(client, district_staff)
    html = client.get(LIST).content.decode()
    assert 'name="nam" value="' in html and "Rà soát duy trì" in html


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_anonymous_visitors_are_sent_to_sign_in(client, data, url):
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("persona", ["unit_head", "editor"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_other_roles_are_refused(client, data, request, persona, url):
    login(client, request.getfixturevalue(persona))
    assert client.get(url, {"nam": 2018}).status_code == 403


def _queries(client, query):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, query).status_code == 200
    return len(queries)


def test_the_list_makes_as_many_queries_for_4_units_as_for_40(
    client, data, district_staff
):
    login(client, district_staff)
    query = {"nam": 2018}
    few = _queries(client, query)
    for i in range(36):
        unit = f.make_unit(f"CQ-{i:02d}", name=f"Thôn số {i:02d}")
        reg = roll_data.recognised(unit, data["title"], 2017, "1/QĐ-UBND", DECIDED)
        f.make_progress(reg.unit, data["hn"], 2018, 1, "7")
    assert _queries(client, query) == few


def test_the_reports_page_links_to_the_list(client, data, district_staff):
    login(client, district_staff)
    html = client.get("/bao-cao/", {"nam": 2017, "quy": 4}).content.decode()
    assert 'href="/bao-cao/duy-tri/"' in html
