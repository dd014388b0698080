"""What an evidence file is, told from its bytes, never from its name.

Why hand-made: python-magic needs the system's libmagic, which neither
``requirements.txt`` nor a server's ``make .venv/.installed`` brings; ``filetype``
reads only the first bytes, so a zip passes for a Word file and a PDF with
JavaScript for a plain PDF. The accepted kinds are few (PDF, JPEG, PNG, WebP,
Word and Excel), and each needs a look at its structure that no sniffing library
gives: the part list of an Office zip, the streams of an old Office file, the
actions of a PDF. Stock pieces do the parsing: Pillow the images, ``zipfile``
and defusedxml the Office zips, olefile the old Office files.

``identify(file)`` returns the ``Kind`` or raises ``ValidationError`` with a
Vietnamese message saying why the file is refused.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass

import olefile
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    key: str
    content_type: str
    extensions: tuple  # the first is the one a served name gets
    label: str
    inline: bool  # shown in the browser (images, PDF); others are downloaded

    @property
    def extension(self):
        return self.extensions[0]

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


PDF = Kind("pdf", "application/pdf", (".pdf",), "PDF", True)
JPEG = Kind("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "Ảnh JPEG", True)
PNG = Kind("png", "image/png", (".png",), "Ảnh PNG", True)
WEBP = Kind("webp", "image/webp", (".webp",), "Ảnh WebP", True)
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word",
    False,
)
XLSX = Kind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "Excel",
    False,
)
DOC = Kind("doc", "application/msword", (".doc",), "Word 97–2003", False)
XLS = Kind("xls", "application/vnd.ms-excel", (".xls",), "Excel 97–2003", False)

KINDS = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, DOC, XLS)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
# The file input's accept attribute. iPhones turn their HEIC photos into JPEG
# when the page does not list HEIC among the accepted types.
ACCEPT = ",".join(
    [kind.content_type for kind in KINDS]
    + [ext for kind in KINDS for ext in kind.extensions]
)
ACCEPTED_LABEL = "PDF, ảnh JPEG/PNG/WebP, Word, Excel"

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}

HEAD = 4096  # bytes read to tell the kind
# Office parts read whole to check them ([Content_Types].xml): a few KB in practice.
MAX_PART = 1024 * 1024
# A PDF's object streams are inflated to look for actions, up to this much in all.
MAX_INFLATED = 64 * 1024 * 1024

_OOXML = "application/vnd.openxmlformats-officedocument."
# The main part's content type in [Content_Types].xml tells a Word file from an
# Excel one (documents and templates alike).
OOXML_MAIN = {
    f"{_OOXML}wordprocessingml.document.main+xml": DOCX,
    f"{_OOXML}wordprocessingml.template.main+xml": DOCX,
    f"{_OOXML}spreadsheetml.sheet.main+xml": XLSX,
    f"{_OOXML}spreadsheetml.template.main+xml": XLSX,
}
MACRO_MARKERS = ("macroenabled", "vbaproject", "activex")

# PDF names that run or carry something: scripts, launching programs, files
# embedded inside the PDF, Flash/3-D media. A script action is ``/S /JavaScript
# /JS (…)`` and document scripts sit in a ``/JavaScript`` name tree, so the long
# names are looked for everywhere; the short ``/JS`` only in the objects, where
# stream bytes (photos, fonts) cannot spell it by chance.
PDF_ACTIVE_NAMES = {b"JavaScript", b"Launch", b"EmbeddedFile", b"RichMedia"}
PDF_ACTIVE_KEYS = PDF_ACTIVE_NAMES | {b"JS"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_PDF_ENDSTREAM = b"endstream"
_PDF_FILTERS = {
    b"FlateDecode",
    b"Fl",
    b"ASCIIHexDecode",
    b"AHx",
    b"ASCII85Decode",
    b"A85",
    b"LZWDecode",
    b"LZW",
    b"RunLengthDecode",
    b"RL",
    b"Crypt",
    b"DecodeParms",
    b"DP",
}


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _not_accepted():
    _refuse(
        _(
            "Tệp này không phải loại được nhận. Chỉ nhận %(kinds)s; kiểu tệp được "
            "xét theo nội dung, không theo tên."
        )
        % {"kinds": ACCEPTED_LABEL},
        "type",
    )


def identify(file):
    """The ``Kind`` of an uploaded file (read from its content); refuses the rest."""
    file.seek(0)
    head = file.read(HEAD)
    file.seek(0)
    if not head:
        _refuse(_("Tệp rỗng (0 byte): hãy chọn lại tệp."), "empty")
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head[:2] == b"#!":
        _refuse(
            _("Tệp này là một chương trình chạy được, không phải minh chứng."),
            "executable",
        )
    if head.startswith(b"%PDF-"):
        _check_pdf(file)
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return _check_image(file, JPEG, "JPEG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_image(file, PNG, "PNG")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _check_image(file, WEBP, "WEBP")
    if head[4:8] == b"ftyp" and head[8:12] in {
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"hevc",
    }:
        _refuse(
            _(
                "Ảnh HEIC (ảnh iPhone) chưa xem được trên mọi máy. Hãy chọn ảnh "
                "JPEG hoặc PNG (trên iPhone: Cài đặt → Camera → Định dạng → Tương "
                "thích nhất)."
            ),
            "heic",
        )
    if head.startswith(b"PK\x03\x04"):
        return _check_ooxml(file)
    if head.startswith(olefile.MAGIC):
        return _check_ole(file)
    if _looks_like_markup(head):
        _refuse(
            _(
                "Không nhận tệp HTML, SVG hay XML: các tệp này có thể chứa mã chạy "
                "trong trình duyệt. Hãy lưu thành PDF hoặc ảnh rồi tải lên."
            ),
            "markup",
        )
    _not_accepted()


def _looks_like_markup(head):
    """HTML, SVG or XML, whatever the name says (browsers sniff these as pages)."""
    text = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n").lower()
    return text.startswith(b"<") or any(
        tag in text for tag in (b"<html", b"<svg", b"<script", b"<!doctype")
    )


def _check_image(file, kind, pillow_format):
    try:
        with Image.open(file) as image:
            if image.format != pillow_format:
                _not_accepted()
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ):
        _refuse(
            _("Ảnh bị hỏng hoặc không đọc được; hãy chụp hoặc lưu lại ảnh."),
            "broken_image",
        )
    finally:
        file.seek(0)
    return kind


def _check_ooxml(file):
    """A Word or Excel file (a zip): its part list names the main document."""
    broken = _("Tệp Word/Excel bị hỏng hoặc không phải tệp Office; hãy lưu lại tệp.")
    try:
        with zipfile.ZipFile(file) as archive:
            names = {info.filename for info in archive.infolist()}
            if "[Content_Types].xml" not in names:
                _not_accepted()
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_PART:
                _refuse(broken, "broken_office")
            types = ElementTree.fromstring(archive.read(info))
    except (
        zipfile.BadZipFile,
        ElementTree.ParseError,
        KeyError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        EOFError,
    ):
        _refuse(broken, "broken_office")
    finally:
        file.seek(0)
    content_types = [
        (element.get("ContentType") or "").strip()
        for element in types.iter()
        if element.tag.endswith(("}Override", "}Default"))
    ]
    lowered = " ".join(content_types).lower() + " " + " ".join(names).lower()
    if any(marker in lowered for marker in MACRO_MARKERS):
        _refuse(
            _(
                "Tệp Office có macro (mã chạy tự động) không được nhận; hãy lưu "
                "thành .docx/.xlsx thường hoặc PDF."
            ),
            "macro",
        )
    kinds = {OOXML_MAIN[ct] for ct in content_types if ct in OOXML_MAIN}
    if len(kinds) != 1:
        _not_accepted()
    kind = kinds.pop()
    main_part = "word/" if kind is DOCX else "xl/"
    if not any(name.startswith(main_part) for name in names):
        _refuse(broken, "broken_office")
    return kind


def _check_ole(file):
    """A Word or Excel 97–2003 file; other OLE files (installers, Outlook) are not."""
    try:
        ole = olefile.OleFileIO(file)
    except (OSError, ValueError, IndexError, TypeError, olefile.olefile.OleFileError):
        _refuse(
            _("Tệp Word/Excel cũ bị hỏng; hãy lưu lại tệp."),
            "broken_office",
        )
    try:
        if ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR"):
            _refuse(
                _(
                    "Tệp Office có macro (mã chạy tự động) không được nhận; hãy lưu "
                    "thành .docx/.xlsx thường hoặc PDF."
                ),
                "macro",
            )
        if ole.exists("WordDocument"):
            return DOC
        if ole.exists("Workbook") or ole.exists("Book"):
            return XLS
    finally:
        ole.close()
        file.seek(0)
    _not_accepted()


def _pdf_names(data):
    """Every name of a piece of PDF syntax, ``#xx`` escapes decoded."""
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name


