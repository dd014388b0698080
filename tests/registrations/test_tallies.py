"""The staff report's tallies follow every change of progress and of the catalogue.

Each test reads the report first (the tallies are built and fresh), changes the
data the way one write path does, and checks that the report still says what
``quarter_report`` computes from the progress rows themselves.
"""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection

from registrations import figures
from registrations.figures import tallies
from registrations.models import (
    CriterionTally,
    Progress,
    Registration,
    TallyQuarter,
)
from tests import factories as f
from tests.registrations import figures_data
from tests.registrations.test_figures_aggregated import assert_same

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data():
    scenario = figures_data.scenario()
    assert_same(2017, 1)
    assert TallyQuarter.objects.get(year=2017, quarter=1).fresh
    return scenario


def _fresh(year, quarter):
    return TallyQuarter.objects.get(year=year, quarter=quarter).fresh


def test_tallies_hold_the_quarters_values_by_unit_and_criterion(data):
    a_house = CriterionTally.objects.get(
        year=2017, quarter=1, unit=data["a"], criterion=data["house"].criterion
    )
    assert (a_house.valued, a_house.met) == (1, 1)
    b_income = CriterionTally.objects.get(
        year=2017, quarter=1, unit=data["b"], criterion=data["income"].criterion
    )
    assert (b_income.valued, b_income.met) == (2, 1)  # 50 ≥ 40; 2.4 ≠ 2.5


def test_a_value_saved_marks_its_quarter_stale(data):
    row = Progress.objects.get(unit=data["b"], indicator=data["score"], quarter=1)
    row.value = Decimal("2.5")
    row.save()
    assert not _fresh(2017, 1)
    assert_same(2017, 1)
    assert _fresh(2017, 1)


def test_values_created_in_bulk_and_updated_in_bulk(data):
    figures_data.many_agencies(data["agency"], [data["sport"]], 6)
    assert not _fresh(2017, 1)
    assert_same(2017, 1)
    rows = list(Progress.objects.filter(indicator=data["sport"]))
    for row in rows:
        row.value = 1 - row.value
    Progress.objects.bulk_update(rows, ["value"])
    assert not _fresh(2017, 1)
    assert_same(2017, 1)


def test_a_raw_upsert_as_the_imports_write(data):
    row = Progress.objects.get(unit=data["a"], indicator=data["house"], quarter=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registrations_progress "
            "(unit_id, indicator_id, year, quarter, value, note, updated_at) "
            "VALUES (%s, %s, 2017, 1, 0, '', CURRENT_TIMESTAMP) "
            "ON CONFLICT (unit_id, indicator_id, year, quarter) "
            "DO UPDATE SET value = EXCLUDED.value",
            [row.unit_id, row.indicator_id],
        )
    assert not _fresh(2017, 1)
    assert_same(2017, 1)
    assert (
        CriterionTally.objects.get(
            year=2017, quarter=1, unit=data["a"], criterion=data["house"].criterion
        ).met
        == 0
    )


def test_values_deleted_and_a_unit_deleted(data):
    Progress.objects.filter(unit=data["a"], indicator=data["income"]).delete()
    assert not _fresh(2017, 1)
    assert_same(2017, 1)
    Registration.objects.filter(unit=data["b"]).delete()  # else protected
    data["b"].delete()
    assert not _fresh(2017, 1)
    assert_same(2017, 1)
    assert not CriterionTally.objects.filter(unit_id=data["b"].pk).exists()


def test_a_value_moved_to_another_quarter_marks_both(data):
    assert_same(2017, 2)
    row = Progress.objects.get(unit=data["b"], indicator=data["house"], quarter=2)
    Progress.objects.filter(pk=row.pk).update(quarter=3)
    assert not _fresh(2017, 2)
    assert not _fresh(2017, 3)
    assert_same(2017, 2)
    assert_same(2017, 3)


def test_an_indicators_new_target_marks_every_quarter(data):
    assert_same(2017, 2)
    data["income"].target = Decimal("60")
    data["income"].save()
    assert not _fresh(2017, 1)
    assert not _fresh(2017, 2)
    assert_same(2017, 1)
    assert_same(2017, 2)
    f.make_indicator(data["income"].criterion, "TN3")
    assert not _fresh(2017, 1)
    assert_same(2017, 1)


def test_a_failed_rebuild_counts_from_the_progress_rows(data, monkeypatch):
    row = Progress.objects.get(unit=data["b"], indicator=data["score"], quarter=1)
    row.value = Decimal("2.5")
    row.save()

    def refuse(year, quarter):
        raise DatabaseError("could not obtain lock")

    monkeypatch.setattr(tallies, "_rebuild", refuse)
    assert tallies.ensure((2017, 1)) is False
    assert_same(2017, 1)  # the stale tallies are not read
    assert not _fresh(2017, 1)


def test_the_staff_report_reads_the_tallies_once_they_are_fresh(data):
    # Wrong tallies on purpose: the report shows them, so it reads the table.
    house = data["house"].criterion_id
    CriterionTally.objects.filter(year=2017, quarter=1, criterion_id=house).update(
        met=0
    )

    def met(report):
        return {c.criterion_id: c.met for c in report.current.criteria}[house]

    assert met(figures.quarter_report(2017, 1)) == 1  # Thôn Ấp Ba
    assert met(figures.staff_report(2017, 1)) == 0
