"""Quarterly progress entry: custom admin screens registered by ProgressAdmin.

(a) ``quarter_entry``: one unit, one quarter, every indicator of its registered title;
(b) ``quarter_overview``: one quarter, every unit with an active registration and how
many of its indicators are entered and met, counted in the database.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from units.models import Unit, UnitKind

from . import periods, services
from .entry_list import list_filters, next_unit, overview_counts
from .forms import QuarterEntryForm, QuarterOverviewForm
from .models import (
    YEAR_MAX,
    YEAR_MIN,
    Progress,
    QuarterSheet,
    Registration,
)

ENTRY_PERMISSION = "registrations.change_progress"
# A working list (who still has to enter what), not a report to print: at the
# district's size every unit on one page is thousands of rows.
OVERVIEW_PER_PAGE = 100


def _require_entry_permission(request):
    if not request.user.has_perm(ENTRY_PERMISSION):
        raise PermissionDenied


def _context(request, model_admin, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "overview_url": reverse("admin:registrations_progress_quarters"),
        **extra,
    }


def _with_query(url, query):
    return f"{url}?{query}" if query else url


def _query_string(request, *drop):
    """The request's query string without ``drop`` (for the pagination links)."""
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def quarter_overview(request, *, model_admin):
    """(b) Who has entered what for one quarter; a year/quarter picker on top."""
    _require_entry_permission(request)
    year, quarter = periods.current()
    # Missing parameters mean "the current quarter"; bad ones answer 400.
    form = QuarterOverviewForm({"nam": year, "quy": quarter, **request.GET.dict()})
    status = 200
    rows, page, totals = [], None, {"registrations": 0, "units": 0, "complete": 0}
    filter_query = ""
    if not form.is_valid():
        status = 400
    else:
        year, quarter = form.cleaned_data["nam"], form.cleaned_data["quy"]
        counted = overview_counts(year, quarter, form.cleaned_data)
        filter_query = list_filters(request.GET)[1]
        # The whole district's totals from one pass; the rows one page at a time.
        # A row is a registration: a unit registered for two titles has two rows
        # (one entry screen), and is complete when both are.
        incomplete = {
            unit
            for _pk, unit, total, entered, _met in counted
            if not 0 < total <= entered
        }
        units = {unit for _pk, unit, *_counts in counted}
        totals = {
            "registrations": len(counted),
            "units": len(units),
            "complete": len(units - incomplete),
        }
        # get_page: "abc" shows the first page, -1 or 999999 the last; never a 500.
        page = Paginator(counted, OVERVIEW_PER_PAGE).get_page(request.GET.get("page"))
        found = Registration.objects.select_related("unit", "title").in_bulk(
            [pk for pk, *_counts in page.object_list]
        )
        for pk, _unit, total, entered, met in page.object_list:
            row = found.get(pk)
            if row is None:  # deleted between the two reads
                continue
            row.total, row.entered, row.met = total, entered, met
            row.missing = total - entered
            row.entry_url = _entry_url(row.unit.code, year, quarter, filter_query)
            rows.append(row)
    previous, following = (
        periods.previous(year, quarter),
        periods.following(year, quarter),
    )
    return TemplateResponse(
        request,
        "admin/registrations/progress/quarter_overview.html",
        _context(
            request,
            model_admin,
            title=_("Tiến độ %(quarter)s") % {"quarter": periods.label(year, quarter)},
            form=form,
            rows=rows,
            year=year,
            quarter=quarter,
            quarter_label=periods.label(year, quarter),
            locked=periods.is_locked(year, quarter),
            lock_message=services.lock_message(year, quarter),
            previous=previous if previous[0] >= YEAR_MIN else None,
            following=following if following[0] <= YEAR_MAX else None,
            **totals,
            page_obj=page,
            query_string=_query_string(request, "page"),
            filter_query=filter_query,
        ),
        status=status,
    )


def _indicators(unit, year, quarter):
    """The unit's indicators with their latest value before this quarter (one query)."""
    before = (
        Progress.objects.filter(unit=unit, indicator=OuterRef("pk"))
        .filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
        .order_by("-year", "-quarter")
    )
    return (
        services.indicators_for_unit(unit)
        .select_related("criterion__title")
        .annotate(
            previous_value=Subquery(before.values("value")[:1]),
            previous_year=Subquery(before.values("year")[:1]),
            previous_quarter=Subquery(before.values("quarter")[:1]),
        )
        .order_by(
            "criterion__title__code",
            "criterion__order",
            "criterion__code",
            "order",
            "code",
        )
    )


def _groups(form, indicators, current):
    """Rows grouped by criterion, each with its field, previous value and status."""
    groups = []
    for indicator in indicators:
        if not groups or groups[-1]["criterion"].pk != indicator.criterion_id:
            groups.append({"criterion": indicator.criterion, "rows": []})
        name = QuarterEntryForm.field_name(indicator)
        value, invalid = current.get(indicator.pk), False
        if form.is_bound:
            # Judge what was typed, not what is stored: a refused value is
            # neither "Đạt" nor "Chưa đạt".
            invalid = name in form.errors
            value = None if invalid else form.cleaned_data.get(name)
        effective = value if value is not None else indicator.previous_value
        previous_label = None
        if indicator.previous_value is not None:
            previous_label = periods.label(
                indicator.previous_year, indicator.previous_quarter
            )
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "field": form[name],
                "value": value,
                "previous": indicator.previous_value,
                "previous_label": previous_label,
                "previous_text": services.format_number(indicator.previous_value),
                "invalid": invalid,
                "met": not invalid and indicator.is_met(effective),
                "carried": not invalid and value is None and effective is not None,
            }
        )
    return groups


