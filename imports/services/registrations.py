"""Import of registrations: one active registration per unit and title (upsert).

Importing a new year for a unit and title changes the target year of its active
registration, in bulk with a history row each, so that django-simple-history
keeps the old year.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registrations.models import Registration, Title
from registrations.services import YEAR_CHANGE_STATUSES
from units.models import Unit

from ..cells import Row
from .base import changed_columns, outcome

COLUMNS = ["ma_don_vi", "nam_dang_ky", "ngay_dang_ky", "ma_danh_hieu"]
REQUIRED = ["ma_don_vi", "nam_dang_ky"]
LABEL = "đăng ký"
CHANGE_REASON = "nhập tệp"
BATCH_SIZE = 500
UPDATED_FIELDS = ["year", "registered_on", "updated_by", "updated_at", "version"]


@dataclass
class Line:
    row: Row
    unit_code: str
    year: int | None
    registered_on: object
    title_code: str


def _applies(title, unit, year):
    """Title.objects.for_unit(unit, year), on titles already loaded."""
    return (
        title.kind == unit.kind
        and title.school_level in ("", unit.school_level)
        and (title.valid_from_year is None or title.valid_from_year <= year)
        and (title.valid_to_year is None or title.valid_to_year >= year)
    )


def _title_for(line, unit, titles):
    row, year = line.row, line.year
    if line.title_code:
        title = titles.get(line.title_code)
        if title is None:
            row.error("ma_danh_hieu", f"không tìm thấy danh hiệu “{line.title_code}”")
        elif not _applies(title, unit, year):
            row.error(
                "ma_danh_hieu",
                f"danh hiệu “{title.code}” không áp dụng cho đơn vị “{unit.code}” "
                f"({unit.kind_label.lower()}) trong năm {year}",
            )
        else:
            return title
        return None
    candidates = [t for t in titles.values() if _applies(t, unit, year)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        row.error(
            "ma_danh_hieu",
            f"không có danh hiệu nào cho {unit.kind_label.lower()} trong năm {year}",
        )
    else:
        codes = ", ".join(sorted(t.code for t in candidates))
        row.error(
            "ma_danh_hieu",
            f"có nhiều danh hiệu phù hợp ({codes}), hãy ghi rõ mã danh hiệu",
        )
    return None


def validate(table, report):
    keep_date = "ngay_dang_ky" not in table.header
    lines = []
    for number, values in table.rows:
        row = Row(number, values, table.header, report.errors)
        lines.append(
            Line(
                row,
                row.text("ma_don_vi", required=True, max_length=50),
                row.year("nam_dang_ky", required=True),
                row.date("ngay_dang_ky"),
                row.text("ma_danh_hieu", max_length=50),
            )
        )
    units = {
        u.code: u for u in Unit.objects.filter(code__in={li.unit_code for li in lines})
    }
    titles = {t.code: t for t in Title.objects.all()}
    active = {
        (r.unit_id, r.title_id): r
        for r in Registration.objects.active().filter(unit__in=units.values())
    }
    seen, plan = {}, []
    for line in lines:
        row = line.row
        unit = units.get(line.unit_code)
        if line.unit_code and unit is None:
            row.error("ma_don_vi", f"không tìm thấy đơn vị “{line.unit_code}”")
        if unit is None or line.year is None:
            continue
        title = _title_for(line, unit, titles)
        if title is None:
            continue
        key = (unit.pk, title.pk)
        if key in seen:
            row.error(
                "ma_don_vi",
                f"trùng đơn vị “{unit.code}” và danh hiệu “{title.code}” "
                f"với dòng {seen[key]}",
            )
            continue
        seen[key] = row.number
        current = active.get(key)
        if keep_date and current is not None:
            line.registered_on = current.registered_on  # column left out: keep
        if (
            current
            and current.year != line.year
            and current.status not in YEAR_CHANGE_STATUSES
        ):
            row.error(
                "nam_dang_ky",
                "không đổi được năm của đăng ký đang ở trạng thái "
                f"“{current.get_status_display()}”",
            )
            continue
        columns = current and changed_columns(
            [
                ("nam_dang_ky", current.year, line.year),
                ("ngay_dang_ky", current.registered_on, line.registered_on),
            ]
        )
        result = outcome(current, columns)
        report.count(result)
        report.change(result, LABEL, f"{unit.code} · {title.code}", columns or ())
        if result != "unchanged":
            plan.append((current, unit, title, line))
    return plan


@transaction.atomic
def write(plan, *, user):
    """New registrations and changed years in bulk, each with its history row."""
    now = timezone.now()
    new, changed = [], []
    for registration, unit, title, line in plan:
        if registration is None:
            registration = Registration(unit=unit, title=title, created_at=now)
            new.append(registration)
        else:
            changed.append(registration)
        registration.year = line.year
        registration.registered_on = line.registered_on
        registration.updated_by = user
        registration.updated_at = now
    history = {
        "batch_size": BATCH_SIZE,
        "default_user": user,
        "default_change_reason": CHANGE_REASON,
        "default_date": now,
    }
    bulk_create_with_history(new, Registration, **history)
    for start in range(0, len(changed), BATCH_SIZE):
        batch = {r.pk: r for r in changed[start : start + BATCH_SIZE]}
        # A unit head's form still showing the old year must get a conflict: the
        # version goes up in the database (locking the rows), then is read back.
        mine = Registration.objects.filter(pk__in=batch)
        mine.update(version=F("version") + 1)
        for pk, version in mine.values_list("pk", "version"):
            batch[pk].version = version
    bulk_update_with_history(changed, Registration, UPDATED_FIELDS, **history)
