"""Bulk entry: one indicator (or a criterion's indicators) for a page of units.

A custom admin screen registered by ProgressAdmin. Staff pick a quarter, an
indicator or criterion and optionally a commune; the page lists the units
registered for that title (``units_per_page``), one column per indicator. Values are
typed in the grid or pasted from a spreadsheet, shown in a preview (old → new,
invalid cells named) and saved at once by ``services.bulk_entry.save_bulk``.
"""

import hashlib

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from units.models import Unit

from . import periods, services
from .admin_views import ENTRY_PERMISSION
from .bulk_forms import (
    PASTE_MAX_CHARS,
    TOKEN_SALT,
    BulkFilterForm,
    catalogue,
    communes,
    make_token,
    read_token,
)
from .models import IndicatorKind, Registration
from .services import bulk_entry as bulk

PREVIEW_SALT = f"{TOKEN_SALT}.preview"
# Constant attributes of a cell's input (no user text in them).
YES_NO_LIST = ' list="km-dat"'
DISABLED = " disabled"
INVALID = ' aria-invalid="true"'
ERROR_NOTE = '<small class="km-cell-error">{}</small>'


def _scope(form, columns):
    """Registrations of the columns' title for the chosen commune, in name order."""
    rows = Registration.objects.active().filter(title=columns[0].criterion.title_id)
    if code := form.cleaned_data.get("xa"):
        rows = rows.filter(Q(unit__parent__code=code) | Q(unit__code=code))
    return rows.select_related("unit__parent").order_by(
        "unit__name_sort_key", "unit__code"
    )


def _cell_name(unit, indicator):
    return f"v-{unit.pk}-{indicator.pk}"


def _digest(raw):
    """A short fingerprint of the grid's values (the preview must be what is saved)."""
    text = "\n".join(f"{u}-{i}={raw[u, i]}" for u, i in sorted(raw))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _grid(units, columns, cells, stored, review, can_edit, first=1):
    """Rows of the table: each unit with a cell per column, its input as HTML.

    The inputs are built here rather than in the template: a page holds up to a
    thousand cells, and the template language would spend most of the page's time
    on them.
    """
    by_key = {(c.unit.pk, c.indicator.pk): c for c in cells}
    modes = ["text" if i.kind == IndicatorKind.CO_KHONG else "decimal" for i in columns]
    rows = []
    for number, unit in enumerate(units, start=first):
        locked = not can_edit or unit.pk in review
        row = {"number": number, "unit": unit, "cells": [], "review": unit.pk in review}
        for col, indicator in enumerate(columns):
            cell = by_key.get((unit.pk, indicator.pk))
            old = stored.get((unit.pk, indicator.pk))
            value = cell.raw if cell is not None else _shown(indicator, old)
            css, note = "", ""
            if cell is not None and cell.error:
                css = " km-invalid"
                note = format_html(ERROR_NOTE, cell.error)
            elif cell is not None and cell.changed:
                css = " km-changed"
                note = format_html(
                    '<small class="km-old">trước: {}</small>',
                    services.format_value(indicator, old),
                )
            # Plain formatting, one escape: format_html on a thousand cells was
            # a third of a page's time (the names and numbers are the page's own).
            field = mark_safe(
                f'<input type="text" name="{_cell_name(unit, indicator)}" '
                f'value="{escape(value)}" inputmode="{modes[col]}" data-col="{col}" '
                f'aria-labelledby="km-h{col} km-u{unit.pk}"'
                f"{YES_NO_LIST if modes[col] == 'text' else ''}"
                f"{DISABLED if locked else ''}"
                f"{INVALID if css == ' km-invalid' else ''}>"
            )
            row["cells"].append({"css": css, "html": field + note if note else field})
        rows.append(row)
    return rows


def _shown(indicator, value):
    """A stored value as typed in a cell: '' when there is none."""
    return "" if value is None else services.format_value(indicator, value)


def bulk_entry(request, *, model_admin):
    """Pick, type or paste, preview, save: one quarter's values for many units."""
    if not request.user.has_perm(ENTRY_PERMISSION):
        raise PermissionDenied
    year, quarter = periods.current()
    data = {"nam": year, "quy": quarter, **request.GET.dict()}
    try:
        chosen_year = int(data["nam"])
    except (TypeError, ValueError):
        chosen_year = None
    form = BulkFilterForm(data, indicators=catalogue(chosen_year), communes=communes())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Nhập tiến độ hàng loạt"),
        "form": form,
        "overview_url": reverse("admin:registrations_progress_quarters"),
    }
    if not form.is_valid():
        return _render(request, context, status=400)
    year, quarter = form.cleaned_data["nam"], form.cleaned_data["quy"]
    columns = form.columns()
    context.update(
        year=year,
        quarter=quarter,
        quarter_label=periods.label(year, quarter),
        columns=columns,
        locked=periods.is_locked(year, quarter),
        lock_message=services.lock_message(year, quarter),
        can_edit=periods.can_edit(request.user, year, quarter),
        overview_url=(
            reverse("admin:registrations_progress_quarters")
            + f"?nam={year}&quy={quarter}"
        ),
    )
    if not columns:
        return _render(request, context)
    per_page = bulk.units_per_page(len(columns))
    paginator = Paginator(_scope(form, columns), per_page)
    page = paginator.get_page(request.GET.get("page"))
    units = [registration.unit for registration in page.object_list]
    context.update(
        page_obj=page,
        per_page=per_page,
        title_name=columns[0].criterion.title.name,
        kind_label=columns[0].criterion.title.get_kind_display(),
        query_string=_query_without_page(request),
    )
    if request.method == "POST":
        response = _post(request, context, units, columns)
        if response is not None:
            return response
    else:
        _show(context, units, columns, cells=[])
    return _render(request, context)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _show(context, units, columns, *, cells, versions=None, review=None):
    """Fill the grid for ``units``: stored values, or the typed ``cells``."""
    year, quarter = context["year"], context["quarter"]
    unit_ids = [unit.pk for unit in units]
    stored = bulk.stored_values(unit_ids, [c.pk for c in columns], year, quarter)
    if versions is None:
        versions = bulk.sheet_versions(unit_ids, year, quarter)
    if review is None:
        review = bulk.units_under_review(unit_ids, year, quarter)
    context.update(
        units=units,
        rows=_grid(
            units,
            columns,
            cells,
            stored,
            review,
            context["can_edit"],
            first=context["page_obj"].start_index(),
        ),
        review_units=[unit for unit in units if unit.pk in review],
        token=make_token(
            year=year,
            quarter=quarter,
            units=units,
            indicators=columns,
            versions=versions,
        ),
    )


