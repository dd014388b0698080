"""District staff review one unit's quarterly report at /bao-cao/tien-do/.

The review screen shows the unit's report beside the accepted values, with its
evidence, and accepts it or sends it back (``services.accept_report``,
``services.return_report``); the quarter's work list is ``views.worklist``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Unit

from .. import periods, services
from ..models import QuarterSheet, ReportState
from ..selfreport_forms import (
    RETURN_FORM_ID,
    AcceptReportForm,
    ReturnReportForm,
)
from .report_common import (
    check_period,
    indicator_groups,
    load_report,
    report_indicators,
    report_url,
    reported_values,
    status_context,
)
from .worklist import staff_only, worklist_url

S = ReportState


def _sheet_version(unit, year, quarter):
    return (
        QuarterSheet.objects.filter(unit=unit, year=year, quarter=quarter)
        .values_list("version", flat=True)
        .first()
    ) or 0


def _history(report):
    """The report's changes of state, oldest first: who did what, when."""
    if report is None:
        return []
    rows = report.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    items, previous = [], None
    for row in rows:
        if row.state != previous:
            items.append(
                {
                    "when": row.history_date,
                    "who": services.display_user(row.history_user),
                    "state_label": S(row.state).label,
                }
            )
        previous = row.state
    return items


@staff_only
def review(request, year, quarter, code):
    """One unit's report beside the accepted values, its evidence; accept or return."""
    check_period(year, quarter)
    unit = get_object_or_404(Unit, code=code)
    report = load_report(unit, year, quarter)
    indicators = report_indicators(unit, year, quarter)
    reported = reported_values(report)
    can_act = report is not None and report.state in (S.SUBMITTED, S.RETURNED)
    return_form = (
        ReturnReportForm(indicators=indicators, reported=reported, report=report)
        if can_act
        else None
    )
    accept_form = AcceptReportForm(
        initial={
            "version": report.version if report is not None else 0,
            "sheet_version": _sheet_version(unit, year, quarter),
            "loaded_at": timezone.now().isoformat(),
        }
    )
    here = reverse("registrations:review", args=[year, quarter, unit.code])
    if request.method == "POST":
        action = request.POST.get("action")
        if not can_act or action not in ("accept", "return"):
            messages.error(
                request,
                _("Báo cáo này không ở trạng thái chờ duyệt; không có gì để làm."),
            )
            return redirect(here)
        if action == "accept":
            form = AcceptReportForm(request.POST)
            if not form.is_valid():
                for message in form.non_field_errors():
                    messages.error(request, message)
                return redirect(here)
            try:
                services.accept_report(
                    report=report,
                    expected_version=form.cleaned_data["version"],
                    sheet_version=form.cleaned_data["sheet_version"],
                    loaded_at=form.cleaned_data.get("loaded_at"),
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(here)
            messages.success(
                request,
                _(
                    "Đã duyệt báo cáo %(q)s của %(unit)s; số liệu đã thành số liệu "
                    "chính thức."
                )
                % {"q": periods.label(year, quarter), "unit": unit.name},
            )
            return redirect(worklist_url(year, quarter))
        return_form = ReturnReportForm(
            request.POST, indicators=indicators, reported=reported, report=report
        )
        if return_form.is_valid():
            try:
                services.return_report(
                    report=report,
                    reasons=return_form.reasons(),
                    deadline=return_form.cleaned_data["han"],
                    note=return_form.cleaned_data["nhan_xet"],
                    expected_version=return_form.cleaned_data["version"],
                    by=request.user,
                )
            except services.StaleVersionError as exc:
                messages.error(request, exc.messages[0])
                # Keep the reasons typed, on the report as it is now.
                report = load_report(unit, year, quarter)
                reported = reported_values(report)
                data = request.POST.copy()
                data["version"] = report.version
                return_form = ReturnReportForm(
                    data, indicators=indicators, reported=reported, report=report
                )
                can_act = report.state in (S.SUBMITTED, S.RETURNED)
            except ValidationError as exc:
                for message in exc.messages:
                    return_form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Đã trả lại báo cáo %(q)s cho %(unit)s, hạn nộp lại %(day)s.")
                    % {
                        "q": periods.label(year, quarter),
                        "unit": unit.name,
                        "day": f"{return_form.cleaned_data['han']:%d/%m/%Y}",
                    },
                )
                return redirect(worklist_url(year, quarter))
        else:
            messages.error(request, _("Chưa trả lại được; xem các ô báo lỗi."))

    def fields(indicator):
        if return_form is None:
            return {}
        return {"reason_field": return_form[ReturnReportForm.reason_name(indicator)]}

    groups = indicator_groups(
        indicators, reported, year=year, quarter=quarter, fields=fields
    )
    rows = [row for group in groups for row in group["rows"]]
    context = {
        **status_context(unit, year, quarter, report),
        "groups": groups,
        "can_act": can_act,
        "can_accept": report is not None and report.state == S.SUBMITTED,
        "accept_form": accept_form,
        "return_form": return_form,
        "return_form_id": RETURN_FORM_ID,
        "history": _history(report),
        "entered": sum(1 for r in rows if r["value"] is not None),
        "met": sum(1 for r in rows if r["met"]),
        "total": len(rows),
        "worklist_url": worklist_url(year, quarter),
        "unit_report_url": report_url(unit, year, quarter),
    }
    return render(request, "registrations/review_detail.html", context)
