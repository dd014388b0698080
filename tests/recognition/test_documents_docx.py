"""The decisions and certificates as DOCX, read back with python-docx."""

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from recognition.documents import build_templates, certificate_docx, decision_docx
from tests.recognition.test_documents_wording import (
    CERTIFICATE_LINES,
    CERTIFICATES,
    RECOGNITION,
    RECOGNITION_LINES,
    REVOCATION,
    UNITS,
    nfc,
)

FONT = "Times New Roman"


def read(data):
    return docx.Document(io.BytesIO(data))


def paragraphs(document):
    """Every paragraph in reading order, table cells included, as NFC text."""
    found = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    found.extend(p for p in cell.paragraphs)
        else:
            found.append(block)
    return found


def lines(document):
    return [nfc(p.text) for p in paragraphs(document) if p.text.strip()]


def table_rows(document):
    return [
        [nfc(cell.text) for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]


def paragraph_with(document, text):
    return next(p for p in paragraphs(document) if nfc(p.text) == text)


def test_the_recognition_decision_has_every_part_of_decree_30s_layout():
    document = read(decision_docx(RECOGNITION))
    text = lines(document)
    for line in RECOGNITION_LINES:
        assert line in text, line
    # Top left the body and its number, top right the national name and motto.
    header = document.tables[0]
    assert (
        nfc(header.cell(0, 0).text).split() == "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG SƠN".split()
    )
    assert nfc(header.cell(0, 1).text).startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert nfc(header.cell(1, 0).text) == "Số: 123/QĐ-UBND"
    assert nfc(header.cell(1, 1).text) == "Đông Sơn, ngày 15 tháng 12 năm 2017"
    motto = paragraph_with(document, "Độc lập - Tự do - Hạnh phúc")
    assert all(run.underline and run.bold for run in motto.runs)
    place = paragraph_with(document, "Đông Sơn, ngày 15 tháng 12 năm 2017")
    assert all(run.italic for run in place.runs)
    # The recipients bottom left, the signatory bottom right, in this order.
    closing = document.tables[1]
    assert nfc(closing.cell(0, 0).text).splitlines() == [
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Cổng thông tin điện tử;",
        "- Lưu: VT.",
    ]
    signatory = [line for line in nfc(closing.cell(0, 1).text).splitlines() if line]
    assert signatory == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]
    # The order of the parts.
    order = [
        "Số: 123/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG SƠN",
        "QUYẾT ĐỊNH:",
        "Nơi nhận:",
        "DANH SÁCH",
    ]
    assert [text.index(line) for line in order] == sorted(
        text.index(line) for line in order
    )


def test_the_recognition_decision_lists_every_unit_exactly():
    data = decision_docx(RECOGNITION)
    rows = table_rows(read(data))
    # One list (attached), whose header row repeats on each page in Word.
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") == 1
    assert rows.count(["STT", "Tên đơn vị", "Thuộc xã", "Danh hiệu"]) == 1
    assert ["STT", "Tên đơn vị", "Thuộc xã", "Danh hiệu"] in rows
    for index, unit in enumerate(UNITS, start=1):
        assert [str(index), unit.name, unit.commune, unit.title] in rows
    # Names are text, not markup: "&" and "<" came through unharmed.
    assert ["5", "Hội Cựu chiến binh & <Đoàn>", "", "Cơ quan kiểu mẫu"] in rows


def test_the_revocation_decision_names_its_units_and_the_reason():
    document = read(decision_docx(REVOCATION))
    text = lines(document)
    assert "Về việc thu hồi danh hiệu kiểu mẫu năm 2017" in text
    assert "Số: 7/QĐ-UBND" in text
    assert "Đông Sơn, ngày 05 tháng 02 năm 2019" in text
    assert "Lý do: " + REVOCATION.reason in text
    assert "Căn cứ Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017;" in text
    assert "DANH SÁCH" not in text
    rows = table_rows(document)
    assert ["1", "Thôn Phấn Hưng", "xã Đông Thịnh", "Thôn kiểu mẫu"] in rows
    assert not any("Thôn Thành Huy" in cell for row in rows for cell in row)


def test_a_unit_name_with_control_characters_still_makes_a_docx():
    unit = UNITS[0].__class__(
        "X", "Thôn\x0b Đồng\x01 Tâm", "xã Đông Khê", "Thôn kiểu mẫu"
    )
    document = RECOGNITION.__class__(
        "recognition", "2/QĐ-UBND", RECOGNITION.signed_on, 2017, (unit,)
    )
    rows = table_rows(read(decision_docx(document)))
    assert ["1", "Thôn Đồng Tâm", "xã Đông Khê", "Thôn kiểu mẫu"] in rows


def test_the_superior_line_appears_only_when_configured(settings):
    without = read(decision_docx(RECOGNITION)).tables[0].cell(0, 0).text
    settings.DOCUMENT_SUPERIOR = "UBND tỉnh Thanh Hóa"
    with_superior = read(decision_docx(RECOGNITION)).tables[0].cell(0, 0).text
    assert "THANH HÓA" not in nfc(without)
    assert nfc(with_superior).splitlines()[0] == "UBND TỈNH THANH HÓA"


def test_the_docx_names_times_new_roman_at_13_to_14_points():
    data = decision_docx(RECOGNITION)
    document = read(data)
    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "cs")} == {FONT}
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert "Theme=" not in styles.split("</w:docDefaults>")[0]  # no theme font wins
    sizes = {
        run.font.size
        for paragraph in paragraphs(document)
        for run in paragraph.runs
        if run.text.strip() and paragraph.text not in ("Nơi nhận:",)
    }
    body_sizes = {size for size in sizes if size not in (Pt(11), Pt(12))}
    assert body_sizes <= {None, Pt(13), Pt(14)}  # None: the Normal style's 14 pt


def test_each_certificate_is_one_landscape_page_with_the_emblem():
    document = read(certificate_docx(CERTIFICATES[0]))
    text = lines(document)
    for line in CERTIFICATE_LINES:
        assert line in text, line
    assert (
        "Theo Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017"
        " của Ủy ban nhân dân huyện Đông Sơn" in text
    )
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert len(document.inline_shapes) == 1
    assert not any(
        run.element.findall(".//" + qn("w:br"))
        for p in paragraphs(document)
        for run in p.runs
    )


def test_a_certificate_without_an_emblem_file_is_still_made(settings, tmp_path):
    settings.DOCUMENT_EMBLEM_PATH = str(tmp_path / "missing.png")
    document = read(certificate_docx(CERTIFICATES[1]))
    assert len(document.inline_shapes) == 0
    assert "Thôn Phấn Hưng" in lines(document)
    assert "Xã Đông Thịnh" in lines(document)


def test_the_committed_templates_are_what_the_generator_builds(tmp_path):
    for build, committed in (
        (build_templates.build_decision, build_templates.DECISION_TEMPLATE),
        (build_templates.build_certificate, build_templates.CERTIFICATE_TEMPLATE),
    ):
        built = build(tmp_path / committed.name)
        assert zipfile.ZipFile(built).read("word/document.xml") == zipfile.ZipFile(
            committed
        ).read("word/document.xml"), f"rebuild {committed.name}: see build_templates"
