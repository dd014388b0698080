"""What a decision or a certificate says: the values the appraisal app passes in."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Signatory:
    name: str  # "Nguyễn Văn A"
    title: str  # "CHỦ TỊCH" (or "PHÓ CHỦ TỊCH")
    on_behalf: str  # "TM. ỦY BAN NHÂN DÂN" (or "KT. CHỦ TỊCH")


@dataclass(frozen=True)
class DecisionUnit:
    code: str  # unit code (ma_don_vi)
    name: str  # "Thôn Thành Huy"
    commune: str  # "xã Đông Khê", or "" for agencies
    title: str  # the title's name, e.g. "Thôn kiểu mẫu"


@dataclass(frozen=True)
class DecisionDocument:
    kind: str  # "recognition" | "revocation"
    number: str  # "123/QĐ-UBND"
    signed_on: date
    year: int  # the programme year appraised
    units: tuple[DecisionUnit, ...]
    reason: str = ""  # revocation: why
    basis: tuple[str, ...] = ()  # "Căn cứ …" lines beyond the configured ones


@dataclass(frozen=True)
class CertificateDocument:
    number: str  # certificate number, e.g. "15/GCN-UBND"
    signed_on: date
    unit: DecisionUnit
    year: int
    decision_number: str
    decision_signed_on: date


class PdfUnavailable(Exception):
    """WeasyPrint, Pango or the fonts are missing; the message says what to install."""