def _post(request, context, units, columns):
    """Preview or save; None when the page is to be rendered from ``context``."""
    year, quarter = context["year"], context["quarter"]
    if not context["can_edit"]:
        messages.error(request, context["lock_message"])
        _show(context, units, columns, cells=[])
        return None
    shown = read_token(
        request.POST.get("trang"), year=year, quarter=quarter, indicators=columns
    )
    if shown is None:
        messages.error(
            request,
            _(
                "Trang đã mở quá lâu hoặc danh sách đã đổi; số liệu đã được tải lại, "
                "không có gì được lưu. Hãy nhập hoặc dán lại."
            ),
        )
        _show(context, units, columns, cells=[])
        return None
    units = list(Unit.objects.select_related("parent").in_bulk(shown["units"]).values())
    order = {pk: n for n, pk in enumerate(shown["units"])}
    units.sort(key=lambda unit: order[unit.pk])
    raw = {
        (unit.pk, indicator.pk): request.POST[_cell_name(unit, indicator)][:100]
        for unit in units
        for indicator in columns
        if _cell_name(unit, indicator) in request.POST
    }
    paste = request.POST.get("dan", "")
    saving = "_luu" in request.POST and not paste.strip()
    expected = signing.Signer(salt=PREVIEW_SALT).sign(_digest(raw))
    if saving and not constant_time_compare(request.POST.get("xem", ""), expected):
        saving = False
        messages.warning(
            request,
            _("Bảng đã thay đổi sau lần xem trước: hãy xem lại trước khi lưu."),
        )
    if not saving:
        return _preview(request, context, units, columns, raw, paste, shown)
    try:
        changed = bulk.save_bulk(
            year=year,
            quarter=quarter,
            units=units,
            indicators=columns,
            raw=raw,
            versions=shown["versions"],
            by=request.user,
            loaded_at=shown["loaded_at"],
        )
    except bulk.BulkConflictError as exc:
        messages.error(request, exc.messages[0])
        context["conflict"] = exc.units
        _show(context, units, columns, cells=[])
        return None
    except ValidationError as exc:
        for message in exc.messages[: bulk.MAX_UNITS]:
            messages.error(request, message)
        return _preview(request, context, units, columns, raw, "", shown)
    messages.success(
        request,
        _("Đã lưu %(cells)s giá trị %(quarter)s của %(units)s đơn vị.")
        % {
            "cells": len(changed),
            "quarter": periods.label(year, quarter),
            "units": len({cell.unit.pk for cell in changed}),
        }
        if changed
        else _("Không có giá trị nào thay đổi; không có gì để lưu."),
    )
    return HttpResponseRedirect(request.get_full_path())


def _preview(request, context, units, columns, raw, paste, shown):
    """Put the paste into the grid, check every cell, show what would change."""
    year, quarter = context["year"], context["quarter"]
    target = _paste_column(request, columns)
    if len(paste) > PASTE_MAX_CHARS:
        context["paste_errors"] = [
            _("Nội dung dán quá dài (tối đa %(n)s ký tự): không dán gì.")
            % {"n": PASTE_MAX_CHARS}
        ]
    elif paste.strip():
        pasted, context["paste_errors"] = bulk.read_paste(
            paste, [unit.code for unit in units]
        )
        by_code = {unit.code: unit for unit in units}
        for code, text in pasted.items():
            raw[by_code[code].pk, target.pk] = text
        context["pasted"] = len(pasted)
    if context.get("paste_errors"):
        context["paste"] = paste
    stored = bulk.stored_values(
        [u.pk for u in units], [c.pk for c in columns], year, quarter
    )
    review = bulk.units_under_review([u.pk for u in units], year, quarter)
    cells = bulk.make_cells(units, columns, raw, stored)
    for cell in cells:
        if cell.changed and cell.unit.pk in review:
            cell.error = services.under_review_reason(year, quarter)
    # The save posts no cell of a unit under review (its inputs are disabled).
    posted = {key: text for key, text in raw.items() if key[0] not in review}
    _show(
        context,
        units,
        columns,
        cells=cells,
        versions=shown["versions"],
        review=review,
    )
    context.update(
        preview=True,
        changes=[cell for cell in cells if cell.changed],
        invalid=[cell for cell in cells if cell.error],
        paste_column=target,
        preview_token=signing.Signer(salt=PREVIEW_SALT).sign(_digest(posted)),
    )
    return None


def _paste_column(request, columns):
    """The column a paste goes to: the chosen one, else the first."""
    chosen = request.POST.get("cot", "")
    return next((c for c in columns if str(c.pk) == chosen), columns[0])


def _render(request, context, status=200):
    return TemplateResponse(
        request,
        "admin/registrations/progress/bulk_entry.html",
        context,
        status=status,
    )
