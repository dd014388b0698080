"""Build the .docx templates (and the demo emblem) that docx.py fills in.

Run after changing the layout, then commit the files it writes:

    .venv/bin/python -m recognition.documents.build_templates

The templates are Word files with docxtpl's Jinja tags ({{ … }}, {%p … %} for a
paragraph, {%tr … %} for a table row); the words come from wording.py. The layout
follows Decree 30/2020/NĐ-CP: A4, Times New Roman 13-14 pt, margins 20 mm top and
bottom, 30 mm left, 15 mm right; the issuing body and the number top left, the
national name and motto top right, the recipients bottom left and the signatory
bottom right. The emblem is a neutral stand-in drawn here (a red disc with a yellow
star), never the national emblem: an installation sets DOCUMENT_EMBLEM_PATH.
"""

import math

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from .config import CERTIFICATE_TEMPLATE, DECISION_TEMPLATE, DEMO_EMBLEM, HERE

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RED = RGBColor(0xC0, 0x00, 0x00)


def new_document(*, landscape=False):
    document = Document()
    document.core_properties.author = ""  # python-docx's own name otherwise
    document.core_properties.last_modified_by = ""
    for rfonts in (
        document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts")),
        document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts(),
    ):
        for name in list(rfonts.attrib):
            if name.endswith("Theme"):  # a theme font would win over Times New Roman
                del rfonts.attrib[name]
        for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(name), FONT)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(15)
        section.left_margin = section.right_margin = Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    return document


def paragraph(container, *runs, align=None, size=None, after=0, indent=None):
    """A paragraph of runs, each text or (text, {"bold": …, "italic": …, …})."""
    par = container.add_paragraph()
    par.alignment = align
    par.paragraph_format.space_after = Pt(after)
    if indent is not None:
        par.paragraph_format.first_line_indent = Mm(indent)
    for run in runs:
        text, style = (run, {}) if isinstance(run, str) else run
        added = par.add_run(text)
        added.bold = style.get("bold")
        added.italic = style.get("italic")
        added.underline = style.get("underline")
        if style.get("color"):
            added.font.color.rgb = style["color"]
        if style.get("size", size):
            added.font.size = Pt(style.get("size", size))
    return par


def tag(container, text):
    """A paragraph holding only a docxtpl tag ({%p … %}); docxtpl removes it."""
    return container.add_paragraph(text)


def rule(container, *, indent_mm):
    """A short horizontal line: an empty paragraph with a bottom border."""
    par = container.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # First: the schema puts the borders before the spacing and indents added next.
    par.paragraph_format.element.get_or_add_pPr().append(borders)
    par.paragraph_format.left_indent = Mm(indent_mm)
    par.paragraph_format.right_indent = Mm(indent_mm)
    par.paragraph_format.space_after = Pt(4)
    par.add_run().font.size = Pt(2)
    return par


def fixed_table(container, rows, widths_mm, *, grid=False):
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if grid:
        table.style = "Table Grid"
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


class first_paragraph:  # noqa: N801 (used as a function)
    """A table cell whose first added paragraph is the empty one a new cell holds."""

    def __init__(self, cell):
        self.cell = cell
        self.fresh = True

    def add_paragraph(self, text=""):
        if not self.fresh:
            return self.cell.add_paragraph(text)
        self.fresh = False
        par = self.cell.paragraphs[0]
        if text:
            par.add_run(text)
        return par


def national_header(document, widths):
    """The two header columns (Decree 30, Appendix I, fields 1-4)."""
    table = fixed_table(document, 2, widths)
    left, right = (first_paragraph(c) for c in table.rows[0].cells)
    tag(left, "{%p if superior %}")
    paragraph(left, "{{ superior }}", align=CENTER, size=13)
    tag(left, "{%p endif %}")
    tag(left, "{%p for line in authority_lines %}")
    paragraph(left, ("{{ line }}", {"bold": True}), align=CENTER, size=13)
    tag(left, "{%p endfor %}")
    rule(left, indent_mm=widths[0] / 3)
    paragraph(right, ("{{ national_name }}", {"bold": True}), align=CENTER, size=13)
    paragraph(
        right,
        ("{{ motto }}", {"bold": True, "underline": True}),
        align=CENTER,
        size=14,
    )
    number, place = (first_paragraph(c) for c in table.rows[1].cells)
    paragraph(number, "{{ number_line }}", align=CENTER, size=13)
    paragraph(place, ("{{ place_date }}", {"italic": True}), align=CENTER, size=14)
    return table


def signature_block(cell):
    paragraph(cell, ("{{ signature.on_behalf }}", {"bold": True}), align=CENTER)
    paragraph(cell, ("{{ signature.title }}", {"bold": True}), align=CENTER)
    for _ in range(4):  # room for the signature and the seal
        paragraph(cell, "")
    paragraph(cell, ("{{ signature.name }}", {"bold": True}), align=CENTER)


def units_table(document):
    table = fixed_table(document, 4, (15, 70, 40, 40), grid=True)
    for cell, index in zip(table.rows[0].cells, range(4), strict=True):
        paragraph(
            first_paragraph(cell),
            ("{{ columns[" + str(index) + "] }}", {"bold": True}),
            align=CENTER,
            size=13,
        )
    first_paragraph(table.rows[1].cells[0]).add_paragraph("{%tr for row in units %}")
    for cell, field in zip(
        table.rows[2].cells, ("index", "name", "commune", "title"), strict=True
    ):
        paragraph(
            first_paragraph(cell),
            "{{ row." + field + " }}",
            align=CENTER if field == "index" else None,
            size=13,
        )
    first_paragraph(table.rows[3].cells[0]).add_paragraph("{%tr endfor %}")
    # The header row repeats on every page of a long list.
    header_row = document.element.body.findall(qn("w:tbl"))[-1].find(qn("w:tr"))
    header_row.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return table


