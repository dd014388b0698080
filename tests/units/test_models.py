"""units.models.Unit: database constraints, NFC storage, search and Vietnamese order."""

import datetime
import unicodedata

import pytest
from django.db import IntegrityError, connection, transaction

from tests import factories
from units.models import Unit, UnitKind


@pytest.fixture
def commune(db):
    return factories.make_unit("XA-1", kind=UnitKind.XA, name="Xã Một")


def _create(**fields):
    fields.setdefault("code", "X-1")
    fields.setdefault("name", "Đơn vị thử")
    with transaction.atomic():
        Unit.objects.create(**fields)


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("unit_school_level_iff_school", {"kind": UnitKind.TRUONG}),
        (
            "unit_school_level_iff_school",
            {"kind": UnitKind.CO_QUAN, "school_level": "mam_non"},
        ),
        ("unit_village_has_commune", {"kind": UnitKind.THON}),
        ("unit_roadmap_year_range", {"kind": UnitKind.CO_QUAN, "roadmap_year": 1999}),
        ("unit_roadmap_year_range", {"kind": UnitKind.CO_QUAN, "roadmap_year": 2101}),
        (
            "unit_validity_ordered",
            {
                "kind": UnitKind.CO_QUAN,
                "valid_from": datetime.date(2019, 1, 1),
                "valid_to": datetime.date(2018, 12, 31),
            },
        ),
    ],
)
def test_check_constraint_rejects_bad_row(db, constraint, fields):
    with pytest.raises(IntegrityError):
        _create(**fields)
    assert not Unit.objects.exists()


@pytest.mark.parametrize("kind", [UnitKind.CO_QUAN, UnitKind.XA])
def test_top_level_units_cannot_have_a_parent(commune, kind):
    with pytest.raises(IntegrityError):
        _create(kind=kind, parent=commune)


def test_unit_cannot_succeed_itself(db):
    unit = factories.make_unit("DV-SELF")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(successor=unit)


def test_code_is_unique(db):
    factories.make_unit("TRUNG-MA")
    with pytest.raises(IntegrityError):
        _create(code="TRUNG-MA", kind=UnitKind.CO_QUAN)


def test_valid_rows_are_accepted(commune):
    factories.make_unit("THON-OK", kind=UnitKind.THON, parent=commune)
    factories.make_unit("TRUONG-OK", kind=UnitKind.TRUONG, school_level="thcs")
    factories.make_unit("TRUONG-XA", kind=UnitKind.TRUONG, parent=commune)
    assert Unit.objects.count() == 4


def test_nfd_name_is_stored_nfc_with_search_and_sort_keys(db):
    nfd = unicodedata.normalize("NFD", "  Xã Đông Khê ")
    assert nfd.strip() != "Xã Đông Khê"

    unit = factories.make_unit("XA-DK", kind=UnitKind.XA, name=nfd)

    stored = Unit.objects.get(pk=unit.pk)
    assert stored.name == "Xã Đông Khê"
    assert unicodedata.is_normalized("NFC", stored.name)
    assert stored.search_name == "xa dong khe"


@pytest.mark.parametrize("term", ["dong khe", "ĐÔNG KHÊ", "Đông Khê", "dong k", "DK"])
def test_search_is_accent_and_case_insensitive(db, term):
    factories.make_unit("XA-DK", kind=UnitKind.XA, name="Xã Đông Khê")
    factories.make_unit("XA-DA", kind=UnitKind.XA, name="Xã Đông Anh")
    assert list(Unit.objects.search(term).values_list("code", flat=True)) == ["XA-DK"]


def test_search_key_follows_renames_with_update_fields(db):
    unit = factories.make_unit("XA-R", kind=UnitKind.XA, name="Xã Cũ")
    unit.name = "Xã Hòa Bình"
    unit.save(update_fields=["name"])
    assert Unit.objects.search("hoa binh").get() == unit


NAMES_IN_VIETNAMESE_ORDER = [
    "An Hòa",
    "Ân Thi",
    "Bắc Sơn",
    "Cẩm Giàng",
    "Dương Kinh",
    "Đông Khê",
    "Ea Súp",
    "Ê Đê",
    "Hạ Long",  # letters first: "ha l…" before "ha n…", tones only break ties
    "Hà Nội",
    "Ô Môn",
    "Ơ Rê",
    "Ư Thượng",
    "Yên Bái",
]


def test_vi_ordered_sorts_in_vietnamese_alphabetical_order(db):
    for index, name in enumerate(reversed(NAMES_IN_VIETNAMESE_ORDER)):
        factories.make_unit(f"V-{index:02d}", name=name)

    names = list(Unit.objects.vi_ordered().values_list("name", flat=True))

    assert names == NAMES_IN_VIETNAMESE_ORDER


def test_vi_ordered_uses_icu_collation_on_postgresql(db):
    sql = str(Unit.objects.vi_ordered().query)
    if connection.vendor == "postgresql":
        assert 'COLLATE "vi-x-icu"' in sql
    else:
        assert "name_sort_key" in sql


def test_valid_during_keeps_units_in_force_on_at_least_one_day_of_the_year(db):
    from units.models import valid_during

    always = factories.make_unit("XA-1", kind=UnitKind.XA)
    merged = factories.make_unit(
        "XA-2",
        kind=UnitKind.XA,
        is_active=False,
        valid_to=datetime.date(2019, 11, 30),
    )
    new = factories.make_unit(
        "XA-3", kind=UnitKind.XA, valid_from=datetime.date(2019, 12, 1)
    )

    def codes(year):
        return set(
            Unit.objects.filter(valid_during(year)).values_list("code", flat=True)
        )

    assert codes(2018) == {always.code, merged.code}
    assert codes(2019) == {always.code, merged.code, new.code}
    assert codes(2020) == {always.code, new.code}
