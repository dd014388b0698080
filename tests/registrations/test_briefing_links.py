"""The drafted briefing links its units and criteria to their public pages."""

import pytest

from registrations.briefing import NOT_MET_NAMED, draft_briefing
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return figures_data.scenario()


def test_units_ahead_of_the_roadmap_link_to_their_page(data, district_staff):
    body = draft_briefing(year=2017, quarter=2, by=district_staff).body
    assert '<a href="/tien-do/don-vi/THON-B/" rel="noopener"><strong>' in body


def test_lagging_criteria_link_to_the_dashboard_and_their_units_rows(
    data, district_staff
):
    body = draft_briefing(year=2017, quarter=2, by=district_staff).body
    lagging = body[body.index("<ol>") : body.index("</ol>")]
    assert 'href="/tien-do/2017/?quy=2"' in lagging
    # Sport: the agency does not meet it; income: Thôn An Hòa (score 2.4).
    sport = data["sport"].criterion_id
    income = data["income"].criterion_id
    assert f'href="/tien-do/don-vi/CQ-1/#tieu-chi-{sport}"' in lagging
    assert f'href="/tien-do/don-vi/THON-B/#tieu-chi-{income}"' in lagging
    assert "chưa đạt: <a" in lagging


def test_the_links_survive_the_sanitiser_and_the_published_page(
    client, data, district_staff
):
    article = draft_briefing(year=2017, quarter=2, by=district_staff)
    article.body = article.body  # saved again: the sanitiser keeps the links
    article.save()
    assert "/tien-do/don-vi/THON-B/#tieu-chi-" in article.body
    target = client.get("/tien-do/don-vi/THON-B/").content.decode()
    assert f'id="tieu-chi-{data["income"].criterion_id}"' in target


def test_a_long_list_of_units_is_cut_with_a_count(data, district_staff):
    figures_data.many_agencies(
        data["agency"], [data["sport"]], NOT_MET_NAMED + 4, year=2017
    )
    body = draft_briefing(year=2017, quarter=1, by=district_staff).body
    assert "đơn vị khác" in body
