"""The programme's figures (CONTRACT §2), computed in the database.

The one place that says what "registered", "ahead of the roadmap", "met", "achievement
rate", "lagging" and "progress" mean. Views, the JSON API, the Excel workbooks and the
drafted briefing all read their numbers from here.

Every function runs a fixed number of queries whatever the number of units: the
latest value of each indicator is a correlated subquery on the progress table (it
walks the unique index ``(unit, indicator, year, quarter)`` backwards and stops at the
first entry ≤ the reported quarter), and the indicators of a criterion are summed
per registration in SQL. Python only sees one row per (registration, criterion).

Decisions the contract leaves open, taken here:
- a criterion that has no indicator is met (every one of its zero indicators is met);
- a unit whose title has no criterion has progress 0;
- a unit holding registrations for two titles in the same year has the progress of
  all its criteria together;
- fractions are rounded half up to 4 decimals.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual

from kieumau import versions
from units.models import SchoolLevel, Unit, UnitKind

from . import periods
from .models import (
    ACTIVE_STATUSES,
    Comparison,
    Criterion,
    Indicator,
    IndicatorKind,
    Progress,
    Registration,
)

KINDS = [UnitKind.CO_QUAN.value, UnitKind.XA.value, UnitKind.THON.value]
SCHOOL_LEVELS = [level.value for level in SchoolLevel]

# The state of one (registration, indicator) pair, summed per criterion in SQL and
# decoded in Python: no value 0, a value that does not meet the target 1, a value
# that meets it 1 + 2**16. A criterion has far fewer than 2**16 indicators, so
# sum // 2**16 counts the met indicators and sum % 2**16 those with a value; one
# evaluation of the subquery per pair gives both counts.
_SHIFT = 1 << 16
_HAS_VALUE = 1
_MET = _HAS_VALUE + _SHIFT

# From an indicator to the registrations of its title.
_REG = "criterion__title__registrations"


def period_lte(year, quarter, prefix=""):
    """Rows of a quarter (nam, quy) ≤ (year, quarter)."""
    return Q(**{f"{prefix}year__lt": year}) | Q(
        **{f"{prefix}year": year, f"{prefix}quarter__lte": quarter}
    )


def rounded(fraction):
    """A fraction 0–1 as a float rounded half up to 4 decimals (JSON's ``0.25``)."""
    if fraction.denominator == 0:
        return 0.0
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def registrations(year):
    """Registrations for year Y: active, committing to complete in Y."""
    return Registration.objects.for_year(year)


def registrations_by_kind(year):
    """Counts by unit kind, schools by level; every key present (one query)."""
    counts = dict.fromkeys(KINDS, 0)
    counts["truong"] = dict.fromkeys(SCHOOL_LEVELS, 0)
    rows = (
        registrations(year)
        .order_by()
        .values("unit__kind", "unit__school_level")
        .annotate(n=Count("id"))
    )
    for row in rows:
        kind, level = row["unit__kind"], row["unit__school_level"]
        if kind == UnitKind.TRUONG:
            counts["truong"][level] = counts["truong"].get(level, 0) + row["n"]
        else:
            counts[kind] = counts.get(kind, 0) + row["n"]
    return counts


def ahead_of_roadmap(year):
    """Units with a registration for Y earlier than their roadmap year (a queryset)."""
    return Unit.objects.filter(
        Exists(registrations(year).filter(unit=OuterRef("pk"))),
        roadmap_year__isnull=False,
        roadmap_year__gt=year,
    )


def _state(value, kind, comparison, target):
    """The state code of a value (an expression) for an indicator's rule."""

    def meets(condition):
        return Case(When(condition, then=Value(_MET)), default=Value(_HAS_VALUE))

    return Case(
        When(Exact(kind, IndicatorKind.CO_KHONG), then=meets(Exact(value, 1))),
        When(
            Exact(comparison, Comparison.GTE),
            then=meets(GreaterThanOrEqual(value, target)),
        ),
        When(
            Exact(comparison, Comparison.LTE),
            then=meets(LessThanOrEqual(value, target)),
        ),
        When(Exact(comparison, Comparison.EQ), then=meets(Exact(value, target))),
        default=Value(_HAS_VALUE),
        output_field=IntegerField(),
    )


def _met_code(year, quarter):
    """SQL for the state code of an outer (registration, indicator) row."""
    code = _state(
        F("value"), OuterRef("kind"), OuterRef("comparison"), OuterRef("target")
    )
    latest = (
        Progress.objects.filter(
            unit_id=OuterRef(f"{_REG}__unit_id"),
            indicator_id=OuterRef("pk"),
            # year ≤ Y is redundant with the period test but lets the index bound
            # the backward scan.
            year__lte=year,
        )
        .filter(period_lte(year, quarter))
        .order_by("-year", "-quarter")
        .annotate(code=code)
        .values("code")[:1]
    )
    return Coalesce(Subquery(latest, output_field=IntegerField()), Value(0))


def _pairs(year, unit_ids=None):
    """(registration, indicator) rows for registrations for Y, as Indicator rows."""
    pairs = Indicator.objects.filter(
        **{f"{_REG}__year": year, f"{_REG}__status__in": ACTIVE_STATUSES}
    )
    if unit_ids is not None:
        pairs = pairs.filter(**{f"{_REG}__unit_id__in": list(unit_ids)})
    return pairs


def indicator_status(year, quarter, *, as_of=None, unit_ids=None):
    """One row per (registration for Y, indicator): latest value ≤ as_of and met.

    ``as_of`` defaults to (year, quarter); the previous-quarter comparison passes
    the quarter before. Rows: registration, unit, criterion, indicator, value, met.
    """
    as_year, as_quarter = as_of or (year, quarter)
    latest = (
        Progress.objects.filter(
            unit_id=OuterRef(f"{_REG}__unit_id"),
            indicator_id=OuterRef("pk"),
            year__lte=as_year,
        )
        .filter(period_lte(as_year, as_quarter))
        .order_by("-year", "-quarter")
    )
    rows = (
        _pairs(year, unit_ids)
        .annotate(
            state=_met_code(as_year, as_quarter),
            latest_value=Subquery(latest.values("value")[:1]),
        )
        .values(
            "state",
            "latest_value",
            reg_id=F(f"{_REG}__id"),
            reg_unit_id=F(f"{_REG}__unit_id"),
            indicator_id=F("pk"),
            crit_id=F("criterion_id"),
        )
        .order_by("reg_id", "criterion__order", "criterion__code", "order")
    )
    return [
        {
            "registration": row["reg_id"],
            "unit": row["reg_unit_id"],
            "criterion": row["crit_id"],
            "indicator": row["indicator_id"],
            "value": row["latest_value"],
            "met": row["state"] == _MET,
        }
        for row in rows
    ]


@dataclass(slots=True)
class CriterionCell:
    """One registration's standing on one criterion."""

    indicators: int = 0
    met_indicators: int = 0
    valued_indicators: int = 0

    @property
    def met(self):
        return self.met_indicators == self.indicators


_P_REG = f"indicator__{_REG}"  # from a progress row to its title's registrations


def criteria_met_querysets(year, quarter, *, as_of=None, earlier_for=None):
    """The two main queries, per (registration, criterion).

    Most values of a reported quarter were entered in that very quarter: those
    are read by one join over the quarter's rows (an index range scan of the
    ``progress_quarter_values`` index), not one index probe per pair. Only the
    pairs with no value in that quarter look for their latest earlier value,
    with the correlated subquery; ``earlier_for`` limits them to the given
    registrations (those that miss a value in the quarter).
    """
    as_year, as_quarter = as_of or (year, quarter)
    in_quarter = (
        Progress.objects.filter(
            year=as_year,
            quarter=as_quarter,
            **{
                f"{_P_REG}__year": year,
                f"{_P_REG}__status__in": ACTIVE_STATUSES,
                f"{_P_REG}__unit_id": F("unit_id"),
            },
        )
        .order_by()
        .values(reg_id=F(f"{_P_REG}__id"), crit_id=F("indicator__criterion_id"))
        .annotate(
            state_sum=Sum(
                _state(
                    F("value"),
                    F("indicator__kind"),
                    F("indicator__comparison"),
                    F("indicator__target"),
                )
            )
        )
    )
    # Aliases, not filter() on the relation: a second filter() call would join
    # the registrations a second time instead of reusing the pair's join.
    earlier = _pairs(year).alias(
        reg_key=F(f"{_REG}__id"),
        in_quarter=Exists(
            Progress.objects.filter(
                unit_id=OuterRef(f"{_REG}__unit_id"),
                indicator_id=OuterRef("pk"),
                year=as_year,
                quarter=as_quarter,
            )
        ),
    )
    if earlier_for is not None:
        # [0] matches no registration but keeps the query (and the query count).
        earlier = earlier.filter(reg_key__in=list(earlier_for) or [0])
    earlier = (
        earlier.filter(in_quarter=False)
        .order_by()
        .values(reg_id=F("reg_key"), crit_id=F("criterion_id"))
        .annotate(state_sum=Sum(_met_code(as_year, as_quarter)))
    )
    return in_quarter, earlier


def _add(cells, rows):
    for row in rows:
        cell = cells.get((row["reg_id"], row["crit_id"]))
        if cell is not None:
            code = row["state_sum"] or 0
            cell.met_indicators += code // _SHIFT
            cell.valued_indicators += code % _SHIFT


def criteria_met(year, quarter, *, as_of=None, regs=None):
    """{(registration id, criterion id): CriterionCell} for registrations for Y.

    Every criterion of every registration's title is present. ``regs`` (dicts
    with ``id`` and ``title_id``) saves the query reading them. Three or four
    queries: the registrations, the indicators per criterion, the values of
    the quarter, the latest earlier values of what the quarter lacks.
    """
    if regs is None:
        regs = list(registrations(year).order_by().values("id", "title_id"))
    by_title = defaultdict(list)
    for criterion_id, title_id, count in (
        Criterion.objects.filter(title_id__in=registrations(year).values("title_id"))
        .annotate(n=Count("indicators"))
        .values_list("pk", "title_id", "n")
    ):
        by_title[title_id].append((criterion_id, count))
    cells = {
        (reg["id"], criterion_id): CriterionCell(indicators=count)
        for reg in regs
        for criterion_id, count in by_title[reg["title_id"]]
    }
    in_quarter, _ = criteria_met_querysets(year, quarter, as_of=as_of)
    _add(cells, in_quarter)
    lacking = {
        reg_id
        for (reg_id, _), cell in cells.items()
        if cell.valued_indicators < cell.indicators
    }
    _, earlier = criteria_met_querysets(
        year, quarter, as_of=as_of, earlier_for=sorted(lacking)
    )
    _add(cells, earlier)
    return cells


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


def latest_quarter_with_data(year):
    """The latest quarter of Y holding progress of units registered for Y, or None."""
    row = (
        Progress.objects.filter(
            year=year, unit__in=registrations(year).values("unit_id")
        )
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    return row


def default_quarter(year, now=None):
    """The quarter a report on Y shows when none is asked for.

    The latest quarter of Y with data; with no data yet, the current quarter for
    the current year, Q4 for a past year and Q1 for a future one (the figures are
    the same for every quarter then: nothing is met).
    """
    quarter = latest_quarter_with_data(year)
    if quarter:
        return quarter
    this_year, this_quarter = periods.current(now)
    if year == this_year:
        return this_quarter
    return 4 if year < this_year else 1


def summary_from(evaluation, by_kind, ahead_codes):
    """The JSON of CONTRACT §3 from computed parts."""
    return {
        "nam": evaluation.year,
        "quy": evaluation.quarter,
        "dang_ky": by_kind,
        "vuot_lo_trinh": sorted(ahead_codes),
        "tieu_chi_cham": [
            {
                "ma_danh_hieu": c.title_code,
                "ma_tieu_chi": c.code,
                "ten_tieu_chi": c.name,
                "ty_le_dat": c.rate_rounded,
                "so_dang_ky": c.registrations,
            }
            for c in evaluation.criteria
        ],
        "don_vi": [
            {"ma_don_vi": u.code, "tien_do": u.progress_rounded}
            for u in evaluation.units_by_code()
        ],
    }


def summary(year, quarter):
    """CONTRACT §3's ``/api/tong-hop/`` answer for (Y, Q); every key always there."""
    evaluation = evaluate(year, quarter)
    ahead = ahead_of_roadmap(year).values_list("code", flat=True)
    return summary_from(evaluation, registrations_by_kind(year), list(ahead))


# Cache: a version number bumped by every change of the data the figures read, so
# that every app server sees fresh figures at once (the cache is shared: Redis or
# the database). Bulk writers that skip signals call ``invalidate()`` themselves.
CACHE_SECONDS = 60
VERSION = "figures"  # the kieumau.versions name: pages built from figures use it
_VERSION_KEY = VERSION_KEY = versions.key(VERSION)


def _version():
    return versions.get(VERSION)


def invalidate(**kwargs):
    """Make every cached figure stale (signal receiver and plain function)."""
    versions.bump(VERSION)


# Part of every key: bump it when a cached class changes shape, so that a deploy
# never unpickles entries written by the previous code.
_FORMAT = "2"


def cache_key(name, *parts):
    return ":".join(["figures", _FORMAT, str(_version()), name, *map(str, parts)])


def _cached(key, compute):
    """``compute()`` through the shared cache; an unreadable entry is recomputed."""
    try:
        value = cache.get(key)
    except Exception:  # an entry pickled by other code: treat as a miss
        value = None
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def cached_summary(year, quarter=None):
    """``summary`` through the shared cache; ``quarter=None`` means the default."""
    return _cached(
        cache_key("summary", year, quarter or "auto"),
        lambda: summary(year, quarter or cached_default_quarter(year)),
    )


def cached_summary_json(year=None, quarter=None):
    """``/api/tong-hop/``'s body: ``summary`` as UTF-8 JSON, through the cache.

    ``year=None`` is the dashboard's default year, ``quarter=None`` the default
    quarter. The entry holds the encoded bytes and the figures' version they were
    computed under, and both are read in one cache round trip: a hit neither asks
    the database (not even for the default year) nor encodes JSON.
    """
    # The default year's entry is keyed by the current year: the rollover on
    # 1 January shows at once.
    asked = str(year) if year else f"auto-{periods.current()[0]}"
    key = ":".join(["figures", _FORMAT, "json", asked, str(quarter)])
    try:
        found = cache.get_many([_VERSION_KEY, key])
    except Exception:  # an entry pickled by other code: treat as a miss
        found = {}
    version = found.get(_VERSION_KEY) or _version()
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    data = cached_summary(year or cached_dashboard_year(), quarter)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    cache.set(key, (version, body), CACHE_SECONDS)
    return body


def connect_signals():
    """Bump the cache version whenever the figures' inputs change."""
    from django.db.models.signals import post_delete, post_save

    from .models import Title

    for model in (Progress, Registration, Indicator, Criterion, Title, Unit):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate, sender=model, dispatch_uid=f"figures-{model.__name__}"
            )


def cached_evaluation(year, quarter):
    """``evaluate`` through the shared cache (the dashboard's main read)."""
    return _cached(
        cache_key("evaluation", year, quarter), lambda: evaluate(year, quarter)
    )


def cached_default_quarter(year):
    return _cached(cache_key("default-quarter", year), lambda: default_quarter(year))


def cached_by_kind(year):
    return _cached(cache_key("by-kind", year), lambda: registrations_by_kind(year))


def registration_years():
    """The years that have registrations for them, ascending (one query)."""
    return list(
        Registration.objects.active()
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )


def cached_registration_years():
    return _cached(cache_key("registration-years"), registration_years)


def latest_year_with_progress(before):
    """The latest year < ``before`` holding progress of units registered for it."""
    return (
        Registration.objects.active()
        .filter(
            Exists(
                Progress.objects.filter(
                    unit_id=OuterRef("unit_id"), year=OuterRef("year")
                )
            ),
            year__lt=before,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def dashboard_year(now=None):
    """The year ``/tien-do/``, ``/api/tong-hop/`` and ``/bao-cao/`` open on.

    CONTRACT §3 says the current year. When that year has neither registrations
    nor progress entries, a page of zeros would hide the programme's figures, so
    the latest earlier year holding progress of the units registered for it is
    shown (the year of the last quarterly report: 2017 in the demo); with none,
    the current year all the same (the page says nothing is registered yet and
    links the years that have registrations). A later year is never chosen.
    """
    year, _ = periods.current(now)
    if registrations(year).exists() or Progress.objects.filter(year=year).exists():
        return year
    return latest_year_with_progress(year) or year


def cached_dashboard_year(now=None):
    """``dashboard_year`` through the cache.

    Keyed by the current year: the answer changes at midnight on 1 January in
    Vietnam, not up to a cache lifetime later.
    """
    year, _ = periods.current(now)
    return _cached(cache_key("dashboard-year", year), lambda: dashboard_year(now))


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


def last_period_with_data(unit_id, until):
    """The latest (year, quarter) ≤ ``until`` holding a value of the unit, or None."""
    return (
        Progress.objects.filter(unit_id=unit_id)
        .filter(period_lte(*until))
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .first()
    )


def unit_history(registration, quarters):
    """Criteria met by one registration's unit at each (year, quarter) of ``quarters``.

    Reads that unit's values for its title's indicators (at most indicators ×
    quarters rows: one unit, never the whole table) and judges them with
    ``Indicator.is_met``. Returns [(year, quarter, met, total)].
    """
    criteria = list(
        Criterion.objects.filter(title_id=registration.title_id).prefetch_related(
            "indicators"
        )
    )
    last_year, last_quarter = quarters[-1]
    values = defaultdict(list)  # indicator id -> [((y, q), value)] ascending
    for row in (
        Progress.objects.filter(
            unit_id=registration.unit_id,
            indicator__criterion__title_id=registration.title_id,
        )
        .filter(period_lte(last_year, last_quarter))
        .order_by("year", "quarter")
        .values_list("indicator_id", "year", "quarter", "value")
    ):
        values[row[0]].append(((row[1], row[2]), row[3]))

    def latest(indicator_id, period):
        found = None
        for when, value in values.get(indicator_id, ()):
            if when > period:
                break
            found = value
        return found

    history = []
    for period in quarters:
        met = sum(
            1
            for criterion in criteria
            if all(
                indicator.is_met(latest(indicator.pk, period))
                for indicator in criterion.indicators.all()
            )
        )
        history.append((*period, met, len(criteria)))
    return history
