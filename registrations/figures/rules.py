"""CONTRACT §2's rules in SQL: registered, ahead of the roadmap, met, criterion met.

Every function runs a fixed number of queries whatever the number of units: the
latest value of each indicator is a correlated subquery on the progress table (it
walks the unique index ``(unit, indicator, year, quarter)`` backwards and stops at the
first entry ≤ the reported quarter), and the indicators of a criterion are counted
per registration in SQL. Python only sees one row per (registration, criterion).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual

from units.models import SchoolLevel, Unit, UnitKind

from ..models import (
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

# From an indicator to the registrations of its title, and from a progress row.
REG = "criterion__title__registrations"
P_REG = f"indicator__{REG}"


def period_lte(year, quarter, prefix=""):
    """Rows of a quarter (nam, quy) ≤ (year, quarter)."""
    return Q(**{f"{prefix}year__lt": year}) | Q(
        **{f"{prefix}year": year, f"{prefix}quarter__lte": quarter}
    )


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


def is_met(value, kind, comparison, target):
    """A condition: ``value`` meets an indicator's rule (all four are expressions).

    The rule of ``Indicator.is_met``: a yes/no indicator is met by 1 (``dat``)
    alone, a numeric one by ``value so_sanh muc_tieu``; no value (NULL) is not met.
    """
    yes_no = Exact(kind, IndicatorKind.CO_KHONG)
    numeric = (
        Q(Exact(comparison, Comparison.GTE), GreaterThanOrEqual(value, target))
        | Q(Exact(comparison, Comparison.LTE), LessThanOrEqual(value, target))
        | Q(Exact(comparison, Comparison.EQ), Exact(value, target))
    )
    return Q(yes_no, Exact(value, 1)) | (~Q(yes_no) & numeric)


def pairs(year, unit_ids=None):
    """(registration, indicator) rows for registrations for Y, as Indicator rows."""
    rows = Indicator.objects.filter(
        **{f"{REG}__year": year, f"{REG}__status__in": ACTIVE_STATUSES}
    )
    if unit_ids is not None:
        rows = rows.filter(**{f"{REG}__unit_id__in": list(unit_ids)})
    return rows


def latest_entry(year, quarter):
    """The progress entry in force at (year, quarter) for an outer row of ``pairs``.

    CONTRACT §2: the latest entry of the pair's unit and indicator with
    (nam, quy) ≤ (year, quarter); none when the unit never gave a value. A
    one-row queryset for a ``Subquery`` (``latest_value``, ``latest_met``).
    """
    return (
        Progress.objects.filter(
            unit_id=OuterRef(f"{REG}__unit_id"),
            indicator_id=OuterRef("pk"),
            # year ≤ Y is redundant with the period test but lets the index bound
            # the backward scan.
            year__lte=year,
        )
        .filter(period_lte(year, quarter))
        .order_by("-year", "-quarter")[:1]
    )


def latest_value(year, quarter):
    """The value in force at (year, quarter) for a row of ``pairs``; NULL when none."""
    return Subquery(latest_entry(year, quarter).values("value"))


def latest_met(year, quarter):
    """Whether the value in force meets the pair's indicator: 1, 0; NULL: no value.

    The rule runs inside the subquery: applied outside, the lookup of the value
    would be written (and planned) once per branch of the rule.
    """
    met = is_met(
        F("value"), OuterRef("kind"), OuterRef("comparison"), OuterRef("target")
    )
    flag = Case(When(met, then=Value(1)), default=Value(0))
    return Subquery(
        latest_entry(year, quarter).annotate(met=flag).values("met"),
        output_field=IntegerField(),
    )


def indicator_status(year, quarter, *, as_of=None, unit_ids=None):
    """One row per (registration for Y, indicator): latest value ≤ as_of and met.

    ``as_of`` defaults to (year, quarter); the previous-quarter comparison passes
    the quarter before. Rows: registration, unit, criterion, indicator, value, met.
    """
    as_year, as_quarter = as_of or (year, quarter)
    rows = (
        pairs(year, unit_ids)
        .annotate(
            latest=latest_value(as_year, as_quarter),
            met=latest_met(as_year, as_quarter),
        )
        .values(
            "met",
            "latest",
            reg_id=F(f"{REG}__id"),
            reg_unit_id=F(f"{REG}__unit_id"),
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
            "value": row["latest"],
            "met": row["met"] == 1,
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


def criteria_met_querysets(year, quarter, *, as_of=None, earlier_for=None, among=None):
    """The two main queries, per (registration, criterion): valued and met counts.

    Most values of a reported quarter were entered in that very quarter: those
    are read by one join over the quarter's rows (an index range scan of the
    ``progress_quarter_values`` index), not one index probe per pair. Only the
    pairs with no value in that quarter look for their latest earlier value,
    with the correlated subquery; ``earlier_for`` limits them to the given
    registrations (those that miss a value in the quarter): ids, or a subquery
    of ids (an expression). ``among`` (a subquery of registration ids) limits
    both queries to those registrations.
    """
    as_year, as_quarter = as_of or (year, quarter)
    among_filter = {} if among is None else {f"{P_REG}__id__in": among}
    in_quarter = (
        Progress.objects.filter(
            year=as_year,
            quarter=as_quarter,
            **{
                f"{P_REG}__year": year,
                f"{P_REG}__status__in": ACTIVE_STATUSES,
                f"{P_REG}__unit_id": F("unit_id"),
            },
            **among_filter,
        )
        .order_by()
        .values(reg_id=F(f"{P_REG}__id"), crit_id=F("indicator__criterion_id"))
        .annotate(
            # value, not pk: the quarter's index covers value (migration 0003).
            valued=Count("value"),
            met=Count(
                "value",
                filter=is_met(
                    F("value"),
                    F("indicator__kind"),
                    F("indicator__comparison"),
                    F("indicator__target"),
                ),
            ),
        )
    )
    # Aliases, not filter() on the relation: a second filter() call would join
    # the registrations a second time instead of reusing the pair's join.
    earlier = pairs(year).alias(
        reg_key=F(f"{REG}__id"),
        in_quarter=Exists(
            Progress.objects.filter(
                unit_id=OuterRef(f"{REG}__unit_id"),
                indicator_id=OuterRef("pk"),
                year=as_year,
                quarter=as_quarter,
            )
        ),
        latest_met=latest_met(as_year, as_quarter),
    )
    if among is not None:
        earlier = earlier.filter(reg_key__in=among)
    if earlier_for is not None:
        if not hasattr(earlier_for, "resolve_expression"):
            # [0] matches no registration but keeps the query (and the count).
            earlier_for = list(earlier_for) or [0]
        earlier = earlier.filter(reg_key__in=earlier_for)
    earlier = (
        earlier.filter(in_quarter=False)
        .order_by()
        .values(reg_id=F("reg_key"), crit_id=F("criterion_id"))
        .annotate(valued=Count("latest_met"), met=Count("pk", filter=Q(latest_met=1)))
    )
    return in_quarter, earlier


def quarter_values(year, quarter):
    """Per (unit, criterion): the values of quarter (year, quarter) and those met.

    Every unit's, registered or not: one pass over the quarter's index joined
    to the indicators alone (``aggregates`` then keeps the registrations').
    """
    return (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by()
        .values("unit_id", crit_id=F("indicator__criterion_id"))
        .annotate(
            valued=Count("value"),
            met=Count(
                "value",
                filter=is_met(
                    F("value"),
                    F("indicator__kind"),
                    F("indicator__comparison"),
                    F("indicator__target"),
                ),
            ),
        )
    )


def _add(cells, rows):
    for row in rows:
        cell = cells.get((row["reg_id"], row["crit_id"]))
        if cell is not None:
            cell.met_indicators += row["met"]
            cell.valued_indicators += row["valued"]


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
