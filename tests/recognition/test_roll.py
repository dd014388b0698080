"""The public roll of model units, /don-vi-kieu-mau/ (CONTRACT §3)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import Registration
from tests import factories as f
from tests.recognition import roll_data

pytestmark = pytest.mark.django_db

URL = "/don-vi-kieu-mau/"


@pytest.fixture
def data():
    return roll_data.scenario()


def _html(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_recognised_units_are_listed_with_their_decision(client, data):
    html = _html(client)
    assert "Thôn Ấp Ba" in html and "Thôn Hòa Bình" in html
    assert "Quyết định số <strong>123/QĐ-UBND</strong> ngày 20/12/2017" in html
    assert f'href="/quyet-dinh/{data["published"].pk}/"' in html
    assert 'href="/tien-do/don-vi/THON-A/"' in html
    assert "Thôn kiểu mẫu năm 2017" in html and "Thôn kiểu mẫu năm 2018" in html


def test_a_unit_not_yet_recognised_is_not_on_the_roll(client, data):
    assert "Thôn Cầu" not in _html(client)


def test_an_unpublished_decision_is_not_linked(client, data):
    html = _html(client, nam=2018)
    assert "88/QĐ-UBND" in html
    assert f"/quyet-dinh/{data['unpublished'].pk}/" not in html


def test_a_revoked_title_stays_listed_as_revoked_with_its_revocation(client, data):
    html = _html(client, q="bao hiem")
    assert "Bảo hiểm xã hội huyện" in html and "Đã thu hồi" in html
    assert f'href="/quyet-dinh/{data["revocation"].pk}/"' in html
    assert "Quyết định thu hồi số 45/QĐ-UBND ngày 01/03/2019" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"nam": "2018"}, ["Thôn Hòa Bình"], ["Thôn Ấp Ba", "Bảo hiểm"]),
        ({"danh_hieu": "DH-CQ"}, ["Bảo hiểm"], ["Thôn Ấp Ba", "Thôn Hòa Bình"]),
        ({"xa": "XA-DK"}, ["Thôn Ấp Ba"], ["Thôn Hòa Bình", "Bảo hiểm"]),
        ({"q": "ap ba"}, ["Thôn Ấp Ba"], ["Thôn Hòa Bình"]),
        ({"q": "HOA BINH"}, ["Thôn Hòa Bình"], ["Thôn Ấp Ba"]),
        ({"q": "thon-a"}, ["Thôn Ấp Ba"], ["Thôn Hòa Bình"]),
        ({"nam": "2017", "xa": "XA-DH"}, [], ["Thôn Ấp Ba", "Thôn Hòa Bình"]),
    ],
)
def test_filters_and_search_without_diacritics(client, data, query, shown, hidden):
    html = _html(client, **query)
    rows = html[html.index('role="status"') :]
    for name in shown:
        assert name in rows
    for name in hidden:
        assert name not in rows


def test_the_filters_offer_only_what_the_roll_holds(client, data):
    html = _html(client)
    assert '<option value="2017">' in html and '<option value="2018">' in html
    assert '<option value="XA-DK">Xã Đông Khê</option>' in html
    assert '<option value="DH-CQ">Cơ quan kiểu mẫu</option>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"nam": "abc"}, "Chưa có đơn vị nào được công nhận năm này."),
        ({"nam": "2016"}, "Chưa có đơn vị nào được công nhận năm này."),
        ({"xa": "XA-KHONG-CO"}, "Không có xã này trong danh sách."),
        ({"danh_hieu": "<script>"}, "Không có danh hiệu này trong danh sách."),
        ({"q": "x" * 101}, "Từ khóa tìm tối đa 100 ký tự."),
        ({"nam": "\x00"}, None),
    ],
)
def test_bad_input_gives_the_forms_error_and_no_rows(client, data, query, message):
    response = client.get(URL, query)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    if message:
        assert message in html
        assert "roll-item" not in html
    assert "<script>" not in html


def test_a_page_beyond_the_last_is_not_found_not_an_error(client, data):
    assert client.get(URL, {"page": "99"}).status_code == 404
    assert client.get(URL, {"page": "abc"}).status_code == 404


def _many(title, n, start=0):
    day = datetime.date(2017, 12, 20)
    for i in range(start, start + n):
        unit = f.make_unit(f"CQ-N{i:03d}", name=f"Cơ quan số {i:03d}")
        roll_data.recognised(unit, title, 2017, "200/QĐ-UBND", day)


def test_the_roll_pages_thirty_units_at_a_time_keeping_the_filters(client, data):
    _many(data["agency"], 40)
    html = _html(client, danh_hieu="DH-CQ")
    assert html.count('class="roll-item') == 30
    assert "?danh_hieu=DH-CQ&amp;page=2" in html
    second = _html(client, danh_hieu="DH-CQ", page=2)
    assert second.count('class="roll-item') == 11  # 40 + the revoked agency


def _queries(client, **query):
    cache.clear()  # a page rendered afresh, with the cache's versions unknown
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, query)
    return len(queries)


def test_the_roll_makes_as_many_queries_for_4_rows_as_for_30(
    client, data, django_assert_max_num_queries
):
    few = _queries(client, nam="2017")
    _many(data["agency"], 40)
    assert _queries(client, nam="2017", q="c") == few
    cache.clear()
    with django_assert_max_num_queries(9):
        client.get(URL, {"nam": "2017"})


def test_anonymous_readers_get_the_cached_page_until_a_registration_changes(
    client, data
):
    assert "Thôn Cầu" not in _html(client)
    with CaptureQueriesContext(connection) as queries:
        _html(client)
    assert not any("registration" in q["sql"] for q in queries)
    registration = Registration.objects.get(unit=data["c"])
    registration.status = "recognised"
    registration.decision_number = "130/QĐ-UBND"
    registration.decision_date = datetime.date(2017, 12, 25)
    registration.save()
    assert "Thôn Cầu" in _html(client)


def test_a_typed_name_is_searched_afresh_not_kept_in_the_page_cache(client, data):
    _html(client, q="cau")
    with CaptureQueriesContext(connection) as queries:
        _html(client, q="cau")
    assert any("registration" in q["sql"] for q in queries)


def test_the_dashboard_and_the_site_map_link_to_the_roll(client, data):
    for url in ("/tien-do/", "/so-do-trang/"):
        assert 'href="/don-vi-kieu-mau/"' in client.get(url).content.decode()
