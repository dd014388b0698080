"""Decisions: draw one up from the council's outcomes, attach the signed scan, publish.

Publishing a recognition decision recognises its registrations, and a revocation
decision revokes them, through ``registrations.services`` (the lifecycle): the
registration keeps the decision's number and date, the decision its reason.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.concurrency import claim_version
from kieumau.dates import vietnam_today
from kieumau.text import nfc
from registrations.models import Registration, RegistrationStatus
from registrations.services import recognise_registration, revoke_registration

from ..models import (
    CertificateYear,
    Decision,
    DecisionEntry,
    DecisionKind,
    Outcome,
    validate_decision_number,
)

S = RegistrationStatus
PDF_MAGIC = b"%PDF-"
REVOCABLE = [S.RECOGNISED, S.MAINTAINED]


def certificate_prefix(number):
    """'123/QĐ-UBND' → 'GCN-UBND': the certificate's symbol after the body's."""
    match = re.search(r"QĐ-(.+)$", number)
    return f"GCN-{match.group(1)}" if match else "GCN"


def next_certificate_numbers(signed_on, prefix, count):
    """Certificates are numbered from 1 each calendar year of signing, after the
    highest number given that year (a discarded draft's numbers may be given again).

    Under a lock on the year's ``CertificateYear`` row, held until the caller's
    transaction ends: a second decision drawn up at the same moment waits, then
    reads the first one's numbers and numbers after them.
    """
    year = signed_on.year
    CertificateYear.objects.get_or_create(year=year)
    CertificateYear.objects.select_for_update().get(year=year)
    numbers = (
        DecisionEntry.objects.filter(decision__signed_on__year=year)
        .exclude(certificate_number="")
        .values_list("certificate_number", flat=True)
    )
    used = max(
        (int(n.split("/", 1)[0]) for n in numbers if n.split("/", 1)[0].isdigit()),
        default=0,
    )
    return [f"{used + i}/{prefix}" for i in range(1, count + 1)]


def eligible_registrations(*, kind, council=None, title=None, year=None):
    """Registrations a new decision of ``kind`` may name.

    Recognition: the council's appraisals concluded "đề nghị công nhận", still in
    appraisal and named by no other decision. Revocation: recognised or
    maintained registrations of the title.
    """
    if kind == DecisionKind.RECOGNITION:
        return (
            Registration.objects.filter(
                appraisals__council=council,
                appraisals__outcome=Outcome.RECOMMEND,
                status=S.APPRAISAL,
            )
            .exclude(decision_entries__decision__kind=DecisionKind.RECOGNITION)
            .select_related("unit__parent", "title")
            .order_by("unit__code")
        )
    return (
        Registration.objects.filter(status__in=REVOCABLE, title=title, year=year)
        .select_related("unit__parent", "title")
        .order_by("unit__code")
    )


@transaction.atomic
def create_decision(
    *, kind, number, signed_on, title, year, registrations, by, council=None, reason=""
):
    """Draw up a decision naming ``registrations`` (not yet published)."""
    number = nfc(number or "").strip()
    reason = nfc(reason or "").strip()
    errors = {}
    try:
        validate_decision_number(number)
    except ValidationError as error:
        errors["number"] = error.messages
    if signed_on is None:
        errors["signed_on"] = _("Cần nhập ngày ký.")
    elif signed_on > vietnam_today():
        errors["signed_on"] = _("Ngày ký không được ở tương lai.")
    if kind == DecisionKind.REVOCATION and not reason:
        errors["reason"] = _("Quyết định thu hồi phải ghi lý do thu hồi.")
    if not registrations:
        errors["registrations"] = _("Cần chọn ít nhất một đơn vị.")
    allowed = set(
        eligible_registrations(
            kind=kind, council=council, title=title, year=year
        ).values_list("pk", flat=True)
    )
    if any(r.pk not in allowed for r in registrations):
        errors["registrations"] = _(
            "Có đơn vị không thể đưa vào quyết định này (chưa được đề nghị công nhận, "
            "đã có quyết định hoặc không ở trạng thái phù hợp)."
        )
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        kind=kind,
        number=number,
        signed_on=signed_on,
        year=year,
        title=title,
        council=council,
        reason=reason if kind == DecisionKind.REVOCATION else "",
        created_by=by,
    )
    decision._history_user = by
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise ValidationError(
            {"number": _("Đã có quyết định mang số này, ký cùng ngày.")}
        ) from None
    numbers = (
        next_certificate_numbers(
            signed_on, certificate_prefix(number), len(registrations)
        )
        if kind == DecisionKind.RECOGNITION
        else [""] * len(registrations)
    )
    DecisionEntry.objects.bulk_create(
        DecisionEntry(decision=decision, registration=r, certificate_number=n)
        for r, n in zip(registrations, numbers, strict=True)
    )
    return decision


def check_pdf(upload):
    """A signed scan or minutes file: a PDF within the evidence size limit."""
    if upload is None:
        raise ValidationError(_("Cần chọn một tệp PDF."))
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (tối đa %(mb)s MB).")
            % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("Tệp phải là PDF (bản chụp hoặc bản quét)."))


@transaction.atomic
def attach_scan(*, decision, upload, by, expected_version=None):
    """Store the signed, scanned decision (before it is published)."""
    try:
        check_pdf(upload)
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from None
    if decision.published:
        raise ValidationError(
            {"scan": _("Quyết định đã công bố; không thể thay bản đã ký.")}
        )
    claim_version(decision, expected_version)
    decision.scan.save(upload.name, upload, save=False)
    decision._history_user = by
    decision.save()
    return decision


@transaction.atomic
def publish_decision(*, decision, by, expected_version=None):
    """Publish the decision and move its registrations on through the lifecycle."""
    if decision.published:
        raise ValidationError(_("Quyết định này đã được công bố."))
    if not decision.scan:
        raise ValidationError(
            _("Cần tải lên bản quyết định đã ký (PDF) trước khi công bố.")
        )
    claim_version(decision, expected_version)
    registrations = Registration.objects.filter(
        decision_entries__decision=decision
    ).select_for_update(of=("self",))
    for registration in registrations:
        if decision.kind == DecisionKind.RECOGNITION:
            recognise_registration(
                registration=registration,
                decision_number=decision.number,
                decision_date=decision.signed_on,
                by=by,
            )
        else:
            revoke_registration(registration=registration, by=by)
    decision.published = True
    decision.published_at = timezone.now()
    decision._history_user = by
    decision.save()
    return decision


@transaction.atomic
def discard_decision(*, decision, by, expected_version=None):
    """Delete a decision drawn up but not published (a wrong number, unit or date):
    its units may be named by a new one. A published decision is a public act."""
    if decision.published:
        raise ValidationError(_("Quyết định đã công bố; không thể hủy."))
    claim_version(decision, expected_version)
    if decision.scan:
        decision.scan.delete(save=False)
    decision._history_user = by
    decision.delete()
