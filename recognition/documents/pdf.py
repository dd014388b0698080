"""PDF for publishing: WeasyPrint renders the Django templates of
templates/recognition/documents/ with print CSS.

WeasyPrint is imported inside the functions: it needs Pango from the system, and a
machine without it (a developer's `make run`) must still start; asking for a PDF
there raises PdfUnavailable, which says what to install. The only font is Liberation
Serif (Debian's fonts-liberation2; metrically compatible with Times New Roman, which
Debian does not ship), declared with @font-face on its files so that no other font
is ever picked; nothing is fetched except those files and the emblem.
"""

from pathlib import Path

from django.template.loader import render_to_string

from .config import issuer
from .data import PdfUnavailable
from .wording import certificate_context, decision_context

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
FONT_FILES = (
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
)
PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2"
UNAVAILABLE = (
    "Máy chủ chưa tạo được tệp PDF vì thiếu thư viện Pango hoặc phông chữ"
    f" Liberation Serif. Quản trị viên cần cài đặt: apt-get install {PACKAGES}"
    " (và WeasyPrint: pip install -r requirements.txt). Tệp DOCX vẫn tải được."
)


def font_faces():
    """The @font-face rules' sources; PdfUnavailable when a file is missing."""
    faces = []
    for name, weight, style in FONT_FILES:
        path = FONT_DIR / name
        if not path.is_file():
            raise PdfUnavailable(UNAVAILABLE)
        faces.append({"uri": path.as_uri(), "weight": weight, "style": style})
    return faces


def load_weasyprint():
    try:
        import weasyprint  # noqa: PLC0415 (lazy: it needs Pango from the system)
    except (ImportError, OSError) as error:  # OSError: Pango's library not found
        raise PdfUnavailable(UNAVAILABLE) from error
    return weasyprint


def render(template, context):
    weasyprint = load_weasyprint()
    html = render_to_string(template, {**context, "fonts": font_faces()})
    # Only local files: the fonts and the emblem. Nothing from the network.
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file",))
    return weasyprint.HTML(
        string=html, base_url=FONT_DIR.as_uri(), url_fetcher=fetcher
    ).write_pdf()


def emblem_uri(configured):
    return configured.emblem.as_uri() if configured.emblem else ""


def decision_pdf(document):
    """The recognition or revocation decision as PDF bytes."""
    return render(
        "recognition/documents/decision.html",
        decision_context(document, issuer()),
    )


def certificates_pdf(documents):
    """The certificates, one landscape page each, as one PDF's bytes."""
    configured = issuer()
    return render(
        "recognition/documents/certificates.html",
        {
            "certificates": [
                certificate_context(document, configured) for document in documents
            ],
            "emblem": emblem_uri(configured),
        },
    )
