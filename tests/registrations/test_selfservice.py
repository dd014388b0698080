"""Unit-head self-service at /dang-ky/."""

import re

import pytest
import time_machine
from django.urls import reverse

from registrations.models import (
    Registration,
    RegistrationStatus,
    RoadmapPosition,
    roadmap_position,
)
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
        register_url(unit_a), {"year": 2028, "version": 0, "confirm": "1"}, follow=True
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
        {"year": 2027, "version": registration.version, "confirm": "1"},
        follow=True,
    )

    registration.refresh_from_db()
    assert registration.year == 2027
    html = response.content.decode()
    assert "Sớm hơn lộ trình" in html
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
    client.post(register_url(unit_a), {"year": 2029, "version": loaded, "confirm": 1})

    response = client.post(
        register_url(unit_a),
        {"year": 2030, "version": loaded, "confirm": "1"},
        follow=True,
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


def year_field_value(html):
    """The value the year box opens with."""
    match = re.search(r'<input[^>]*name="year"[^>]*>', html)
    assert match, "no year box on the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("registered", "roadmap", "opens_on"),
    [
        (2029, 2028, "2029"),  # the registration, still a year the form accepts
        (2025, 2028, "2028"),  # a past registration: the roadmap year
        (2025, 2018, "2026"),  # both past: this year
        (None, 2030, "2030"),  # not registered: the roadmap year
        (None, 2018, "2026"),  # not registered, past roadmap: this year
        (None, None, "2026"),  # no roadmap: this year
    ],
)
def test_the_form_opens_on_a_year_it_accepts(
    client, unit_head, unit_a, title, registered, roadmap, opens_on
):
    unit_a.roadmap_year = roadmap
    unit_a.save()
    if registered is not None:
        factories.make_registration(unit_a, title, year=registered)
    login(client, unit_head)

    for url in (HOME, register_url(unit_a)):
        assert year_field_value(client.get(url).content.decode()) == opens_on


@time_machine.travel(NOW, tick=False)
def test_pressing_the_button_unchanged_leads_to_the_confirmation(
    client, unit_head, unit_a, title
):
    unit_a.roadmap_year = 2018
    unit_a.save()
    login(client, unit_head)
    opens_on = year_field_value(client.get(register_url(unit_a)).content.decode())

    response = client.post(register_url(unit_a), {"year": opens_on, "version": 0})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Xác nhận đăng ký" in html
    assert 'name="confirm" value="1"' in html
    assert not Registration.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_new_year_is_saved_only_after_the_confirmation_showing_old_and_new(
    client, unit_head, unit_a, title
):
    unit_a.roadmap_year = 2028
    unit_a.save()
    registration = factories.make_registration(unit_a, title, year=2027)
    login(client, unit_head)

    step = client.post(
        register_url(unit_a), {"year": 2030, "version": registration.version}
    )

    html = step.content.decode()
    registration.refresh_from_db()
    assert registration.year == 2027  # nothing saved yet
    assert "Xác nhận đổi năm đăng ký" in html
    assert re.search(r"Hiện tại</th>\s*<td>2027</td>", html)
    assert re.search(r"Sau khi xác nhận</th>\s*<td><strong>2030</strong>", html)
    assert "Sớm hơn lộ trình" in html and "Chậm hơn lộ trình" in html
    assert "Xác nhận đổi sang năm 2030" in html
    assert f'name="version" value="{registration.version}"' in html

    done = client.post(
        register_url(unit_a),
        {"year": 2030, "version": registration.version, "confirm": "1"},
        follow=True,
    )

    registration.refresh_from_db()
    assert registration.year == 2030
    assert "Đã ghi nhận" in done.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_same_year_again_is_told_rather_than_confirmed(
    client, unit_head, unit_a, title
):
    registration = factories.make_registration(unit_a, title, year=2028)
    response = login(client, unit_head).post(
        register_url(unit_a), {"year": 2028, "version": registration.version}
    )
    html = response.content.decode()
    assert "Đơn vị đang đăng ký năm 2028; nhập một năm khác nếu muốn đổi." in html
    assert 'name="confirm" value="1"' not in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("year", "roadmap", "label"),
    [
        (2027, 2028, "Sớm hơn lộ trình"),
        (2028, 2028, "Theo lộ trình"),
        (2027, 2018, "Chậm hơn lộ trình"),
        (2027, None, "Huyện chưa xác định năm lộ trình"),
    ],
)
def test_the_card_places_the_year_against_the_roadmap(
    client, unit_head, unit_a, title, year, roadmap, label
):
    unit_a.roadmap_year = roadmap
    unit_a.save()
    factories.make_registration(unit_a, title, year=year)
    html = login(client, unit_head).get(register_url(unit_a)).content.decode()
    row = re.search(r"So với lộ trình</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert label in row.group(1)
    others = {"Sớm hơn lộ trình", "Theo lộ trình", "Chậm hơn lộ trình"} - {label}
    assert not any(other in row.group(1) for other in others)


def test_roadmap_position_follows_the_contract():
    assert roadmap_position(2027, 2028) == RoadmapPosition.AHEAD
    assert roadmap_position(2028, 2028) == RoadmapPosition.ON
    assert roadmap_position(2027, 2018) == RoadmapPosition.BEHIND
    assert roadmap_position(2027, None) is None


@time_machine.travel(NOW, tick=False)
def test_the_form_leaves_checks_to_the_server_and_the_page_has_a_heading(
    client, unit_head, unit_a, title
):
    login(client, unit_head)
    for url in (HOME, register_url(unit_a)):
        html = client.get(url).content.decode()
        form = re.search(r'<form[^>]*id="dang-ky-[^"]*"[^>]*>', html).group(0)
        assert "novalidate" in form
        box = re.search(r'<input[^>]*name="year"[^>]*>', html).group(0)
        assert 'type="text"' in box
        assert len(re.findall(r"<h1[ >]", html)) == 1


@time_machine.travel(NOW, tick=False)
def test_an_error_is_shown_beside_the_year_box_with_the_typed_value(
    client, unit_head, unit_a, title
):
    response = login(client, unit_head).post(
        register_url(unit_a), {"year": "2020", "version": 0}
    )
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="year"[^>]*is-invalid', html)
    assert year_field_value(html) == "2020"
    assert "Không thể đăng ký năm đã qua (năm nay là 2026)." in html
    assert "<h1" in html


@time_machine.travel(NOW, tick=False)
def test_a_confirmation_of_a_year_now_invalid_saves_nothing(
    client, unit_head, unit_a, title
):
    response = login(client, unit_head).post(
        register_url(unit_a), {"year": "1999", "version": 0, "confirm": "1"}
    )
    assert "Không thể đăng ký năm đã qua" in response.content.decode()
    assert not Registration.objects.exists()
