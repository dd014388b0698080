"""The registration lifecycle: every allowed and every refused transition."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests import factories

S = RegistrationStatus
DECISION = {
    "decision_number": "123/QĐ-UBND",
    "decision_date": datetime.date(2017, 12, 20),
}


def call(name, registration, by, **extra):
    functions = {
        "accept": services.accept_registration,
        "start_appraisal": services.start_appraisal,
        "recognise": services.recognise_registration,
        "mark_not_achieved": services.mark_not_achieved,
        "maintain": services.maintain_registration,
        "revoke": services.revoke_registration,
    }
    if name == "recognise":
        extra = {**DECISION, **extra}
    return functions[name](registration=registration, by=by, **extra)


ALLOWED = [
    (source, name, target)
    for name, (sources, target) in services.TRANSITIONS.items()
    for source in sorted(sources)
]
REFUSED = [
    (source, name)
    for name, (sources, _target) in services.TRANSITIONS.items()
    for source in S
    if source not in sources
]


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="CQKM")


def registration_in(status, unit, title):
    extra = DECISION if status in (S.RECOGNISED, S.MAINTAINED, S.REVOKED) else {}
    return factories.make_registration(unit, title, year=2017, status=status, **extra)


@pytest.mark.parametrize(("source", "name", "target"), ALLOWED)
def test_allowed_transition_changes_status_and_records_who(
    source, name, target, unit_a, title, district_staff
):
    registration = registration_in(source, unit_a, title)
    version = registration.version

    call(name, registration, district_staff)

    registration.refresh_from_db()
    assert registration.status == target
    assert registration.version == version + 1
    assert registration.updated_by == district_staff
    latest = registration.history.latest()
    assert latest.status == target
    assert latest.history_user == district_staff


@pytest.mark.parametrize(("source", "name"), REFUSED)
def test_refused_transition_raises_vietnamese_error_and_changes_nothing(
    source, name, unit_a, title, district_staff
):
    registration = registration_in(source, unit_a, title)
    history_count = registration.history.count()

    with pytest.raises(ValidationError) as exc:
        call(name, registration, district_staff)

    assert "Không thể chuyển đăng ký" in exc.value.messages[0]
    registration.refresh_from_db()
    assert registration.status == source
    assert registration.history.count() == history_count


def test_recognition_requires_decision_number_and_date(unit_a, title, district_staff):
    registration = registration_in(S.APPRAISAL, unit_a, title)

    with pytest.raises(ValidationError) as exc:
        services.recognise_registration(
            registration=registration,
            decision_number="  ",
            decision_date=None,
            by=district_staff,
        )

    assert set(exc.value.message_dict) == {"decision_number", "decision_date"}
    registration.refresh_from_db()
    assert registration.status == S.APPRAISAL


def test_recognition_stores_decision(unit_a, title, district_staff):
    registration = registration_in(S.APPRAISAL, unit_a, title)

    services.recognise_registration(
        registration=registration, by=district_staff, **DECISION
    )

    registration.refresh_from_db()
    assert registration.decision_number == "123/QĐ-UBND"
    assert registration.decision_date == datetime.date(2017, 12, 20)


def test_transition_from_stale_copy_is_refused(unit_a, title, district_staff):
    registration = registration_in(S.SUBMITTED, unit_a, title)
    stale = Registration.objects.get(pk=registration.pk)
    services.accept_registration(registration=registration, by=district_staff)

    with pytest.raises(services.StaleVersionError):
        services.start_appraisal(
            registration=stale, by=district_staff, expected_version=stale.version
        )

    registration.refresh_from_db()
    assert registration.status == S.ACCEPTED


def test_register_year_creates_active_registration_with_default_title(
    unit_a, title, unit_head
):
    registration = services.register_year(unit=unit_a, year=2027, by=unit_head)

    assert registration.title == title
    assert registration.status == S.SUBMITTED
    assert registration.registered_on is not None
    assert registration.history.get().history_user == unit_head


def test_register_year_changes_year_and_history_keeps_old_value(
    unit_a, title, unit_head
):
    first = services.register_year(unit=unit_a, year=2027, by=unit_head)

    second = services.register_year(
        unit=unit_a, year=2026, by=unit_head, expected_version=first.version
    )

    assert second.pk == first.pk
    assert Registration.objects.filter(unit=unit_a).count() == 1
    years = list(second.history.order_by("history_date").values_list("year", flat=True))
    assert years == [2027, 2026]


def test_register_year_refuses_when_no_title_applies(unit_a, unit_head):
    with pytest.raises(ValidationError) as exc:
        services.register_year(unit=unit_a, year=2027, by=unit_head)
    assert "Chưa có danh hiệu" in exc.value.messages[0]


def test_register_year_refuses_when_two_titles_apply(unit_a, title, unit_head):
    factories.make_title("CQKM-2")
    with pytest.raises(ValidationError) as exc:
        services.register_year(unit=unit_a, year=2027, by=unit_head)
    assert "nhiều danh hiệu" in exc.value.messages[0]


def test_register_year_picks_the_catalogue_version_valid_that_year(unit_a, unit_head):
    factories.make_title("CQ-CU", valid_to_year=2019)
    new = factories.make_title("CQ-MOI", valid_from_year=2020)

    registration = services.register_year(unit=unit_a, year=2027, by=unit_head)

    assert registration.title == new


@pytest.mark.parametrize("year", [1999, 2101])
def test_register_year_refuses_years_outside_programme(unit_a, title, unit_head, year):
    with pytest.raises(ValidationError):
        services.register_year(unit=unit_a, year=year, by=unit_head)
    assert not Registration.objects.exists()


def test_register_year_refuses_title_of_another_kind(unit_a, unit_head):
    school_title = factories.make_title(kind="truong", school_level="mam_non")
    with pytest.raises(ValidationError):
        services.register_year(unit=unit_a, title=school_title, year=2027, by=unit_head)


def test_register_year_refuses_year_change_after_appraisal_started(
    unit_a, title, unit_head
):
    registration_in(S.APPRAISAL, unit_a, title)
    with pytest.raises(ValidationError) as exc:
        services.register_year(unit=unit_a, year=2030, by=unit_head)
    assert "Đang thẩm định" in exc.value.messages[0]


def test_register_year_with_stale_version_is_refused(unit_a, title, unit_head):
    registration = services.register_year(unit=unit_a, year=2027, by=unit_head)
    loaded_version = registration.version
    services.register_year(
        unit=unit_a, year=2028, by=unit_head, expected_version=loaded_version
    )

    with pytest.raises(services.StaleVersionError):
        services.register_year(
            unit=unit_a, year=2029, by=unit_head, expected_version=loaded_version
        )

    registration.refresh_from_db()
    assert registration.year == 2028


def test_form_that_saw_no_registration_is_refused_once_one_exists(
    unit_a, title, unit_head
):
    services.register_year(unit=unit_a, year=2027, by=unit_head, expected_version=0)
    with pytest.raises(services.StaleVersionError):
        services.register_year(unit=unit_a, year=2030, by=unit_head, expected_version=0)
    assert Registration.objects.get().year == 2027


def test_not_achieved_unit_reregisters_with_a_new_registration(
    unit_a, title, unit_head, district_staff
):
    old = registration_in(S.APPRAISAL, unit_a, title)
    services.mark_not_achieved(registration=old, by=district_staff)

    new = services.register_year(unit=unit_a, year=2018, by=unit_head)

    assert new.pk != old.pk
    assert Registration.objects.active().get() == new
    old.refresh_from_db()
    assert old.status == S.NOT_ACHIEVED and old.year == 2017


def test_ahead_of_roadmap_is_derived_from_the_unit(unit_a, title, unit_head):
    unit_a.roadmap_year = 2020
    unit_a.save()
    registration = services.register_year(unit=unit_a, year=2018, by=unit_head)
    assert registration.is_ahead_of_roadmap
    unit_a.roadmap_year = 2018
    unit_a.save()
    registration.refresh_from_db()
    assert not registration.is_ahead_of_roadmap


# ---- the admin calls the same services


def _action(client, action, registrations, **extra):
    from django.urls import reverse

    return client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": action, "_selected_action": [r.pk for r in registrations], **extra},
        follow=True,
    )


def test_admin_action_asks_for_confirmation_before_changing(
    client, unit_a, title, district_staff
):
    from tests.conftest import login

    registration = registration_in(S.SUBMITTED, unit_a, title)
    login(client, district_staff)

    page = _action(client, "accept", [registration])

    assert "Xác nhận" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED

    _action(client, "accept", [registration], post="yes")

    registration.refresh_from_db()
    assert registration.status == S.ACCEPTED
    assert registration.history.latest().history_user == district_staff


def test_admin_action_reports_refused_rows_and_applies_the_others(
    client, unit_a, unit_b, title, district_staff
):
    from tests.conftest import login

    ok = registration_in(S.SUBMITTED, unit_a, title)
    wrong = registration_in(S.RECOGNISED, unit_b, title)
    login(client, district_staff)

    response = _action(client, "accept", [ok, wrong], post="yes")

    html = response.content.decode()
    assert "Đã chuyển 1 đăng ký" in html
    assert "UNIT-B: Không thể chuyển đăng ký" in html
    ok.refresh_from_db()
    wrong.refresh_from_db()
    assert (ok.status, wrong.status) == (S.ACCEPTED, S.RECOGNISED)


def test_admin_recognition_asks_for_the_decision(client, unit_a, title, district_staff):
    from tests.conftest import login

    registration = registration_in(S.APPRAISAL, unit_a, title)
    login(client, district_staff)

    missing = _action(client, "recognise", [registration], post="yes")
    assert "Cần nhập số quyết định." in missing.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.APPRAISAL

    _action(
        client,
        "recognise",
        [registration],
        post="yes",
        decision_number="45/QĐ-UBND",
        decision_date="20/12/2017",
    )
    registration.refresh_from_db()
    assert registration.status == S.RECOGNISED
    assert registration.decision_date == datetime.date(2017, 12, 20)


def test_admin_change_form_changes_year_through_the_service_with_version_check(
    client, unit_a, title, district_staff
):
    from django.urls import reverse

    from tests.conftest import login

    registration = registration_in(S.SUBMITTED, unit_a, title)
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    login(client, district_staff)
    loaded = registration.version

    client.post(url, {"year": 2019, "note": "", "expected_version": loaded})
    response = client.post(
        url, {"year": 2020, "note": "", "expected_version": loaded}, follow=True
    )

    assert "vừa được người khác thay đổi" in response.content.decode()
    registration.refresh_from_db()
    assert registration.year == 2019
    assert registration.history.latest().history_user == district_staff


def test_admin_add_refuses_second_active_registration(
    client, unit_a, title, district_staff
):
    from django.urls import reverse

    from tests.conftest import login

    registration_in(S.SUBMITTED, unit_a, title)
    login(client, district_staff)
    response = client.post(
        reverse("admin:registrations_registration_add"),
        {"unit": unit_a.pk, "title": title.pk, "year": 2020, "note": ""},
    )
    assert response.status_code == 200
    assert "đã có một đăng ký đang hiệu lực" in response.content.decode()
    assert Registration.objects.count() == 1


def test_admin_add_creates_registration_with_history(
    client, unit_a, title, district_staff
):
    from django.urls import reverse

    from tests.conftest import login

    login(client, district_staff)
    response = client.post(
        reverse("admin:registrations_registration_add"),
        {"unit": unit_a.pk, "title": title.pk, "year": 2020, "note": "Ghi chú"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.year, registration.note) == (2020, "Ghi chú")
    assert registration.history.earliest().history_user == district_staff


def test_history_cannot_be_reverted_from_the_admin(client, unit_a, title, superuser):
    from django.urls import reverse

    from tests.conftest import login

    registration = registration_in(S.SUBMITTED, unit_a, title)
    services.accept_registration(registration=registration, by=superuser)
    first = registration.history.earliest()
    login(client, superuser)
    url = reverse(
        "admin:registrations_registration_simple_history",
        args=[registration.pk, first.history_id],
    )
    assert client.get(url).status_code == 200
    assert client.post(url, {"year": 2017}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == S.ACCEPTED
