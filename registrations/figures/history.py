"""One unit over time: criteria met at each quarter, for the unit's public page.

Reads one unit's values (never the whole table) and judges them in Python with
``Indicator.is_met``, the same rule as the SQL of ``rules.is_met``.
"""

from collections import defaultdict

from ..models import Criterion, Progress
from .rules import period_lte


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
