"""The staff report (/bao-cao/, its section pages, its workbooks) from SQL totals.

The same figures as ``evaluation.quarter_report``, in the same classes
(``CriterionRate``, ``UnitStanding``, a ``QuarterReport``), but computed by
``aggregates.query``: each list holds only the rows a page shows (a window of
units, the first units that miss each criterion) and the counts of the rest. A
constant number of queries, one per quarter for the figures.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import F

from units.models import Unit

from .. import periods
from ..models import Criterion
from . import aggregates
from .aggregates import ALL
from .evaluation import CriterionRate, QuarterReport, UnitStanding, rounded
from .rules import ahead_of_roadmap, registrations, registrations_by_kind

UNIT_FIELDS = ["code", "name", "kind", "school_level", "parent_id", "roadmap_year"]


@dataclass(slots=True)
class CriterionFigures(CriterionRate):
    """A criterion's rate; ``not_met_units`` holds the asked window of ``not_met``."""

    not_met: int = 0


@dataclass
class Standing:
    """Registrations for Y at (y, q), as far as a page asked."""

    year: int
    quarter: int
    as_of: tuple
    criteria: list = field(default_factory=list)  # CriterionFigures, lagging order
    units: list = field(default_factory=list)  # UnitStanding: the asked window
    totals: dict = field(default_factory=dict)

    @property
    def units_count(self):
        return self.totals.get("units", 0)


@dataclass
class StaffReport(QuarterReport):
    """``QuarterReport``'s interface: ``ahead`` and the unit lists may be cut."""

    ahead_count: int = 0

    def totals(self):
        return {"current": self.current.totals, "previous": self.previous.totals}


class Pages:
    """A list of ``count`` rows read a slice at a time: ``fetch(offset, limit)``.

    For ``Paginator``: it asks ``count()``, then one slice.
    """

    def __init__(self, count, fetch):
        self._count, self._fetch = count, fetch

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Pages are read by slices")
        start, stop, _ = index.indices(self._count)
        return self._fetch(start, stop - start) if stop > start else []


def criteria_of(year, criterion_id=None):
    """{id: criterion row} of the titles registered for Y (one query)."""
    rows = Criterion.objects.filter(title_id__in=registrations(year).values("title_id"))
    if criterion_id is not None:
        rows = rows.filter(pk=criterion_id)
    return {
        row["pk"]: row
        for row in rows.values(
            "pk",
            "title_id",
            "code",
            "name",
            "order",
            title_code=F("title__code"),
            title_name=F("title__name"),
        )
    }


def _totals(numbers):
    units, complete, criteria, met, missing = numbers
    rate = rounded(Fraction(met, criteria)) if criteria else 0.0
    return {
        "units": units,
        "units_complete": complete,
        "criteria": criteria,
        "criteria_met": met,
        "rate": rate,
        "percent": 100 * rate if criteria else 0.0,
        "indicators_missing": missing,
    }


def _standing(year, unit, position=0):
    return UnitStanding(
        unit_id=unit["pk"],
        **{name: unit[name] for name in UNIT_FIELDS},
        year=year,
        position=position,
    )


