"""Staff report screens at /bao-cao/: the quarter's figures, Excel exports, briefing.

Who: users with ``registrations.view_reports`` (the "Cán bộ huyện" group). Drafting
the briefing needs the same permission and staff status: the district office
prepares the figures; the draft then goes to the editors, who publish it. When the
user may also edit articles the drafted article opens in the admin directly.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import figures, xlsx
from ..briefing import draft_briefing
from ..forms import PeriodForm
from ..models import YEAR_MAX, YEAR_MIN

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNITS_SHOWN = 10
# Rows of a unit list shown on /bao-cao/ itself; the rest page by page on
# /bao-cao/muc/<section>/ (views.report_sections) and whole in the Excel exports,
# so that the page stays small at a province's thousands of units.
SECTION_ROWS = 100
# What each workbook's sheets read beyond the registrations by kind.
EXPORT_NEEDS = {
    "dang-ky": set(),
    "vuot-lo-trinh": {"ahead"},
    "tieu-chi-cham": {"not_met"},
    "bang-diem": {"units"},
    "so-sanh": {"current", "previous"},
    "tat-ca": {"ahead", "units", "not_met", "previous"},
}


def _int_or_none(text):
    """``text`` as an int, or None (``"²"`` passes ``isdigit()`` but not ``int()``)."""
    try:
        return int(text)
    except ValueError:
        return None


def period_from_request(request):
    """(form, year, quarter): the asked period, or the defaults when absent or bad."""
    if "nam" in request.GET or "quy" in request.GET:
        data = request.GET.copy()
        if not data.get("quy"):
            year = _int_or_none(data.get("nam", ""))
            data["quy"] = (
                figures.default_quarter(year)
                if year is not None and YEAR_MIN <= year <= YEAR_MAX
                else 1
            )
        form = PeriodForm(data)
        if form.is_valid():
            return form, form.cleaned_data["nam"], form.cleaned_data["quy"]
    else:
        form = None
    default_year = figures.cached_dashboard_year()
    quarter = figures.default_quarter(default_year)
    if form is None:
        form = PeriodForm(initial={"nam": default_year, "quy": quarter})
    return form, default_year, quarter


def staff_only(view):
    return login_required(
        permission_required("registrations.view_reports", raise_exception=True)(view)
    )


@staff_only
def index(request):
    form, year, quarter = period_from_request(request)
    # Counted in SQL: only the rows shown are read (figures.staff_report).
    report = figures.staff_report(
        year,
        quarter,
        units=(0, SECTION_ROWS),
        not_met=(0, UNITS_SHOWN),
        ahead=SECTION_ROWS,
    )
    context = {
        "form": form,
        "report": report,
        "kind_rows": xlsx.kind_rows(report.by_kind),
        "ahead_rows": report.ahead,
        "unit_rows": report.current.units,
        "period_query": f"nam={year}&quy={quarter}",
        "changes": report.changes(),
        "totals": report.totals(),
        "sections": xlsx.SECTIONS,
        "units_shown": UNITS_SHOWN,
        "units_hidden_offset": -UNITS_SHOWN,  # "và N đơn vị khác" = length + offset
        "can_draft": request.user.is_staff,
    }
    return render(request, "registrations/reports_index.html", context)


@staff_only
def export(request, section):
    """One section (or ``tat-ca``: every section) as an .xlsx workbook."""
    if section != "tat-ca" and section not in xlsx.SECTIONS:
        raise Http404
    _, year, quarter = period_from_request(request)
    # A section's workbook reads only the figures that its sheet shows.
    needs = EXPORT_NEEDS[section]
    report = figures.staff_report(
        year,
        quarter,
        units=figures.ALL if "units" in needs else None,
        not_met=figures.ALL if "not_met" in needs else None,
        ahead=None if "ahead" in needs else 0,
        current=bool(needs & {"units", "not_met", "current"}),
        previous="previous" in needs,
    )
    content = xlsx.workbook_bytes(report, None if section == "tat-ca" else section)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"bao-cao-{section}-{year}-q{quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_only
@require_POST
def briefing(request):
    """Draft the quarter's briefing article and send the user on to edit it."""
    if not request.user.is_staff:
        raise PermissionDenied
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Năm hoặc quý không hợp lệ."))
        return redirect("registrations:reports")
    year, quarter = form.cleaned_data["nam"], form.cleaned_data["quy"]
    article = draft_briefing(year=year, quarter=quarter, by=request.user)
    messages.success(
        request,
        _("Đã tạo bản nháp “%(title)s”; bài chưa được đăng.")
        % {"title": article.title},
    )
    if request.user.has_perm("news.change_article"):
        try:
            return redirect(reverse("admin:news_article_change", args=[article.pk]))
        except NoReverseMatch:  # news admin not installed
            pass
    return redirect(f"{reverse('registrations:reports')}?nam={year}&quy={quarter}")
