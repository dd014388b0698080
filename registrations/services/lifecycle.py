"""State-changing operations on registrations and quarterly progress.

Every change of a registration's status and every save of a quarter's values goes
through one of these functions, called both by the admin and by the site, so that
neither can skip a rule. Each runs in one transaction; concurrent edits are caught by
a conditional ``UPDATE … WHERE version = expected`` instead of being overwritten.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.text import nfc

from . import periods
from .models import (
    YEAR_MAX,
    YEAR_MIN,
    Indicator,
    IndicatorKind,
    Progress,
    QuarterSheet,
    Registration,
    RegistrationStatus,
    Title,
)

S = RegistrationStatus

# The programme's lifecycle: which status each transition may start from.
TRANSITIONS = {
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
    "start_appraisal": ({S.ACCEPTED}, S.APPRAISAL),
    "recognise": ({S.APPRAISAL}, S.RECOGNISED),
    "mark_not_achieved": ({S.APPRAISAL}, S.NOT_ACHIEVED),
    "maintain": ({S.RECOGNISED, S.MAINTAINED}, S.MAINTAINED),
    "revoke": ({S.RECOGNISED, S.MAINTAINED}, S.REVOKED),
}

# The target year may be changed until appraisal starts.
YEAR_CHANGE_STATUSES = {S.SUBMITTED, S.ACCEPTED}

SHEET_REASON = "phiếu v{}"  # history_change_reason of progress rows saved by a sheet
MAX_CONFLICT_VERSIONS = 500


class StaleVersionError(ValidationError):
    """Raised when the row changed after the form was loaded."""


class QuarterConflictError(StaleVersionError):
    """A quarter sheet changed meanwhile; ``changes`` lists what changed and who."""

    def __init__(self, message, changes):
        super().__init__(message, code="stale")
        self.changes = changes


def today_vn():
    return timezone.localtime(timezone.now(), periods.VN).date()


def display_user(user):
    """How a person is named in change lists: full name, else username."""
    if user is None:
        return _("hệ thống (nhập tệp hoặc lệnh)")
    return user.get_full_name() or user.get_username()


def stale_message():
    return _(
        "Đăng ký này vừa được người khác thay đổi sau khi bạn mở biểu mẫu. "
        "Hãy tải lại trang để xem dữ liệu mới rồi làm lại."
    )


def _claim_version(registration, expected_version):
    """Bump the version in the database if it still is ``expected_version``."""
    expected = registration.version if expected_version is None else expected_version
    claimed = Registration.objects.filter(pk=registration.pk, version=expected).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleVersionError(stale_message(), code="stale")
    registration.version = expected + 1


def _transition(registration, name, by, expected_version, **fields):
    sources, target = TRANSITIONS[name]
    current = Registration.objects.values_list("status", flat=True).get(
        pk=registration.pk
    )
    if current not in sources:
        raise ValidationError(
            _("Không thể chuyển đăng ký từ “%(from)s” sang “%(to)s”.")
            % {"from": S(current).label, "to": target.label},
            code="invalid_transition",
        )
    _claim_version(registration, expected_version)
    registration.status = target
    for field, value in fields.items():
        setattr(registration, field, value)
    registration.updated_by = by
    registration._history_user = by
    registration.save()
    return registration


@transaction.atomic
def accept_registration(*, registration, by, expected_version=None):
    """The district office acknowledges a submitted registration."""
    return _transition(registration, "accept", by, expected_version)


@transaction.atomic
def start_appraisal(*, registration, by, expected_version=None):
    """The appraisal council (thẩm định) starts examining the unit."""
    return _transition(registration, "start_appraisal", by, expected_version)


@transaction.atomic
def recognise_registration(
    *, registration, decision_number, decision_date, by, expected_version=None
):
    """Recognise the title; the decision's number and date are required."""
    decision_number = nfc(decision_number or "")
    errors = {}
    if not decision_number:
        errors["decision_number"] = _("Cần nhập số quyết định công nhận.")
    if not isinstance(decision_date, datetime.date):
        errors["decision_date"] = _("Cần nhập ngày quyết định công nhận.")
    elif decision_date > today_vn():
        errors["decision_date"] = _("Ngày quyết định không được ở tương lai.")
    if errors:
        raise ValidationError(errors)
    return _transition(
        registration,
        "recognise",
        by,
        expected_version,
        decision_number=decision_number,
        decision_date=decision_date,
    )


@transaction.atomic
def mark_not_achieved(*, registration, by, expected_version=None):
    """The appraisal found the title not achieved; the unit re-registers later."""
    return _transition(registration, "mark_not_achieved", by, expected_version)


@transaction.atomic
def maintain_registration(*, registration, by, expected_version=None):
    """A yearly re-check confirmed that a recognised unit keeps its title."""
    return _transition(registration, "maintain", by, expected_version)


@transaction.atomic
def revoke_registration(*, registration, by, expected_version=None):
    """Withdraw a recognised title."""
    return _transition(registration, "revoke", by, expected_version)


def _check_year(year):
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            {"year": _("Năm đăng ký phải trong khoảng 2000–2100.")}, code="year_range"
        )


def title_for_unit(unit, year):
    """The one title that applies to the unit in ``year``, or a ValidationError."""
    titles = list(Title.objects.for_unit(unit, year)[:2])
    if not titles:
        raise ValidationError(
            _("Chưa có danh hiệu nào áp dụng cho %(kind)s trong năm %(year)s.")
            % {"kind": unit.kind_label.lower(), "year": year},
            code="no_title",
        )
    if len(titles) > 1:
        raise ValidationError(
            _(
                "Có nhiều danh hiệu áp dụng cho %(kind)s trong năm %(year)s; "
                "hãy chọn danh hiệu."
            )
            % {"kind": unit.kind_label.lower(), "year": year},
            code="many_titles",
        )
    return titles[0]


