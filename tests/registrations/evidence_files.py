"""Small evidence files made in memory: good ones of each kind, and bad ones."""

import io
import struct
import zipfile

from openpyxl import Workbook
from PIL import Image

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def pdf(extra_objects=b"", *, open_action=b""):
    """A one-page PDF; ``extra_objects`` are appended as object syntax."""
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + open_action + b">>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Contents 4 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length 24 >>\nstream\n0 0 1 rg 20 20 100 100 re f\nendstream\n"
        b"endobj\n" + extra_objects + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return body


def pdf_with_javascript():
    return pdf(
        b"5 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n",
        open_action=b"/OpenAction 5 0 R ",
    )


def pdf_with_hidden_javascript():
    """The action's names written with #xx escapes, inside a deflated object stream."""
    import zlib

    objects = b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    stream = zlib.compress(b"5 0 " + objects)
    return pdf(
        b"6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\n"
    )


def pdf_with_launch():
    return pdf(
        b"5 0 obj\n<< /Type /Action /S /Launch /F (cmd.exe) >>\nendobj\n",
        open_action=b"/OpenAction 5 0 R ",
    )


def image(fmt="JPEG", size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, fmt)
    return buffer.getvalue()


def docx(*, macro=False):
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "document.main+xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def xlsx():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Số liệu"
    workbook.save(buffer)
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    return buffer.getvalue()


def _entry(name, kind, *, child=NOSTREAM, right=NOSTREAM, start=END, size=0):
    encoded = (name + "\x00").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<II", start, size)
        + b"\x00" * 4
    )


def ole(stream_name="WordDocument", *, extra_storage=None):
    """A compound file (Word/Excel 97–2003 are these) with one 4 KB stream.

    ``extra_storage`` adds an empty storage (e.g. "Macros", where Word keeps VBA).
    """
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    fat = [FATSECT, END] + [3, 4, 5, 6, 7, 8, 9, END]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREE) * (
        128 - len(fat)
    )
    entries = [
        _entry("Root Entry", 5, child=1),
        _entry(
            stream_name,
            2,
            start=2,
            size=4096,
            right=2 if extra_storage else NOSTREAM,
        ),
    ]
    if extra_storage:
        entries.append(_entry(extra_storage, 1))
    while len(entries) < 4:
        entries.append(
            b"\x00" * 64
            + struct.pack("<HBB", 0, 0, 0)
            + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
            + b"\x00" * 48
        )
    directory = b"".join(entries)
    return header + fat_sector + directory + b"\x00" * 4096


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program"
HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
SVG_PLAIN = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>'
)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
