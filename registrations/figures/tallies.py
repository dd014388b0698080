"""A quarter's tallies (``models.tally``): rebuilt when stale, read by ``aggregates``.

``ensure(year, quarter)`` rebuilds the quarter's tallies from ``rules.quarter_values``
(the same grouping and the same rule of what meets an indicator) when its
``TallyQuarter`` row is missing or not fresh, and says whether they can be read:
when the rebuild fails (a database that refuses writes, a lock not granted),
``aggregates`` counts from the progress rows themselves, as before the tallies.

A rebuild locks the quarter's state row before it reads a value, so that a write
committed during the rebuild (its trigger waits for that lock, then marks the
quarter stale again) is never lost: the next read rebuilds once more.
"""

import logging

from django.db import DatabaseError, connection, transaction

from ..models import CriterionTally, TallyQuarter
from .rules import quarter_values

logger = logging.getLogger(__name__)

COLUMNS = ("unit_id", "criterion_id", "year", "quarter", "valued", "met")


def _rebuild(year, quarter):
    with transaction.atomic():
        state, _ = TallyQuarter.objects.select_for_update().get_or_create(
            year=year, quarter=quarter
        )
        if state.fresh:
            return  # another request rebuilt it while this one waited
        CriterionTally.objects.filter(year=year, quarter=quarter).delete()
        sql, params = quarter_values(year, quarter).query.sql_with_params()
        table = connection.ops.quote_name(CriterionTally._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                f"SELECT v.unit_id, v.crit_id, %s, %s, v.valued, v.met FROM ({sql}) v",
                [year, quarter, *params],
            )
        TallyQuarter.objects.filter(pk=state.pk).update(fresh=True)
        if connection.vendor == "postgresql":
            # A quarter's new rows have no statistics yet: without them the planner
            # guesses one row and nests loops over thousands (measured: 190 ms
            # instead of 30 for one criterion's page at 5,000 units).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")


def ensure(*quarters):
    """Bring the tallies of these (year, quarter)s up to date; False if it failed."""
    wanted = set(quarters)
    try:
        fresh = {
            (y, q)
            for y, q in TallyQuarter.objects.filter(fresh=True)
            .filter(year__in={y for y, _ in wanted}, quarter__in={q for _, q in wanted})
            .values_list("year", "quarter")
        }
        for year, quarter in sorted(wanted - fresh):
            _rebuild(year, quarter)
    except DatabaseError:
        logger.warning("tallies of %s not rebuilt: counting from progress", quarters)
        return False
    return True


def values(year, quarter):
    """Per (unit, criterion): values and indicators met in the quarter, as
    ``rules.quarter_values`` gives them (call ``ensure`` first)."""
    return (
        CriterionTally.objects.filter(year=year, quarter=quarter)
        .order_by()
        .values_list("unit_id", "criterion_id", "valued", "met")
    )
