"""The council's work through the services: verdicts, overrides, votes, history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from recognition.models import Appraisal, Outcome, Verdict
from recognition.services import (
    StaleVersionError,
    open_appraisals,
    save_appraisal,
)
from registrations.models import ReportState
from tests import factories

from .conftest import meet_everything


def verdicts_of(appraisal):
    return {v.criterion.code: v for v in appraisal.verdicts.select_related("criterion")}


@pytest.fixture
def opened(programme, district_staff):
    meet_everything(programme["reg_a"].unit, programme["indicators"])
    ind = programme["indicators"]
    unit_b = programme["reg_b"].unit
    # Unit B: its accepted values miss criterion 1 (percent 60 < 80) ...
    factories.make_progress(unit_b, ind["DH-CK"], 2017, 2, "1")
    factories.make_progress(unit_b, ind["DH-TL"], 2017, 2, "60")
    factories.make_progress(unit_b, ind["DH-SL"], 2017, 2, "1")
    # ... and its own report of Q3, not accepted, would meet it: it must not count.
    factories.make_report(
        unit_b,
        2017,
        3,
        ReportState.SUBMITTED,
        values={ind["DH-CK"]: "1", ind["DH-TL"]: "95", ind["DH-SL"]: "1"},
    )
    created = open_appraisals(council=programme["council"], by=district_staff)
    assert created == 2
    return {
        **programme,
        "a": Appraisal.objects.get(registration=programme["reg_a"]),
        "b": Appraisal.objects.get(registration=programme["reg_b"]),
    }


def test_verdicts_are_prefilled_from_accepted_values_of_the_last_quarter(opened):
    a, b = opened["a"], opened["b"]
    assert (a.data_year, a.data_quarter) == (2017, 3)
    assert {code: v.computed_met for code, v in verdicts_of(a).items()} == {
        "DH-TC1": True,
        "DH-TC2": True,
    }
    # B's value in force for the percent is Q2's accepted 60, not the reported 95.
    assert {code: v.computed_met for code, v in verdicts_of(b).items()} == {
        "DH-TC1": False,
        "DH-TC2": True,
    }


def test_opening_moves_registrations_into_appraisal_and_is_idempotent(
    opened, district_staff
):
    for key in ("reg_a", "reg_b"):
        opened[key].refresh_from_db()
        assert opened[key].status == "appraisal"
    assert open_appraisals(council=opened["council"], by=district_staff) == 0
    assert Appraisal.objects.count() == 2


def test_a_unit_without_accepted_values_meets_no_criterion(programme, district_staff):
    open_appraisals(council=programme["council"], by=district_staff)
    appraisal = Appraisal.objects.get(registration=programme["reg_b"])
    assert appraisal.data_quarter is None
    assert not any(v.computed_met for v in appraisal.verdicts.all())


def save(appraisal, by, overrides=None, present=3, favour=3, outcome="", version=None):
    return save_appraisal(
        appraisal=appraisal,
        overrides=overrides or {},
        members_present=present,
        members_in_favour=favour,
        outcome=outcome,
        by=by,
        expected_version=appraisal.version if version is None else version,
    )


def test_an_override_needs_a_reason(opened, district_staff):
    b = opened["b"]
    criterion = verdicts_of(b)["DH-TC1"].criterion
    with pytest.raises(ValidationError) as caught:
        save(b, district_staff, {criterion.pk: (True, "  ")})
    assert "Cần ghi lý do" in str(caught.value)
    assert not Verdict.objects.filter(override_met__isnull=False).exists()
    with pytest.raises(IntegrityError):
        Verdict.objects.filter(pk=verdicts_of(b)["DH-TC1"].pk).update(override_met=True)


def test_an_override_with_a_reason_changes_the_verdict_and_keeps_history(
    opened, district_staff
):
    b = opened["b"]
    verdict = verdicts_of(b)["DH-TC1"]
    reason = "Biên bản kiểm tra thực tế ngày 15/12/2017: tỷ lệ đạt 85%."
    save(b, district_staff, {verdict.criterion_id: (True, reason)}, outcome="recommend")
    verdict.refresh_from_db()
    assert verdict.met and verdict.overridden and verdict.reason == reason
    rows = list(verdict.history.order_by("history_date"))
    assert [(r.computed_met, r.override_met, r.reason) for r in rows] == [
        (False, None, ""),
        (False, True, reason),
    ]
    assert rows[-1].history_user == district_staff
    outcomes = list(
        b.history.order_by("history_date").values_list("outcome", flat=True)
    )
    assert outcomes == ["", "recommend"]


def test_recommendation_needs_every_criterion_met(opened, district_staff):
    with pytest.raises(ValidationError) as caught:
        save(opened["b"], district_staff, outcome=Outcome.RECOMMEND)
    assert "mọi tiêu chí đều đạt" in str(caught.value)


def test_recommendation_needs_more_than_half_of_those_present(opened, district_staff):
    a = opened["a"]
    with pytest.raises(ValidationError) as caught:
        save(a, district_staff, present=2, favour=1, outcome=Outcome.RECOMMEND)
    assert "quá nửa" in str(caught.value)
    save(a, district_staff, present=3, favour=2, outcome=Outcome.RECOMMEND)
    a.refresh_from_db()
    assert a.outcome == Outcome.RECOMMEND
    assert a.share_in_favour == pytest.approx(2 / 3)


def test_votes_cannot_exceed_the_members(opened, district_staff):
    with pytest.raises(ValidationError) as caught:
        save(opened["a"], district_staff, present=4, favour=4)
    assert "số thành viên hội đồng (3)" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        save(opened["a"], district_staff, present=2, favour=3)
    assert "không được lớn hơn số có mặt" in str(caught.value)


def test_a_stale_form_is_refused(opened, district_staff):
    a = opened["a"]
    seen = a.version
    save(a, district_staff, outcome=Outcome.NOT_ACHIEVED)
    stale = Appraisal.objects.get(pk=a.pk)
    with pytest.raises(StaleVersionError):
        save(stale, district_staff, outcome=Outcome.RECOMMEND, version=seen)
    stale.refresh_from_db()
    assert stale.outcome == Outcome.NOT_ACHIEVED
