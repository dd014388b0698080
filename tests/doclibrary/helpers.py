"""Small helpers making documents for the library's tests."""

import datetime
import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from doclibrary.models import Document

DEMO_FILES = Path(__file__).resolve().parents[2] / "doclibrary" / "demo_data" / "files"
PDF = (DEMO_FILES / "09-kh-ubnd-2017.pdf").read_bytes()


def docx_bytes():
    """A minimal Word document: its content types and main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name="van-ban.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_document(
    number="15/KH-UBND",
    *,
    kind="ke_hoach",
    issued_on=datetime.date(2017, 1, 10),
    summary="Kế hoạch xây dựng cơ quan, đơn vị kiểu mẫu",
    issuer="Ủy ban nhân dân huyện Đông Sơn",
    is_published=True,
    file=None,
):
    document = Document(
        number=number,
        kind=kind,
        issued_on=issued_on,
        summary=summary,
        issuer=issuer,
        is_published=is_published,
        file=file or upload(),
    )
    document.full_clean()
    document.save()
    return document
