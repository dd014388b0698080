"""CONTRACT §2 figures on small hand-computed data (see figures_data.py)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import figures
from registrations.models import RegistrationStatus
from tests import factories as f
from tests.registrations import figures_data
from units.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return figures_data.scenario()


def test_summary_matches_the_hand_computed_answer(data):
    assert figures.summary(2017, 1) == {
        "nam": 2017,
        "quy": 1,
        "dang_ky": {
            "co_quan": 1,
            "xa": 0,
            "thon": 2,
            "truong": {"mam_non": 0, "tieu_hoc": 0, "thcs": 0},
        },
        "vuot_lo_trinh": ["THON-B"],
        "tieu_chi_cham": [
            {
                "ma_danh_hieu": "DH-CQ",
                "ma_tieu_chi": "TC-01",
                "ten_tieu_chi": "Khu thể thao",
                "ty_le_dat": 0.0,
                "so_dang_ky": 1,
            },
            {
                "ma_danh_hieu": "DH-THON",
                "ma_tieu_chi": "TC-01",
                "ten_tieu_chi": "Nhà văn hóa thôn",
                "ty_le_dat": 0.5,
                "so_dang_ky": 2,
            },
            {
                "ma_danh_hieu": "DH-THON",
                "ma_tieu_chi": "TC-03",
                "ten_tieu_chi": "Thu nhập",
                "ty_le_dat": 0.5,
                "so_dang_ky": 2,
            },
            {
                "ma_danh_hieu": "DH-THON",
                "ma_tieu_chi": "TC-02",
                "ten_tieu_chi": "Tỷ lệ hộ nghèo",
                "ty_le_dat": 1.0,
                "so_dang_ky": 2,
            },
        ],
        "don_vi": [
            {"ma_don_vi": "CQ-1", "tien_do": 0.0},
            {"ma_don_vi": "THON-A", "tien_do": 1.0},
            {"ma_don_vi": "THON-B", "tien_do": 0.3333},
        ],
    }


def test_a_value_entered_in_a_later_quarter_does_not_count_earlier(data):
    q2 = {(c.title_code, c.code): c.met for c in figures.lagging_criteria(2017, 2)}
    assert q2[("DH-THON", "TC-01")] == 2
    rates_q1 = {
        (c.title_code, c.code): c.met for c in figures.lagging_criteria(2017, 1)
    }
    assert rates_q1[("DH-THON", "TC-01")] == 1
    # The latest entry wins: B's house was 0 in Q1 and 1 in Q2.
    assert figures.unit_progress(2017, 2)["THON-B"] == Fraction(2, 3)


def test_values_before_the_year_count_and_after_the_quarter_do_not(data):
    # A's poverty rate was entered in Q4/2016 and still counts in 2017.
    assert figures.unit_progress(2017, 1)["THON-A"] == 1
    # Nothing of A existed in Q3/2016: A's criteria are unmet then.
    evaluation = figures.evaluate(2017, 1, as_of=(2016, 3))
    by_code = {u.code: u for u in evaluation.units}
    assert by_code["THON-A"].criteria_met == 0
    assert by_code["THON-A"].indicators_missing == 4


@pytest.mark.parametrize(
    ("comparison", "target", "value", "met"),
    [
        ("<=", "3", "3", True),
        ("<=", "3", "3.0001", False),
        (">=", "40", "40", True),
        (">=", "40", "39.9999", False),
        ("=", "2.5", "2.5", True),
        ("=", "2.5", "2.5001", False),
        ("=", "0", "0", True),
    ],
)
def test_comparison_boundaries(comparison, target, value, met):
    title = f.make_title("DH-X")
    criterion = f.make_criterion(title, "TC-1")
    indicator = f.make_indicator(
        criterion, "X1", kind="diem", comparison=comparison, target=Decimal(target)
    )
    unit = f.make_unit("CQ-X")
    f.make_registration(unit, title)
    f.make_progress(unit, indicator, 2017, 1, value)
    assert figures.unit_progress(2017, 1)["CQ-X"] == (1 if met else 0)
    # The SQL agrees with Indicator.is_met.
    assert indicator.is_met(Decimal(value)) is met
    [row] = figures.indicator_status(2017, 1)
    assert row["met"] is met and row["value"] == Decimal(value)


def test_yes_no_indicator_is_met_only_by_dat(data):
    rows = {(r["unit"], r["indicator"]): r for r in figures.indicator_status(2017, 1)}
    assert rows[(data["a"].pk, data["house"].pk)]["met"] is True
    assert rows[(data["b"].pk, data["house"].pk)]["met"] is False
    assert rows[(data["cq"].pk, data["sport"].pk)]["value"] is None
    assert rows[(data["cq"].pk, data["sport"].pk)]["met"] is False


def test_registrations_by_kind_keeps_every_key_at_zero(db):
    counts = figures.registrations_by_kind(2017)
    assert counts == {
        "co_quan": 0,
        "xa": 0,
        "thon": 0,
        "truong": {"mam_non": 0, "tieu_hoc": 0, "thcs": 0},
    }


def test_registrations_by_kind_counts_schools_by_level_and_only_active(db):
    title = f.make_title("DH-TR", kind=UnitKind.TRUONG)
    for i, level in enumerate(["mam_non", "mam_non", "tieu_hoc", "thcs"]):
        unit = f.make_unit(f"TR-{i}", kind=UnitKind.TRUONG, school_level=level)
        f.make_registration(unit, title)
    dropped = f.make_unit("TR-9", kind=UnitKind.TRUONG, school_level="thcs")
    f.make_registration(dropped, title, status=RegistrationStatus.NOT_ACHIEVED)
    assert figures.registrations_by_kind(2017)["truong"] == {
        "mam_non": 2,
        "tieu_hoc": 1,
        "thcs": 1,
    }


def test_ahead_of_roadmap_needs_a_roadmap_year_later_than_the_registration(data):
    assert list(figures.ahead_of_roadmap(2017).values_list("code", flat=True)) == [
        "THON-B"
    ]
    assert figures.ahead_of_roadmap(2018).count() == 1  # THON-D, 2018 < 2020


def test_equal_rates_are_ordered_by_title_code_then_criterion_code_as_strings(db):
    title = f.make_title("DH-Z")
    unit = f.make_unit("CQ-Z")
    f.make_registration(unit, title)
    for code in ["TC-2", "TC-10", "TC-1"]:
        f.make_indicator(f.make_criterion(title, code, order=0))
    assert [c.code for c in figures.lagging_criteria(2017, 1)] == [
        "TC-1",
        "TC-10",
        "TC-2",
    ]


def test_exact_rates_decide_the_order_not_rounded_ones(db):
    # 3/9 = 0.3333… and 3333/10000 round alike; a smaller exact rate comes first.
    title = f.make_title("DH-R")
    low = f.make_indicator(f.make_criterion(title, "TC-B"), "LOW")
    high = f.make_indicator(f.make_criterion(title, "TC-A"), "HIGH")
    for i in range(7):
        unit = f.make_unit(f"CQ-R{i}")
        f.make_registration(unit, title)
        if i < 2:
            f.make_progress(unit, low, 2017, 1, 1)
        if i < 3:
            f.make_progress(unit, high, 2017, 1, 1)
    codes = [c.code for c in figures.lagging_criteria(2017, 1)]
    assert codes == ["TC-B", "TC-A"]  # 2/7 before 3/7 despite the codes


def test_criteria_of_titles_without_registration_are_left_out(data):
    unused = f.make_title("DH-AAA")
    f.make_indicator(f.make_criterion(unused, "TC-01"))
    titles = {c.title_code for c in figures.lagging_criteria(2017, 1)}
    assert titles == {"DH-CQ", "DH-THON"}


def test_inactive_and_other_year_registrations_are_excluded(data):
    progress = figures.unit_progress(2017, 1)
    assert set(progress) == {"CQ-1", "THON-A", "THON-B"}
    # THON-D: house 1, poverty 2.5 ≤ 3, but income 2.5 < 40: 2 of 3 criteria.
    assert figures.unit_progress(2018, 1) == {"THON-D": Fraction(2, 3)}


def test_latest_quarter_with_data_ignores_units_not_registered_for_the_year(data):
    assert figures.latest_quarter_with_data(2017) == 2
    other = f.make_unit("CQ-OTHER")
    f.make_progress(other, data["sport"], 2017, 4, 1)
    assert figures.latest_quarter_with_data(2017) == 2
    assert figures.latest_quarter_with_data(2030) is None


def test_default_quarter_without_data(db):
    import datetime
    from zoneinfo import ZoneInfo

    now = datetime.datetime(2026, 8, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert figures.default_quarter(2026, now) == 3
    assert figures.default_quarter(2020, now) == 4
    assert figures.default_quarter(2030, now) == 1


def _vn(year, month=11, day=28, hour=12):
    import datetime
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    return datetime.datetime(year, month, day, hour, tzinfo=vn)


def test_dashboard_year_is_the_current_year_when_its_units_have_accepted_values(data):
    unit = f.make_unit("CQ-2026")
    f.make_registration(unit, data["agency"], 2026)
    assert figures.dashboard_year(_vn(2026)) == 2017  # registered, no value yet
    f.make_progress(unit, data["sport"], 2026, 1, 1)
    assert figures.dashboard_year(_vn(2026)) == 2026


def test_dashboard_year_needs_values_of_units_registered_for_that_year(data):
    # Values entered in 2026 by a unit that commits to 2027 make no 2026 figure.
    unit = f.make_unit("CQ-2027")
    f.make_registration(unit, data["agency"], 2027)
    f.make_progress(unit, data["sport"], 2026, 3, 1)
    assert figures.dashboard_year(_vn(2026)) == 2017


def test_dashboard_year_counts_only_accepted_values_not_a_units_own_report(data):
    from registrations.models import ReportState

    unit = f.make_unit("CQ-2026")
    f.make_registration(unit, data["agency"], 2026)
    for state in (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED):
        f.make_report(unit, 2026, state=state, quarter=1, values={data["sport"]: 1})
        assert figures.dashboard_year(_vn(2026)) == 2017
        unit.quarter_reports.all().delete()


def test_dashboard_year_falls_back_to_the_latest_earlier_year_with_progress(data):
    # 2018 has a registration (THON-D) but its values are of 2017; 2019 has a
    # registration without any value: neither is a year with data. 2030 is later.
    f.make_registration(f.make_unit("CQ-2019"), data["agency"], 2019)
    later = f.make_unit("CQ-2030")
    f.make_registration(later, data["agency"], 2030)
    f.make_progress(later, data["sport"], 2030, 1, 1)
    assert figures.dashboard_year(_vn(2026)) == 2017
    assert figures.latest_year_with_progress(2016) is None


def test_dashboard_year_ignores_progress_of_units_not_registered_for_that_year(data):
    other = f.make_unit("CQ-OTHER")
    f.make_progress(other, data["sport"], 2020, 1, 1)
    assert figures.dashboard_year(_vn(2026)) == 2017


def test_dashboard_year_is_the_current_year_when_no_year_has_data(db):
    f.make_registration(f.make_unit("CQ-2019"), f.make_catalogue(), 2019)
    assert figures.dashboard_year(_vn(2026)) == 2026
    assert figures.registration_years() == [2019]


def test_dashboard_year_follows_the_calendar_in_vietnam_through_the_cache(data):
    unit = f.make_unit("CQ-2027")
    f.make_registration(unit, data["agency"], 2027)
    f.make_progress(unit, data["sport"], 2027, 1, 1)
    assert figures.cached_dashboard_year(_vn(2026, 12, 31, 23)) == 2017
    # Midnight on 1 January 2027 in Vietnam (still 31 December in UTC).
    assert figures.cached_dashboard_year(_vn(2027, 1, 1, 0)) == 2027


def test_rounding_is_half_up_to_four_decimals():
    assert figures.rounded(Fraction(1, 3)) == 0.3333
    assert figures.rounded(Fraction(2, 3)) == 0.6667
    assert figures.rounded(Fraction(1, 20000)) == 0.0001
    assert figures.rounded(Fraction(0, 1)) == 0.0


def test_quarter_report_compares_with_the_previous_quarter(data):
    report = figures.quarter_report(2017, 2)
    assert report.previous.as_of == (2017, 1)
    totals = report.totals()
    assert totals["previous"]["criteria_met"] == 4  # A 3, B 1
    assert totals["current"]["criteria_met"] == 5  # B's house in Q2
    assert [u.code for u in report.ahead] == ["THON-B"]
    change = {(c.rate.title_code, c.rate.code): c for c in report.changes()}
    assert change[("DH-THON", "TC-01")].delta == 0.5


def test_scorecard_counts_missing_indicators(data):
    units = {u.code: u for u in figures.evaluate(2017, 1).units}
    assert (units["CQ-1"].indicators, units["CQ-1"].indicators_missing) == (1, 1)
    assert units["THON-B"].indicators_met == 2  # poverty and income
    assert units["THON-B"].indicators_missing == 0


def test_units_are_in_vietnamese_order(data):
    names = [u.name for u in figures.evaluate(2017, 1).units]
    assert names == ["Bảo hiểm xã hội huyện", "Thôn An Hòa", "Thôn Ấp Ba"]


def test_cached_summary_is_invalidated_when_progress_changes(data):
    before = figures.cached_summary(2017, 1)
    f.make_progress(data["cq"], data["sport"], 2017, 1, 1)
    after = figures.cached_summary(2017, 1)
    assert before["tieu_chi_cham"][0]["ty_le_dat"] == 0.0
    assert {c["ma_tieu_chi"]: c["ty_le_dat"] for c in after["tieu_chi_cham"]}
    assert after["don_vi"][0] == {"ma_don_vi": "CQ-1", "tien_do": 1.0}


def _queries(callable_):
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "function",
    [
        lambda: figures.summary(2017, 1),
        lambda: figures.quarter_report(2017, 1),
        lambda: figures.registrations_by_kind(2017),
        lambda: list(figures.ahead_of_roadmap(2017)),
        lambda: figures.lagging_criteria(2017, 1),
        lambda: figures.unit_progress(2017, 1),
        lambda: figures.indicator_status(2017, 1),
        lambda: figures.criteria_met(2017, 1),
        lambda: figures.latest_quarter_with_data(2017),
    ],
)
def test_query_counts_do_not_grow_from_10_to_1000_units(
    function, django_assert_num_queries
):
    c = figures_data.catalogue()
    extra = f.make_indicator(c["sport"].criterion, "KTT2", kind="ty_le")
    figures_data.many_agencies(c["agency"], [c["sport"], extra], 10)
    small = _queries(function)
    figures_data.many_agencies(c["agency"], [c["sport"], extra], 990, start=10)
    assert len(figures.unit_progress(2017, 1)) == 1000
    with django_assert_num_queries(small):
        function()
