"""The issuing body, its place, signatory and emblem, read from settings.

Callers never pass these: they are the installation's (DOCUMENT_* in README's
environment table), the same on every document it drafts.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .data import Signatory

HERE = Path(__file__).resolve().parent
DECISION_TEMPLATE = HERE / "docx_templates" / "decision.docx"
CERTIFICATE_TEMPLATE = HERE / "docx_templates" / "certificate.docx"
DEMO_EMBLEM = HERE / "assets" / "emblem-demo-placeholder.png"


@dataclass(frozen=True)
class Issuer:
    authority: str  # "Ủy ban nhân dân huyện Đông Sơn"
    superior: str  # "" or the line above it, e.g. "UBND tỉnh Thanh Hóa"
    place: str  # "Đông Sơn"
    signatory: Signatory
    emblem: Path | None  # a PNG or JPEG file; None when the setting names no file
    basis: tuple[str, ...]  # the "Căn cứ …" lines every decision cites


# Control characters XML 1.0 cannot hold (a DOCX is XML): dropped, not an error.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value):
    """Composed (NFC), stripped text without XML-illegal control characters."""
    return CONTROL.sub("", unicodedata.normalize("NFC", str(value or ""))).strip()


def issuer():
    """The configured issuer, read at call time so that settings overrides apply."""
    emblem = (
        Path(settings.DOCUMENT_EMBLEM_PATH) if settings.DOCUMENT_EMBLEM_PATH else None
    )
    return Issuer(
        authority=nfc(settings.DOCUMENT_AUTHORITY),
        superior=nfc(settings.DOCUMENT_SUPERIOR),
        place=nfc(settings.DOCUMENT_PLACE),
        signatory=Signatory(
            name=nfc(settings.DOCUMENT_SIGNATORY_NAME),
            title=nfc(settings.DOCUMENT_SIGNATORY_TITLE),
            on_behalf=nfc(settings.DOCUMENT_SIGNATORY_ON_BEHALF),
        ),
        emblem=emblem if emblem and emblem.is_file() else None,
        basis=tuple(nfc(line) for line in settings.DOCUMENT_BASIS if nfc(line)),
    )
