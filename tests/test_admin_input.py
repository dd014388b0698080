"""Staff input the admin cannot parse answers 404, a redirect or a Vietnamese
message, never 500 (issue #14: ids of related records, history URLs, the date
hierarchy)."""

import pytest
from django.conf import settings
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from kieumau.admin_input import SafeInputMixin
from tests import factories
from tests.conftest import login, model_admins
from tests.news.helpers import make_article

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_PATH}"
BAD_IDS = ["abc", "99999999999999999999999", "1,abc", "-1.5", "a\x00b"]

# (add form, field naming a related record): every autocomplete field of the site.
RELATED_FIELDS = [
    ("registrations/registration", "unit"),
    ("registrations/criterion", "title"),
    ("registrations/indicator", "criterion"),
    ("news/article", "tags"),
    ("units/unit", "parent"),
    ("units/unit", "successor"),
]


def _staff(superuser):
    return login(Client(raise_request_exception=False), superuser)


@pytest.mark.parametrize("form, field", RELATED_FIELDS)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_id_given_to_prefill_an_add_form_is_set_aside(
    superuser, form, field, bad
):
    response = _staff(superuser).get(f"{ADMIN}/{form}/add/", {field: bad})
    if "\x00" in bad:  # refused before any view (kieumau.middleware)
        assert response.status_code == 400
        return
    assert response.status_code == 200
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Bỏ qua giá trị điền sẵn không hợp lệ" in note for note in notes)


@pytest.mark.parametrize("form, field", RELATED_FIELDS)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_id_posted_for_a_related_record_is_a_vietnamese_form_error(
    superuser, form, field, bad
):
    response = _staff(superuser).post(f"{ADMIN}/{form}/add/", {field: bad})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    message = " ".join(errors[field])
    assert "hợp lệ" in message or "ký tự NUL" in message


def test_a_good_prefill_still_fills_the_form(superuser):
    unit = factories.make_unit("DK", name="xã Đông Khê")
    response = _staff(superuser).get(
        f"{ADMIN}/registrations/registration/add/", {"unit": unit.pk}
    )
    assert response.status_code == 200
    assert "xã Đông Khê" in response.content.decode()
    assert not list(get_messages(response.wsgi_request))


def _history_objects():
    unit = factories.make_unit()
    title = factories.make_catalogue()
    registration = factories.make_registration(unit, title)
    indicator = title.criteria.first().indicators.first()
    progress = factories.make_progress(unit, indicator, 2017, 1, "1")
    return {
        "registrations/registration": registration,
        "registrations/progress": progress,
        "news/article": make_article(),
    }


@pytest.mark.parametrize(
    "model", ["registrations/registration", "registrations/progress", "news/article"]
)
@pytest.mark.parametrize(
    "object_id, version_id",
    [
        ("abc", "1"),
        ("{pk}", "abc"),
        ("99999999999999999999999", "1"),
        ("{pk}", "99999999999999999999999"),
        ("a%00b", "1"),
    ],
)
def test_a_malformed_id_in_a_history_url_is_not_found(
    superuser, model, object_id, version_id
):
    obj = _history_objects()[model]
    object_id = object_id.format(pk=obj.pk)
    response = _staff(superuser).get(
        f"{ADMIN}/{model}/{object_id}/history/{version_id}/"
    )
    if "%00" in object_id:  # refused before any view (kieumau.middleware)
        assert response.status_code == 400
        return
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_a_history_version_still_opens(superuser):
    registration = _history_objects()["registrations/registration"]
    version = registration.history.first()
    url = reverse(
        "admin:registrations_registration_simple_history",
        args=[registration.pk, version.history_id],
    )
    assert _staff(superuser).get(url).status_code == 200


def _date_hierarchies():
    return sorted(
        (model._meta.label, model_admin.date_hierarchy)
        for model, model_admin in model_admins()
        if model_admin.date_hierarchy
    )


@pytest.mark.parametrize("label, field", _date_hierarchies())
@pytest.mark.parametrize(
    "query",
    [
        "{f}__year=99999999999999999999999",
        "{f}__year=9999",
        "{f}__year=9999&{f}__month=12",
        "{f}__year=9999&{f}__month=12&{f}__day=31",
        "{f}__year=1",
        "{f}__year=2017&{f}__month=99999999999999999999",
        "{f}__year=2017&{f}__month=2&{f}__day=30",
        "{f}__year=2017&{f}__month=1&{f}__day=99999999999999999999",
        "{f}__year=%C2%B2",
    ],
)
def test_an_impossible_date_in_the_date_hierarchy_goes_back_to_the_list(
    superuser, label, field, query
):
    app, model = label.lower().split(".")
    url = f"{ADMIN}/{app}/{model}/?" + query.format(f=field)
    response = _staff(superuser).get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("label, field", _date_hierarchies())
def test_a_real_date_in_the_date_hierarchy_still_filters(superuser, label, field):
    app, model = label.lower().split(".")
    url = f"{ADMIN}/{app}/{model}/?{field}__year=2017&{field}__month=3"
    assert _staff(superuser).get(url).status_code == 200


@pytest.mark.parametrize(
    "form, field",
    [("auth/user/{pk}/change", "groups"), ("auth/group/add", "permissions")],
)
def test_a_huge_id_posted_for_many_related_records_is_a_vietnamese_form_error(
    superuser, form, field
):
    url = f"{ADMIN}/{form.format(pk=superuser.pk)}/"
    response = _staff(superuser).post(url, {field: ["1", "99999999999999999999999"]})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "không phải giá trị hợp lệ" in " ".join(errors[field])


def test_every_admin_reading_ids_or_dates_uses_the_safe_input_mixin():
    """An autocomplete field, a many-to-many field or a date hierarchy reads ids or
    dates that Django's admin may answer with a 500 (see kieumau.admin_input)."""
    unsafe = []
    for model, model_admin in model_admins():
        for each in [model_admin, *model_admin.inlines]:
            cls = each if isinstance(each, type) else type(each)
            shown = cls.model if issubclass(cls, InlineModelAdmin) else model
            reads_ids = getattr(each, "autocomplete_fields", ()) or any(
                field.editable for field in shown._meta.many_to_many
            )
            reads_dates = not issubclass(cls, InlineModelAdmin) and getattr(
                each, "date_hierarchy", None
            )
            if (reads_ids or reads_dates) and not issubclass(cls, SafeInputMixin):
                unsafe.append(f"{model._meta.label}: {cls.__name__}")
    assert unsafe == []
