"""/bao-cao/ at a province's size: long lists cut, the rest page by page."""

import pytest

from registrations import figures
from registrations.views import report_sections, reports
from tests.conftest import login
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db

PERIOD = {"nam": 2017, "quy": 1}


@pytest.fixture
def agencies():
    """A title with one criterion of one indicator; 12 agencies, half with value 0."""
    c = figures_data.catalogue()
    return c, figures_data.many_agencies(c["agency"], [c["sport"]], 12)


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(reports, "SECTION_ROWS", 5)
    monkeypatch.setattr(reports, "UNITS_SHOWN", 3)
    monkeypatch.setattr(report_sections, "PER_PAGE", 5)


def _between(html, start, end):
    return html[html.index(start) : html.index(end)]


def test_long_unit_lists_are_cut_and_link_to_their_pages(
    client, district_staff, agencies, small
):
    _, units = agencies
    login(client, district_staff)
    html = client.get("/bao-cao/", PERIOD).content.decode()
    scorecard = _between(html, 'id="bc-d"', 'id="bc-e"')
    names = sorted(u.name for u in units)
    assert all(name in scorecard for name in names[:5])
    assert not any(name in scorecard for name in names[5:])
    assert "Xem đủ 12 đơn vị, từng trang" in scorecard
    assert "/bao-cao/muc/bang-diem/?nam=2017&amp;quy=1" in scorecard
    ahead = _between(html, 'id="bc-b"', 'id="bc-c"')
    report = figures.quarter_report(2017, 1)
    assert len(report.ahead) > 5
    assert f"Xem đủ {len(report.ahead)} đơn vị" in ahead


def test_the_not_met_list_expands_to_a_page_of_its_own(
    client, district_staff, agencies, small
):
    c, units = agencies
    login(client, district_staff)
    html = client.get("/bao-cao/", PERIOD).content.decode()
    lagging = _between(html, 'id="bc-c"', 'id="bc-d"')
    rate = figures.quarter_report(2017, 1).current.criteria[0]
    hidden = len(rate.not_met_units) - 3
    link = f"/bao-cao/muc/chua-dat/{rate.criterion_id}/?nam=2017&amp;quy=1"
    assert f'<a href="{link}">và {hidden} đơn vị khác</a>' in lagging

    first = client.get(f"/bao-cao/muc/chua-dat/{rate.criterion_id}/", PERIOD)
    assert first.status_code == 200
    shown = [u.name for u in first.context["rows"]]
    assert shown == [u.name for u in rate.not_met_units[:5]]
    pages = first.context["page_obj"].paginator.num_pages
    every = []
    for page in range(1, pages + 1):
        response = client.get(
            f"/bao-cao/muc/chua-dat/{rate.criterion_id}/", {**PERIOD, "page": page}
        )
        every += [u.name for u in response.context["rows"]]
    assert every == [u.name for u in rate.not_met_units]


@pytest.mark.parametrize("section", ["bang-diem", "vuot-lo-trinh"])
def test_section_pages_hold_every_row_once_in_the_reports_order(
    client, district_staff, agencies, small, section
):
    login(client, district_staff)
    report = figures.quarter_report(2017, 1)
    expected = report.current.units if section == "bang-diem" else report.ahead
    url = f"/bao-cao/muc/{section}/"
    first = client.get(url, PERIOD)
    assert first.status_code == 200
    html = first.content.decode()
    assert "Phân trang" in html and "?nam=2017&amp;quy=1&amp;page=2" in html
    seen = []
    for page in range(1, first.context["page_obj"].paginator.num_pages + 1):
        response = client.get(url, {**PERIOD, "page": page})
        seen += [
            (r["name"] if isinstance(r, dict) else r.name)
            for r in response.context["rows"]
        ]
    assert seen == [u.name for u in expected]


def test_ahead_rows_say_what_the_report_says(client, district_staff, agencies):
    login(client, district_staff)
    html = client.get("/bao-cao/", PERIOD).content.decode()
    ahead = _between(html, 'id="bc-b"', 'id="bc-c"')
    page = client.get("/bao-cao/muc/vuot-lo-trinh/", PERIOD).content.decode()
    table = _between(page, "<table", "</table>")
    assert table in ahead


@pytest.mark.parametrize(
    "url",
    [
        "/bao-cao/muc/khong-co/",
        "/bao-cao/muc/chua-dat/999999/",
        "/bao-cao/muc/chua-dat/99999999999999999999999/",
    ],
)
def test_unknown_sections_and_criteria_are_not_found(client, district_staff, url):
    login(client, district_staff)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["-1", "abc", "999999", "0", "", "1.5"])
@pytest.mark.parametrize("query", [{}, {"nam": "x", "quy": "9"}, {"nam": "2017"}])
def test_section_pages_survive_any_page_or_period(
    client, district_staff, agencies, small, page, query
):
    login(client, district_staff)
    for url in ("/bao-cao/muc/bang-diem/", "/bao-cao/muc/vuot-lo-trinh/"):
        assert client.get(url, {**query, "page": page}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/bao-cao/muc/bang-diem/",
        "/bao-cao/muc/vuot-lo-trinh/",
        "/bao-cao/muc/chua-dat/",
    ],
)
def test_section_pages_are_for_district_staff(
    client, db, editor, unit_head, agencies, url
):
    c, _ = agencies
    if url.endswith("chua-dat/"):
        url += f"{figures.quarter_report(2017, 1).current.criteria[0].criterion_id}/"
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    for user in (editor, unit_head):
        login(client, user)
        assert client.get(url).status_code == 403


def test_report_and_section_query_counts_do_not_grow_with_units(
    client, district_staff, django_assert_max_num_queries
):
    c = figures_data.catalogue()
    figures_data.many_agencies(c["agency"], [c["sport"]], 5)
    login(client, district_staff)
    criterion = c["sport"].criterion_id

    def pages():
        return [
            "/bao-cao/",
            "/bao-cao/muc/bang-diem/",
            "/bao-cao/muc/vuot-lo-trinh/",
            f"/bao-cao/muc/chua-dat/{criterion}/",
        ]

    counts = {}
    for url in pages():
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url, PERIOD).status_code == 200
        counts[url] = len(captured.captured_queries)
    figures_data.many_agencies(c["agency"], [c["sport"]], 35, start=5)
    for url in pages():
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url, PERIOD).status_code == 200
