"""The signed-in header names who is signed in and offers only their role's links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

UNIT_LINK = '">Đăng ký của đơn vị</a>'
WORK_MENU = ">Công việc</a>"
ADMIN_LINK = f'href="{reverse("admin:index")}">Trang quản trị</a>'
PROFILE_LINK = ">Thông tin tài khoản</a>"
SIGN_OUT = ">Đăng xuất</button>"


def header(client, path="/tin-tuc/"):
    html = client.get(path).text
    return html[html.index("<header") : html.index("</header>")]


def test_an_anonymous_visitor_sees_sign_in_and_no_role_link(client):
    html = header(client)
    assert ">Đăng nhập</a>" in html
    for link in (UNIT_LINK, WORK_MENU, ADMIN_LINK, SIGN_OUT, "Đã đăng nhập"):
        assert link not in html


def test_a_unit_head_sees_their_name_their_units_and_their_account(client, unit_head):
    unit_head.first_name, unit_head.last_name = "Văn An", "Nguyễn"
    unit_head.save()
    html = header(login(client, unit_head))
    assert '<span class="user-name">Văn An Nguyễn</span>' in html
    assert "Đã đăng nhập: " in html and "<strong>truong_a</strong>" in html
    for link in (UNIT_LINK, PROFILE_LINK, SIGN_OUT):
        assert link in html
    assert WORK_MENU not in html and ADMIN_LINK not in html


def test_a_user_without_a_full_name_is_shown_by_username(client, district_staff):
    assert '<span class="user-name">canbo</span>' in header(
        login(client, district_staff)
    )


def test_district_staff_who_head_no_unit_see_their_work_not_the_units_link(
    client, district_staff
):
    html = header(login(client, district_staff))
    assert WORK_MENU in html and ADMIN_LINK in html
    assert 'href="/bao-cao/">Báo cáo</a>' in html
    assert UNIT_LINK not in html and PROFILE_LINK not in html


def test_staff_who_also_head_a_unit_see_both(client, district_staff, unit_a):
    unit_a.heads.add(district_staff)
    html = header(login(client, district_staff))
    assert WORK_MENU in html and UNIT_LINK in html and PROFILE_LINK in html


def test_an_editor_sees_the_admin_only(client, editor):
    html = header(login(client, editor))
    assert ADMIN_LINK in html
    assert WORK_MENU not in html and UNIT_LINK not in html
    assert 'href="/bao-cao/"' not in html


def test_whether_staff_head_a_unit_is_asked_at_sign_in_not_on_every_page(
    client, unit_head, district_staff, unit_b
):
    unit_b.heads.add(district_staff)
    for user in (unit_head, district_staff):
        login(client, user)  # the one question, asked as they sign in
        with CaptureQueriesContext(connection) as captured:
            html = header(client)
        assert UNIT_LINK in html
        assert not [
            q for q in captured.captured_queries if "units_unit_heads" in q["sql"]
        ]


def test_signing_in_through_the_form_remembers_the_headed_units(
    client, district_staff, unit_a
):
    unit_a.heads.add(district_staff)
    response = client.post(
        "/dang-nhap/", {"username": "canbo", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert UNIT_LINK in header(client)
