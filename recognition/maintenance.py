"""Maintenance (duy trì): recognised units flagged for the office, quarter by quarter.

The programme re-checks recognised units and withdraws a title that is no longer
deserved (programme.md, "Maintenance and revocation"). Each quarter after the one
in which a unit's title was recognised, its registration is flagged when:

- **a criterion is no longer met** (``Reason.FELL_BACK``): by CONTRACT §2's rule,
  the accepted values in force at that quarter miss a criterion of its title;
- **nothing was reported** (``Reason.SILENT``): no accepted value of the title's
  indicators in that quarter nor in the one before (two quarters running), once
  the quarter is over.

Only registrations still holding the title (recognised or maintained) are checked:
a revoked one is done with. A flag is a prompt, not a decision: the office
re-checks the unit and, if the title is to go, prepares a revocation decision.

A constant number of queries whatever the number of units: the registrations; per
committed year and quarter checked, the three or four of ``figures.criteria_met``;
the quarters with values in the window and the last one before it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Max, TextChoices
from django.utils.translation import gettext_lazy as _

from registrations import figures, periods
from registrations.figures.rules import period_lte
from registrations.models import Criterion, Progress, Registration, RegistrationStatus

S = RegistrationStatus
CHECKED_STATUSES = [S.RECOGNISED, S.MAINTAINED]


class Reason(TextChoices):
    FELL_BACK = "khong-dat", _("Không còn đạt tiêu chí")
    SILENT = "ngung-bao-cao", _("Hai quý liền không có số liệu")


@dataclass(slots=True)
class Flag:
    registration: object
    year: int
    quarter: int
    reason: str
    criteria: list = field(default_factory=list)  # Criterion rows not met
    last_period: tuple | None = None  # the last quarter with a value, if any

    @property
    def period_label(self):
        return periods.label(self.year, self.quarter)

    @property
    def reason_label(self):
        return Reason(self.reason).label

    @property
    def last_period_label(self):
        return periods.label(*self.last_period) if self.last_period else ""

    @property
    def detail(self):
        """The flag in one line, as the list and the workbook say it."""
        if self.reason == Reason.FELL_BACK:
            names = "; ".join(c.name for c in self.criteria)
            return _("Chưa đạt: %(names)s") % {"names": names}
        if self.last_period:
            return _("Số liệu đã duyệt gần nhất: %(period)s") % {
                "period": self.last_period_label
            }
        return _("Chưa từng có số liệu đã duyệt")


def recognised_in(registration):
    """The quarter in which the registration's title was recognised."""
    day = registration.decision_date
    return day.year, (day.month - 1) // 3 + 1


def checked_registrations():
    return (
        Registration.objects.filter(
            status__in=CHECKED_STATUSES, decision_date__isnull=False
        )
        .select_related("unit__parent", "title")
        .order_by("unit__name_sort_key", "unit__code", "title__code")
    )


def quarters_checked(year, quarter=None, now=None):
    """The quarters of ``year`` (or just ``quarter``) not after the current one."""
    current = periods.current(now)
    wanted = [quarter] if quarter else [1, 2, 3, 4]
    return [(year, q) for q in wanted if (year, q) <= current]


def flags(year, quarter=None, reason=None, now=None):
    """[Flag] for the quarters of ``year`` (or one quarter), latest quarter first."""
    checked = quarters_checked(year, quarter, now)
    if not checked:
        return []
    regs = [r for r in checked_registrations() if recognised_in(r) < max(checked)]
    if not regs:
        return []
    found = []
    if reason in (None, Reason.FELL_BACK):
        found += _fell_back(regs, checked)
    if reason in (None, Reason.SILENT):
        ended = [p for p in checked if p < periods.current(now)]
        found += _silent(regs, ended)
    # Latest quarter first; then the units in the order of the registrations.
    order = {r.pk: i for i, r in enumerate(regs)}
    found.sort(
        key=lambda f: (
            -f.year,
            -f.quarter,
            order[f.registration.pk],
            f.reason != Reason.FELL_BACK,
        )
    )
    return found


def _fell_back(regs, checked):
    by_year = defaultdict(list)
    for reg in regs:
        by_year[reg.year].append(reg)
    title_ids = {reg.title_id for reg in regs}
    criteria = {c.pk: c for c in Criterion.objects.filter(title_id__in=title_ids)}
    found = []
    for year, year_regs in sorted(by_year.items()):
        for period in checked:
            due = [r for r in year_regs if recognised_in(r) < period]
            if not due:
                continue
            cells = figures.criteria_met(
                year,
                period[1],
                as_of=period,
                regs=[{"id": r.pk, "title_id": r.title_id} for r in due],
            )
            missed = defaultdict(list)
            for (reg_id, criterion_id), cell in cells.items():
                if not cell.met and criterion_id in criteria:
                    missed[reg_id].append(criteria[criterion_id])
            for reg in due:
                if missed.get(reg.pk):
                    found.append(
                        Flag(
                            registration=reg,
                            year=period[0],
                            quarter=period[1],
                            reason=Reason.FELL_BACK,
                            criteria=sorted(
                                missed[reg.pk], key=lambda c: (c.order, c.code)
                            ),
                        )
                    )
    return found


def _silent(regs, ended):
    if not ended:
        return []
    start = periods.previous(*min(ended))
    unit_ids = {reg.unit_id for reg in regs}
    title_key = "indicator__criterion__title_id"
    reported = defaultdict(set)  # (unit, title) -> {(year, quarter)} in the window
    for unit_id, title_id, year, quarter in (
        Progress.objects.filter(unit_id__in=unit_ids)
        .filter(period_lte(*max(ended)))
        .exclude(period_lte(*periods.previous(*start)))
        .values_list("unit_id", title_key, "year", "quarter")
        .distinct()
    ):
        reported[unit_id, title_id].add((year, quarter))
    before = {}  # (unit, title) -> the last (year, quarter) before the window
    for row in (
        Progress.objects.filter(unit_id__in=unit_ids)
        .filter(period_lte(*periods.previous(*start)))
        .values("unit_id", title_key)
        .annotate(last=Max(_period_number()))
    ):
        last = row["last"]
        before[row["unit_id"], row[title_key]] = (last // 10, last % 10)

    found = []
    for reg in regs:
        key = (reg.unit_id, reg.title_id)
        for period in ended:
            if recognised_in(reg) >= period:
                continue
            if {period, periods.previous(*period)} & reported[key]:
                continue
            earlier = [p for p in reported[key] if p < period]
            last = max(earlier) if earlier else before.get(key)
            found.append(
                Flag(
                    registration=reg,
                    year=period[0],
                    quarter=period[1],
                    reason=Reason.SILENT,
                    last_period=last,
                )
            )
    return found


def _period_number():
    """year × 10 + quarter, so that the latest quarter is a plain maximum."""
    return F("year") * 10 + F("quarter")
