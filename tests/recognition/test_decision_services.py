"""Decisions: drawn up from the council's outcomes, published through the lifecycle."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from recognition.models import Appraisal, DecisionKind, Outcome
from recognition.services import (
    StaleVersionError,
    attach_scan,
    create_decision,
    eligible_registrations,
    open_appraisals,
    publish_decision,
    save_appraisal,
)

from .conftest import meet_everything, pdf_upload

SIGNED = datetime.date(2017, 12, 28)


@pytest.fixture
def recommended(programme, district_staff):
    """A met every criterion and was recommended; B was found not achieved."""
    meet_everything(programme["reg_a"].unit, programme["indicators"])
    open_appraisals(council=programme["council"], by=district_staff)
    for registration, outcome in (
        (programme["reg_a"], Outcome.RECOMMEND),
        (programme["reg_b"], Outcome.NOT_ACHIEVED),
    ):
        appraisal = Appraisal.objects.get(registration=registration)
        save_appraisal(
            appraisal=appraisal,
            overrides={},
            members_present=3,
            members_in_favour=3 if outcome == Outcome.RECOMMEND else 1,
            outcome=outcome,
            by=district_staff,
        )
    return programme


def recognition(programme, by, number="123/QĐ-UBND", registrations=None):
    council = programme["council"]
    return create_decision(
        kind=DecisionKind.RECOGNITION,
        number=number,
        signed_on=SIGNED,
        title=council.title,
        year=council.year,
        council=council,
        registrations=registrations or [programme["reg_a"]],
        by=by,
    )


def test_only_recommended_units_are_eligible(recommended):
    eligible = eligible_registrations(
        kind=DecisionKind.RECOGNITION, council=recommended["council"]
    )
    assert list(eligible) == [recommended["reg_a"]]


@pytest.mark.parametrize(
    "number", ["123/QD-UBND", "QĐ-UBND", "123/qđ-ubnd", "0/QĐ-UBND", "123 /QĐ-UBND", ""]
)
def test_a_malformed_decision_number_is_refused(recommended, district_staff, number):
    with pytest.raises(ValidationError) as caught:
        recognition(recommended, district_staff, number=number)
    assert "123/QĐ-UBND" in str(caught.value)


def test_a_unit_not_recommended_cannot_be_named(recommended, district_staff):
    with pytest.raises(ValidationError) as caught:
        recognition(
            recommended,
            district_staff,
            registrations=[recommended["reg_a"], recommended["reg_b"]],
        )
    assert "không thể đưa vào quyết định" in str(caught.value)


def test_publishing_a_recognition_recognises_its_units(recommended, district_staff):
    decision = recognition(recommended, district_staff)
    assert decision.entries.get().certificate_number == "1/GCN-UBND"
    with pytest.raises(ValidationError) as caught:
        publish_decision(decision=decision, by=district_staff)
    assert "bản quyết định đã ký" in str(caught.value)
    reg_a = recommended["reg_a"]
    reg_a.refresh_from_db()
    assert reg_a.status == "appraisal"

    attach_scan(decision=decision, upload=pdf_upload(), by=district_staff)
    publish_decision(decision=decision, by=district_staff)
    reg_a.refresh_from_db()
    assert reg_a.status == "recognised"
    assert (reg_a.decision_number, reg_a.decision_date) == ("123/QĐ-UBND", SIGNED)
    decision.refresh_from_db()
    assert decision.published and decision.published_at is not None
    assert recommended["reg_b"].decisions.count() == 0


def test_a_scan_must_be_a_pdf(recommended, district_staff):
    decision = recognition(recommended, district_staff)
    with pytest.raises(ValidationError) as caught:
        attach_scan(
            decision=decision,
            upload=pdf_upload("anh.pdf", b"\x89PNG\r\n"),
            by=district_staff,
        )
    assert "PDF" in str(caught.value)
    decision.refresh_from_db()
    assert not decision.scan


def test_a_stale_publication_is_refused(recommended, district_staff):
    decision = recognition(recommended, district_staff)
    seen = decision.version
    attach_scan(decision=decision, upload=pdf_upload(), by=district_staff)
    with pytest.raises(StaleVersionError):
        publish_decision(decision=decision, by=district_staff, expected_version=seen)
    decision.refresh_from_db()
    assert not decision.published


def test_a_revocation_needs_a_reason_and_revokes_on_publication(
    recommended, district_staff
):
    decision = recognition(recommended, district_staff)
    attach_scan(decision=decision, upload=pdf_upload(), by=district_staff)
    publish_decision(decision=decision, by=district_staff)
    title = recommended["title"]
    common = {
        "kind": DecisionKind.REVOCATION,
        "number": "45/QĐ-UBND",
        "signed_on": datetime.date(2018, 10, 2),
        "title": title,
        "year": 2017,
        "registrations": [recommended["reg_a"]],
        "by": district_staff,
    }
    with pytest.raises(ValidationError) as caught:
        create_decision(**common, reason="")
    assert "lý do thu hồi" in str(caught.value)
    reason = "Hai quý liền không duy trì tiêu chí 1."
    revocation = create_decision(**common, reason=reason)
    assert revocation.entries.get().certificate_number == ""
    attach_scan(decision=revocation, upload=pdf_upload(), by=district_staff)
    publish_decision(decision=revocation, by=district_staff)
    reg_a = recommended["reg_a"]
    reg_a.refresh_from_db()
    assert reg_a.status == "revoked"
    assert list(
        reg_a.decisions.order_by("signed_on").values_list("kind", "reason")
    ) == [
        ("recognition", ""),
        ("revocation", reason),
    ]
