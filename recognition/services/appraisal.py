"""The council's work: open the appraisals of a year and title, record verdicts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kieumau.concurrency import claim_version
from kieumau.text import nfc
from registrations.models import Registration, RegistrationStatus
from registrations.services import accept_registration, start_appraisal

from ..models import Appraisal, Outcome, Verdict
from .prefill import accepted_values, data_period, readings, title_criteria

S = RegistrationStatus
# Registrations the council examines: still before their recognition.
APPRAISED_STATUSES = [S.SUBMITTED, S.ACCEPTED, S.APPRAISAL]


def council_registrations(council):
    """The active registrations for the council's year and title."""
    return Registration.objects.for_year(council.year).filter(title=council.title)


@transaction.atomic
def open_appraisals(*, council, by):
    """Create an appraisal, pre-filled, for each registration not yet appraised.

    Each registration is moved to "Đang thẩm định" through the lifecycle (a
    submitted one is accepted first). Returns the number of appraisals created.
    """
    registrations = list(
        council_registrations(council)
        .filter(status__in=APPRAISED_STATUSES)
        .exclude(appraisals__council=council)
        .select_related("unit")
        .select_for_update(of=("self",))
    )
    if not registrations:
        return 0
    period = data_period(council.year)
    criteria = title_criteria(council.title_id)
    values = accepted_values(
        unit_ids=[r.unit_id for r in registrations],
        title_id=council.title_id,
        period=period,
    )
    for registration in registrations:
        if registration.status == S.SUBMITTED:
            accept_registration(registration=registration, by=by)
        if registration.status == S.ACCEPTED:
            start_appraisal(registration=registration, by=by)
        appraisal = Appraisal(
            council=council,
            registration=registration,
            data_year=period[0] if period else None,
            data_quarter=period[1] if period else None,
            updated_by=by,
        )
        appraisal._history_user = by
        appraisal.save()
        for reading in readings(criteria, values, registration.unit_id):
            verdict = Verdict(
                appraisal=appraisal,
                criterion=reading.criterion,
                computed_met=reading.met,
            )
            verdict._history_user = by
            verdict.save()
    return len(registrations)


def check_votes(present, in_favour, council_size):
    errors = {}
    if present is not None and council_size and present > council_size:
        errors["members_present"] = _(
            "Số thành viên có mặt không được lớn hơn số thành viên hội đồng (%(n)s)."
        ) % {"n": council_size}
    if present is not None and in_favour is not None and in_favour > present:
        errors["members_in_favour"] = _(
            "Số thành viên tán thành không được lớn hơn số có mặt."
        )
    return errors


@transaction.atomic
def save_appraisal(
    *,
    appraisal,
    overrides,
    members_present,
    members_in_favour,
    outcome,
    by,
    expected_version=None,
):
    """Record the council's overrides, votes and outcome, all or nothing.

    ``overrides`` maps a criterion id to (override, reason): override None keeps
    the verdict from the data, True/False replaces it and needs a reason.
    "Đề nghị công nhận" needs every criterion met and more than half of the
    members present in favour.
    """
    verdicts = {
        v.criterion_id: v
        for v in appraisal.verdicts.select_for_update().select_related("criterion")
    }
    errors = {}
    changed = []
    for criterion_id, (override, reason) in overrides.items():
        verdict = verdicts.get(criterion_id)
        if verdict is None:
            continue
        reason = nfc(reason or "").strip()
        if override is None:
            reason = ""
        if (verdict.override_met, verdict.reason) != (override, reason):
            changed.append(verdict)
        if override is not None and not reason:
            errors[f"reason_{criterion_id}"] = _(
                "Cần ghi lý do khi hội đồng điều chỉnh kết luận tiêu chí “%(name)s”."
            ) % {"name": verdict.criterion.name}
        verdict.override_met = override
        verdict.reason = reason
    errors.update(
        check_votes(
            members_present, members_in_favour, appraisal.council.members.count()
        )
    )
    if outcome == Outcome.RECOMMEND and not errors:
        if not all(v.met for v in verdicts.values()):
            errors["outcome"] = _("Chỉ đề nghị công nhận khi mọi tiêu chí đều đạt.")
        elif not members_present or (members_in_favour or 0) * 2 <= members_present:
            errors["outcome"] = _(
                "Đề nghị công nhận cần quá nửa số thành viên có mặt tán thành."
            )
    if outcome not in Outcome.values:
        errors["outcome"] = _("Kết luận không hợp lệ.")
    if appraisal.registration.status != S.APPRAISAL and outcome != appraisal.outcome:
        errors["outcome"] = _(
            "Đăng ký không còn ở trạng thái thẩm định; không thể đổi kết luận."
        )
    if errors:
        raise ValidationError(errors)
    claim_version(appraisal, expected_version)
    for verdict in changed:
        verdict._history_user = by
        verdict.save()
    appraisal.members_present = members_present
    appraisal.members_in_favour = members_in_favour
    appraisal.outcome = outcome
    appraisal.updated_by = by
    appraisal._history_user = by
    appraisal.save()
    return appraisal


@transaction.atomic
def save_council(*, council, by, expected_version=None, **fields):
    """Change the council's name, meeting date or minutes, with a version check."""
    if council.pk:
        claim_version(council, expected_version)
    for name, value in fields.items():
        setattr(council, name, value)
    council.full_clean()
    council._history_user = by
    council.save()
    return council
