"""The rows of a unit-heads file, read and checked one by one (CONTRACT §1.6):
the unit, the person (name, address, phone, the account's key) and what a row
may leave empty; ``imports.services.heads`` matches them to accounts.
"""

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..cells import Row, shown

PHONE = re.compile(r"^\+?\d{8,15}$")


@dataclass
class Line:
    row: Row
    unit_code: str | None
    name: str | None
    email: str | None
    phone: str | None  # None: the column is not in the file (keep what is stored)
    key: uuid.UUID | None


@dataclass
class Person:
    """One account the file speaks of: found (``user``) or to be made."""

    row: int
    name: str
    email: str
    phone: str | None
    user: object = None
    profile: object = None
    created: bool = False  # a new account
    units: list = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # user and profile fields to set
    shown: list = field(default_factory=list)  # (column, old, new) for people


def email_of(row):
    value = row.text("email", required=True, max_length=254)
    if not value:
        return None
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        row.error("email", f"“{shown(value)}” không phải là địa chỉ email hợp lệ")
        return None
    return value


def phone_of(row, present):
    if not present:
        return None
    raw = row.raw("so_dien_thoai")
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        # A spreadsheet keeps a number typed as a number: 0912… arrives 912….
        value = str(raw)
        if len(value) in (9, 10) and not value.startswith(("0", "84")):
            value = "0" + value
    else:
        value = row.text("so_dien_thoai", max_length=20)
        if value is None:
            return None
    if len(value) > 20 or not PHONE.match(re.sub(r"[\s.()-]", "", value)):
        row.error(
            "so_dien_thoai",
            f"“{shown(value)}” không phải là số điện thoại (8–15 chữ số, "
            "có thể có dấu cách, chấm, gạch nối, dấu + ở đầu)",
        )
        return None
    return value


def key_of(row, present):
    if not present:
        return None
    value = row.text("ma_tai_khoan", max_length=40)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        row.error("ma_tai_khoan", f"mã tài khoản “{shown(value)}” không hợp lệ")
        return None


def parse_rows(table, report):
    has_phone = "so_dien_thoai" in table.header
    has_key = "ma_tai_khoan" in table.header
    lines = []
    for number, values in table.rows:
        row = Row(number, values, table.header, report.errors)
        lines.append(
            Line(
                row,
                row.text("ma_don_vi", required=True, max_length=50),
                row.text("ho_ten", required=True, max_length=150),
                email_of(row),
                phone_of(row, has_phone),
                key_of(row, has_key),
            )
        )
    return lines, has_phone
