"""Every admin change list and add page answers 200 for a superuser; no N+1."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import login, model_admins

MODEL_ADMINS = model_admins()


def _url(model, view):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


@pytest.mark.parametrize(
    ("model", "model_admin"), MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS]
)
def test_changelist_and_add_page_answer_200_for_superuser(
    client, superuser, rf, model, model_admin
):
    login(client, superuser)
    assert client.get(_url(model, "changelist")).status_code == 200
    request = rf.get("/")
    request.user = superuser
    if model_admin.has_add_permission(request):
        assert client.get(_url(model, "add")).status_code == 200


def test_admin_index_shows_branding(client, superuser, settings):
    response = login(client, superuser).get(reverse("admin:index"))
    html = response.content.decode()
    assert settings.SITE_NAME in html
    assert "admin_extra.css" in html


def test_admin_header_links_to_the_portal_once(client, superuser):
    html = login(client, superuser).get(reverse("admin:index")).content.decode()
    user_tools = html.split('id="user-tools"', 1)[1].split("</div>", 1)[0]
    assert user_tools.count('href="/"') == 1


def _populate(n):
    title = factories.make_catalogue()
    indicator = title.criteria.first().indicators.first()
    commune = factories.make_unit(kind="xa")
    for _ in range(n):
        unit = factories.make_unit(kind="thon", parent=commune)
        factories.make_registration(unit, factories.make_title(kind="thon"), year=2017)
        factories.make_progress(unit, indicator, 2017, 1, "1")


@pytest.mark.parametrize("n", [5, 40])
@pytest.mark.parametrize(
    "changelist",
    [
        "admin:units_unit_changelist",
        "admin:registrations_registration_changelist",
        "admin:registrations_progress_changelist",
        "admin:registrations_indicator_changelist",
        "admin:registrations_criterion_changelist",
        "admin:registrations_title_changelist",
    ],
)
def test_changelist_query_count_does_not_grow(
    client, district_staff, django_assert_max_num_queries, changelist, n
):
    _populate(n)
    login(client, district_staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(changelist))
    assert response.status_code == 200
