"""Permission matrix (pretix's test_permissions.py): one list of protected URLs.

Each URL is checked for the anonymous visitor (sent to sign in), for the roles that
must be refused (403), for people acting on another unit (404, no information leak)
and for the role the page is for (200).
"""

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.conftest import login

ADMIN = f"/{settings.ADMIN_PATH}/"

# url, who may use it, roles refused with 403, people answered 404
PROTECTED = [
    ("/dang-ky/", "unit_head", [], []),
    ("/dang-ky/UNIT-A/", "unit_head", [], ["other_unit_head", "district_staff"]),
    ("/bao-cao/", "district_staff", ["unit_head", "editor"], []),
    ("/bao-cao/muc/bang-diem/", "district_staff", ["unit_head", "editor"], []),
    ("/bao-cao/muc/vuot-lo-trinh/", "district_staff", ["unit_head", "editor"], []),
    # The unit's own quarterly report: its heads; staff read it (tested with the
    # screen); another unit's head learns nothing.
    ("/dang-ky/UNIT-A/tien-do/2017/1/", "unit_head", ["editor"], ["other_unit_head"]),
    (
        "/dang-ky/UNIT-A/tien-do/2017/1/nop/",
        "unit_head",
        ["editor", "district_staff"],
        ["other_unit_head"],
    ),
    ("/bao-cao/tien-do/2017/1/", "district_staff", ["unit_head", "editor"], []),
    ("/bao-cao/tien-do/2017/1/UNIT-A/", "district_staff", ["unit_head", "editor"], []),
    (
        "/bao-cao/tien-do/2017/1/day-du.xlsx",
        "district_staff",
        ["unit_head", "editor"],
        [],
    ),
    # Unit heads: one's own profile (no id in it); staff's list of heads.
    ("/tai-khoan/", "unit_head", ["editor", "district_staff"], []),
    ("/bao-cao/truong-don-vi/", "district_staff", ["unit_head", "editor"], []),
    # The appraisal council's screens (recognition): district staff only.
    ("/bao-cao/tham-dinh/", "district_staff", ["unit_head", "editor"], []),
    ("/bao-cao/tham-dinh/thu-hoi/", "district_staff", ["unit_head", "editor"], []),
    # Maintenance of recognised titles: the list and its workbook.
    ("/bao-cao/duy-tri/", "district_staff", ["unit_head", "editor"], []),
    ("/bao-cao/duy-tri/xuat.xlsx", "district_staff", ["unit_head", "editor"], []),
    (f"{ADMIN}registrations/progress/nhap-quy/", "district_staff", ["editor"], []),
    (
        f"{ADMIN}registrations/progress/nhap-quy/?nam=2017&quy=1",
        "district_staff",
        ["editor"],
        [],
    ),
    (
        f"{ADMIN}registrations/progress/nhap-quy/hang-loat/?nam=2017&quy=1",
        "district_staff",
        ["editor"],
        [],
    ),
    (
        f"{ADMIN}registrations/progress/nhap-quy/UNIT-A/2017/1/",
        "district_staff",
        ["editor"],
        [],
    ),
    (f"{ADMIN}registrations/registration/", "district_staff", ["editor"], []),
    (f"{ADMIN}registrations/registration/add/", "district_staff", ["editor"], []),
    (f"{ADMIN}registrations/progress/", "district_staff", ["editor"], []),
    (f"{ADMIN}units/unit/", "district_staff", ["editor"], []),
    (f"{ADMIN}units/unit/add/", "district_staff", ["editor"], []),
    (f"{ADMIN}registrations/title/", "district_staff", ["editor"], []),
    (f"{ADMIN}registrations/indicator/", "district_staff", ["editor"], []),
]

URLS = [url for url, *_rest in PROTECTED]
REFUSED = [(url, who) for url, _ok, refused, _other in PROTECTED for who in refused]
OTHER_UNIT = [(url, who) for url, _ok, _refused, other in PROTECTED for who in other]
ALLOWED = [(url, who) for url, who, _refused, _other in PROTECTED]


@pytest.fixture
def world(unit_a, unit_b):
    title = factories.make_catalogue(code="CQKM")
    factories.make_registration(unit_a, title, year=2017)
    factories.make_registration(unit_b, title, year=2018)
    # A draft of Q1/2017, so that its confirmation step has something to show.
    factories.make_report(unit_a, 2017, 1)


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    login_url = reverse("admin:login") if url.startswith(ADMIN) else reverse("login")
    assert response["Location"].startswith(login_url)


@pytest.mark.parametrize(("url", "persona"), REFUSED)
def test_wrong_role_is_forbidden(client, world, request, url, persona):
    login(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("url", "persona"), OTHER_UNIT)
def test_other_unit_is_not_found(client, world, request, url, persona):
    login(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"year": 2030, "version": 0}).status_code == 404


@time_machine.travel("2017-03-20 10:00 +07:00", tick=False)
@pytest.mark.parametrize(("url", "persona"), ALLOWED)
def test_intended_role_is_served(client, world, request, url, persona):
    login(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [u for u in URLS if u.startswith(ADMIN)],
)
def test_unit_head_without_staff_status_cannot_enter_the_admin(
    client, world, unit_head, url
):
    response = login(client, unit_head).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@time_machine.travel("2017-03-20 10:00 +07:00", tick=False)
def test_editor_cannot_save_progress(client, world, editor):
    login(client, editor)
    url = f"{ADMIN}registrations/progress/nhap-quy/UNIT-A/2017/1/"
    assert client.post(url, {"version": 0}).status_code == 403


def test_staff_cannot_edit_status_directly(client, world, district_staff):
    from registrations.models import Registration

    registration = Registration.objects.get(unit__code="UNIT-A")
    login(client, district_staff)
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page
    client.post(
        url,
        {
            "year": registration.year,
            "status": "recognised",
            "expected_version": registration.version,
        },
    )
    registration.refresh_from_db()
    assert registration.status == "submitted"
