"""What the self-report screens of units and staff share: access, rows, state.

Who may open a unit's report (``get_report_unit``), the indicators with the
accepted value in force and what the unit reports (``report_indicators``,
``reported_values``, ``indicator_groups``), and what every screen says about a
report's state, window and deadlines (``status_context``).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .. import periods, services
from ..figures.rules import period_lte
from ..models import (
    YEAR_MAX,
    YEAR_MIN,
    IndicatorKind,
    Progress,
    QuarterReport,
    Registration,
    ReportState,
)

S = ReportState
VIEW_PERMISSION = "registrations.view_quarterreport"
NOT_STARTED = _("Chưa nộp")


def check_period(year, quarter):
    """404 for a quarter outside the programme's years (never a 500)."""
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= quarter <= 4):
        raise Http404(_("Không có quý này."))


def get_report_unit(user, code):
    """(unit, is_head): the unit's heads act; staff read; others learn nothing.

    A unit head asking for a unit they do not head gets 404, as on /dang-ky/; a
    signed-in user with neither role gets 403.
    """
    unit = Unit.objects.headed_by(user).filter(code=code).first()
    if unit is not None:
        return unit, True
    if user.has_perm(VIEW_PERMISSION):
        return get_object_or_404(Unit, code=code), False
    if Unit.objects.headed_by(user).exists():
        raise Http404
    raise PermissionDenied


def state_label(report):
    return S(report.state).label if report is not None else NOT_STARTED


def load_report(unit, year, quarter):
    return (
        QuarterReport.objects.filter(unit=unit, year=year, quarter=quarter)
        .select_related("submitted_by", "returned_by", "accepted_by", "updated_by")
        .first()
    )


def report_indicators(unit, year, quarter):
    """The unit's indicators with the accepted value in force at (year, quarter).

    CONTRACT §2: the latest accepted value not after the quarter, and the quarter
    it comes from (shown as "từ Quý …" when carried from an earlier one). One query.
    """
    in_force = (
        Progress.objects.filter(unit=unit, indicator=OuterRef("pk"), year__lte=year)
        .filter(period_lte(year, quarter))
        .order_by("-year", "-quarter")
    )
    return list(
        services.indicators_for_unit(unit)
        .select_related("criterion__title")
        .annotate(
            accepted_value=Subquery(in_force.values("value")[:1]),
            accepted_year=Subquery(in_force.values("year")[:1]),
            accepted_quarter=Subquery(in_force.values("quarter")[:1]),
        )
        .order_by(
            "criterion__title__code",
            "criterion__order",
            "criterion__code",
            "order",
            "code",
        )
    )


def reported_values(report):
    """{indicator id: ReportedValue} with its evidence (two queries)."""
    if report is None:
        return {}
    return {
        row.indicator_id: row
        for row in report.values.select_related("updated_by").prefetch_related(
            "evidence"
        )
    }


def indicator_groups(indicators, reported, *, year, quarter, fields=None):
    """Rows grouped by criterion: target, accepted value, what the unit reports.

    ``fields`` maps a row to its bound form fields (value, explanation, reason)
    when the screen edits them.
    """
    titles = {ind.criterion.title_id for ind in indicators}
    groups = []
    for indicator in indicators:
        if not groups or groups[-1]["criterion"].pk != indicator.criterion_id:
            groups.append(
                {
                    "criterion": indicator.criterion,
                    "title": indicator.criterion.title if len(titles) > 1 else None,
                    "rows": [],
                }
            )
        row = reported.get(indicator.pk)
        value = row.value if row is not None else None
        accepted = indicator.accepted_value
        carried_from = None
        if accepted is not None and (
            indicator.accepted_year,
            indicator.accepted_quarter,
        ) != (year, quarter):
            carried_from = periods.label(
                indicator.accepted_year, indicator.accepted_quarter
            )
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "accepted": accepted,
                "accepted_text": services.format_value(indicator, accepted),
                "accepted_met": indicator.is_met(accepted),
                "carried_from": carried_from,
                "value": value,
                "value_text": services.format_value(indicator, value),
                "uom": ""
                if indicator.kind == IndicatorKind.CO_KHONG
                else indicator.unit_of_measure,
                "met": None if value is None else indicator.is_met(value),
                # "Đạt" says it already for a yes/no indicator: no badge then.
                "badge": value is not None and indicator.kind != IndicatorKind.CO_KHONG,
                "explanation": row.explanation if row is not None else "",
                "return_reason": row.return_reason if row is not None else "",
                "evidence": list(row.evidence.all()) if row is not None else [],
                **(fields(indicator) if fields else {}),
            }
        )
    return groups


def report_url(unit, year, quarter):
    return reverse(
        "registrations:selfreport",
        kwargs={"code": unit.code, "year": year, "quarter": quarter},
    )


def status_context(unit, year, quarter, report):
    """What every screen of a report says about its state, window and deadlines."""
    return {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "quarter_label": periods.label(year, quarter),
        "report": report,
        "state": report.state if report is not None else "",
        "state_label": state_label(report),
        "late": services.is_late(year=year, quarter=quarter, report=report),
        "lock_moment": periods.lock_moment(year, quarter),
        "locked": periods.is_locked(year, quarter),
        "registrations": list(
            Registration.objects.active().filter(unit=unit).select_related("title")
        ),
    }