def quarter_entry(request, *, model_admin, code, year, quarter):
    """(a) One unit's values for one quarter, saved at once by ``save_quarter``."""
    _require_entry_permission(request)
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= quarter <= 4):
        raise Http404(_("Không có quý này."))
    unit = get_object_or_404(Unit, code=code)
    registrations = list(
        Registration.objects.active().filter(unit=unit).select_related("title")
    )
    locked = periods.is_locked(year, quarter)
    # The unit's own report awaits review: staff accept or return it first, so
    # that nobody overwrites it unseen (CONTRACT §2).
    under_review = services.is_under_review(unit, year, quarter)
    can_edit = periods.can_edit(request.user, year, quarter) and not under_review

    def load():
        indicators = list(_indicators(unit, year, quarter))
        current = dict(
            Progress.objects.filter(unit=unit, year=year, quarter=quarter).values_list(
                "indicator_id", "value"
            )
        )
        version = (
            QuarterSheet.objects.filter(unit=unit, year=year, quarter=quarter)
            .values_list("version", flat=True)
            .first()
        ) or 0
        return indicators, current, version

    indicators, current, version = load()
    filters, filter_query = list_filters(request.GET)
    conflict = None
    form = QuarterEntryForm(indicators=indicators, current=current, version=version)
    if request.method == "POST":
        form = QuarterEntryForm(
            request.POST, indicators=indicators, current=current, version=version
        )
        if under_review:
            messages.error(request, services.under_review_message(unit, year, quarter))
        elif not can_edit:
            messages.error(request, services.lock_message(year, quarter))
        elif form.is_valid():
            try:
                services.save_quarter(
                    unit=unit,
                    year=year,
                    quarter=quarter,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    loaded_at=form.cleaned_data.get("loaded_at"),
                )
            except services.QuarterConflictError as exc:
                conflict = exc.changes
                messages.error(request, exc.messages[0])
                indicators, current, version = load()
                form = QuarterEntryForm(
                    indicators=indicators, current=current, version=version
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Đã lưu tiến độ %(quarter)s của %(unit)s.")
                    % {"quarter": periods.label(year, quarter), "unit": unit.name},
                )
                if "_next" not in request.POST:
                    return HttpResponseRedirect(_with_query(request.path, filter_query))
                following_unit = next_unit(unit, year, quarter, filters)
                if following_unit is None:
                    messages.info(
                        request, _("Đây là đơn vị cuối cùng trong danh sách.")
                    )
                    return HttpResponseRedirect(
                        _overview_url(year, quarter, filter_query)
                    )
                return HttpResponseRedirect(
                    _entry_url(following_unit["code"], year, quarter, filter_query)
                )
        else:
            messages.error(request, _("Có giá trị chưa hợp lệ; xem các ô báo lỗi."))
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True

    def quarter_url(period):
        if not YEAR_MIN <= period[0] <= YEAR_MAX:
            return None
        return _entry_url(code, *period, filter_query)

    following_unit = next_unit(unit, year, quarter, filters)
    if following_unit is not None:
        following_unit["url"] = _entry_url(
            following_unit["code"], year, quarter, filter_query
        )

    groups = _groups(form, indicators, current)
    rows = [row for group in groups for row in group["rows"]]
    return TemplateResponse(
        request,
        "admin/registrations/progress/quarter_entry.html",
        _context(
            request,
            model_admin,
            title=_("Tiến độ %(quarter)s — %(unit)s")
            % {"quarter": periods.label(year, quarter), "unit": unit.name},
            unit=unit,
            registrations=registrations,
            year=year,
            quarter=quarter,
            quarter_label=periods.label(year, quarter),
            form=form,
            groups=groups,
            entered=sum(1 for r in rows if r["value"] is not None),
            met=sum(1 for r in rows if r["met"]),
            total=len(rows),
            locked=locked,
            can_edit=can_edit,
            lock_message=services.lock_message(year, quarter),
            under_review=under_review,
            under_review_message=services.under_review_message(unit, year, quarter),
            conflict=conflict,
            previous_url=quarter_url(periods.previous(year, quarter)),
            following_url=quarter_url(periods.following(year, quarter)),
            overview_period_url=_overview_url(year, quarter, filter_query),
            following_unit=following_unit,
            filters_shown=_filters_shown(filters),
        ),
    )


def _filters_shown(filters):
    """The list's filters as the entry screen names them."""
    shown = []
    if filters.get("q"):
        shown.append(_("tìm “%(text)s”") % {"text": filters["q"]})
    if filters.get("loai"):
        shown.append(str(UnitKind(filters["loai"]).label).lower())
    if filters.get("thieu"):
        shown.append(_("chỉ đơn vị còn thiếu"))
    return shown


def _entry_url(code, year, quarter, query=""):
    return _with_query(
        reverse("admin:registrations_progress_entry", args=[code, year, quarter]),
        query,
    )


def _overview_url(year, quarter, query=""):
    period = f"nam={year}&quy={quarter}"
    return (
        reverse("admin:registrations_progress_quarters")
        + "?"
        + (f"{period}&{query}" if query else period)
    )
