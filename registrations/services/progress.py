"""Quarterly progress entry: one unit's sheet of values for one quarter.

Saves a quarter's values with their history, refuses locked quarters (unless the
user may change them), quarters whose unit has submitted its own report for review
(staff accept or return it first), and stale forms: each sheet carries a version
bumped by every save, and a form saved from an older version is refused with the
list of what others changed meanwhile, instead of overwriting it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.concurrency import StaleVersionError
from kieumau.dates import vietnam_now

from .. import periods
from ..models import (
    Indicator,
    Progress,
    QuarterReport,
    QuarterSheet,
    Registration,
    ReportState,
)
from .lifecycle import check_year
from .values import display_user, format_value, parse_value

SHEET_REASON = "phiếu v{}"  # history_change_reason of progress rows saved by a sheet
MAX_CONFLICT_VERSIONS = 500


class QuarterConflictError(StaleVersionError):
    """A quarter sheet changed meanwhile; ``changes`` lists what changed and who."""

    def __init__(self, message, changes):
        super().__init__(message, code="stale")
        self.changes = changes


def indicators_for_unit(unit):
    """Indicators of the titles the unit is actively registered for."""
    return Indicator.objects.filter(
        criterion__title__in=Registration.objects.active()
        .filter(unit=unit)
        .values("title_id")
    )


def lock_message(year, quarter):
    """Why and since when the quarter is locked (for banners and refusals)."""
    moment = vietnam_now(periods.lock_moment(year, quarter))
    return _(
        "%(quarter)s đã khóa từ %(when)s (%(days)s ngày sau khi kết thúc quý). "
        "Chỉ giám sát viên tiến độ mới được sửa số liệu."
    ) % {
        "quarter": periods.label(year, quarter),
        "when": f"{moment:%H:%M} ngày {moment:%d/%m/%Y}",
        "days": settings.PROGRESS_LOCK_DAYS,
    }


def _lower_first(text):
    """'Quý I/2026' → 'quý I/2026' (inside a sentence)."""
    return text[:1].lower() + text[1:]


def under_review_reason(year, quarter):
    """Why a file row may not change a quarter the unit submitted (import errors)."""
    return _("đơn vị đã nộp báo cáo %(quarter)s, đang chờ duyệt") % {
        "quarter": _lower_first(periods.label(year, quarter))
    }


def under_review_message(unit, year, quarter):
    """Why staff may not change a quarter the unit submitted (screens, refusals)."""
    return _(
        "%(unit)s đã nộp báo cáo %(quarter)s, đang chờ duyệt. Hãy duyệt hoặc trả "
        "lại báo cáo trước khi sửa số liệu quý này, để không ghi đè số liệu đơn vị "
        "đã nộp."
    ) % {"unit": unit.name, "quarter": _lower_first(periods.label(year, quarter))}


def is_under_review(unit, year, quarter, *, lock=False):
    """Whether the unit's report of the quarter is submitted and not yet reviewed.

    With ``lock`` (inside a transaction) the report's row stays locked until the
    end, so a unit submitting at the same moment waits for the staff's save, or
    the save sees the submission: either way nothing is overwritten unseen.
    """
    reports = QuarterReport.objects.filter(unit=unit, year=year, quarter=quarter)
    if lock:
        reports = reports.select_for_update()
    return reports.values_list("state", flat=True).first() == ReportState.SUBMITTED


def sheet_changes(*, unit, year, quarter, since_version, until_version, loaded_at=None):
    """Changes saved after ``since_version``: indicator, old → new, who, when.

    Saves of this screen tag their history rows with the sheet version; other
    writers (file imports) are found by time when the form's load time is known.
    """
    if until_version <= since_version:
        return []
    first = max(since_version + 1, until_version - MAX_CONFLICT_VERSIONS)
    reasons = [SHEET_REASON.format(v) for v in range(first, until_version + 1)]
    history = (
        Progress.history.filter(unit=unit, year=year, quarter=quarter)
        .select_related("history_user", "indicator")
        .order_by("history_date", "history_id")
    )
    since = Q(history_change_reason__in=reasons)
    if loaded_at is not None:
        since |= Q(history_date__gt=loaded_at)
    changed_ids = set(history.filter(since).values_list("indicator_id", flat=True))
    previous, changes = {}, []
    for row in history.filter(indicator_id__in=changed_ids):
        old = previous.get(row.indicator_id)
        new = None if row.history_type == "-" else row.value
        if row.history_change_reason in reasons or (
            loaded_at is not None and row.history_date > loaded_at
        ):
            changes.append(
                {
                    "indicator": row.indicator,
                    "old": old,
                    "new": new,
                    "old_text": format_value(row.indicator, old),
                    "new_text": format_value(row.indicator, new),
                    "user": row.history_user,
                    "who": display_user(row.history_user),
                    "when": row.history_date,
                }
            )
        previous[row.indicator_id] = new
    return changes


@transaction.atomic
def save_quarter(*, unit, year, quarter, values, expected_version, by, loaded_at=None):
    """Save one unit's values for one quarter, refusing stale forms and locks.

    ``values`` maps each indicator (or its id) to the value typed in the form:
    a number, a string ("12,5"), or None / "" for "not entered" (which clears
    a stored value). ``loaded_at`` (when the form was shown) only helps to list
    what others changed meanwhile. Returns the sheet with its new version.
    """
    check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Quý phải từ 1 đến 4."), code="quarter")
    if not periods.can_edit(by, year, quarter):
        raise ValidationError(lock_message(year, quarter), code="locked")
    if is_under_review(unit, year, quarter, lock=True):
        raise ValidationError(
            under_review_message(unit, year, quarter), code="under_review"
        )
    return _write_quarter(
        unit=unit,
        year=year,
        quarter=quarter,
        values=values,
        expected_version=expected_version,
        by=by,
        loaded_at=loaded_at,
    )


def _write_quarter(
    *, unit, year, quarter, values, expected_version, by, loaded_at=None, reason=None
):
    """``save_quarter`` past its lock and review checks, which callers made.

    Only ``accept_report`` calls it directly: a report submitted before the lock is
    accepted after it, and ``reason`` then names who reported in the history.
    """
    allowed = {ind.pk: ind for ind in indicators_for_unit(unit)}
    if not allowed:
        raise ValidationError(
            _("Đơn vị chưa có đăng ký đang hiệu lực, không có chỉ tiêu để nhập."),
            code="no_registration",
        )
    parsed, errors = {}, {}
    for key, raw in values.items():
        try:
            indicator_id = key.pk if isinstance(key, Indicator) else int(key)
        except (TypeError, ValueError):
            indicator_id = None
        indicator = allowed.get(indicator_id)
        if indicator is None:
            raise ValidationError(
                _("Chỉ tiêu không thuộc danh hiệu đơn vị đã đăng ký."),
                code="foreign_indicator",
            )
        try:
            parsed[indicator_id] = parse_value(indicator, raw)
        except ValidationError as exc:
            errors[indicator.code] = exc.messages
    if errors:
        raise ValidationError(
            [f"{code}: {'; '.join(msgs)}" for code, msgs in errors.items()],
            code="invalid",
        )

    sheet, _created = QuarterSheet.objects.get_or_create(
        unit=unit, year=year, quarter=quarter
    )
    claimed = QuarterSheet.objects.filter(pk=sheet.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not claimed:
        current = QuarterSheet.objects.values_list("version", flat=True).get(
            pk=sheet.pk
        )
        raise QuarterConflictError(
            _(
                "Số liệu %(quarter)s của %(unit)s đã được người khác lưu sau khi bạn "
                "mở trang. Không có gì bị ghi đè; hãy xem các thay đổi dưới đây rồi "
                "nhập lại."
            )
            % {"quarter": periods.label(year, quarter), "unit": unit.name},
            changes=sheet_changes(
                unit=unit,
                year=year,
                quarter=quarter,
                since_version=expected_version,
                until_version=current,
                loaded_at=loaded_at,
            ),
        )
    sheet.refresh_from_db()
    reason = reason or SHEET_REASON.format(sheet.version)

    existing = {
        p.indicator_id: p
        for p in Progress.objects.filter(
            unit=unit, year=year, quarter=quarter, indicator_id__in=parsed
        )
    }
    for indicator_id, value in parsed.items():
        row = existing.get(indicator_id)
        if value is None:
            if row is not None:
                row._history_user = by
                row._change_reason = reason
                row.delete()
            continue
        if row is None:
            row = Progress(unit=unit, indicator_id=indicator_id, year=year)
            row.quarter = quarter
        elif row.value == value:
            continue
        row.value = value
        row.updated_by = by
        row._history_user = by
        row._change_reason = reason
        row.save()
    return sheet
