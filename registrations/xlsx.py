"""Excel workbooks of the staff reports (/bao-cao/), from ``figures.QuarterReport``.

Every workbook is written by ``xlsx_plain`` (thousands of rows at a province's
size: openpyxl's object per cell cost more than the figures).

Numbers are written as numbers and rates as fractions with a percent format, so a
spreadsheet can sum and chart them; text that a spreadsheet would run as a formula
(= + - @, tab, CR) is prefixed with an apostrophe (OWASP CSV injection).
"""

from units.models import SchoolLevel, UnitKind

from . import xlsx_plain as plain

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")

SECTIONS = {
    "dang-ky": "Đăng ký theo loại",
    "vuot-lo-trinh": "Vượt lộ trình",
    "tieu-chi-cham": "Tiêu chí chậm",
    "bang-diem": "Kết quả từng đơn vị",
    "so-sanh": "So với quý trước",
}


def safe_text(value):
    """Text that cannot be read as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def level_name(level):
    """'mầm non', 'tiểu học', 'THCS' (an acronym keeps its capitals)."""
    name = str(level.label)
    return name if name.isupper() else name.lower()


def kind_rows(by_kind):
    """(label, count) rows of registrations by kind, schools by level."""
    rows = [
        (str(UnitKind.CO_QUAN.label), by_kind["co_quan"]),
        (str(UnitKind.XA.label), by_kind["xa"]),
        (str(UnitKind.THON.label), by_kind["thon"]),
    ]
    rows += [
        (f"Trường {level_name(level)}", by_kind["truong"][level.value])
        for level in SchoolLevel
    ]
    return rows


def _table(book, title, heading, headers, rows, widths, formats=None):
    """A report sheet (``xlsx_plain``): heading, header row, rows from row 4.

    ``formats`` maps a 1-based column to its style in the rows.
    """
    sheet = book.sheet(title)
    sheet.append([safe_text(heading)], plain.HEADING)
    sheet.append([])
    sheet.append(headers, plain.HEADER)
    for row in rows:
        sheet.append([safe_text(v) for v in row], styles=formats)
    sheet.widths = widths
    sheet.frozen_rows = 3
    return sheet


def _kinds(workbook, report):
    rows = kind_rows(report.by_kind)
    rows.append(("Tổng", report.total_registrations))
    _table(
        workbook,
        SECTIONS["dang-ky"],
        f"Đơn vị đăng ký hoàn thành năm {report.year} ({report.label})",
        ["Loại đơn vị", "Số đăng ký"],
        rows,
        [32, 14],
    )


def _ahead(workbook, report):
    rows = [
        (u.name, u.code, u.year, u.roadmap_year, u.roadmap_year - u.year)
        for u in report.ahead
    ]
    _table(
        workbook,
        SECTIONS["vuot-lo-trinh"],
        f"Đơn vị đăng ký vượt lộ trình của huyện, năm {report.year}",
        ["Đơn vị", "Mã đơn vị", "Năm đăng ký", "Năm lộ trình", "Sớm hơn (năm)"],
        rows,
        [40, 20, 14, 14, 14],
    )


def _lagging(workbook, report):
    rows = [
        (
            rank,
            c.name,
            c.code,
            c.title_name,
            c.met,
            c.registrations,
            c.rate_rounded,
            "; ".join(u.name for u in c.not_met_units),
        )
        for rank, c in enumerate(report.current.criteria, start=1)
    ]
    _table(
        workbook,
        SECTIONS["tieu-chi-cham"],
        f"Tiêu chí chậm, xếp theo tỷ lệ đạt tăng dần — {report.label}",
        [
            "STT",
            "Tiêu chí",
            "Mã tiêu chí",
            "Danh hiệu",
            "Số đơn vị đạt",
            "Số đăng ký",
            "Tỷ lệ đạt",
            "Đơn vị chưa đạt",
        ],
        rows,
        [6, 36, 14, 28, 12, 12, 12, 80],
        {7: plain.PERCENT, 8: plain.WRAP},
    )


def _scorecard(workbook, report):
    rows = [
        (
            u.name,
            u.code,
            u.criteria_met,
            u.criteria,
            u.progress_rounded,
            u.indicators_met,
            u.indicators,
            u.indicators_missing,
        )
        for u in report.current.units
    ]
    _table(
        workbook,
        SECTIONS["bang-diem"],
        f"Kết quả từng đơn vị đăng ký năm {report.year} — {report.label}",
        [
            "Đơn vị",
            "Mã đơn vị",
            "Tiêu chí đạt",
            "Tổng số tiêu chí",
            "Tiến độ",
            "Chỉ tiêu đạt",
            "Tổng số chỉ tiêu",
            "Chỉ tiêu chưa có số liệu",
        ],
        rows,
        [40, 20, 12, 14, 10, 12, 14, 16],
        {5: plain.PERCENT},
    )


def _changes(workbook, report):
    totals = report.totals()
    before, now = totals["previous"], totals["current"]
    rows = [
        ("Đơn vị đạt đủ mọi tiêu chí", before["units_complete"], now["units_complete"]),
        ("Lượt tiêu chí đạt", before["criteria_met"], now["criteria_met"]),
        (
            "Chỉ tiêu chưa có số liệu",
            before["indicators_missing"],
            now["indicators_missing"],
        ),
    ]
    rows = [(label, a, b, b - a) for label, a, b in rows]
    rate = ("Tỷ lệ tiêu chí đạt chung", before["rate"], now["rate"])
    rows.append((*rate, round(now["rate"] - before["rate"], 4)))
    sheet = _table(
        workbook,
        SECTIONS["so-sanh"],
        f"So sánh {report.label} với {report.previous_label}",
        ["Chỉ số", report.previous_label, report.label, "Thay đổi"],
        rows,
        [40, 16, 16, 14],
    )
    # Rates as percentages: the overall rate row and every criterion row.
    percent = {2: plain.PERCENT, 3: plain.PERCENT, 4: plain.PERCENT}
    sheet.rows[-1] = (sheet.rows[-1][0], plain.PLAIN, percent)
    sheet.append([])
    sheet.append(
        ["Tiêu chí", report.previous_label, report.label, "Thay đổi"],
        plain.BOLD_FILL,
    )
    for change in report.changes():
        before_rate = change.previous.rate_rounded if change.previous else 0.0
        sheet.append(
            [
                safe_text(change.rate.name),
                before_rate,
                change.rate.rate_rounded,
                change.delta,
            ],
            styles=percent,
        )


_BUILDERS = {
    "dang-ky": _kinds,
    "vuot-lo-trinh": _ahead,
    "tieu-chi-cham": _lagging,
    "bang-diem": _scorecard,
    "so-sanh": _changes,
}


def workbook_bytes(report, section=None):
    """The .xlsx of one section, or of every section when ``section`` is None."""
    book = plain.Book(f"Báo cáo tiến độ kiểu mẫu {report.label}")
    for name in [section] if section else list(_BUILDERS):
        _BUILDERS[name](book, report)
    return book.bytes()


def completeness_workbook(*, label, filters, summary, columns, units):
    """The completeness of a quarter's unit reports: by commune, by kind, by unit.

    ``summary`` and ``columns`` as ``worklist.completeness`` and
    ``COMPLETENESS_COLUMNS`` give them; ``units`` the work list's rows, in its
    order, each (code, name, kind, commune, state, late, deadline, submitted at).
    """
    book = plain.Book(f"Mức độ đầy đủ báo cáo {label}")
    suffix = f" ({filters})" if filters else ""
    headers = [str(title) for _key, title in columns] + ["Tỷ lệ đã nộp"]
    keys = [key for key, _title in columns]
    for title, heading, groups, first in [
        ("Theo xã", "Xã", summary["by_commune"], 40),
        ("Theo loại đơn vị", "Loại đơn vị", summary["by_kind"], 28),
    ]:
        rows = [
            [group["label"], *(group[key] for key in keys), group["rate"]]
            for group in [*groups, summary["total"]]
        ]
        sheet = _table(
            book,
            title,
            f"Mức độ đầy đủ báo cáo của đơn vị {label}, {title.lower()}{suffix}",
            [heading, *headers],
            rows,
            [first, *([14] * len(keys)), 12],
            {len(keys) + 2: plain.PERCENT},
        )
        values, _style, _styles = sheet.rows[-1]  # the total, in bold
        sheet.rows[-1] = (values, plain.BOLD, {len(keys) + 2: plain.BOLD_PERCENT})
    _table(
        book,
        "Danh sách đơn vị",
        f"Đơn vị phải nộp báo cáo {label}{suffix}",
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Loại",
            "Xã",
            "Trạng thái",
            "Quá hạn",
            "Hạn nộp lại",
            "Nộp lúc",
        ],
        [
            (code, name, kind, commune, state, "Quá hạn" if late else "", day, at)
            for code, name, kind, commune, state, late, day, at in units
        ],
        [20, 40, 22, 28, 16, 10, 14, 18],
        {7: plain.DATE, 8: plain.DATETIME},
    )
    return book.bytes()
