"""The plain workbook writer: what openpyxl reads back is what was written."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from registrations import xlsx_plain as plain

# Excel keeps wall-clock times: naive datetimes on both sides.
AT = dt.datetime(2026, 3, 31, 16, 45)  # noqa: DTZ001
DAY = dt.datetime(2026, 2, 5)  # noqa: DTZ001


def _read(book):
    return load_workbook(io.BytesIO(book.bytes()))


def test_values_and_styles_read_back_as_written():
    book = plain.Book("Sổ thử")
    sheet = book.sheet("Trang tính có tên rất dài quá ba mươi mốt ký tự")
    sheet.append(["Tiêu đề"], plain.HEADING)
    sheet.append(["Mã", "Tỷ lệ", "Ngày", "Lúc", "Số"], plain.HEADER)
    sheet.append(
        [
            "Đông Khê",
            0.25,
            dt.date(2026, 2, 5),
            AT,
            Decimal("12.5"),
        ],
        styles={2: plain.PERCENT, 3: plain.DATE, 4: plain.DATETIME},
    )
    sheet.append(["Tất cả", 1.0], plain.BOLD, {2: plain.BOLD_PERCENT})
    sheet.frozen_rows = 2
    workbook = _read(book)
    [title] = workbook.sheetnames
    assert title == "Trang tính có tên rất dài quá b"
    ws = workbook[title]
    assert ws["A1"].font.b and ws["A1"].font.sz == 13
    assert ws["A2"].font.b and ws["A2"].fill.fgColor.rgb == "00F2DCDB"
    row = [c.value for c in ws[3]]
    assert row == [
        "Đông Khê",
        0.25,
        DAY,
        AT,
        12.5,
    ]
    assert ws["B3"].number_format == "0.0%"
    assert ws["C3"].number_format == "dd/mm/yyyy"
    assert ws["D3"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["A4"].font.b and not ws["A4"].fill.fgColor.rgb == "00F2DCDB"
    assert ws["B4"].font.b and ws["B4"].number_format == "0.0%"
    assert ws.freeze_panes == "A3"