def standing(
    year,
    quarter,
    *,
    as_of=None,
    meta=None,
    units=None,
    not_met=None,
    criterion_id=None,
    only_window=False,
    unit_ids=None,
):
    """A quarter's criteria (lagging order), a window of units and the totals.

    Windows as ``aggregates.query``; ``meta`` (``criteria_of``) saves a query.
    Two or three queries: the figures, the criteria, the units shown.
    """
    as_of = as_of or (year, quarter)
    rows = aggregates.query(
        year,
        as_of,
        units=units,
        not_met=not_met,
        criterion_id=criterion_id,
        only_window=only_window,
        unit_ids=unit_ids,
        totals=criterion_id is None and not only_window and unit_ids is None,
    )
    if meta is None:
        meta = criteria_of(year, criterion_id)
    result = Standing(year=year, quarter=quarter, as_of=as_of)
    if rows.totals is not None:
        result.totals = _totals(rows.totals)
    people = {}
    if units is not None or not_met is not None:
        if ALL in (units, not_met):
            found = aggregates.registered_units(year)
        else:
            ids = {row[0] for row in rows.units}
            ids.update(u for listed in rows.not_met.values() for u in listed)
            found = Unit.objects.filter(pk__in=sorted(ids))
        people = {u["pk"]: u for u in found.values("pk", *UNIT_FIELDS)}
    standings = {}
    for unit_id, position, *numbers in rows.units:
        if unit_id in people:
            # ROW_NUMBER counts from 1, ``evaluate``'s positions from 0.
            found = standings[unit_id] = _standing(year, people[unit_id], position - 1)
            (
                found.criteria,
                found.criteria_met,
                found.indicators,
                found.indicators_met,
                found.indicators_valued,
            ) = numbers
            result.units.append(found)
    for unit_id in {u for found in rows.not_met.values() for u in found}:
        if unit_id not in standings and unit_id in people:
            standings[unit_id] = _standing(year, people[unit_id])
    for crit_id, (count, met) in rows.criteria.items():
        row = meta.get(crit_id)
        if row is None:  # criterion added between the two reads
            continue
        result.criteria.append(
            CriterionFigures(
                title_id=row["title_id"],
                title_code=row["title_code"],
                title_name=row["title_name"],
                criterion_id=crit_id,
                code=row["code"],
                name=row["name"],
                order=row["order"],
                registrations=count,
                met=met,
                not_met=count - met,
                not_met_units=[
                    standings[u]
                    for u in rows.not_met.get(crit_id, [])
                    if u in standings
                ],
            )
        )
    result.criteria.sort(key=lambda r: (r.rate, r.title_code, r.code))
    return result


def with_figures(year, quarter, standings):
    """``standings`` (e.g. units missing a criterion) with their figures at (Y, Q).

    One query for the figures of those units alone; same objects, filled in.
    """
    if not standings:
        return standings
    ids = [u.unit_id for u in standings]
    found = standing(year, quarter, meta={}, units=ALL, unit_ids=ids)
    by_id = {u.unit_id: u for u in found.units}
    for unit in standings:
        figures = by_id.get(unit.unit_id)
        if figures is not None:
            unit.criteria, unit.criteria_met = figures.criteria, figures.criteria_met
            unit.indicators, unit.indicators_met = (
                figures.indicators,
                figures.indicators_met,
            )
            unit.indicators_valued = figures.indicators_valued
            unit.position = figures.position
    return standings


def staff_report(
    year,
    quarter,
    *,
    units=ALL,
    not_met=ALL,
    ahead=None,
    current=True,
    previous=True,
):
    """The staff report of (Y, Q) beside the quarter before, cut as asked.

    ``units`` and ``not_met``: windows of the current quarter's lists
    (``aggregates.query``); ``ahead``: how many units ahead of the roadmap to
    list (None: all; ``ahead_count`` has them all); ``current``, ``previous``:
    False leaves that quarter's figures out (a workbook that shows none).
    """
    meta = criteria_of(year) if current or previous else {}
    before = periods.previous(year, quarter)
    now = (
        standing(year, quarter, meta=meta, units=units, not_met=not_met)
        if current
        else Standing(year=year, quarter=quarter, as_of=(year, quarter))
    )
    then = (
        standing(year, quarter, as_of=before, meta=meta)
        if previous
        else Standing(year=year, quarter=quarter, as_of=before)
    )
    ahead_rows = ahead_of_roadmap(year).vi_ordered().values("pk", *UNIT_FIELDS)
    if ahead is not None:
        ahead_rows = ahead_rows[:ahead]
    return StaffReport(
        year=year,
        quarter=quarter,
        by_kind=registrations_by_kind(year),
        ahead=[_standing(year, unit) for unit in ahead_rows],
        ahead_count=ahead_of_roadmap(year).count(),
        current=now,
        previous=then,
    )
