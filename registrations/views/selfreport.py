"""A unit's own quarterly report at /dang-ky/<ma_don_vi>/tien-do/<nam>/<quy>/.

The unit's heads fill it in (values, explanations, evidence), save it as a draft
any number of times and submit it after a confirmation step; district staff may
open any unit's report read-only (they act on the review screen). The rules of
who may change what and when are the services' (``registrations.services``:
``save_report_draft``, ``submit_report``, ``unit_edit_refusal``); this module only
shows them and calls them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kieumau.dates import vietnam_now

from .. import periods, services
from ..models import YEAR_MAX, YEAR_MIN, QuarterReport, ReportState
from ..selfreport_forms import REPORT_FORM_ID, SelfReportForm, SubmitReportForm
from .report_common import (
    check_period,
    get_report_unit,
    indicator_groups,
    load_report,
    report_indicators,
    report_url,
    reported_values,
    state_label,
    status_context,
)

S = ReportState


def _neighbours(unit, year, quarter):
    links = {}
    for name, period in (
        ("previous", periods.previous(year, quarter)),
        ("following", periods.following(year, quarter)),
    ):
        if YEAR_MIN <= period[0] <= YEAR_MAX and period <= periods.current():
            links[f"{name}_url"] = report_url(unit, *period)
            links[f"{name}_label"] = periods.label(*period)
    return links


@login_required
def report(request, code, year, quarter):
    """GET: the quarter's report; POST (heads): save the draft, or go on to submit."""
    check_period(year, quarter)
    unit, is_head = get_report_unit(request.user, code)
    if request.method == "POST" and not is_head:
        raise PermissionDenied
    report = load_report(unit, year, quarter)
    refusal = services.unit_edit_refusal(
        unit=unit, year=year, quarter=quarter, report=report
    )
    editable = is_head and refusal is None
    indicators = report_indicators(unit, year, quarter)
    reported = reported_values(report)
    version = report.version if report is not None else 0
    form = SelfReportForm(indicators=indicators, reported=reported, version=version)
    typed = None  # what a refused POST carried, shown again so nothing is lost
    stale = False
    if request.method == "POST" and indicators:
        form = SelfReportForm(
            request.POST, indicators=indicators, reported=reported, version=version
        )
        if not editable:
            messages.error(request, refusal)
            typed = form
        elif form.is_valid():
            try:
                saved = services.save_report_draft(
                    unit=unit,
                    year=year,
                    quarter=quarter,
                    values=form.values(),
                    explanations=form.explanations(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.StaleVersionError as exc:
                messages.error(request, exc.messages[0])
                stale = True
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                if request.POST.get("action") == "submit":
                    return redirect(
                        "registrations:selfreport-submit",
                        code=unit.code,
                        year=year,
                        quarter=quarter,
                    )
                messages.success(
                    request,
                    _(
                        "Đã lưu nháp báo cáo %(q)s (lúc %(when)s). Báo cáo chưa "
                        "được nộp."
                    )
                    % {
                        "q": periods.label(year, quarter),
                        "when": f"{vietnam_now(saved.updated_at):%H:%M}",
                    },
                )
                return redirect(report_url(unit, year, quarter))
        else:
            messages.error(request, _("Có giá trị chưa hợp lệ; xem các ô báo lỗi."))
        if stale or typed is not None:
            # Reload what is stored now; keep what the person typed, on the new
            # version, so that saving again is a deliberate choice.
            report = load_report(unit, year, quarter)
            refusal = services.unit_edit_refusal(
                unit=unit, year=year, quarter=quarter, report=report
            )
            editable = refusal is None
            reported = reported_values(report)
            data = request.POST.copy()
            data["version"] = report.version if report is not None else 0
            form = SelfReportForm(
                data, indicators=indicators, reported=reported, version=version
            )
            form.is_valid()
            if not editable:
                typed = form

    def fields(indicator):
        value = form[SelfReportForm.value_name(indicator)]
        explanation = form[SelfReportForm.explanation_name(indicator)]
        extra = {"field": value, "explanation_field": explanation}
        if typed is not None:
            extra["typed_value"] = typed.data.get(value.html_name, "")
            extra["typed_explanation"] = typed.data.get(explanation.html_name, "")
        if stale:
            # What someone else saved meanwhile, where it differs from the typing.
            stored = reported.get(indicator.pk)
            mine = form.cleaned_data if form.is_valid() else {}
            stored_value = stored.value if stored is not None else None
            stored_text = stored.explanation if stored is not None else ""
            if mine.get(value.name) != stored_value:
                extra["stored_value"] = services.format_value(indicator, stored_value)
            if mine.get(explanation.name, "") != stored_text:
                extra["stored_explanation"] = stored_text or _("(trống)")
        return extra

    groups = indicator_groups(
        indicators, reported, year=year, quarter=quarter, fields=fields
    )
    context = {
        **status_context(unit, year, quarter, report),
        **_neighbours(unit, year, quarter),
        "is_head": is_head,
        "editable": editable,
        "refusal": refusal,
        "form": form,
        "form_id": REPORT_FORM_ID,
        "groups": groups,
        "stale": stale,
        "typed": typed is not None,
        "returned_rows": sum(
            1 for g in groups for r in g["rows"] if r["return_reason"]
        ),
        "review_url": reverse("registrations:review", args=[year, quarter, unit.code])
        if request.user.has_perm("registrations.review_quarterreport")
        else None,
    }
    return render(request, "registrations/selfreport.html", context)


@login_required
def submit(request, code, year, quarter):
    """The confirmation step: a summary of what is sent, then ``submit_report``."""
    check_period(year, quarter)
    unit, is_head = get_report_unit(request.user, code)
    if not is_head:
        raise PermissionDenied
    back = report_url(unit, year, quarter)
    report = load_report(unit, year, quarter)
    if report is None:
        messages.info(request, _("Hãy nhập và lưu báo cáo trước khi nộp."))
        return redirect(back)
    refusal = services.unit_edit_refusal(
        unit=unit, year=year, quarter=quarter, report=report
    )
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    problems = {}
    form = SubmitReportForm(initial={"version": report.version})
    if request.method == "POST":
        form = SubmitReportForm(request.POST)
        if form.is_valid():
            try:
                services.submit_report(
                    report=report,
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.IncompleteReportError as exc:
                problems = exc.problems
                messages.error(
                    request,
                    _(
                        "Báo cáo chưa nộp được: còn %(n)s chỉ tiêu cần bổ sung "
                        "(xem dưới)."
                    )
                    % {"n": len(problems)},
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(back)
            else:
                messages.success(
                    request,
                    _(
                        "Đã nộp báo cáo %(q)s. Cán bộ huyện sẽ xem xét; báo cáo chỉ "
                        "còn để xem cho đến khi được duyệt hoặc trả lại."
                    )
                    % {"q": periods.label(year, quarter)},
                )
                return redirect(back)
        else:
            for message in form.non_field_errors():
                messages.error(request, message)
    indicators = report_indicators(unit, year, quarter)
    groups = indicator_groups(
        indicators,
        reported_values(report),
        year=year,
        quarter=quarter,
        fields=lambda ind: {"problems": problems.get(ind.pk, [])},
    )
    rows = [row for group in groups for row in group["rows"]]
    context = {
        **status_context(unit, year, quarter, report),
        "form": form,
        "groups": groups,
        "problems": problems,
        "entered": sum(1 for r in rows if r["value"] is not None),
        "met": sum(1 for r in rows if r["met"]),
        "with_evidence": sum(1 for r in rows if r["evidence"]),
        "total": len(rows),
        "back_url": back,
    }
    return render(request, "registrations/selfreport_submit.html", context)


def quarter_links(units, *, now=None):
    """{unit id: [the open quarters' reports]} for the unit heads' home (one query).

    The current quarter, and the previous one while it is still open for
    reports (until its lock) or was returned: units report a quarter after it
    ends as often as during it.
    """
    current = periods.current(now)
    previous = periods.previous(*current)
    units = list(units)
    stored = {
        (r.unit_id, r.year, r.quarter): r
        for r in QuarterReport.objects.filter(unit__in=units).filter(
            year__in={current[0], previous[0]},
            quarter__in={current[1], previous[1]},
        )
    }
    links = {}
    for unit in units:
        items = []
        for period in (current, previous):
            report = stored.get((unit.pk, *period))
            if (
                period == previous
                and periods.is_locked(*period, now)
                and not (report is not None and report.state == S.RETURNED)
            ):
                continue
            items.append(
                {
                    "label": periods.label(*period),
                    "url": report_url(unit, *period),
                    "state": report.state if report is not None else "",
                    "state_label": state_label(report),
                    "late": services.is_late(
                        year=period[0], quarter=period[1], report=report, now=now
                    ),
                    "deadline": report.return_deadline
                    if report is not None and report.state == S.RETURNED
                    else None,
                    "lock_moment": periods.lock_moment(*period),
                }
            )
        links[unit.pk] = items
    return links
