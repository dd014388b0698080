"""One unit's criteria one by one, for its public page: met, not met, not reported.

For each of the unit's registrations, the criteria of its title judged at the end
of its committed year (or at the current quarter, if that year is not over): each
indicator with its last accepted value not after that quarter (CONTRACT §2: only
accepted values count, the units' own reports do not until accepted) and the
quarter it comes from.

A criterion is *met* when every indicator has a value that meets it (a criterion
without indicators is met, as in ``figures``); *not met* when one of its values
misses its target; *not yet reported* when no value misses but some indicator has
none. The last two are both "not met" for the figures (an indicator with no value
is not met); the page tells them apart so that a citizen sees what is still to come.

Three queries whatever the number of registrations, criteria and indicators: the
indicators of the titles (with their criteria), and the unit's values of them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from . import periods
from .figures.rules import period_lte
from .models import Criterion, IndicatorKind, Progress, RegistrationStatus
from .models import Indicator as IndicatorModel
from .services import format_value


class State(TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NOT_REPORTED = "not_reported", _("Chưa báo cáo")


@dataclass(slots=True)
class IndicatorRow:
    indicator: object
    value: object = None  # the last accepted value, or None
    period: tuple | None = None  # (year, quarter) it was accepted for

    @property
    def state(self):
        if self.value is None:
            return State.NOT_REPORTED
        return State.MET if self.indicator.is_met(self.value) else State.NOT_MET

    @property
    def value_text(self):
        text = format_value(self.indicator, self.value)
        unit = self.indicator.unit_of_measure
        if self.value is not None and self.indicator.kind != IndicatorKind.CO_KHONG:
            return f"{text} {unit}".strip()
        return text

    @property
    def period_label(self):
        return periods.label(*self.period) if self.period else ""


@dataclass(slots=True)
class CriterionRow:
    criterion: object
    indicators: list = field(default_factory=list)

    @property
    def state(self):
        states = {row.state for row in self.indicators}
        if State.NOT_MET in states:
            return State.NOT_MET
        if State.NOT_REPORTED in states:
            return State.NOT_REPORTED
        return State.MET

    @property
    def anchor(self):
        """The row's id on the unit page (``#tieu-chi-<id>``), for links to it."""
        return criterion_anchor(self.criterion.pk)


@dataclass(slots=True)
class RegistrationCriteria:
    registration: object
    as_of: tuple
    criteria: list = field(default_factory=list)

    @property
    def as_of_label(self):
        return periods.label(*self.as_of)

    @property
    def kept_up(self):
        """The title is held: the criteria shown are its upkeep, as of now."""
        return self.registration.status in KEPT_UP

    def count(self, state):
        return sum(1 for row in self.criteria if row.state == state)

    @property
    def met(self):
        return self.count(State.MET)

    @property
    def not_met(self):
        return self.count(State.NOT_MET)

    @property
    def not_reported(self):
        return self.count(State.NOT_REPORTED)


def criterion_anchor(criterion_id):
    return f"tieu-chi-{criterion_id}"


# A title held is kept up (maintenance): its criteria are judged now, as the
# office's maintenance review judges them, not at the year it was earned.
KEPT_UP = {RegistrationStatus.RECOGNISED, RegistrationStatus.MAINTAINED}


def judged_at(registration, now=None):
    """The quarter a registration's criteria are judged at: its year's last, or now
    (now also for a title held, whatever its year)."""
    current = periods.current(now)
    if registration.status in KEPT_UP:
        return current
    return min((registration.year, 4), current)


def unit_criteria(unit, registrations, now=None):
    """[RegistrationCriteria] for ``registrations`` of ``unit``, in their order."""
    registrations = list(registrations)
    if not registrations:
        return []
    as_of = {reg.pk: judged_at(reg, now) for reg in registrations}
    title_ids = {reg.title_id for reg in registrations}
    by_title = defaultdict(list)  # title id -> [(criterion, [indicator])]
    indicators = list(
        IndicatorModel.objects.filter(criterion__title_id__in=title_ids)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__code", "order", "code")
    )
    criteria = {}
    for indicator in indicators:
        criterion = indicator.criterion
        if criterion.pk not in criteria:
            criteria[criterion.pk] = (criterion, [])
            by_title[criterion.title_id].append(criteria[criterion.pk])
        criteria[criterion.pk][1].append(indicator)
    # Criteria without any indicator are met (figures' rule): list them too.
    _add_bare_criteria(title_ids, criteria, by_title)

    values = defaultdict(list)  # indicator id -> [((y, q), value)] ascending
    if indicators:
        for indicator_id, year, quarter, value in (
            Progress.objects.filter(unit=unit, indicator__in=[i.pk for i in indicators])
            .filter(period_lte(*max(as_of.values())))
            .order_by("year", "quarter")
            .values_list("indicator_id", "year", "quarter", "value")
        ):
            values[indicator_id].append(((year, quarter), value))

    def latest(indicator_id, period):
        found = (None, None)
        for when, value in values.get(indicator_id, ()):
            if when > period:
                break
            found = (value, when)
        return found

    result = []
    for reg in registrations:
        period = as_of[reg.pk]
        rows = []
        for criterion, criterion_indicators in by_title[reg.title_id]:
            row = CriterionRow(criterion=criterion)
            for indicator in criterion_indicators:
                value, when = latest(indicator.pk, period)
                row.indicators.append(
                    IndicatorRow(indicator=indicator, value=value, period=when)
                )
            rows.append(row)
        result.append(
            RegistrationCriteria(registration=reg, as_of=period, criteria=rows)
        )
    return result


def _add_bare_criteria(title_ids, criteria, by_title):
    """Criteria that have no indicator, in their place of the title's order."""
    bare = list(
        Criterion.objects.filter(title_id__in=title_ids, indicators__isnull=True)
    )
    if not bare:
        return
    for criterion in bare:
        criteria[criterion.pk] = (criterion, [])
        by_title[criterion.title_id].append(criteria[criterion.pk])
    for rows in by_title.values():
        rows.sort(key=lambda pair: (pair[0].order, pair[0].code))
