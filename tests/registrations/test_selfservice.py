"""Unit-head self-service at /dang-ky/."""

import pytest
import time_machine
from django.urls import reverse

from registrations.models import Registration, RegistrationStatus
from tests import factories
from tests.conftest import login

NOW = "2026-11-28 10:00 +07:00"
HOME = "/dang-ky/"


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="CQKM")


def register_url(unit):
    return reverse("registrations:register", kwargs={"code": unit.code})


def test_unit_head_sees_own_unit_with_title_and_roadmap(
    client, unit_head, unit_a, unit_b, title
):
    unit_a.roadmap_year = 2028
    unit_a.save()
    response = login(client, unit_head).get(HOME)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cơ quan A" in html and "Cơ quan B" not in html
    assert title.name in html
    assert "2028" in html
    assert "Chưa đăng ký" in html
    assert 'name="year"' in html


def test_user_heading_no_unit_sees_empty_state(client, district_staff):
    response = login(client, district_staff).get(HOME)
    assert response.status_code == 200
    assert "chưa được giao làm trưởng đơn vị nào" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_unit_head_registers_a_year_and_history_records_who(
    client, unit_head, unit_a, title
):
    login(client, unit_head)

    response = client.post(
        register_url(unit_a), {"year": 2028, "version": 0}, follow=True
    )

    registration = Registration.objects.get(unit=unit_a)
    assert registration.year == 2028
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.history.get().history_user == unit_head
    html = response.content.decode()
    assert "Đã ghi nhận" in html
    assert "Đăng ký năm 2028" in html  # the change history on the page
    assert "truong_a" in html


@time_machine.travel(NOW, tick=False)
def test_unit_head_changes_the_year_and_sees_ahead_of_roadmap(
    client, unit_head, unit_a, title
):
    unit_a.roadmap_year = 2030
    unit_a.save()
    registration = factories.make_registration(unit_a, title, year=2030)
    login(client, unit_head)

    response = client.post(
        register_url(unit_a),
        {"year": 2027, "version": registration.version},
        follow=True,
    )

    registration.refresh_from_db()
    assert registration.year == 2027
    html = response.content.decode()
    assert "Vượt lộ trình" in html
    assert "Đổi năm 2030 → 2027" in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2025", "Không thể đăng ký năm đã qua (năm nay là 2026)."),
        ("2101", "Năm đăng ký không được sau năm 2100."),
        ("hai nghìn", "Năm phải là một số nguyên"),
        ("", "Hãy nhập năm đăng ký."),
    ],
)
def test_invalid_years_are_refused_in_vietnamese(
    client, unit_head, unit_a, title, year, message
):
    response = login(client, unit_head).post(
        register_url(unit_a), {"year": year, "version": 0}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_stale_form_is_refused_and_nothing_is_overwritten(
    client, unit_head, unit_a, title
):
    registration = factories.make_registration(unit_a, title, year=2028)
    loaded = registration.version
    login(client, unit_head)
    client.post(register_url(unit_a), {"year": 2029, "version": loaded})

    response = client.post(
        register_url(unit_a), {"year": 2030, "version": loaded}, follow=True
    )

    assert "vừa được người khác thay đổi" in response.content.decode()
    registration.refresh_from_db()
    assert registration.year == 2029


@time_machine.travel(NOW, tick=False)
def test_year_cannot_change_once_appraisal_started(client, unit_head, unit_a, title):
    registration = factories.make_registration(
        unit_a, title, year=2028, status=RegistrationStatus.APPRAISAL
    )
    login(client, unit_head)
    page = client.get(HOME).content.decode()
    response = client.post(
        register_url(unit_a), {"year": 2029, "version": registration.version}
    )

    assert "không đổi năm được nữa" in page
    assert "Đang thẩm định" in response.content.decode()
    registration.refresh_from_db()
    assert registration.year == 2028


def test_unit_head_cannot_register_another_unit(client, unit_head, unit_b, title):
    login(client, unit_head)
    assert client.get(register_url(unit_b)).status_code == 404
    assert client.post(register_url(unit_b), {"year": 2030}).status_code == 404
    assert not Registration.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, unit_a):
    response = client.get(register_url(unit_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_query_count_is_bounded(
    client, unit_head, unit_a, title, django_assert_max_num_queries
):
    for _ in range(5):
        unit = factories.make_unit()
        unit.heads.add(unit_head)
        registration = factories.make_registration(unit, title, year=2027)
        registration.year = 2028
        registration.save()
    login(client, unit_head)
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert len(response.context["cards"]) == 6


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_tampered_version_is_refused_with_a_message(
    client, unit_head, unit_a, title, version
):
    response = login(client, unit_head).post(
        register_url(unit_a), {"year": 2030, "version": version}
    )
    assert response.status_code == 200
    assert "Biểu mẫu đã cũ hoặc không hợp lệ" in response.content.decode()
    assert not Registration.objects.exists()