def _check_pdf(file):
    """Refuse a PDF that holds a script, a launch action or an embedded file.

    Actions live in objects: the file's own syntax outside the streams, and the
    object streams (``/ObjStm``, usually deflated), which are inflated and read
    too. An object stream that cannot be read (another filter, an encrypted
    file) cannot be checked, so such a file is refused as well.
    """
    data = file.read()
    file.seek(0)
    if set(_pdf_names(data)) & PDF_ACTIVE_NAMES:
        _refuse_active_pdf()
    syntax, streams = [], []
    position = 0
    while (match := _PDF_STREAM.search(data, position)) is not None:
        end = data.find(_PDF_ENDSTREAM, match.end())
        end = len(data) if end < 0 else end
        syntax.append(data[position : match.end()])
        before = data[max(position, match.start() - 2048) : match.start()]
        header = before.rfind(b"obj")
        streams.append((before[header:] if header >= 0 else before, match.end(), end))
        position = end + len(_PDF_ENDSTREAM)
    syntax.append(data[position:])
    names = set(_pdf_names(b"".join(syntax)))
    if names & PDF_ACTIVE_KEYS:
        _refuse_active_pdf()
    budget = MAX_INFLATED
    for dictionary, start, end in streams:
        dict_names = set(_pdf_names(dictionary))
        if b"ObjStm" not in dict_names:
            continue
        filters = dict_names & _PDF_FILTERS
        if b"Encrypt" in names or not filters <= {b"FlateDecode", b"Fl"}:
            _refuse_unreadable_pdf()
        body = data[start:end]
        if filters:
            decompressor = zlib.decompressobj()
            try:
                body = decompressor.decompress(body, budget)
            except zlib.error:
                _refuse_unreadable_pdf()
            if decompressor.unconsumed_tail:
                _refuse_unreadable_pdf()
        budget -= len(body)
        if budget <= 0:
            _refuse_unreadable_pdf()
        if set(_pdf_names(body)) & PDF_ACTIVE_KEYS:
            _refuse_active_pdf()


def _refuse_active_pdf():
    _refuse(
        _(
            "Tệp PDF có mã chạy tự động (JavaScript), lệnh mở chương trình hoặc tệp "
            "đính kèm bên trong nên không được nhận. Hãy in lại thành PDF thường "
            "(In → Lưu dưới dạng PDF) rồi tải lên."
        ),
        "pdf_active",
    )


def _refuse_unreadable_pdf():
    _refuse(
        _(
            "Không kiểm tra được nội dung tệp PDF này (có mật khẩu hoặc nén theo "
            "cách lạ). Hãy in lại thành PDF thường (In → Lưu dưới dạng PDF) rồi "
            "tải lên."
        ),
        "pdf_unreadable",
    )
