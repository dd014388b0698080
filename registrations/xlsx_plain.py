"""A small .xlsx writer for plain tables: text, numbers, dates and fixed styles.

The staff report's workbooks hold thousands of rows at a province's size (one a
unit); openpyxl builds an object per cell and took about 0.9 s of CPU for a
5,000-row sheet, more than the figures themselves. The sheets here are written
straight as SpreadsheetML (ECMA-376): text as inline strings, numbers as numbers,
dates as Excel serial numbers, a style per cell (the constants below), column
widths, the first rows frozen. openpyxl, Excel and LibreOffice read the result;
only what the report needs is supported.
"""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

# Cell styles (indexes of cellXfs below).
PLAIN, HEADING, HEADER, PERCENT, WRAP, BOLD_FILL, DATE, DATETIME, BOLD, BOLD_PERCENT = (
    range(10)
)
# Day 0 of Excel's 1900 date system; its serials are wall-clock times (naive).
EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001

STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/>\
<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/>\
<numFmt numFmtId="166" formatCode="dd/mm/yyyy hh:mm"/></numFmts>\
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="13"/><name val="Calibri"/></font></fonts>\
<fills count="3"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="00F2DCDB"/></patternFill></fill>\
</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>\
</border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>\
</cellStyleXfs><cellXfs count="10">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" \
applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" \
applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" \
applyFill="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" \
applyNumberFormat="1"/>\
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" \
applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" \
applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Characters XML 1.0 cannot hold (openpyxl refuses them too): dropped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def column_letter(index):
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref, value, style):
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        value = (value.replace(tzinfo=None) - EPOCH) / dt.timedelta(days=1)
    elif isinstance(value, dt.date):
        value = (value - EPOCH.date()).days
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # "1", as openpyxl writes it (read back as 1)
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    # A cell holds at most 32,767 characters (Excel; openpyxl cuts there too).
    text = escape(_ILLEGAL.sub("", str(value))[:32767])
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


class Sheet:
    """Rows appended in order; ``styles`` maps a 1-based column to a style."""

    def __init__(self, title):
        self.title = title[:31]
        self.rows = []
        self.widths = []
        self.frozen_rows = 0

    def append(self, values, style=PLAIN, styles=None):
        self.rows.append((list(values), style, styles or {}))

    @property
    def max_row(self):
        return len(self.rows)

    def xml(self):
        letters = [
            column_letter(i)
            for i in range(
                1,
                1
                + max(
                    [len(values) for values, _, _ in self.rows] + [len(self.widths), 1]
                ),
            )
        ]
        out = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">',
        ]
        if self.frozen_rows:
            top = f"A{self.frozen_rows + 1}"
            out.append(
                f'<pane ySplit="{self.frozen_rows}" topLeftCell="{top}" '
                'activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            )
        out.append("</sheetView></sheetViews>")
        if self.widths:
            out.append("<cols>")
            out += [
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(self.widths, start=1)
            ]
            out.append("</cols>")
        out.append("<sheetData>")
        for number, (values, style, styles) in enumerate(self.rows, start=1):
            cells = "".join(
                _cell(f"{letters[i]}{number}", value, styles.get(i + 1, style))
                for i, value in enumerate(values)
            )
            if cells:
                out.append(f'<row r="{number}">{cells}</row>')
        out.append("</sheetData></worksheet>")
        return "".join(out)


class Book:
    """Sheets in order and a title; ``bytes()`` is the .xlsx file."""

    def __init__(self, title=""):
        self.title = title
        self.sheets = []

    def sheet(self, title):
        sheet = Sheet(title)
        self.sheets.append(sheet)
        return sheet

    def bytes(self):
        count = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        parts = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="'
                'application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                f'ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                f'ContentType="{SHEET_TYPE}.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="'
                'application/vnd.openxmlformats-package.core-properties+xml"/>'
                f"{overrides}</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="{PACKAGE_RELS}">'
                f'<Relationship Id="rId1" Type="{RELS}/officeDocument" '
                'Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                'package/2006/relationships/metadata/core-properties" '
                'Target="docProps/core.xml"/></Relationships>'
            ),
            "docProps/core.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
                'package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{escape(self.title)}</dc:title></cp:coreProperties>"
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
                + "".join(
                    f'<sheet name={quoteattr(sheet.title)} sheetId="{i}" '
                    f'r:id="rId{i}"/>'
                    for i, sheet in enumerate(self.sheets, start=1)
                )
                + "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="{PACKAGE_RELS}">'
                + "".join(
                    f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" '
                    f'Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, count + 1)
                )
                + f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" '
                'Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": STYLES_XML,
        }
        for i, sheet in enumerate(self.sheets, start=1):
            parts[f"xl/worksheets/sheet{i}.xml"] = sheet.xml()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in parts.items():
                archive.writestr(name, text.encode())
        return buffer.getvalue()
