"""From a Decision row to the documents' values (``recognition.documents``).

The package lays out the documents; this module only says what they contain: the
decision's number, date and units in the order of its entries, the certificates'
numbers, and the council's meeting as a "Căn cứ" line.
"""

from .documents import CertificateDocument, DecisionDocument, DecisionUnit
from .models import DecisionKind


def commune_of(unit):
    """'xã Đông Khê' for a village or school in a commune; '' for the others."""
    parent = unit.parent
    if parent is None:
        return ""
    return parent.name[:1].lower() + parent.name[1:]


def decision_unit(registration):
    unit = registration.unit
    return DecisionUnit(
        code=unit.code,
        name=unit.name,
        commune=commune_of(unit),
        title=registration.title.name,
    )


def entries_of(decision):
    return list(
        decision.entries.select_related(
            "registration__unit__parent", "registration__title"
        ).order_by("pk")
    )


def basis(decision):
    council = decision.council
    if decision.kind != DecisionKind.RECOGNITION or council is None:
        return ()
    if council.meeting_date is None:
        return (f"Căn cứ kết quả thẩm định của {council};",)
    return (f"Căn cứ Biên bản họp {council} ngày {council.meeting_date:%d/%m/%Y};",)


def decision_document(decision, entries=None):
    entries = entries_of(decision) if entries is None else entries
    return DecisionDocument(
        kind=decision.kind,
        number=decision.number,
        signed_on=decision.signed_on,
        year=decision.year,
        units=tuple(decision_unit(e.registration) for e in entries),
        reason=decision.reason,
        basis=basis(decision),
    )


def certificate_document(decision, entry):
    return CertificateDocument(
        number=entry.certificate_number,
        signed_on=decision.signed_on,
        unit=decision_unit(entry.registration),
        year=decision.year,
        decision_number=decision.number,
        decision_signed_on=decision.signed_on,
    )


def certificate_documents(decision, entries=None):
    entries = entries_of(decision) if entries is None else entries
    return [certificate_document(decision, e) for e in entries if e.certificate_number]
