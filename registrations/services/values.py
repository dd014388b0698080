"""What people type and what they read: indicator values and who changed them.

Parses a value typed in a form or a file cell for an indicator, and formats stored
values and numbers the way Vietnamese readers write them (decimal comma, "Đạt").
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import IndicatorKind


def display_user(user):
    """How a person is named in change lists: full name, else username."""
    if user is None:
        return _("hệ thống (nhập tệp hoặc lệnh)")
    return user.get_full_name() or user.get_username()


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
