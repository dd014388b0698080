"""A registration's lifecycle: register or change the year, notes, status changes.

Every change of a registration's status goes through one of these functions, called
both by the admin and by the site, so that neither can skip a rule. Each runs in one
transaction; concurrent edits are caught by a conditional
``UPDATE … WHERE version = expected`` instead of being overwritten.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kieumau.concurrency import StaleVersionError, claim_version
from kieumau.dates import vietnam_today
from kieumau.text import nfc

from ..models import YEAR_MAX, YEAR_MIN, Registration, RegistrationStatus, Title

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


def stale_message():
    return _(
        "Đăng ký này vừa được người khác thay đổi sau khi bạn mở biểu mẫu. "
        "Hãy tải lại trang để xem dữ liệu mới rồi làm lại."
    )


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
    claim_version(registration, expected_version, stale_message())
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
    elif decision_date > vietnam_today():
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


def check_year(year):
    """Refuse a year outside the range the programme and the contract allow."""
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
    check_year(year)
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
            registered_on=registered_on or vietnam_today(),
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
    claim_version(existing, expected_version, stale_message())
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
    claim_version(registration, expected_version, stale_message())
    registration.note = note
    registration.updated_by = by
    registration._history_user = by
    registration.save()
    return registration
