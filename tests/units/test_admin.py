"""The units admin: accent-free search, filters, autocomplete."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import login
from units.models import Unit


@pytest.fixture
def communes(db):
    dong_khe = factories.make_unit("XA-DONG-KHE", kind="xa", name="Xã Đông Khê")
    dong_anh = factories.make_unit("XA-DONG-ANH", kind="xa", name="Xã Đông Anh")
    factories.make_unit("THON-1", kind="thon", name="Thôn Trung", parent=dong_khe)
    factories.make_unit("THON-2", kind="thon", name="Thôn Hạ", parent=dong_anh)
    return dong_khe, dong_anh


def changelist(client, **params):
    return client.get(reverse("admin:units_unit_changelist"), params)


def codes(response):
    return {u.code for u in response.context["cl"].result_list}


@pytest.mark.parametrize("term", ["dong khe", "ĐÔNG KHÊ", "Đông Khê", "DONG-KHE"])
def test_search_finds_unit_with_or_without_diacritics(
    client, district_staff, communes, term
):
    response = changelist(login(client, district_staff), q=term)
    assert codes(response) == {"XA-DONG-KHE"}


def test_search_with_nfd_input_finds_nfc_name(client, district_staff, communes):
    import unicodedata

    term = unicodedata.normalize("NFD", "Đông Khê")
    response = changelist(login(client, district_staff), q=term)
    assert codes(response) == {"XA-DONG-KHE"}


def test_commune_filter_lists_villages_of_one_commune(client, district_staff, communes):
    dong_khe, _ = communes
    response = changelist(login(client, district_staff), xa=str(dong_khe.pk))
    assert codes(response) == {"THON-1"}


@pytest.mark.parametrize("value", ["abc", "²", "9" * 30])
def test_bad_commune_filter_value_shows_no_unit_instead_of_failing(
    client, district_staff, communes, value
):
    response = changelist(login(client, district_staff), xa=value)
    assert response.status_code == 200
    assert codes(response) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind__exact": "xa"}, {"XA-DONG-KHE", "XA-DONG-ANH"}),
        ({"roadmap_year": "2019"}, {"XA-DONG-ANH"}),
        ({"is_active__exact": "0"}, {"THON-2"}),
    ],
)
def test_filters(client, district_staff, communes, params, expected):
    Unit.objects.filter(code="XA-DONG-ANH").update(roadmap_year=2019)
    Unit.objects.filter(code="THON-2").update(is_active=False)
    response = changelist(login(client, district_staff), **params)
    assert codes(response) == expected


def test_autocomplete_for_parent_offers_only_communes_without_diacritics(
    client, district_staff, communes
):
    login(client, district_staff)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dong",
            "app_label": "units",
            "model_name": "unit",
            "field_name": "parent",
        },
    )
    assert response.status_code == 200
    names = {r["text"] for r in response.json()["results"]}
    assert names == {"Xã Đông Khê", "Xã Đông Anh"}


def test_staff_adds_a_village_through_the_admin(client, district_staff, communes):
    dong_khe, _ = communes
    login(client, district_staff)
    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "code": "THON-3",
            "name": "Thôn Thượng",
            "kind": "thon",
            "school_level": "",
            "parent": dong_khe.pk,
            "roadmap_year": "2020",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    assert Unit.objects.get(code="THON-3").search_name == "thon thuong"


def test_admin_refuses_village_without_commune_in_vietnamese(
    client, district_staff, communes
):
    login(client, district_staff)
    response = client.post(
        reverse("admin:units_unit_add"),
        {"code": "THON-4", "name": "Thôn Mới", "kind": "thon", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Thôn, khu phố phải thuộc một xã." in response.content.decode()
    assert not Unit.objects.filter(code="THON-4").exists()
