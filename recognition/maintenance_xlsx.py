"""The maintenance flags as an Excel workbook (staff's export of the list)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from registrations.xlsx import safe_text

HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Xã",
    "Danh hiệu",
    "Năm công nhận",
    "Số quyết định",
    "Ngày quyết định",
    "Quý",
    "Lý do",
    "Chi tiết",
]
WIDTHS = [16, 34, 22, 30, 10, 18, 14, 14, 28, 60]


def rows(flags):
    for flag in flags:
        reg = flag.registration
        yield [
            reg.unit.code,
            reg.unit.name,
            reg.unit.parent.name if reg.unit.parent else "",
            reg.title.name,
            reg.year,
            reg.decision_number,
            reg.decision_date,
            flag.period_label,
            str(flag.reason_label),
            str(flag.detail),
        ]


def workbook_bytes(flags, heading):
    """One sheet: a heading, the column names, one row per flag."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Duy trì danh hiệu"
    sheet.append([safe_text(heading)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows(flags):
        sheet.append([safe_text(value) for value in row])
    for (cell,) in sheet.iter_rows(min_row=4, min_col=7, max_col=7):
        cell.number_format = "DD/MM/YYYY"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
