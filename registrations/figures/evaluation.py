"""Where registrations for a year stand at a quarter: units, criteria, the report.

``evaluate`` turns the rules' counts (``rules.criteria_met``) into each unit's
progress and each criterion's achievement rate, sorted as CONTRACT §2 says;
``quarter_report`` sets a quarter beside the one before for the staff report and
the drafted briefing. A constant number of queries, whatever the number of units.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef

from units.models import SchoolLevel, Unit, UnitKind

from .. import periods
from ..models import Criterion
from .rules import criteria_met, registrations, registrations_by_kind


def rounded(fraction):
    """A fraction 0–1 as a float rounded half up to 4 decimals (JSON's ``0.25``)."""
    if fraction.denominator == 0:
        return 0.0
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


@dataclass(slots=True)
class CriterionRate:
    title_id: int
    title_code: str
    title_name: str
    criterion_id: int
    code: str
    name: str
    order: int
    registrations: int
    met: int
    not_met_units: list = field(default_factory=list)

    @property
    def rate(self):
        """The exact achievement rate (sorting uses it, not the rounded one)."""
        return Fraction(self.met, self.registrations)

    @property
    def rate_rounded(self):
        return rounded(self.rate)

    @property
    def percent(self):
        return self.rate_rounded * 100


@dataclass(slots=True)
class UnitStanding:
    unit_id: int
    code: str
    name: str
    kind: str
    school_level: str
    parent_id: int | None
    roadmap_year: int | None
    registration_ids: list = field(default_factory=list)
    title_names: list = field(default_factory=list)
    criteria: int = 0
    criteria_met: int = 0
    indicators: int = 0
    indicators_met: int = 0
    indicators_valued: int = 0
    year: int = 0
    position: int = 0

    @property
    def progress(self):
        if not self.criteria:
            return Fraction(0)
        return Fraction(self.criteria_met, self.criteria)

    @property
    def progress_rounded(self):
        return rounded(self.progress)

    @property
    def percent(self):
        return self.progress_rounded * 100

    @property
    def indicators_missing(self):
        return self.indicators - self.indicators_valued

    @property
    def kind_label(self):
        if self.kind == UnitKind.TRUONG and self.school_level:
            level = str(SchoolLevel(self.school_level).label)
            return f"Trường {level if level.isupper() else level.lower()}"
        return UnitKind(self.kind).label

    @property
    def ahead(self):
        """Registered for an earlier year than the roadmap (CONTRACT §2)."""
        return self.roadmap_year is not None and self.roadmap_year > self.year


@dataclass
class Evaluation:
    """Everything CONTRACT §2 says about registrations for Y at quarter (y, q)."""

    year: int
    quarter: int
    as_of: tuple
    units: list  # UnitStanding, in Vietnamese name order
    criteria: list  # CriterionRate, lagging order

    def units_by_code(self):
        return sorted(self.units, key=lambda u: u.code)


def evaluate(year, quarter, *, as_of=None):
    """Unit progress and criterion rates in six queries, whatever the unit count."""
    as_of = as_of or (year, quarter)
    regs = list(
        registrations(year)
        .order_by()
        .values(
            "id",
            "unit_id",
            "title_id",
            "title__name",
        )
    )
    title_ids = {r["title_id"] for r in regs}
    units = {}
    fields = ["code", "name", "kind", "school_level", "parent_id", "roadmap_year"]
    for position, unit in enumerate(
        Unit.objects.filter(Exists(registrations(year).filter(unit=OuterRef("pk"))))
        .vi_ordered()
        .values("pk", *fields)
    ):
        units[unit["pk"]] = UnitStanding(
            unit_id=unit["pk"],
            **{name: unit[name] for name in fields},
            year=year,
            position=position,
        )
    rates = {}  # criterion id -> CriterionRate
    rates_by_title = defaultdict(list)
    for criterion in (
        Criterion.objects.filter(title_id__in=title_ids)
        .select_related("title")
        .order_by("title__code", "order", "code")
    ):
        rate = rates[criterion.id] = CriterionRate(
            title_id=criterion.title_id,
            title_code=criterion.title.code,
            title_name=criterion.title.name,
            criterion_id=criterion.id,
            code=criterion.code,
            name=criterion.name,
            order=criterion.order,
            registrations=0,
            met=0,
        )
        rates_by_title[criterion.title_id].append(rate)
    cells = criteria_met(year, quarter, as_of=as_of, regs=regs) if regs else {}

    for reg in regs:
        standing = units.get(reg["unit_id"])
        if standing is None:  # registered between the two reads
            continue
        standing.registration_ids.append(reg["id"])
        standing.title_names.append(reg["title__name"])
        for rate in rates_by_title[reg["title_id"]]:
            cell = cells.get((reg["id"], rate.criterion_id))
            if cell is None:  # criterion added between the two reads
                continue
            rate.registrations += 1
            standing.criteria += 1
            standing.indicators += cell.indicators
            standing.indicators_met += cell.met_indicators
            standing.indicators_valued += cell.valued_indicators
            if cell.met:
                rate.met += 1
                standing.criteria_met += 1
            else:
                rate.not_met_units.append(standing)
    rates = {k: r for k, r in rates.items() if r.registrations}
    for rate in rates.values():
        rate.not_met_units.sort(key=lambda u: u.position)
    ordered = sorted(rates.values(), key=lambda r: (r.rate, r.title_code, r.code))
    standings = sorted(units.values(), key=lambda u: u.position)
    return Evaluation(
        year=year, quarter=quarter, as_of=as_of, units=standings, criteria=ordered
    )


def lagging_criteria(year, quarter, *, as_of=None):
    """Criteria of titles registered for Y, lowest achievement rate first."""
    return evaluate(year, quarter, as_of=as_of).criteria


def unit_progress(year, quarter, *, as_of=None):
    """{unit code: progress fraction} for every unit registered for Y."""
    return {u.code: u.progress for u in evaluate(year, quarter, as_of=as_of).units}


@dataclass
class CriterionChange:
    rate: CriterionRate
    previous: CriterionRate | None

    @property
    def delta(self):
        before = self.previous.rate_rounded if self.previous else 0.0
        return round(self.rate.rate_rounded - before, 4)


@dataclass
class QuarterReport:
    """What the district briefing reports for (Y, Q), and the quarter before."""

    year: int
    quarter: int
    by_kind: dict
    ahead: list  # UnitStanding of units ahead of the roadmap, Vietnamese order
    current: Evaluation
    previous: Evaluation

    @property
    def label(self):
        return periods.label(self.year, self.quarter)

    @property
    def previous_label(self):
        return periods.label(*self.previous.as_of)

    @property
    def total_registrations(self):
        return sum(v for k, v in self.by_kind.items() if k != "truong") + sum(
            self.by_kind["truong"].values()
        )

    def changes(self):
        before = {c.criterion_id: c for c in self.previous.criteria}
        return [
            CriterionChange(c, before.get(c.criterion_id))
            for c in self.current.criteria
        ]

    @staticmethod
    def _totals(evaluation):
        units = evaluation.units
        criteria = sum(u.criteria for u in units)
        met = sum(u.criteria_met for u in units)
        return {
            "units": len(units),
            "units_complete": sum(
                1 for u in units if u.criteria and u.criteria_met == u.criteria
            ),
            "criteria": criteria,
            "criteria_met": met,
            "rate": rounded(Fraction(met, criteria)) if criteria else 0.0,
            "percent": 100 * rounded(Fraction(met, criteria)) if criteria else 0.0,
            "indicators_missing": sum(u.indicators_missing for u in units),
        }

    def totals(self):
        return {
            "current": self._totals(self.current),
            "previous": self._totals(self.previous),
        }


def quarter_report(year, quarter):
    """The staff report and the briefing's figures: a constant number of queries."""
    current = evaluate(year, quarter)
    previous = evaluate(year, quarter, as_of=periods.previous(year, quarter))
    return QuarterReport(
        year=year,
        quarter=quarter,
        by_kind=registrations_by_kind(year),
        ahead=[u for u in current.units if u.ahead],
        current=current,
        previous=previous,
    )
