"""Bulk entry: one quarter's values of one indicator (or criterion) for many units.

The per-unit sheet's rules (``save_quarter``), for a page of units in one
transaction: values parsed by ``parse_value``; a locked quarter refused; a unit
whose own report awaits review refused; each changed unit's sheet version checked
and bumped, so that a page left open while someone else saved is refused (with
what they changed) and a per-unit form left open meanwhile is refused in turn; the
history rows tagged with each sheet's new version, as the per-unit screen tags
them. Written in bulk because a page holds up to ``MAX_UNITS`` units: the queries
of a save do not grow with the number of units, except one per cleared value.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.concurrency import StaleVersionError
from kieumau.text import fold, nfc
from units.models import Unit

from .. import periods
from ..figures import invalidate
from ..models import (
    Indicator,
    Progress,
    QuarterReport,
    QuarterSheet,
    Registration,
    ReportState,
)
from .lifecycle import check_year
from .progress import (
    SHEET_REASON,
    lock_message,
    sheet_changes,
    under_review_message,
)
from .values import format_value, parse_value

# A page of the bulk screen: enough for a commune's villages or a district's
# schools; a province's units are paged.
MAX_UNITS = 200
# Fields of the bulk form besides its cells (token, filters, paste box, buttons).
OTHER_FIELDS = 20
# A conflict lists what others changed for this many units at most.
MAX_CONFLICT_UNITS = 10
HEADER_CODES = {"ma_don_vi", "ma don vi", "ma"}


def units_per_page(columns):
    """Units a page may hold so that a POST of its cells stays under Django's cap."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is None:
        return MAX_UNITS
    return max(1, min(MAX_UNITS, (limit - OTHER_FIELDS) // max(1, columns)))


def cell_label(unit, indicator):
    """How an error names a cell: the unit's code and the indicator's name and code."""
    return f"{unit.code} · {indicator.name} ({indicator.code})"


@dataclass(slots=True)
class Cell:
    """One unit's value of one indicator: what is stored and what was typed."""

    unit: Unit
    indicator: Indicator
    old: Decimal | None
    raw: str
    new: Decimal | None = None
    error: str = ""

    def check(self):
        try:
            self.new = parse_value(self.indicator, nfc(self.raw))
        except ValidationError as exc:
            self.error = "; ".join(exc.messages)
        return self

    @property
    def changed(self):
        return not self.error and self.new != self.old

    @property
    def old_text(self):
        return format_value(self.indicator, self.old)

    @property
    def new_text(self):
        return format_value(self.indicator, self.new)

    @property
    def message(self):
        return f"{cell_label(self.unit, self.indicator)}: {self.error}"


def read_paste(text, codes):
    """What a paste from a spreadsheet puts where: ({unit code: text}, errors).

    Either two columns (unit code, TAB, value; any order; a ``ma_don_vi`` header
    is skipped) or one column of values in the order of ``codes`` (the page's
    units). An empty value leaves the unit's value as it is.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    if not text.strip():
        return {}, []
    two_columns = any("\t" in line for line in lines)
    rows = [line for line in lines if line.strip()] if two_columns else lines
    if two_columns and rows and fold(rows[0].split("\t")[0]) in HEADER_CODES:
        rows = rows[1:]
    if len(rows) > len(codes):
        return {}, [
            _(
                "Đã dán %(lines)s dòng nhưng trang này chỉ có %(units)s đơn vị: "
                "không dán gì. Hãy dán từng trang một."
            )
            % {"lines": len(rows), "units": len(codes)}
        ]
    if not two_columns:
        return {
            code: line.strip()
            for code, line in zip(codes, lines, strict=False)
            if line.strip()
        }, []
    by_key = {fold(code): code for code in codes}
    values, errors, seen = {}, [], {}
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if number == 1 and fold(cells[0]) in HEADER_CODES:
            continue
        if len(cells) > 2 or not cells[0]:
            errors.append(
                _("Dòng %(n)s: cần đúng hai cột, mã đơn vị và giá trị.") % {"n": number}
            )
            continue
        code = by_key.get(fold(cells[0]))
        if code is None:
            errors.append(
                _("Dòng %(n)s: không có đơn vị mã “%(code)s” trong trang này.")
                % {"n": number, "code": cells[0]}
            )
            continue
        if code in seen:
            errors.append(
                _("Dòng %(n)s: đơn vị %(code)s đã được dán ở dòng %(first)s.")
                % {"n": number, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = number
        if len(cells) == 2:
            values[code] = cells[1]
    return ({}, errors) if errors else (values, [])


def stored_values(unit_ids, indicator_ids, year, quarter):
    """{(unit id, indicator id): value} stored for the quarter (one query)."""
    rows = Progress.objects.filter(
        unit_id__in=unit_ids, indicator_id__in=indicator_ids, year=year, quarter=quarter
    )
    # No ordering: the model's would join the units table for nothing.
    return {
        (unit_id, indicator_id): value
        for unit_id, indicator_id, value in rows.order_by().values_list(
            "unit_id", "indicator_id", "value"
        )
    }


def sheet_versions(unit_ids, year, quarter):
    """{unit id: sheet version} for the quarter; 0 for a unit with no sheet yet."""
    found = dict(
        QuarterSheet.objects.filter(
            unit_id__in=unit_ids, year=year, quarter=quarter
        ).values_list("unit_id", "version")
    )
    return {unit_id: found.get(unit_id, 0) for unit_id in unit_ids}


def units_under_review(unit_ids, year, quarter, *, lock=False):
    """Ids of the units whose own report of the quarter awaits review.

    With ``lock`` (inside a transaction) their report rows stay locked until the
    end, as ``is_under_review`` does for one unit.
    """
    # No ordering: the model's joins the units table, whose rows FOR UPDATE
    # would then lock as well.
    reports = QuarterReport.objects.filter(
        unit_id__in=unit_ids, year=year, quarter=quarter
    ).order_by()
    if lock:
        reports = reports.select_for_update()
    return {
        unit_id
        for unit_id, state in reports.values_list("unit_id", "state")
        if state == ReportState.SUBMITTED
    }


class BulkConflictError(StaleVersionError):
    """Units saved by someone else meanwhile; ``units`` lists them and their changes."""

    def __init__(self, message, units):
        super().__init__(message, code="stale")
        self.units = units


def make_cells(units, indicators, raw, stored):
    """Checked cells for ``raw`` {(unit id, indicator id): text}, in page order."""
    return [
        Cell(unit, indicator, stored.get((unit.pk, indicator.pk)), text).check()
        for unit in units
        for indicator in indicators
        if (text := raw.get((unit.pk, indicator.pk))) is not None
    ]


@transaction.atomic
def save_bulk(*, year, quarter, units, indicators, raw, versions, by, loaded_at=None):
    """Save many units' values of a few indicators for one quarter, all or nothing.

    ``raw`` maps (unit id, indicator id) to the text in the cell (empty: not
    entered, which clears a stored value); ``versions`` the sheet version of each
    unit when the page was shown. Returns the cells that changed.
    """
    check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Quý phải từ 1 đến 4."), code="quarter")
    if not periods.can_edit(by, year, quarter):
        raise ValidationError(lock_message(year, quarter), code="locked")
    units, indicators = list(units), list(indicators)
    registered = set(
        Registration.objects.active()
        .filter(unit__in=units, title__in={i.criterion.title_id for i in indicators})
        .values_list("unit_id", "title_id")
    )
    foreign = [
        cell_label(unit, indicator)
        for unit in units
        for indicator in indicators
        if (unit.pk, indicator.pk) in raw
        and (unit.pk, indicator.criterion.title_id) not in registered
    ]
    if foreign:
        raise ValidationError(
            [
                _("%(cell)s: đơn vị không đăng ký danh hiệu có chỉ tiêu này.")
                % {"cell": label}
                for label in foreign
            ],
            code="foreign_indicator",
        )
    unit_ids = [unit.pk for unit in units]
    stored = stored_values(unit_ids, [i.pk for i in indicators], year, quarter)
    cells = make_cells(units, indicators, raw, stored)
    if invalid := [cell.message for cell in cells if cell.error]:
        raise ValidationError(invalid, code="invalid")
    changed = [cell for cell in cells if cell.changed]
    if not changed:
        return []
    touched = {cell.unit.pk: cell.unit for cell in changed}
    if reviewed := units_under_review(list(touched), year, quarter, lock=True):
        raise ValidationError(
            [
                under_review_message(unit, year, quarter)
                for unit_id, unit in touched.items()
                if unit_id in reviewed
            ],
            code="under_review",
        )
    _claim_sheets(touched, versions, year=year, quarter=quarter, by=by, since=loaded_at)
    _write(changed, versions, year=year, quarter=quarter, by=by)
    invalidate()  # bulk writes send no signal
    return changed


def _claim_sheets(touched, versions, *, year, quarter, by, since):
    """Bump each touched unit's sheet from the version the page showed, or refuse."""
    QuarterSheet.objects.bulk_create(
        [QuarterSheet(unit_id=u, year=year, quarter=quarter) for u in touched],
        ignore_conflicts=True,
    )
    sheets = QuarterSheet.objects.filter(
        unit_id__in=list(touched), year=year, quarter=quarter
    )
    # Locked until the end (in unit order, so two bulk saves never deadlock): a
    # save of the same sheets waits, then finds the versions moved and is refused.
    current = dict(
        sheets.select_for_update().order_by("unit_id").values_list("unit_id", "version")
    )
    stale = [u for u in touched if current[u] != versions.get(u, 0)]
    if not stale:
        sheets.update(
            version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        return
    raise BulkConflictError(
        _(
            "Số liệu %(quarter)s của %(count)s đơn vị (%(units)s) đã được người khác "
            "lưu sau khi bạn mở trang. Không có gì được lưu; hãy xem các thay đổi "
            "dưới đây rồi nhập lại."
        )
        % {
            "quarter": periods.label(year, quarter),
            "count": len(stale),
            "units": ", ".join(touched[u].code for u in stale),
        },
        units=[
            {
                "unit": touched[u],
                "changes": sheet_changes(
                    unit=touched[u],
                    year=year,
                    quarter=quarter,
                    since_version=versions.get(u, 0),
                    until_version=current[u],
                    loaded_at=since,
                ),
            }
            for u in stale[:MAX_CONFLICT_UNITS]
        ],
    )


def _write(changed, versions, *, year, quarter, by):
    """Create, update or delete the changed values, each with its history row."""
    existing = {
        (row.unit_id, row.indicator_id): row
        for row in Progress.objects.filter(
            unit_id__in={c.unit.pk for c in changed},
            indicator_id__in={c.indicator.pk for c in changed},
            year=year,
            quarter=quarter,
        ).order_by()
    }
    now = timezone.now()
    creates, updates = [], []
    for cell in changed:
        row = existing.get((cell.unit.pk, cell.indicator.pk))
        reason = SHEET_REASON.format(versions.get(cell.unit.pk, 0) + 1)
        if cell.new is None:
            # Clearing is rare: a plain delete keeps simple-history's "-" row.
            row._history_user = by
            row._change_reason = reason
            row.delete()
            continue
        if row is None:
            row = Progress(
                unit=cell.unit, indicator=cell.indicator, year=year, quarter=quarter
            )
            creates.append(row)
        else:
            updates.append(row)
        row.value, row.updated_by, row.updated_at = cell.new, by, now
        row._history_user = by
        row._change_reason = reason
    Progress.objects.bulk_create(creates)
    Progress.history.bulk_history_create(creates, default_user=by, default_date=now)
    Progress.objects.bulk_update(updates, ["value", "updated_by", "updated_at"])
    Progress.history.bulk_history_create(
        updates, update=True, default_user=by, default_date=now
    )
