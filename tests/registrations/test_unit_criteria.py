"""A unit's public page: its titles and its criteria one by one (CONTRACT §3)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import periods
from registrations.models import RegistrationStatus, ReportState
from registrations.unit_criteria import State, criterion_anchor, unit_criteria
from tests import factories as f
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return figures_data.scenario()


def _judged(unit):
    return unit_criteria(unit, unit.registrations.select_related("title"))[0]


def _by_code(judged):
    return {row.criterion.code: row for row in judged.criteria}


def test_every_criterion_met_with_its_last_accepted_values_and_quarters(data):
    judged = _judged(data["a"])
    assert judged.as_of == (2017, 4)
    rows = _by_code(judged)
    assert [r.state for r in judged.criteria] == [State.MET] * 3
    poverty = rows["TC-02"].indicators[0]
    # Carried from the year before: CONTRACT §2's latest value not after Q4/2017.
    assert poverty.value_text == "3"
    assert poverty.period_label == "Quý IV/2016"


def test_a_missed_target_is_not_met_and_a_later_value_replaces_an_earlier(data):
    rows = _by_code(_judged(data["b"]))
    house = rows["TC-01"]
    assert house.state == State.MET  # 0 in Q1, 1 in Q2: the Q2 value counts
    assert house.indicators[0].period_label == "Quý II/2017"
    income = rows["TC-03"]
    assert income.state == State.NOT_MET  # score 2.4, target = 2.5
    score = next(i for i in income.indicators if i.indicator.code == "TN2")
    assert score.state == State.NOT_MET and score.value_text == "2,4"
    assert score.period_label == "Quý I/2017"


def test_a_reported_but_unaccepted_value_is_not_shown_as_accepted(data):
    f.make_report(data["cq"], 2017, 3, ReportState.SUBMITTED, values={data["sport"]: 1})
    f.make_report(data["b"], 2017, 3, ReportState.DRAFT, values={data["score"]: "2.5"})
    sport = _by_code(_judged(data["cq"]))["TC-01"]
    assert sport.state == State.NOT_REPORTED
    assert sport.indicators[0].value is None
    income = _by_code(_judged(data["b"]))["TC-03"]
    assert income.state == State.NOT_MET  # still the accepted 2.4


def test_a_criterion_with_one_indicator_missing_and_none_failing_is_not_reported(
    data,
):
    unit = f.make_unit("THON-E", kind="thon", name="Thôn Én", parent=data["commune"])
    f.make_registration(unit, data["village"], 2017)
    f.make_progress(unit, data["income"], 2017, 2, "45")  # TN met, TN2 missing
    f.make_progress(unit, data["house"], 2017, 2, 0)  # house not met
    rows = _by_code(_judged(unit))
    assert rows["TC-03"].state == State.NOT_REPORTED
    assert rows["TC-01"].state == State.NOT_MET
    assert rows["TC-02"].state == State.NOT_REPORTED


def test_values_after_the_registration_year_are_not_used(data):
    f.make_progress(data["b"], data["score"], 2018, 1, "2.5")
    assert _by_code(_judged(data["b"]))["TC-03"].state == State.NOT_MET


def test_the_unit_page_shows_each_criterion_state_value_and_quarter(client, data):
    html = client.get("/tien-do/don-vi/THON-B/").content.decode()
    assert "Từng tiêu chí năm 2017" in html
    assert f'id="{criterion_anchor(data["score"].criterion_id)}"' in html
    assert "km-criterion-not_met" in html and "km-criterion-met" in html
    assert "<strong>2,4</strong>" in html and "Quý I/2017" in html
    assert "Đạt <strong>2</strong> · chưa đạt <strong>1</strong>" in html


def test_the_unit_page_says_not_yet_reported(client, data):
    html = client.get("/tien-do/don-vi/CQ-1/").content.decode()
    assert "km-criterion-not_reported" in html
    assert "chưa có số liệu đã duyệt" in html


def test_the_unit_page_lists_its_recognised_titles_with_the_decision(client, data):
    registration = data["a"].registrations.get()
    registration.status = RegistrationStatus.RECOGNISED
    registration.decision_number = "123/QĐ-UBND"
    registration.decision_date = datetime.date(2017, 12, 20)
    registration.save()
    html = client.get("/tien-do/don-vi/THON-A/").content.decode()
    assert "Danh hiệu đã được công nhận" in html
    assert "Quyết định số 123/QĐ-UBND ngày 20/12/2017" in html
    assert '/don-vi-kieu-mau/?q=THON-A"' in html


def test_a_title_held_is_judged_now_as_the_maintenance_review_judges_it(client, data):
    registration = data["a"].registrations.get()
    registration.status = RegistrationStatus.MAINTAINED
    registration.save()
    f.make_progress(data["a"], data["house"], 2019, 2, 0)  # the house fell back
    judged = _judged(data["a"])
    assert judged.kept_up and judged.as_of == periods.current()
    assert _by_code(judged)["TC-01"].state == State.NOT_MET
    html = client.get("/tien-do/don-vi/THON-A/").content.decode()
    assert "Từng tiêu chí, duy trì danh hiệu" in html
    assert "Quý II/2019" in html  # the value that fell back, with its quarter
    # A title not yet earned is still judged at the end of its year.
    assert _judged(data["b"]).as_of == (2017, 4)


def _page_queries(client, code):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/tien-do/don-vi/{code}/").status_code == 200
    return len(queries)


def _unit_with_criteria(code, n):
    title = f.make_title(f"DH-{code}")
    unit = f.make_unit(code)
    f.make_registration(unit, title, 2017)
    for i in range(n):
        criterion = f.make_criterion(title, f"{code}-TC{i}", order=i)
        for j in range(3):
            indicator = f.make_indicator(criterion, f"{code}-{i}-{j}")
            f.make_progress(unit, indicator, 2017, 1 + (i + j) % 4, (i + j) % 2)
    return unit


def test_the_unit_page_makes_as_many_queries_for_2_criteria_as_for_30(
    client, django_assert_max_num_queries
):
    _unit_with_criteria("SMALL", 2)
    _unit_with_criteria("LARGE", 30)
    small = _page_queries(client, "SMALL")
    assert _page_queries(client, "LARGE") == small
    with django_assert_max_num_queries(10):
        client.get("/tien-do/don-vi/LARGE/")
