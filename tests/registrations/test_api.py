"""/api/tong-hop/: CONTRACT §3's JSON, its parameters and its cache."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from registrations import figures
from tests import factories as f
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db

URL = "/api/tong-hop/"


@pytest.fixture
def data():
    return figures_data.scenario()


def test_summary_answers_the_contract_schema(client, data):
    response = client.get(URL, {"nam": 2017, "quy": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {
        "nam",
        "quy",
        "dang_ky",
        "vuot_lo_trinh",
        "tieu_chi_cham",
        "don_vi",
    }
    assert body == figures.summary(2017, 1)
    assert body["dang_ky"]["truong"] == {"mam_non": 0, "tieu_hoc": 0, "thcs": 0}
    assert body["don_vi"] == [
        {"ma_don_vi": "CQ-1", "tien_do": 0.0},
        {"ma_don_vi": "THON-A", "tien_do": 1.0},
        {"ma_don_vi": "THON-B", "tien_do": 0.3333},
    ]
    assert set(body["tieu_chi_cham"][0]) == {
        "ma_danh_hieu",
        "ma_tieu_chi",
        "ten_tieu_chi",
        "ty_le_dat",
        "so_dang_ky",
    }


def test_quarter_defaults_to_the_latest_with_data(client, data):
    body = client.get(URL, {"nam": 2017}).json()
    assert body["quy"] == 2
    assert body == figures.summary(2017, 2)


def test_a_year_without_anything_is_still_a_valid_answer(client, db):
    body = client.get(URL, {"nam": 2031}).json()
    assert body == {
        "nam": 2031,
        "quy": 1,
        "dang_ky": {
            "co_quan": 0,
            "xa": 0,
            "thon": 0,
            "truong": {"mam_non": 0, "tieu_hoc": 0, "thcs": 0},
        },
        "vuot_lo_trinh": [],
        "tieu_chi_cham": [],
        "don_vi": [],
    }


@pytest.mark.parametrize(
    "params",
    [
        {"nam": "abc"},
        {"nam": "-1"},
        {"nam": "99999999999999999999"},
        {"nam": "1999"},
        {"nam": "2101"},
        {"nam": "2017.0"},
        {"nam": ""},
        {"nam": "2017", "quy": "7"},
        {"nam": "2017", "quy": "0"},
        {"nam": "2017", "quy": "abc"},
        {"nam": "2017", "quy": ""},
        {"nam": "2017", "quy": "1.5"},
    ],
)
def test_bad_parameters_answer_400_with_a_vietnamese_message(client, db, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    message = response.json()["loi"]
    assert message and ("năm" in message or "số" in message)


def test_a_cache_hit_costs_no_query(client, data, django_assert_num_queries):
    client.get(URL, {"nam": 2017, "quy": 1})
    with django_assert_num_queries(0):
        response = client.get(URL, {"nam": 2017, "quy": 1})
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]


def test_without_parameters_a_cache_hit_costs_no_query_either(
    client, data, django_assert_num_queries
):
    first = client.get(URL)
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert first.content == second.content
    year = figures.dashboard_year()
    assert second.json() == client.get(URL, {"nam": year}).json()


def test_the_body_is_utf8_json_with_vietnamese_letters_unescaped(client, data):
    raw = client.get(URL, {"nam": 2017, "quy": 1}).content
    assert raw.decode("utf-8") == json.dumps(
        figures.summary(2017, 1), cls=DjangoJSONEncoder, ensure_ascii=False
    )
    names = [c["ten_tieu_chi"] for c in json.loads(raw)["tieu_chi_cham"]]
    assert any(not name.isascii() for name in names)
    assert all(name.encode() in raw for name in names)


def test_a_cache_entry_of_another_version_is_not_served(client, data):
    client.get(URL, {"nam": 2017, "quy": 1})
    figures.invalidate()
    f.make_progress(data["cq"], data["sport"], 2017, 1, 1)  # also bumps the version
    body = client.get(URL, {"nam": 2017, "quy": 1}).json()
    assert body == figures.summary(2017, 1)
    assert body["don_vi"][0]["tien_do"] == 1.0


def test_saving_progress_refreshes_the_cached_answer(client, data):
    first = client.get(URL, {"nam": 2017, "quy": 1}).json()
    f.make_progress(data["cq"], data["sport"], 2017, 1, 1)
    second = client.get(URL, {"nam": 2017, "quy": 1}).json()
    assert first["don_vi"][0]["tien_do"] == 0.0
    assert second["don_vi"][0]["tien_do"] == 1.0


def test_changing_a_registration_refreshes_the_cached_answer(client, data):
    client.get(URL, {"nam": 2017, "quy": 1})
    registration = data["cq"].registrations.get()
    registration.status = "revoked"
    registration.save()
    body = client.get(URL, {"nam": 2017, "quy": 1}).json()
    assert body["dang_ky"]["co_quan"] == 0


def test_an_import_refreshes_the_cached_answer(client, data, supervisor):
    from imports.services import import_file

    client.get(URL, {"nam": 2017, "quy": 1})
    csv = "ma_don_vi,nam,quy,ma_chi_tieu,gia_tri\nCQ-1,2017,1,KTT,dat\n"
    report = import_file(
        kind="progress", content=csv.encode(), filename="t.csv", user=supervisor
    )
    assert report.ok, report.errors
    body = client.get(URL, {"nam": 2017, "quy": 1}).json()
    assert body["don_vi"][0] == {"ma_don_vi": "CQ-1", "tien_do": 1.0}


def test_without_a_year_the_dashboard_year_is_used(client, data):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    # 2026 has neither registrations nor progress: the latest earlier year with
    # progress (2017, not 2018 which only has a registration) and its latest
    # quarter with data.
    moment = datetime.datetime(2026, 5, 1, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        body = client.get(URL).json()
    assert body == figures.summary(2017, 2)


def test_without_a_year_the_current_year_is_used_once_it_has_accepted_values(
    client, data
):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    unit = f.make_unit("CQ-2026")
    f.make_registration(unit, data["agency"], 2026)
    moment = datetime.datetime(2026, 5, 1, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False):
        assert client.get(URL).json()["nam"] == 2017  # registered, no value yet
        f.make_progress(unit, data["sport"], 2026, 1, 0)
        body = client.get(URL).json()
    assert (body["nam"], body["quy"]) == (2026, 1)
    assert body["don_vi"] == [{"ma_don_vi": "CQ-2026", "tien_do": 0.0}]


def test_the_default_year_changes_at_midnight_on_new_years_day_in_vietnam(client, data):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    unit = f.make_unit("CQ-2027")
    f.make_registration(unit, data["agency"], 2027)
    f.make_progress(unit, data["sport"], 2027, 1, 1)
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    before = datetime.datetime(2026, 12, 31, 23, 59, 50, tzinfo=vn)
    with time_machine.travel(before, tick=False):
        assert client.get(URL).json()["nam"] == 2017
    # Twenty seconds later the cached answer of 2026 is still fresh, but it is
    # the answer for another year.
    with time_machine.travel(before + datetime.timedelta(seconds=20), tick=False):
        assert client.get(URL).json()["nam"] == 2027
