"""Verdicts pre-filled from the accepted values (CONTRACT §2's "met", per unit).

Only accepted values are stored as progress (a unit's own report reaches it when
staff accept it), so reading ``Progress`` is reading the accepted values. The value
in force for an indicator is its latest entry at or before the year's last quarter
with data; an indicator is met by the rule of ``Indicator.is_met`` and a criterion
when every one of its indicators is (one without indicators is met, as in
``registrations.figures``). Two queries whatever the number of units.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from registrations import figures
from registrations.figures.rules import period_lte
from registrations.models import Criterion, Indicator, Progress
from registrations.services.values import format_value


@dataclass(frozen=True)
class IndicatorReading:
    indicator: Indicator
    value: object  # Decimal or None
    year: int | None
    quarter: int | None

    @property
    def met(self):
        return self.indicator.is_met(self.value)

    @property
    def display(self):
        """'12,5 %', 'Đạt': the value as people read it."""
        shown = format_value(self.indicator, self.value)
        unit = self.indicator.unit_of_measure
        return f"{shown} {unit}" if unit and self.value is not None else shown


@dataclass(frozen=True)
class CriterionReading:
    criterion: Criterion
    indicators: tuple

    @property
    def met(self):
        return all(reading.met for reading in self.indicators)


def data_period(year):
    """(year, quarter) of the year's last quarter with accepted values, or None."""
    quarter = figures.latest_quarter_with_data(year)
    return (year, quarter) if quarter else None


def title_criteria(title_id):
    """The title's criteria in order, their indicators prefetched (two queries)."""
    return list(
        Criterion.objects.filter(title_id=title_id).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code"))
        )
    )


def accepted_values(*, unit_ids, title_id, period):
    """{(unit id, indicator id): (value, year, quarter)} in force at ``period``."""
    if period is None:
        return {}
    found = {}
    rows = (
        Progress.objects.filter(
            unit_id__in=list(unit_ids),
            indicator__criterion__title_id=title_id,
            year__lte=period[0],
        )
        .filter(period_lte(*period))
        .order_by("year", "quarter")
        .values_list("unit_id", "indicator_id", "value", "year", "quarter")
    )
    for unit_id, indicator_id, value, year, quarter in rows:
        found[unit_id, indicator_id] = (value, year, quarter)
    return found


def readings(criteria, values, unit_id):
    """The unit's CriterionReading for each criterion, from ``accepted_values``."""
    result = []
    for criterion in criteria:
        indicators = []
        for indicator in criterion.indicators.all():
            value, year, quarter = values.get((unit_id, indicator.pk), (None,) * 3)
            indicators.append(IndicatorReading(indicator, value, year, quarter))
        result.append(CriterionReading(criterion, tuple(indicators)))
    return result
