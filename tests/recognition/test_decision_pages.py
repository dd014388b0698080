"""The staff's decision pages: every decision listed, a draft discarded and drawn
up again, certificates numbered after the year's highest; the council's admin."""

import datetime

import pytest
from django.urls import reverse

from recognition.models import Appraisal, Decision, DecisionKind, Outcome
from recognition.services import (
    attach_scan,
    create_decision,
    open_appraisals,
    publish_decision,
    save_appraisal,
)
from tests import factories

from .conftest import meet_everything, pdf_upload


@pytest.fixture
def opened(programme, district_staff):
    """A meets every criterion and is recommended; the sheets are open."""
    meet_everything(programme["reg_a"].unit, programme["indicators"])
    open_appraisals(council=programme["council"], by=district_staff)
    save_appraisal(
        appraisal=Appraisal.objects.get(registration=programme["reg_a"]),
        overrides={},
        members_present=3,
        members_in_favour=3,
        outcome=Outcome.RECOMMEND,
        by=district_staff,
    )
    return programme


def draw_up(client, opened, number="123/QĐ-UBND"):
    create = reverse("recognition:decision-create", args=[opened["council"].pk])
    form = {"signed_on": "2017-12-28", "registrations": [opened["reg_a"].pk]}
    return client.post(create, {**form, "number": number})


def test_the_councils_page_lists_every_decision_fifty_a_page(
    client, programme, district_staff
):
    first_day = datetime.date(2017, 1, 1)
    Decision.objects.bulk_create(
        Decision(
            kind=DecisionKind.REVOCATION,
            number=f"{n}/QĐ-UBND",
            signed_on=first_day + datetime.timedelta(days=n),
            year=2017,
            title=programme["title"],
            reason="Không còn đạt tiêu chí.",
        )
        for n in range(1, 52)
    )
    client.force_login(district_staff)
    url = reverse("recognition:councils")
    first = client.get(url).content.decode()
    assert "Trang 1/2" in first
    assert "số 51/QĐ-UBND" in first and "số 1/QĐ-UBND<" not in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "số 1/QĐ-UBND<" in second and "số 51/QĐ-UBND" not in second
    assert client.get(url, {"page": "-1"}).status_code == 200


def test_the_admin_refuses_two_chairs_saved_together_in_vietnamese(
    client, programme, superuser
):
    client.force_login(superuser)
    member = {"position": "Phó Chủ tịch UBND huyện", "role": "chair", "order": "0"}
    data = {
        "year": "2030",
        "title": str(programme["title"].pk),
        "name": "",
        "meeting_date": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        **{f"members-0-{k}": v for k, v in member.items()},
        **{f"members-1-{k}": v for k, v in member.items()},
        "members-0-name": "Nguyễn Văn A",
        "members-1-name": "Trần Văn B",
    }
    response = client.post(reverse("admin:recognition_council_add"), data)
    assert response.status_code == 200
    assert "Hội đồng chỉ có một Chủ tịch." in response.content.decode()
    assert not programme["title"].councils.filter(year=2030).exists()


def test_staff_discard_a_draft_and_draw_up_its_units_again(
    client, opened, district_staff
):
    client.force_login(district_staff)
    draw_up(client, opened, number="132/QĐ-UBND")
    typo = Decision.objects.get()
    scan_form = {"version": typo.version, "scan": pdf_upload()}
    assert client.post(typo.get_absolute_url(), scan_form).status_code == 302
    typo.refresh_from_db()
    scan = typo.scan.name
    assert "Hủy quyết định số 132/QĐ-UBND" in client.get(typo.get_absolute_url()).text

    discard = reverse("recognition:decision-discard", args=[typo.pk])
    response = client.post(discard, {"version": typo.version}, follow=True)
    assert "Đã hủy Quyết định công nhận số 132/QĐ-UBND" in response.text
    assert not Decision.objects.exists()
    assert not typo.scan.storage.exists(scan)
    assert typo.history.filter(history_type="-").get().history_user == district_staff

    draw_up(client, opened)
    decision = Decision.objects.get()
    assert decision.entries.get().certificate_number == "1/GCN-UBND"


def test_a_stale_or_published_decision_is_not_discarded(client, opened, district_staff):
    client.force_login(district_staff)
    draw_up(client, opened)
    decision = Decision.objects.get()
    discard = reverse("recognition:decision-discard", args=[decision.pk])
    response = client.post(discard, {"version": decision.version + 1}, follow=True)
    assert "vừa được người khác thay đổi" in response.text
    attach_scan(decision=decision, upload=pdf_upload(), by=district_staff)
    publish_decision(decision=decision, by=district_staff)
    response = client.post(discard, {"version": decision.version}, follow=True)
    assert "Quyết định đã công bố; không thể hủy." in response.text
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert "Hủy quyết định" not in client.get(decision.get_absolute_url()).text


def test_certificates_follow_the_highest_number_of_the_year_not_the_count(
    opened, district_staff
):
    unit = factories.make_unit("DV-GCN-1", name="Đơn vị một")
    earlier = Decision.objects.create(
        kind=DecisionKind.REVOCATION,
        number="5/QĐ-UBND",
        signed_on=datetime.date(2017, 6, 1),
        year=2017,
        title=opened["title"],
        reason="Lý do.",
    )
    # One certificate of the year, numbered 7 (the drafts before it discarded).
    earlier.entries.create(
        registration=factories.make_registration(unit, opened["title"], 2017),
        certificate_number="7/GCN-UBND",
    )
    decision = create_decision(
        kind=DecisionKind.RECOGNITION,
        number="123/QĐ-UBND",
        signed_on=datetime.date(2017, 12, 28),
        title=opened["title"],
        year=2017,
        council=opened["council"],
        registrations=[opened["reg_a"]],
        by=district_staff,
    )
    assert decision.entries.get().certificate_number == "8/GCN-UBND"