@transaction.atomic
def register_year(
    *, unit, title=None, year, by, registered_on=None, expected_version=None
):
    """Create the unit's active registration for its title, or change its year.

    ``expected_version`` comes from a form: 0 means "the form saw no active
    registration"; a number is the version of the registration the form showed.
    The history of the registration keeps the previous year.
    """
    _check_year(year)
    if title is None:
        title = title_for_unit(unit, year)
    elif title.kind != unit.kind or title.school_level not in ("", unit.school_level):
        raise ValidationError(
            {"title": _("Danh hiệu này không áp dụng cho loại đơn vị này.")}
        )
    existing = (
        Registration.objects.select_for_update()
        .active()
        .filter(unit=unit, title=title)
        .first()
    )
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleVersionError(stale_message(), code="stale")
        registration = Registration(
            unit=unit,
            title=title,
            year=year,
            registered_on=registered_on or today_vn(),
            updated_by=by,
        )
        registration._history_user = by
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Another request created the active registration meanwhile.
            raise StaleVersionError(stale_message(), code="stale") from None
        return registration
    if expected_version == 0:
        raise StaleVersionError(stale_message(), code="stale")
    if existing.year == year and (
        registered_on is None or registered_on == existing.registered_on
    ):
        if expected_version is not None and existing.version != expected_version:
            raise StaleVersionError(stale_message(), code="stale")
        return existing
    if existing.year != year and existing.status not in YEAR_CHANGE_STATUSES:
        raise ValidationError(
            _("Không thể đổi năm đăng ký khi đăng ký đang ở trạng thái “%(status)s”.")
            % {"status": existing.get_status_display()},
            code="year_locked",
        )
    _claim_version(existing, expected_version)
    existing.year = year
    if registered_on is not None:
        existing.registered_on = registered_on
    existing.updated_by = by
    existing._history_user = by
    existing.save()
    return existing


@transaction.atomic
def update_registration_note(*, registration, note, by, expected_version=None):
    """Change the free-text note of a registration."""
    _claim_version(registration, expected_version)
    registration.note = note
    registration.updated_by = by
    registration._history_user = by
    registration.save()
    return registration


# ---------------------------------------------------------------------------
# Quarterly progress


def parse_value(indicator, raw):
    """Parse what a person typed for ``indicator``: None when left empty.

    Numbers accept a decimal comma ("12,5"); yes/no accepts 1/0 and dat/chua_dat.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raw = int(raw)
    text = str(raw).strip()
    if text == "":
        return None
    if indicator.kind == IndicatorKind.CO_KHONG:
        key = text.lower().replace(" ", "_")
        if key in {"1", "dat", "đạt", "true", "co", "có"}:
            return Decimal(1)
        if key in {"0", "chua_dat", "chưa_đạt", "false", "khong", "không"}:
            return Decimal(0)
        raise ValidationError(_("Chọn “Đạt” hoặc “Chưa đạt”."), code="yes_no")
    if isinstance(raw, Decimal | int | float):
        value = Decimal(str(raw))
    else:
        text = text.replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” không phải là một số.") % {"value": raw}, code="number"
            ) from None
    if not value.is_finite():
        raise ValidationError(_("Giá trị phải là một số."), code="number")
    if value.as_tuple().exponent < -4 or abs(value) >= Decimal("1e8"):
        raise ValidationError(
            _("Số quá lớn hoặc quá nhiều chữ số thập phân (tối đa 4)."),
            code="number",
        )
    if indicator.kind == IndicatorKind.TY_LE and not 0 <= value <= 100:
        raise ValidationError(_("Tỷ lệ phải trong khoảng 0–100."), code="percent")
    if indicator.kind == IndicatorKind.SO_LUONG and value < 0:
        raise ValidationError(_("Số lượng không được âm."), code="negative")
    return value


def format_number(value):
    """Decimal → '12,5' (no trailing zeros, decimal comma as written in Vietnam)."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def format_value(indicator, value):
    """A stored value as people read it: 'Đạt', '12,5' or 'chưa nhập'."""
    if value is None:
        return _("chưa nhập")
    if indicator.kind == IndicatorKind.CO_KHONG:
        return _("Đạt") if value == 1 else _("Chưa đạt")
    return format_number(value)


def indicators_for_unit(unit):
    """Indicators of the titles the unit is actively registered for."""
    return Indicator.objects.filter(
        criterion__title__in=Registration.objects.active()
        .filter(unit=unit)
        .values("title_id")
    )


def lock_message(year, quarter):
    """Why and since when the quarter is locked (for banners and refusals)."""
    moment = timezone.localtime(periods.lock_moment(year, quarter), periods.VN)
    return _(
        "%(quarter)s đã khóa từ %(when)s (%(days)s ngày sau khi kết thúc quý). "
        "Chỉ giám sát viên tiến độ mới được sửa số liệu."
    ) % {
        "quarter": periods.label(year, quarter),
        "when": f"{moment:%H:%M} ngày {moment:%d/%m/%Y}",
        "days": settings.PROGRESS_LOCK_DAYS,
    }


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
    _check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Quý phải từ 1 đến 4."), code="quarter")
    if not periods.can_edit(by, year, quarter):
        raise ValidationError(lock_message(year, quarter), code="locked")

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
    reason = SHEET_REASON.format(sheet.version)

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
