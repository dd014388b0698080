"""The rules' cells aggregated in SQL: what one page of the staff report shows.

``evaluate`` brings every (registration, criterion) cell of a quarter to Python
(``rules.criteria_met``): at a province's size, about 23,000 of them a quarter,
turned into objects for a page that shows a few hundred numbers. Here the same
cells, from the same rules (``rules.quarter_values``: the quarter's values,
kept counted per unit and criterion in ``tallies``;
``rules.criteria_met_querysets``: the latest earlier value, looked up only for
what the quarter lacks), stay in the database as common table expressions,
and one query per quarter returns only the rows a page asks for:

- ``c``: per criterion, registrations and how many of them meet it;
- ``t``: the totals over units (units, complete, criteria, met, missing values);
- ``u``: a window of units in Vietnamese order, each with its counts;
- ``n``: per criterion, a window of the units that miss it, in the same order.

Rows are ``(kind, criterion, unit, position, a, b, c, d, e)``; ``query`` returns
them as ``Rows``. The rules themselves (what a value in force is, what meets an
indicator) are only in ``rules``: this module adds the counting.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from units.models import Unit

from ..models import Criterion
from . import tallies
from .rules import criteria_met_querysets, quarter_values, registrations

ALL = (0, None)  # a window: every row


def registered_units(year):
    """Units holding a registration for ``year`` (CONTRACT §2), a queryset."""
    return Unit.objects.filter(Exists(registrations(year).filter(unit=OuterRef("pk"))))


def _ranked(year):
    """(unit, position): registered units numbered in Vietnamese name order."""
    units = registered_units(year)
    ordering = [
        F(term) if isinstance(term, str) else term
        for term in units.vi_ordered().query.order_by
    ]
    return (
        units.order_by()
        .annotate(position=Window(RowNumber(), order_by=ordering))
        .values("pk", "position")
    )


def _window(column, window):
    """SQL and params: ``column`` within the 1-based window ``(offset, limit)``."""
    offset, limit = window
    if limit is None:
        return f"{column} > %s", [offset]
    return f"{column} > %s AND {column} <= %s", [offset, offset + limit]


# Every (registration, criterion of its title) with its indicators, and its unit's
# values of the quarter and indicators met (one row per unit and criterion).
PRESENT = """present AS (
  SELECT r.id AS reg_id, r.unit_id, c.id AS crit_id, c.n AS indicators,
    COALESCE(v.valued, 0) AS valued, COALESCE(v.met, 0) AS met
  FROM regs r JOIN crits c ON c.title_id = r.title_id
  LEFT JOIN unit_vals v ON v.unit_id = r.unit_id AND v.crit_id = c.id
)"""

# Registrations missing a value of the quarter: only theirs look further back.
LACKING = """lacking(id) AS (
  SELECT reg_id FROM present GROUP BY reg_id HAVING SUM(valued) < SUM(indicators)
)"""

# The cells as ``rules.criteria_met`` counts them: the quarter's values plus the
# earlier values of what the quarter lacks (one row per registration and criterion).
CELLS = """cells AS (
  SELECT p.reg_id, p.unit_id, p.crit_id, p.indicators,
    p.valued + COALESCE(e.valued, 0) AS valued, p.met + COALESCE(e.met, 0) AS met
  FROM present p
  LEFT JOIN earlier_vals e ON e.reg_id = p.reg_id AND e.crit_id = p.crit_id
)"""

PARTS = {
    "c": """SELECT 'c', crit_id, 0, 0, COUNT(*),
  SUM(CASE WHEN met = indicators THEN 1 ELSE 0 END), 0, 0, 0
