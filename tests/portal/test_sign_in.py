"""/dang-nhap/ sends each role to its own work; staff find the admin in the header."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

LOGIN = "/dang-nhap/"


def _sign_in(client, user, **query):
    url = LOGIN
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = client.post(
        url, {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, "the sign-in was refused"
    return response["Location"]


@pytest.mark.parametrize(
    "persona, landing",
    [
        ("unit_head", "/dang-ky/"),
        ("district_staff", "/bao-cao/"),
        ("supervisor", "/bao-cao/"),
        # The system administrator works in the admin.
        ("superuser", "admin:index"),
        ("editor", "admin:index"),
    ],
)
def test_each_role_lands_on_its_own_work_after_signing_in(
    client, request, persona, landing
):
    user = request.getfixturevalue(persona)
    expected = landing if landing.startswith("/") else reverse(landing)
    assert _sign_in(client, user) == expected


def test_other_staff_land_in_the_admin(client):
    user = factories.make_user("thuky", is_staff=True)
    assert _sign_in(client, user) == reverse("admin:index")


def test_a_unit_head_who_is_also_district_staff_lands_on_the_registration_page(
    client, district_staff, unit_a
):
    unit_a.heads.add(district_staff)
    assert _sign_in(client, district_staff) == "/dang-ky/"


def test_a_user_without_a_role_lands_on_the_registration_page(client):
    user = factories.make_user("khach")
    assert _sign_in(client, user) == "/dang-ky/"


def test_a_safe_next_is_followed_first(client, editor):
    assert _sign_in(client, editor, next="/tien-do/2017/") == "/tien-do/2017/"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_an_unsafe_next_is_ignored(client, district_staff, unsafe):
    assert _sign_in(client, district_staff, next=unsafe) == "/bao-cao/"


@pytest.mark.parametrize("path", ["/", "/tin-tuc/", "/tien-do/"])
def test_only_staff_see_the_admin_link_and_cached_pages_never_carry_it(
    client, editor, unit_head, path
):
    admin_link = f'href="{reverse("admin:index")}">Trang quản trị</a>'
    # An anonymous visitor fills the page cache first...
    assert admin_link not in Client().get(path).content.decode()
    # ...a staff member gets the page rendered for them, with the link...
    assert admin_link in login(client, editor).get(path).content.decode()
    # ...and the next anonymous visitor (the page cached now) never sees it.
    assert admin_link not in Client().get(path).content.decode()
    assert admin_link not in login(Client(), unit_head).get(path).content.decode()
