"""Parsing one row's cells, collecting Vietnamese ``row N: column: reason`` errors.

Cells come from CSV (always text) or XLSX (numbers, dates, text). Every text is
stored composed (NFC) and trimmed, and the ``'`` that export puts before a
formula-like text (``'=…``) is taken off again so that a round trip is exact.
"""

import datetime
from decimal import Decimal, InvalidOperation

from kieumau.text import fold, nfc

from .errors import RowError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_DECIMAL = Decimal("1e8")  # DecimalField(max_digits=12, decimal_places=4)
YES = {"dat", "1"}
NO = {"chua_dat", "0"}


def _quoted_formula(text):
    """``'=…``, ``''=…``: leading quotes before a formula-like start."""
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def unescape_formula(text):
    """Undo export's formula-injection guard: "'=SUM" -> "=SUM", "''=" -> "'="."""
    # "'=" alone (files exported before the sign alone was spared) gives "=" too.
    return text[1:] if len(text) > 1 and _quoted_formula(text) else text


def escape_formula(text):
    """Make a text cell inert in spreadsheet programs (OWASP CSV injection).

    A sign alone (``=``, ``-``) is no formula and is written as it is, so that the
    criteria file's ``so_sanh`` stays ``=`` (openpyxl's cell.py takes ``=`` alone
    for text by the same rule). A text already starting with ``'`` before such a
    sign gets one more, so that import, which takes one off, gives it back exactly.
    """
    if (len(text) > 1 and text.startswith(FORMULA_STARTS)) or _quoted_formula(text):
        return "'" + text
    return text


def shown(value):
    """A cell value as the person typed it, for error messages."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


class Row:
    """One data row: typed accessors that record an error and return None."""

    def __init__(self, number, values, header, errors):
        self.number = number
        self.values = values
        self.header = header
        self.errors = errors
        self.error_count = 0

    @property
    def ok(self):
        return self.error_count == 0

    def error(self, column, reason):
        self.errors.append(RowError(self.number, column, reason))
        self.error_count += 1

    def raw(self, column):
        """The cell's value: None when empty; text composed and trimmed."""
        index = self.header.get(column)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        if value is None:
            return None
        if isinstance(value, str):
            # ASCII text (codes, numbers, most cells) is already composed.
            value = value.strip() if value.isascii() else nfc(value)
            if value.startswith("'"):
                value = unescape_formula(value)
            return value or None
        return value

    def text(self, column, *, required=False, max_length=200):
        value = self.raw(column)
        if value is None:
            if required:
                self.error(column, "bắt buộc, không được để trống")
                return None
            return ""
        if type(value) is str and len(value) <= max_length:  # the common case
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()
        value = str(value)
        if len(value) > max_length:
            self.error(column, f"dài quá {max_length} ký tự")
            return None
        return value

    def choice(self, column, choices, *, required=False):
        value = self.raw(column)
        if value is None:
            if required:
                self.error(column, "bắt buộc, không được để trống")
                return None
            return ""
        key = str(value).strip().lower()
        if key not in choices:
            allowed = ", ".join(choices)
            self.error(
                column,
                f"giá trị “{shown(value)}” không hợp lệ (dùng một trong: {allowed})",
            )
            return None
        return key

    def decimal(self, column, *, required=False):
        value = self.raw(column)
        if value is None:
            if required:
                self.error(column, "bắt buộc, không được để trống")
            return None
        number = self._to_decimal(column, value)
        if number is None:
            return None
        if number.as_tuple().exponent < -4 or abs(number) >= MAX_DECIMAL:
            self.error(column, "số quá lớn hoặc có quá 4 chữ số thập phân")
            return None
        return number

    def _to_decimal(self, column, value):
        if isinstance(value, bool) or isinstance(value, datetime.date):
            self.error(column, f"“{shown(value)}” không phải là số")
            return None
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            text = str(value).replace(" ", "").replace("\u00a0", "").rstrip("%")
            if "," in text and "." in text or text.count(",") > 1:
                self.error(
                    column,
                    f"“{shown(value)}” không phải là số (dùng một dấu thập phân, "
                    "chấm hoặc phẩy, không dùng dấu phân cách hàng nghìn)",
                )
                return None
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.error(column, f"“{shown(value)}” không phải là số")
            return None
        return number.to_integral_value() if number == number.to_integral() else number

    def integer(self, column, *, required=False, low, high, reason):
        value = self.raw(column)
        if value is None:
            if required:
                self.error(column, "bắt buộc, không được để trống")
            return None
        number = None
        if type(value) is int or (
            isinstance(value, str) and value.isascii() and value.isdigit()
        ):
            if low <= int(value) <= high:  # the common case, without a Decimal
                return int(value)
        elif not isinstance(value, bool | datetime.date):
            try:
                number = Decimal(str(value).strip().replace(",", "."))
            except InvalidOperation:
                number = None
        if (
            number is None
            or not number.is_finite()
            or number != number.to_integral_value()
            or not low <= number <= high
        ):
            self.error(column, f"{reason} (nhận được “{shown(value)}”)")
            return None
        return int(number)

    def year(self, column, *, required=False):
        return self.integer(
            column,
            required=required,
            low=YEAR_MIN,
            high=YEAR_MAX,
            reason=f"năm phải là số nguyên từ {YEAR_MIN} đến {YEAR_MAX}",
        )

    def date(self, column):
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                parsed = datetime.datetime.strptime(text, pattern)  # noqa: DTZ007
            except ValueError:
                continue
            if YEAR_MIN - 100 <= parsed.year <= YEAR_MAX:
                return parsed.date()
        self.error(
            column,
            f"ngày “{shown(value)}” không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
        )
        return None

    def yes_no(self, column):
        """1 for dat / Đạt / 1, 0 for chua_dat / Chưa đạt / 0 (any case, NFC/NFD)."""
        value = self.raw(column)
        if value is None:
            self.error(column, "bắt buộc, không được để trống")
            return None
        if isinstance(value, int | float) and value in (0, 1):
            return Decimal(int(value))
        key = fold(str(value)).replace(" ", "_")
        if key in YES:
            return Decimal(1)
        if key in NO:
            return Decimal(0)
        self.error(
            column,
            f"chỉ tiêu có/không nhận “dat” hoặc “chua_dat” (Đạt/Chưa đạt, 1/0), "
            f"không nhận “{shown(value)}”",
        )
        return None
