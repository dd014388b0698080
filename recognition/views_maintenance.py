"""Staff's list of recognised units flagged for maintenance, and its workbook.

Who: users with ``registrations.view_reports`` (district staff), as ``/bao-cao/``.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from registrations import periods

from . import maintenance, maintenance_xlsx
from .maintenance_forms import MaintenanceFilterForm
from .models import DecisionEntry, DecisionKind

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_only(view):
    return login_required(
        permission_required("registrations.view_reports", raise_exception=True)(view)
    )


def _filters(request):
    """(form, year, quarter, reason); a bad form gives no period (an empty list)."""
    if request.GET:
        form = MaintenanceFilterForm(request.GET)
        if not form.is_valid():
            return form, None, None, None
        data = form.cleaned_data
        return form, data["nam"], data["quy"], data["ly_do"] or None
    # The last quarter that is over: its values are (or should be) all in.
    year, quarter = periods.previous(*periods.current())
    form = MaintenanceFilterForm(initial={"nam": year, "quy": quarter})
    return form, year, quarter, None


def _heading(year, quarter):
    period = periods.label(year, quarter) if quarter else _("năm %(y)s") % {"y": year}
    return _("Đơn vị kiểu mẫu cần rà soát duy trì danh hiệu — %(p)s") % {"p": period}


def _attach_revocations(flags):
    """Each flag's registration gets the revocation decisions naming it (one query)."""
    ids = {flag.registration.pk for flag in flags}
    found = {}
    for entry in DecisionEntry.objects.filter(
        registration_id__in=ids, decision__kind=DecisionKind.REVOCATION
    ).select_related("decision"):
        found.setdefault(entry.registration_id, []).append(entry.decision)
    for flag in flags:
        flag.registration.revocations = found.get(flag.registration.pk, [])


@staff_only
def flag_list(request):
    """``/bao-cao/duy-tri/``: the flags of a year or a quarter, by reason, in pages."""
    form, year, quarter, reason = _filters(request)
    flags = [] if year is None else maintenance.flags(year, quarter, reason)
    page = Paginator(flags, PER_PAGE).get_page(request.GET.get("page"))
    _attach_revocations(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "year": year,
        "quarter": quarter,
        "heading": _heading(year, quarter) if year else "",
        "page_obj": page,
        "flags": page.object_list,
        "count": len(flags),
        "query_string": query.urlencode(),
        "export_query": query.urlencode()
        or f"nam={year}&quy={quarter}" * bool(year and quarter),
        "reasons": maintenance.Reason,
    }
    return render(request, "recognition/maintenance_list.html", context)


@staff_only
def flag_export(request):
    """The same flags (every page) as an .xlsx workbook."""
    form, year, quarter, reason = _filters(request)
    flags = [] if year is None else maintenance.flags(year, quarter, reason)
    heading = _heading(year, quarter) if year else _("Bộ lọc không hợp lệ")
    response = HttpResponse(
        maintenance_xlsx.workbook_bytes(flags, heading), content_type=XLSX_TYPE
    )
    name = "-".join(
        [
            "duy-tri",
            *([str(year)] if year else []),
            *([f"q{quarter}"] if quarter else []),
        ]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
