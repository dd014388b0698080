"""The decisions and certificates as PDF: read back with pypdf, fonts listed from the
file, a page rendered with pypdfium2."""

import functools
import io
import os
import re
import sys

import pypdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from recognition.documents import (
    PdfUnavailable,
    certificates_pdf,
    decision_pdf,
    pdf,
)
from tests.recognition.test_documents_wording import (
    CERTIFICATE_LINES,
    CERTIFICATES,
    RECOGNITION,
    RECOGNITION_LINES,
    REVOCATION,
    UNITS,
    nfc,
)

# Liberation Serif, subset by WeasyPrint ("ABCDEF+Liberation-Serif-Bold-Italic").
INTENDED_FONT = re.compile(r"^[A-Z]{6}\+Liberation-Serif(-Bold)?(-Italic)?$")


@pytest.fixture(autouse=True)
def _pdf_libraries():
    """Without Pango and the fonts the PDF tests skip on a developer's machine; CI
    installs them (.ci/run), so there a missing library fails the run."""
    try:
        pdf.load_weasyprint()
        pdf.font_faces()
    except PdfUnavailable as error:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(str(error))


def text_of(page):
    return " ".join(nfc(page.extract_text()).split())


def embedded_fonts(data):
    """The names of the fonts whose program is in the file (/FontFile, 2 or 3), and
    of those that are not; each program's own family name must be Liberation Serif."""
    embedded, missing = set(), set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                name = str(descendant["/BaseFont"]).lstrip("/")
                files = [
                    k
                    for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    if k in descriptor
                ]
                if not files:
                    missing.add(name)
                    continue
                program = descriptor[files[0]].get_object().get_data()
                family = TTFont(io.BytesIO(program))["name"].getDebugName(1)
                embedded.add(
                    name if family == "Liberation Serif" else f"{name} ({family})"
                )
    return embedded, missing


def dark_pixels(data, page_index=0):
    page = pypdfium2.PdfDocument(data)[page_index]
    image = page.render(scale=1).to_pil().convert("L")
    return sum(image.histogram()[:128]), image.width * image.height


@functools.cache
def recognition_pdf():
    """Made once for the tests that read it with the default settings."""
    return decision_pdf(RECOGNITION)


@functools.cache
def all_certificates_pdf():
    return certificates_pdf(CERTIFICATES)


def test_the_recognition_decision_pdf_says_what_the_docx_says():
    data = recognition_pdf()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(text_of(page) for page in reader.pages)
    for line in RECOGNITION_LINES:
        assert line in text, line
    for unit in UNITS:
        assert f"{unit.name}" in text, unit.name
    # The attached list is on its own page, after the signature.
    assert len(reader.pages) == 2
    assert "DANH SÁCH" in text_of(reader.pages[1])
    assert "Nguyễn Văn A" in text_of(reader.pages[0])
    first = text_of(reader.pages[0])
    assert first.index("Số: 123/QĐ-UBND") < first.index("QUYẾT ĐỊNH:")
    assert first.index("QUYẾT ĐỊNH:") < first.index("Nơi nhận:")


def test_the_revocation_decision_pdf_names_its_units_and_the_reason():
    text = " ".join(
        text_of(page)
        for page in pypdf.PdfReader(io.BytesIO(decision_pdf(REVOCATION))).pages
    )
    assert "Về việc thu hồi danh hiệu kiểu mẫu năm 2017" in text
    assert "Đông Sơn, ngày 05 tháng 02 năm 2019" in text
    assert "Thôn Phấn Hưng" in text
    assert "Thôn Thành Huy" not in text
    assert "Lý do: Không còn duy trì tiêu chí nhà văn hóa thôn" in text


def test_the_pdf_embeds_only_liberation_serif():
    for data in (recognition_pdf(), all_certificates_pdf()):
        embedded, missing = embedded_fonts(data)
        assert embedded, "no embedded font found"
        assert missing == set()
        assert all(INTENDED_FONT.match(name) for name in embedded), embedded
    # Regular, bold and italic are all used by a decision.
    styles = {
        INTENDED_FONT.match(name).group(1, 2)
        for name in embedded_fonts(recognition_pdf())[0]
    }
    assert {(None, None), ("-Bold", None), (None, "-Italic")} <= styles


def test_a_rendered_page_is_not_blank():
    dark, total = dark_pixels(recognition_pdf())
    assert 5_000 < dark < total // 4
    dark, total = dark_pixels(certificates_pdf(CERTIFICATES[:1]))
    assert 5_000 < dark < total // 2


def test_each_certificate_is_one_landscape_page_of_its_own():
    reader = pypdf.PdfReader(io.BytesIO(all_certificates_pdf()))
    assert len(reader.pages) == len(CERTIFICATES)
    for page, certificate in zip(reader.pages, CERTIFICATES, strict=True):
        box = page.mediabox
        assert box.width > box.height
        text = text_of(page)
        assert certificate.unit.name in text
        assert f"Số: {certificate.number}" in text
        others = [c.unit.name for c in CERTIFICATES if c is not certificate]
        assert not any(name in text for name in others)
    first = text_of(reader.pages[0])
    for line in CERTIFICATE_LINES:
        assert line in first, line
    assert len(reader.pages[0].images) == 1  # the emblem


def test_a_certificate_with_a_very_long_name_keeps_to_one_page():
    long_name = CERTIFICATES[0].unit.__class__(
        "X",
        "Trường Trung học cơ sở Nguyễn Chích và Trung tâm Giáo dục nghề nghiệp"
        " - Giáo dục thường xuyên huyện Đông Sơn, tỉnh Thanh Hóa",
        "xã Đông Hoàng",
        "Trường học đạt chuẩn kiểu mẫu giai đoạn 2016 - 2020",
    )
    certificate = CERTIFICATES[0].__class__(
        "1234/GCN-UBND",
        CERTIFICATES[0].signed_on,
        long_name,
        2017,
        "1234/QĐ-UBND",
        CERTIFICATES[0].decision_signed_on,
    )
    reader = pypdf.PdfReader(io.BytesIO(certificates_pdf([certificate] * 2)))
    assert len(reader.pages) == 2
    assert "Nguyễn Văn A" in text_of(reader.pages[0])


def test_names_are_text_not_markup_in_the_pdf():
    text = " ".join(
        text_of(page) for page in pypdf.PdfReader(io.BytesIO(recognition_pdf())).pages
    )
    assert "Hội Cựu chiến binh & <Đoàn>" in text


def test_without_weasyprint_a_pdf_raises_a_vietnamese_pdf_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the import now fails
    for make in (
        lambda: decision_pdf(RECOGNITION),
        lambda: certificates_pdf(CERTIFICATES),
    ):
        with pytest.raises(PdfUnavailable) as raised:
            make()
        message = str(raised.value)
        assert "Máy chủ chưa tạo được tệp PDF" in message
        assert (
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2"
            in message
        )


def test_without_the_fonts_a_pdf_raises_pdf_unavailable(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    with pytest.raises(PdfUnavailable, match="fonts-liberation2"):
        decision_pdf(RECOGNITION)


def test_the_pdf_fetches_nothing_but_local_files(monkeypatch):
    html = "<img src='https://example.com/emblem.png'><p>x</p>"
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open",
        lambda *args, **kwargs: pytest.fail("a URL was opened"),
    )
    data = pdf.render("unused.html", {})
    assert data.startswith(b"%PDF")
