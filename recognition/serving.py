"""Hand a stored minutes file or decision scan to the browser.

The files live in the evidence's private storage, so they go out the way evidence
does (``registrations.evidence.serving``: nginx's internal location, a stream, or
a signed URL of the bucket), with a PDF's type and a name built from the record.
"""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import Http404

from kieumau.text import slugify_vi
from registrations.evidence.serving import file_response

PDF = "application/pdf"


@dataclass(frozen=True)
class StoredFile:
    """What ``file_response`` reads of an evidence row."""

    file: FieldFile
    original_name: str
    content_type: str = PDF


def pdf_response(field_file, name):
    if not field_file:
        raise Http404
    return file_response(StoredFile(field_file, f"{slugify_vi(name)}.pdf"))
