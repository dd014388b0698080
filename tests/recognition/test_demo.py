"""The demo carries 2017 to its end: councils, appraisals, decisions, certificates."""

import pytest

from recognition.models import Appraisal, Council, Decision, Outcome
from registrations.models import Registration
from tests.portal.test_demo import load_demo_at

pytestmark = pytest.mark.django_db

# The units the seed's briefing names as ahead of the roadmap.
SEED_NAMED_AHEAD = {
    "UBND-HUYEN",
    "BHXH-HUYEN",
    "XA-DONG-KHE",
    "MN-DONG-HOA",
    "MN-DONG-PHU",
    "MN-DONG-THINH",
    "MN-DONG-XUAN",
}


def test_the_demo_recognises_the_units_that_met_every_criterion(client):
    load_demo_at()
    assert Council.objects.filter(year=2017).count() == 4
    assert Appraisal.objects.filter(council__year=2017).count() == 74
    recommended = Appraisal.objects.filter(outcome=Outcome.RECOMMEND)
    # Recommended exactly when every verdict (from Q4/2017's values) is met.
    for appraisal in Appraisal.objects.prefetch_related("verdicts"):
        met = all(v.met for v in appraisal.verdicts.all())
        assert met == (appraisal.outcome == Outcome.RECOMMEND), appraisal
        assert (appraisal.data_year, appraisal.data_quarter) == (2017, 4)
    recognised = set(
        Registration.objects.filter(year=2017, status="recognised").values_list(
            "unit__code", flat=True
        )
    )
    assert recognised == set(
        recommended.values_list("registration__unit__code", flat=True)
    )
    assert SEED_NAMED_AHEAD <= recognised
    assert "PHONG-TNMT" not in recognised  # no sports ground for its staff yet
    decisions = Decision.objects.published()
    assert decisions.count() == 4
    for decision in decisions:
        assert decision.scan and decision.signed_on.isoformat() == "2017-12-29"
        numbers = list(decision.entries.values_list("certificate_number", flat=True))
        assert all(n.endswith("/GCN-UBND") for n in numbers)
    certificates = Decision.objects.values_list(
        "entries__certificate_number", flat=True
    )
    assert len(set(certificates)) == len(recognised)
    response = client.get(decisions.first().get_public_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_loading_the_demo_twice_changes_no_appraisal():
    load_demo_at()
    before = Appraisal.objects.count(), Decision.objects.count()
    load_demo_at()
    assert (Appraisal.objects.count(), Decision.objects.count()) == before
