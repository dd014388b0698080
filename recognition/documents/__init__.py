"""The documents of recognition: decisions and certificates, as DOCX and PDF.

The appraisal app builds a DecisionDocument or CertificateDocument and calls one
function; the issuing body, place, signatory and emblem come from settings
(DOCUMENT_*). PDFs need WeasyPrint with Pango and the Liberation fonts; without
them the PDF functions raise PdfUnavailable with what to install.
"""

from .data import (
    CertificateDocument,
    DecisionDocument,
    DecisionUnit,
    PdfUnavailable,
    Signatory,
)
from .docx import certificate_docx, decision_docx
from .pdf import certificates_pdf, decision_pdf

__all__ = [
    "CertificateDocument",
    "DecisionDocument",
    "DecisionUnit",
    "PdfUnavailable",
    "Signatory",
    "certificate_docx",
    "certificates_pdf",
    "decision_docx",
    "decision_pdf",
]