FROM cells GROUP BY crit_id""",
    # Units: every registered one; complete: those with criteria, none missed.
    "t": """SELECT 't', 0, 0, 0, (SELECT COUNT(DISTINCT unit_id) FROM regs),
  COUNT(DISTINCT unit_id)
    - COUNT(DISTINCT CASE WHEN met < indicators THEN unit_id END),
  COUNT(*), COALESCE(SUM(CASE WHEN met = indicators THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(indicators - valued), 0)
FROM cells""",
    # A unit without a criterion has a row all the same (every count 0).
    "u": """SELECT 'u', 0, k.unit_id, k.position, COUNT(c.crit_id),
  SUM(CASE WHEN c.met = c.indicators THEN 1 ELSE 0 END),
  COALESCE(SUM(c.indicators), 0), COALESCE(SUM(c.met), 0),
  COALESCE(SUM(c.valued), 0)
FROM ranked k LEFT JOIN cells c ON c.unit_id = k.unit_id
WHERE {window} GROUP BY k.unit_id, k.position""",
    "n": """SELECT 'n', crit_id, unit_id, rn, 0, 0, 0, 0, 0 FROM (
  SELECT c.crit_id, c.unit_id, ROW_NUMBER() OVER (
    PARTITION BY c.crit_id ORDER BY k.position, c.reg_id) AS rn
  FROM cells c JOIN ranked k ON k.unit_id = c.unit_id
  WHERE c.met < c.indicators
) AS missing WHERE {window}""",
}


def _cte(name, queryset, *, inline=False):
    """(``name AS (sql)``, params) of a queryset.

    ``inline``: the expression is planned inside each query that names it (``NOT
    MATERIALIZED``, PostgreSQL 12 and SQLite 3.35), where the planner sees its
    tables' statistics; a materialised one looks like 200 rows of anything to the
    planner, and the registrations joined to their criteria (21,000 rows at 5,000
    units) were taken for 426 and probed one by one.
    """
    sql, params = queryset.query.sql_with_params()
    hint = "NOT MATERIALIZED " if inline else ""
    return f"{name} AS {hint}({sql})", list(params)


@dataclass
class Rows:
    """One quarter's answer, by kind of row (see the module's docstring)."""

    criteria: dict = field(default_factory=dict)  # id -> (registrations, met)
    totals: tuple | None = None  # (units, complete, criteria, met, missing)
    units: list = field(default_factory=list)  # (unit, position, a, b, c, d, e)
    not_met: dict = field(default_factory=dict)  # criterion id -> [unit id]


def query(
    year,
    as_of,
    *,
    units=None,
    not_met=None,
    criterion_id=None,
    only_window=False,
    unit_ids=None,
    totals=True,
):
    """Registrations for ``year`` at ``as_of``, aggregated: one query.

    ``units`` and ``not_met`` are windows ``(offset, limit)`` (``ALL``: every
    row; None: no row); ``criterion_id`` limits the cells to one criterion;
    ``only_window`` limits them to the registrations of the units in the
    ``units`` window (a page of the unit list: its totals are then the page's);
    ``unit_ids`` limits them to those units, and the ``u`` rows to theirs.
    """
    ctes = [_cte("ranked(unit_id, position)", _ranked(year))]
    regs = registrations(year).order_by()
    if only_window:
        where, params = _window("position", units)
        regs = regs.filter(
            unit_id__in=RawSQL(f"SELECT unit_id FROM ranked WHERE {where}", params)
        )
    if unit_ids is not None:
        regs = regs.filter(unit_id__in=list(unit_ids) or [0])
    crits = Criterion.objects.filter(
        title_id__in=RawSQL("SELECT title_id FROM regs", ())
    )
    if criterion_id is not None:
        crits = crits.filter(pk=criterion_id)
    crits = (
        crits.order_by().annotate(n=Count("indicators")).values("pk", "title_id", "n")
    )
    _, earlier = criteria_met_querysets(
        year,
        None,
        as_of=as_of,
        earlier_for=RawSQL("SELECT id FROM lacking", ()),
        among=RawSQL("SELECT id FROM regs", ()),
    )
    counted = tallies.ensure(as_of)
    in_quarter = tallies.values(*as_of) if counted else quarter_values(*as_of)
    if only_window or unit_ids is not None:
        in_quarter = in_quarter.filter(
            unit_id__in=RawSQL("SELECT unit_id FROM regs", ())
        )
    if criterion_id is not None:
        in_quarter = in_quarter.filter(
            **{"criterion_id" if counted else "indicator__criterion_id": criterion_id}
        )
        earlier = earlier.filter(criterion_id=criterion_id)
    ctes += [
        _cte(
            "regs(id, unit_id, title_id)",
            regs.values("id", "unit_id", "title_id"),
            inline=True,
        ),
        _cte("crits(id, title_id, n)", crits, inline=True),
        _cte("unit_vals(unit_id, crit_id, valued, met)", in_quarter),
        (PRESENT, []),
        (LACKING, []),
        _cte("earlier_vals(reg_id, crit_id, valued, met)", earlier),
        (CELLS, []),
    ]
    selects = [PARTS["c"]] + ([PARTS["t"]] if totals else [])
    select_params = []
    for kind, column, window in [("u", "k.position", units), ("n", "rn", not_met)]:
        if window is None:
            continue
        where, params = _window(column, window)
        if kind == "u" and unit_ids is not None:
            where += " AND k.unit_id IN (SELECT unit_id FROM regs)"
        if kind == "n" and criterion_id is not None:
            where += " AND crit_id = %s"
            params.append(criterion_id)
        selects.append(PARTS[kind].format(window=where))
        select_params += params
    statement = (
        "WITH "
        + ",\n".join(text for text, _ in ctes)
        + "\n"
        + "\nUNION ALL\n".join(selects)
    )
    all_params = [p for _, params in ctes for p in params] + select_params
    return _read(statement, all_params)


def _read(statement, params):
    rows = Rows()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        fetched = cursor.fetchall()
    for kind, crit, unit, position, *numbers in fetched:
        numbers = [int(n) for n in numbers]
        if kind == "c":
            rows.criteria[crit] = (numbers[0], numbers[1])
        elif kind == "t":
            rows.totals = tuple(numbers)
        elif kind == "u":
            rows.units.append((unit, int(position), *numbers))
        else:
            rows.not_met.setdefault(crit, []).append((int(position), unit))
    rows.units.sort(key=lambda row: row[1])
    rows.not_met = {
        crit: [unit for _, unit in sorted(found)]
        for crit, found in rows.not_met.items()
    }
    return rows
