"""The staff report counted in SQL says what ``quarter_report`` says, cut as asked."""

import pytest

from registrations import figures
from tests import factories as f
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db


def _criteria(evaluation):
    return [
        (
            c.criterion_id,
            c.title_code,
            c.title_name,
            c.code,
            c.name,
            c.order,
            c.registrations,
            c.met,
            c.rate_rounded,
        )
        for c in evaluation.criteria
    ]


def _units(units):
    return [
        (
            u.unit_id,
            u.code,
            u.name,
            u.kind_label,
            u.position,
            u.criteria,
            u.criteria_met,
            u.progress_rounded,
            u.indicators,
            u.indicators_met,
            u.indicators_missing,
            u.roadmap_year,
            u.ahead,
        )
        for u in units
    ]


def _ahead(units):
    """What the ahead lists show (no figures: their rows hold none)."""
    return [
        (u.unit_id, u.code, u.name, u.kind_label, u.year, u.roadmap_year) for u in units
    ]


def _not_met(evaluation, window=None):
    start, stop = window or (0, None)
    return {
        c.criterion_id: [u.unit_id for u in c.not_met_units[start:stop]]
        for c in evaluation.criteria
    }


def assert_same(year, quarter):
    full = figures.quarter_report(year, quarter)
    cut = figures.staff_report(year, quarter)
    assert cut.by_kind == full.by_kind
    assert cut.total_registrations == full.total_registrations
    assert _ahead(cut.ahead) == _ahead(full.ahead)
    assert cut.ahead_count == len(full.ahead)
    assert cut.totals() == full.totals()
    assert (cut.label, cut.previous_label) == (full.label, full.previous_label)
    for mine, theirs in [(cut.current, full.current), (cut.previous, full.previous)]:
        assert _criteria(mine) == _criteria(theirs)
        assert mine.units_count == len(theirs.units)
    assert _units(cut.current.units) == _units(full.current.units)
    assert _not_met(cut.current) == _not_met(full.current)
    assert [c.not_met for c in cut.current.criteria] == [
        len(c.not_met_units) for c in full.current.criteria
    ]
    assert [ch.delta for ch in cut.changes()] == [ch.delta for ch in full.changes()]

    # Windows: the same rows as slices of the whole lists.
    window = figures.staff_report(
        year, quarter, units=(1, 2), not_met=(1, 1), ahead=1, previous=False
    )
    assert _units(window.current.units) == _units(full.current.units[1:3])
    assert _not_met(window.current) == _not_met(full.current, (1, 2))
    assert _ahead(window.ahead) == _ahead(full.ahead[:1])
    assert window.ahead_count == len(full.ahead)
    page = figures.standing(year, quarter, units=(1, 2), only_window=True)
    assert _units(page.units) == _units(full.current.units[1:3])
    for rate in full.current.criteria:
        one = figures.standing(
            year, quarter, criterion_id=rate.criterion_id, not_met=figures.ALL
        )
        assert _criteria(one) == [
            r for r in _criteria(full.current) if r[0] == rate.criterion_id
        ]
        assert _not_met(one) == {
            rate.criterion_id: [u.unit_id for u in rate.not_met_units]
        }


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_the_scenario(quarter):
    figures_data.scenario()
    assert_same(2017, quarter)


def test_values_carried_from_earlier_quarters_and_odd_catalogues():
    data = figures_data.scenario()
    # A criterion without indicators (met by everyone), a title without criteria,
    # a unit registered under two titles, values only from an earlier year.
    f.make_criterion(data["village"], "TC-09", name="Tiêu chí không chỉ tiêu")
    empty = f.make_title("DH-RONG", name="Danh hiệu chưa có tiêu chí")
    f.make_registration(f.make_unit("CQ-2", name="Ân Thi"), empty)
    f.make_registration(data["cq"], data["village"])
    f.make_progress(data["cq"], data["poverty"], 2015, 3, "1")
    f.make_progress(data["cq"], data["house"], 2016, 4, 1)
    f.make_progress(data["cq"], data["house"], 2017, 2, 0)
    figures_data.many_agencies(data["agency"], [data["sport"]], 7)
    for quarter in (1, 2, 4):
        assert_same(2017, quarter)


def test_no_registration_at_all(db):
    figures_data.catalogue()
    assert_same(2030, 1)


def test_query_counts_do_not_grow_with_units(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = figures_data.catalogue()
    figures_data.many_agencies(c["agency"], [c["sport"]], 5)

    def count():
        figures.staff_report(2017, 1)  # rebuilds the tallies changed since the last
        with CaptureQueriesContext(connection) as ctx:
            figures.staff_report(2017, 1, units=(0, 3), not_met=(0, 2), ahead=3)
            figures.staff_report(2017, 1)
        return len(ctx.captured_queries)

    small = count()
    figures_data.many_agencies(c["agency"], [c["sport"]], 40, start=5)
    assert count() == small


def test_units_missing_a_criterion_get_their_figures_over_every_criterion():
    figures_data.scenario()
    full = figures.quarter_report(2017, 1)
    for rate in full.current.criteria:
        one = figures.standing(2017, 1, criterion_id=rate.criterion_id, not_met=(0, 5))
        [cut] = one.criteria
        filled = figures.with_figures(2017, 1, cut.not_met_units)
        assert _units(filled) == _units(rate.not_met_units[:5])