def build_decision(path=DECISION_TEMPLATE):
    document = new_document()
    national_header(document, (62, 103))
    paragraph(document, "")
    paragraph(document, ("{{ kind_title }}", {"bold": True}), align=CENTER)
    paragraph(document, ("{{ subject }}", {"bold": True}), align=CENTER)
    rule(document, indent_mm=65)
    paragraph(document, ("{{ enacting }}", {"bold": True}), align=CENTER, after=6)
    tag(document, "{%p for line in basis %}")
    paragraph(
        document, ("{{ line }}", {"italic": True}), align=JUSTIFY, after=6, indent=10
    )
    tag(document, "{%p endfor %}")
    paragraph(document, ("{{ decides }}", {"bold": True}), align=CENTER, after=6)
    paragraph(
        document,
        ("{{ article1[0] }}", {"bold": True}),
        " {{ article1[1] }}",
        align=JUSTIFY,
        after=6,
        indent=10,
    )
    tag(document, "{%p if not attached %}")
    units_table(document)
    tag(document, "{%p endif %}")
    tag(document, "{%p if reason %}")
    paragraph(document, "{{ reason }}", align=JUSTIFY, after=6, indent=10)
    tag(document, "{%p endif %}")
    tag(document, "{%p for label, text in later_articles %}")
    paragraph(
        document,
        ("{{ label }}", {"bold": True}),
        " {{ text }}",
        align=JUSTIFY,
        after=6,
        indent=10,
    )
    tag(document, "{%p endfor %}")
    paragraph(document, "")
    table = fixed_table(document, 1, (80, 85))
    recipients, signatory = (first_paragraph(c) for c in table.rows[0].cells)
    paragraph(
        recipients, ("{{ recipients_label }}", {"bold": True, "italic": True}), size=12
    )
    tag(recipients, "{%p for line in recipients %}")
    paragraph(recipients, "{{ line }}", size=11)
    tag(recipients, "{%p endfor %}")
    signature_block(signatory)
    tag(document, "{%p if attached %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph(document, ("{{ attached_heading }}", {"bold": True}), align=CENTER)
    paragraph(document, ("{{ attached_title }}", {"bold": True}), align=CENTER)
    paragraph(
        document, ("{{ attached_note }}", {"italic": True}), align=CENTER, after=12
    )
    units_table(document)
    tag(document, "{%p endif %}")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def build_certificate(path=CERTIFICATE_TEMPLATE):
    document = new_document(landscape=True)
    page_border(document)
    paragraph(document, "{{ emblem }}", align=CENTER, after=4)
    paragraph(document, ("{{ national_name }}", {"bold": True}), align=CENTER)
    paragraph(
        document,
        ("{{ motto }}", {"bold": True, "underline": True}),
        align=CENTER,
        after=10,
    )
    paragraph(
        document, ("{{ issuer_line }}", {"bold": True}), align=CENTER, size=16, after=6
    )
    paragraph(
        document,
        ("{{ certifies }}", {"bold": True, "color": RED}),
        align=CENTER,
        size=34,
        after=6,
    )
    paragraph(document, ("{{ unit_name }}", {"bold": True}), align=CENTER, size=26)
    tag(document, "{%p if unit_commune %}")
    paragraph(document, "{{ unit_commune }}", align=CENTER, size=18)
    tag(document, "{%p endif %}")
    paragraph(
        document, ("{{ title_line }}", {"bold": True}), align=CENTER, size=18, after=4
    )
    paragraph(
        document, ("{{ decision_line }}", {"italic": True}), align=CENTER, after=8
    )
    table = fixed_table(document, 1, (120, 127))
    number, signatory = (first_paragraph(c) for c in table.rows[0].cells)
    paragraph(number, "")
    paragraph(number, "{{ number_line }}", align=CENTER)
    paragraph(signatory, ("{{ place_date }}", {"italic": True}), align=CENTER)
    signature_block(signatory)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def page_border(document):
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for name, value in (
            ("w:val", "double"),
            ("w:sz", "12"),
            ("w:space", "24"),
            ("w:color", "C00000"),
        ):
            edge.set(qn(name), value)
        borders.append(edge)
    # The schema orders a section's children: the borders follow the margins.
    document.element.body.sectPr.find(qn("w:pgMar")).addnext(borders)


def build_demo_emblem(path=DEMO_EMBLEM, size=600):
    """A neutral seal for the demo: a red disc, a yellow ring and a yellow star."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(200, 16, 46, 255))
    ring = size * 0.06
    draw.ellipse(
        (ring, ring, size - ring, size - ring), outline=(255, 205, 0, 255), width=10
    )
    centre, outer, inner = size / 2, size * 0.33, size * 0.13
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = -math.pi / 2 + index * math.pi / 5
        points.append(
            (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
        )
    draw.polygon(points, fill=(255, 205, 0, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path


if __name__ == "__main__":
    for built in (build_decision(), build_certificate(), build_demo_emblem()):
        print(built.relative_to(HERE.parent.parent))
