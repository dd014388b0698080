"""The progress change list at scale: bounded counts, cheap filters, right rows."""

import pytest
from django.urls import reverse

from registrations import admin_paging
from registrations.models import Indicator, Progress
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

LIST = reverse("admin:registrations_progress_changelist")


@pytest.fixture
def filled(db):
    title = factories.make_catalogue(code="CQKM")
    indicators = list(Indicator.objects.filter(criterion__title=title))
    units = [factories.make_unit(f"DV-{i:02}") for i in range(3)]
    for unit in units:
        for year in (2016, 2017):
            for quarter in (1, 4):
                for indicator in indicators:
                    factories.make_progress(unit, indicator, year, quarter, "1")
    return units, indicators


def _rows(response):
    return list(response.context["cl"].result_list)


def test_year_filter_lists_that_years_rows_newest_quarter_first(
    client, district_staff, filled
):
    login(client, district_staff)
    response = client.get(LIST, {"year": "2017"})
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == Progress.objects.filter(year=2017).count()
    assert {r.year for r in rows} == {2017}
    assert [r.quarter for r in rows] == sorted((r.quarter for r in rows), reverse=True)
    assert response.context["cl"].result_count == len(rows)
    assert response.context["cl"].full_result_count is None
    html = response.content.decode()
    assert ">2016</a>" in html and ">2017</a>" in html  # the year filter's choices


def test_quarter_filter_and_bad_values_never_fail(client, district_staff, filled):
    login(client, district_staff)
    rows = _rows(client.get(LIST, {"year": "2016", "quarter": "4"}))
    assert {(r.year, r.quarter) for r in rows} == {(2016, 4)}
    for bad in (
        {"year": "²"},
        {"year": "abc"},
        {"quarter": "9"},
        {"year": "-1"},
        {"year": "99999999999999999999999"},
    ):
        response = client.get(LIST, bad)
        assert response.status_code == 200
        assert len(_rows(response)) == Progress.objects.count()


def test_past_the_cap_the_list_pages_and_says_there_are_more(
    client, district_staff, filled, monkeypatch
):
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 5)
    login(client, district_staff)
    response = client.get(LIST, {"year": "2017"})
    cl = response.context["cl"]
    assert cl.result_count == 5
    assert cl.paginator.capped
    assert "Có hơn 5 dòng" in response.content.decode()
    # Under the cap the count is exact and nothing is said.
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 10_000)
    response = client.get(LIST, {"year": "2017"})
    assert not response.context["cl"].paginator.capped
    assert "Có hơn" not in response.content.decode()


def test_pages_of_the_list_cover_every_row_once(
    client, district_staff, filled, monkeypatch
):
    from registrations.admin import ProgressAdmin

    monkeypatch.setattr(ProgressAdmin, "list_per_page", 4)
    login(client, district_staff)
    seen = []
    first = client.get(LIST, {"year": "2017"})
    pages = first.context["cl"].paginator.num_pages
    for page in range(1, pages + 1):
        seen += [r.pk for r in _rows(client.get(LIST, {"year": "2017", "p": page}))]
    assert sorted(seen) == sorted(
        Progress.objects.filter(year=2017).values_list("pk", flat=True)
    )


def test_progress_list_query_count_does_not_grow_with_units(
    client, district_staff, django_assert_max_num_queries
):
    title = factories.make_catalogue(code="CQKM")
    indicators = list(Indicator.objects.filter(criterion__title=title))
    login(client, district_staff)

    def add_units(start, n):
        for i in range(start, start + n):
            unit = factories.make_unit(f"DV-{i:03}")
            for indicator in indicators:
                factories.make_progress(unit, indicator, 2017, 1, "1")

    add_units(0, 5)
    with django_assert_max_num_queries(12):
        assert client.get(LIST, {"year": "2017"}).status_code == 200
    add_units(5, 35)
    with django_assert_max_num_queries(12):
        assert client.get(LIST, {"year": "2017"}).status_code == 200


REGISTRATIONS = reverse("admin:registrations_registration_changelist")


def test_registration_list_shows_its_key_columns(client, district_staff):
    title = factories.make_catalogue(code="CQKM")
    unit = factories.make_unit("DV-01", name="Cơ quan Một")
    factories.make_registration(unit, title, year=2017)
    login(client, district_staff)
    html = client.get(REGISTRATIONS).content.decode()
    for header in ("column-unit_shown", "column-year_shown", "column-status"):
        assert header in html
    assert "column-quarter_link" in html and "Cơ quan Một" in html and "DV-01" in html
    # The quarter link opens the unit's entry screen (of the current quarter).
    entry = reverse("admin:registrations_progress_entry", args=["DV-01", 2017, 1])
    assert entry.removesuffix("2017/1/") in html


def test_registration_list_query_count_does_not_grow_with_units(
    client, district_staff, django_assert_max_num_queries
):
    title = factories.make_catalogue(code="CQKM")
    login(client, district_staff)

    def add(start, n):
        for i in range(start, start + n):
            unit = factories.make_unit(f"DV-{i:03}")
            factories.make_registration(unit, title, year=2017)

    add(0, 5)
    with django_assert_max_num_queries(15) as small:
        assert client.get(REGISTRATIONS).status_code == 200
    add(5, 35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(REGISTRATIONS, {"year__exact": "2017"}).status_code == 200
