"""The import's XLSX reader gives the values openpyxl gives, for every kind of cell."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from imports.xlsx import Workbook
from tests.imports.conftest import xlsx_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><dimension ref="A1:A1"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
<c r="D1" t="inlineStr"><is><t xml:space="preserve"> cách </t></is></c></row>
<row r="2"><c r="A2"><v>2017</v></c><c r="B2"><v>2017.5</v></c><c r="C2"><v>1E-3</v></c>
<c r="D2" s="1"><v>42646</v></c><c r="E2" s="2"><v>42646.5</v></c>
<c r="F2" s="3"><v>1.25</v></c></row>
<row r="5"><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c>
<c t="str"><f>A1&amp;B1</f><v>Đông Khê</v></c><c t="d"><v>2016-10-03T00:00:00</v></c>
<c t="inlineStr"><is><r><t>Chưa </t></r><r><rPr><b/></rPr><t>đạt</t></r></is></c>
<c/><c><v></v></c><c t="s"><v>2</v></c></row>
<row r="6" spans="1:3"><c r="C6" t="s"><v>3</v></c></row>
</sheetData></worksheet>"""
SHARED = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="4" uniqueCount="4"><si><t>ma_don_vi</t></si>
<si><r><t>Xã </t></r><r><rPr><i/></rPr><t>Đông Khê</t></r>
<rPh sb="0" eb="2"><t>ドン</t></rPh></si>
<si><t/></si><si><t>a_x005F_x000D_b</t></si></sst>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}"><numFmts count="2">
<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
<numFmt numFmtId="165" formatCode="[h]:mm"/>
</numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>
<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/>
</cellXfs></styleSheet>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><workbookPr{{date1904}}/>
<sheets><sheet name="Tiến độ" sheetId="1" r:id="rId7"/>
<sheet name="B" sheetId="2" r:id="rId8"/>
</sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELS}">
<Relationship Id="rId8" Type="{OFFICE}/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId7" Type="{OFFICE}/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId2" Type="{OFFICE}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""  # noqa: E501
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE}/officeDocument"
Target="xl/workbook.xml"/></Relationships>"""


def _workbook(date1904=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            WORKBOOK.replace("{date1904}", ' date1904="1"' if date1904 else ""),
        )
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr("xl/worksheets/data.xml", SHEET)
        archive.writestr(
            "xl/worksheets/sheet2.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="inlineStr"><is>'
            "<t>not this one</t></is></c></row></sheetData></worksheet>",
        )
    return buffer.getvalue()


def _openpyxl_rows(content):
    workbook = openpyxl.load_workbook(
        io.BytesIO(content), read_only=True, data_only=True
    )
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _rows(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return list(Workbook(archive).rows())


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(date1904):
    content = _workbook(date1904)
    rows = _rows(content)
    assert rows == _openpyxl_rows(content)
    assert rows[0] == ("ma_don_vi", "Xã Đông Khê", None, " cách ")
    assert rows[1][:3] == (2017, 2017.5, 0.001)
    # The same serial number is 1,462 days later from the Macintosh epoch of 1904.
    first_day = (
        datetime.datetime(2020, 10, 4) if date1904 else datetime.datetime(2016, 10, 3)  # noqa: DTZ001
    )
    assert rows[1][3:] == (
        first_day,
        first_day + datetime.timedelta(hours=12),
        datetime.timedelta(hours=30),
    )
    assert rows[2:4] == [(), ()]
    assert rows[4][:6] == (
        True,
        False,
        "#N/A",
        "Đông Khê",
        datetime.datetime(2016, 10, 3),  # noqa: DTZ001
        "Chưa đạt",
    )
    assert rows[5] == (None, None, "a_x000D_b")


def test_a_workbook_written_by_openpyxl_reads_the_same():
    rows = [
        ["ma_don_vi", "nam", "ngay", "gia_tri"],
        ["CQ-1", 2017.0, datetime.datetime(2016, 10, 3), "dat"],  # noqa: DTZ001
        [],
        [None, None, None, 12.5, "ghi chú"],
    ]
    content = xlsx_bytes(rows)
    assert _rows(content) == _openpyxl_rows(content)
