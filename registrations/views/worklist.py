"""The quarter's work list of the units' reports, for district staff.

Every unit with an active registration (the units that have indicators to report,
as ``services.indicators_for_unit`` says) and valid in the year, with its report's
state for the quarter, its completeness by commune and kind, and the same as an
.xlsx; each row leads to the review screen (``views.review``).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kieumau.dates import vietnam_now
from units.models import Unit, UnitKind, valid_during

from .. import periods, xlsx
from ..models import YEAR_MAX, YEAR_MIN, ReportState
from ..selfreport_forms import (
    WorkListForm,
)
from ..worklist import (
    COMPLETENESS_COLUMNS,
    STATE_COUNTS,
    completeness,
    filter_units,
    state_conditions,
    worklist,
)
from .report_common import (
    NOT_STARTED,
    check_period,
)
from .reports import XLSX_TYPE

S = ReportState
REVIEW_PERMISSION = "registrations.review_quarterreport"
PER_PAGE = 50

# The work list's state filter: its value in the query string, its label.
STATES = [
    ("da-nop", gettext_lazy("Đã nộp")),
    ("tra-lai", gettext_lazy("Trả lại")),
    ("dang-soan", gettext_lazy("Đang soạn")),
    ("chua-nop", gettext_lazy("Chưa nộp")),
    ("da-duyet", gettext_lazy("Đã duyệt")),
    ("qua-han", gettext_lazy("Quá hạn")),
]


def staff_only(view):
    return login_required(
        permission_required(REVIEW_PERMISSION, raise_exception=True)(view)
    )


def _query_string(request, *drop):
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def _summary_tables(summary):
    """The completeness tables as the work list shows them: (caption, rows)."""
    if summary is None:
        return []
    keys = [key for key, _label in COMPLETENESS_COLUMNS]
    tables = []
    for caption, groups in [
        (_("Theo xã"), summary["by_commune"]),
        (_("Theo loại đơn vị"), summary["by_kind"]),
    ]:
        rows = []
        for group in [*groups, summary["total"]]:
            rate = group["rate"]
            rows.append(
                {
                    "label": group["label"],
                    "values": [group[key] for key in keys],
                    "rate": rate,
                    "percent": ""
                    if rate is None
                    else f"{rate * 100:.1f}".replace(".", ",") + " %",
                }
            )
        tables.append((caption, rows))
    return tables


def _export_url(year, quarter, query):
    url = reverse("registrations:review-export", args=[year, quarter])
    return f"{url}?{query}" if query else url


def worklist_url(year, quarter):
    return reverse("registrations:review-list", args=[year, quarter])


@staff_only
def current_worklist(request):
    """/bao-cao/tien-do/: the current quarter's work list."""
    return redirect(worklist_url(*periods.current()))


def _worklist_form(request, year, quarter):
    """The work list's filter form, bound to the query string, and its states."""
    check_period(year, quarter)
    communes = list(
        Unit.objects.filter(kind=UnitKind.XA)
        .filter(valid_during(year))
        .vi_ordered()
        .values_list("code", "name")
    )
    form = WorkListForm(request.GET or None, communes=communes, states=STATES)
    return form, state_conditions(year, quarter)


