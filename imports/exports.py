"""Export of the data files with exactly the contract's columns (CONTRACT §1).

What is exported imports back unchanged (round trip). Text cells that a
spreadsheet program would run as a formula get a leading ``'``; import takes it
off again. The units' validity columns are written only when some unit has a
value in them, so a district without mergers gets the same file as before.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.db.models import Count

from registrations.models import Indicator, IndicatorKind, Progress, Registration
from units.models import Unit

from .cells import escape_formula
from .services import columns

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ITERATOR_CHUNK = 2000


def _number(value):
    """Decimal('3.0000') -> 3; Decimal('2.5000') -> Decimal('2.5')."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


# The units' optional validity columns and the fields they are read from.
VALIDITY_FIELDS = {
    "hieu_luc_tu": "valid_from",
    "hieu_luc_den": "valid_to",
    "ma_don_vi_ke_tiep": "successor__code",
}


def _units():
    """(header, rows), without the validity columns that every unit leaves empty."""
    counts = Unit.objects.aggregate(
        **{column: Count(field) for column, field in VALIDITY_FIELDS.items()}
    )
    extra = [column for column in VALIDITY_FIELDS if counts[column]]
    rows = Unit.objects.order_by("code").values_list(
        "code",
        "name",
        "kind",
        "parent__code",
        "school_level",
        "roadmap_year",
        *(VALIDITY_FIELDS[column] for column in extra),
    )

    def lines():
        for code, name, kind, parent, level, roadmap, *validity in rows.iterator(
            ITERATOR_CHUNK
        ):
            yield (code, name, kind, parent or "", level, roadmap, *validity)

    return [*columns("units"), *extra], lines()


def _criteria():
    rows = Indicator.objects.order_by(
        "criterion__title__code",
        "criterion__order",
        "criterion__code",
        "order",
        "code",
    ).values_list(
        "criterion__title__code",
        "criterion__title__name",
        "criterion__title__kind",
        "criterion__title__school_level",
        "criterion__code",
        "criterion__name",
        "code",
        "name",
        "kind",
        "comparison",
        "target",
        "unit_of_measure",
    )
    for row in rows.iterator(ITERATOR_CHUNK):
        yield (*row[:10], _number(row[10]), row[11])


def _registrations():
    rows = (
        Registration.objects.active()
        .order_by("unit__code", "title__code")
        .values_list("unit__code", "year", "registered_on", "title__code")
    )
    yield from rows.iterator(ITERATOR_CHUNK)


def _progress():
    rows = Progress.objects.order_by(
        "unit__code", "year", "quarter", "indicator__code"
    ).values_list(
        "unit__code",
        "year",
        "quarter",
        "indicator__code",
        "indicator__kind",
        "value",
        "note",
    )
    for unit, year, quarter, code, kind, value, note in rows.iterator(ITERATOR_CHUNK):
        if kind == IndicatorKind.CO_KHONG:
            value = "dat" if value == 1 else "chua_dat"
        else:
            value = _number(value)
        yield (unit, year, quarter, code, value, note)


def _heads():
    """Each unit's heads, units by code: name, address, phone and account key."""
    links = (
        Unit.heads.through.objects.order_by("unit__code", "user__username")
        .select_related("unit", "user", "user__head_profile")
        .iterator(ITERATOR_CHUNK)
    )
    for link in links:
        user = link.user
        profile = getattr(user, "head_profile", None)
        name = (profile.full_name if profile else "") or user.get_full_name()
        yield (
            link.unit.code,
            name or user.get_username(),
            user.email,
            profile.phone if profile else "",
            str(profile.key) if profile else "",
        )


ROWS = {
    "heads": _heads,
    "criteria": _criteria,
    "registrations": _registrations,
    "progress": _progress,
}


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def _write_csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    # With a BOM, Excel opens the UTF-8 file with its Vietnamese letters intact.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _write_xlsx(header, rows, title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "dd/mm/yyyy"
                value = cell
            elif isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, str):
                value = escape_formula(value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file(*, kind, fmt="csv"):
    """The file of ``kind`` as bytes, CSV (UTF-8 with BOM) or XLSX."""
    if kind == "units":
        header, rows = _units()
    else:
        header, rows = columns(kind), ROWS[kind]()
    if fmt == "xlsx":
        return _write_xlsx(header, rows, kind)
    return _write_csv(header, rows)


def filename(kind, fmt, today):
    return f"{kind}-{today:%Y%m%d}.{fmt}"