@staff_only
def worklist_view(request, year, quarter):
    """Every registered unit's report for the quarter: filters, search, pages."""
    form, conditions = _worklist_form(request, year, quarter)
    rows, page, counts, summary, status = [], None, {}, None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        queryset = filter_units(worklist(year, quarter, conditions), filters)
        # Counts per state of the list as filtered so far, per commune and kind
        # too (one query), then the state filter itself.
        summary = completeness(queryset, conditions)
        counts = {
            "total": summary["total"]["total"],
            **{
                key.replace("-", "_"): summary["total"][column]
                for key, column in STATE_COUNTS.items()
            },
        }
        total = counts["total"]
        if filters.get("trang_thai"):
            queryset = queryset.filter(conditions[filters["trang_thai"]])
            total = counts[filters["trang_thai"].replace("-", "_")]
        paginator = Paginator(queryset, PER_PAGE)
        paginator.count = total  # known already: spare the COUNT query
        page = paginator.get_page(request.GET.get("page"))
        rows = list(page.object_list)
        for row in rows:
            row.state_label = (
                S(row.report_state).label if row.report_state else _("Chưa nộp")
            )
            row.review_url = reverse(
                "registrations:review", args=[year, quarter, row.code]
            )
    previous, following = (
        periods.previous(year, quarter),
        periods.following(year, quarter),
    )
    base = _query_string(request, "page", "trang_thai")
    chips = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value.replace("-", "_"), 0),
            "url": f"?{base}&trang_thai={value}" if base else f"?trang_thai={value}",
            "active": form.is_bound
            and form.is_valid()
            and form.cleaned_data.get("trang_thai") == value,
        }
        for value, label in STATES
    ]
    current = periods.current()
    reporting_previous = periods.previous(*current)
    context = {
        "year": year,
        "quarter": quarter,
        "quarter_label": periods.label(year, quarter),
        "form": form,
        "rows": rows,
        "page_obj": page,
        "counts": counts,
        "summary": summary,
        "summary_columns": COMPLETENESS_COLUMNS,
        "summary_tables": _summary_tables(summary),
        "export_url": _export_url(year, quarter, _query_string(request, "page")),
        "chips": chips,
        "all_url": f"?{base}" if base else "?",
        "query_string": _query_string(request, "page"),
        "locked": periods.is_locked(year, quarter),
        "lock_moment": periods.lock_moment(year, quarter),
        "previous_url": worklist_url(*previous) if previous[0] >= YEAR_MIN else None,
        "previous_label": periods.label(*previous),
        "following_url": worklist_url(*following)
        if following[0] <= YEAR_MAX and following <= current
        else None,
        "following_label": periods.label(*following),
        # Units still report last quarter until it locks: say so on this one.
        "still_open": periods.label(*reporting_previous)
        if (year, quarter) == current and not periods.is_locked(*reporting_previous)
        else None,
        "still_open_url": worklist_url(*reporting_previous),
    }
    return render(request, "registrations/review_list.html", context, status=status)


def _filters_text(form):
    """The filters in force, as people read them: 'Loại đơn vị: Xã; …'."""
    parts = []
    for name in ("q", "loai", "xa", "trang_thai"):
        value = form.cleaned_data.get(name)
        if not value:
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if name != "q" else value
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


@staff_only
def worklist_export(request, year, quarter):
    """The work list's completeness and rows as an .xlsx, with the same filters."""
    form, conditions = _worklist_form(request, year, quarter)
    if form.is_bound and not form.is_valid():
        raise BadRequest(_("Bộ lọc không hợp lệ."))
    filters = form.cleaned_data if form.is_bound else {}
    queryset = filter_units(worklist(year, quarter, conditions), filters)
    summary = completeness(queryset, conditions)
    if filters.get("trang_thai"):
        queryset = queryset.filter(conditions[filters["trang_thai"]])
    # A label translated once per kind and state, not once per row: Django's
    # get_FOO_display() hashes every choice of the field on each call (a third of
    # the workbook's time at 5,000 units).
    kinds, states = {}, {}
    units = [
        (
            unit.code,
            unit.name,
            kinds.get((unit.kind, unit.school_level))
            or kinds.setdefault((unit.kind, unit.school_level), str(unit.kind_label)),
            unit.parent.name if unit.parent else "",
            states.get(unit.report_state)
            or states.setdefault(
                unit.report_state,
                str(S(unit.report_state).label if unit.report_state else NOT_STARTED),
            ),
            unit.late,
            unit.report_deadline if unit.report_state == S.RETURNED else None,
            vietnam_now(unit.report_submitted_at).replace(tzinfo=None)
            if unit.report_submitted_at
            else None,
        )
        for unit in queryset.iterator(chunk_size=2000)
    ]
    content = xlsx.completeness_workbook(
        label=periods.label(year, quarter),
        filters=_filters_text(form) if form.is_bound else "",
        summary=summary,
        columns=COMPLETENESS_COLUMNS,
        units=units,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"day-du-bao-cao-{year}-q{quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
