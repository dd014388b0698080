"""Quarter entry in few steps: links in, search, "next unit", honest labels."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from registrations.models import Indicator, Progress
from tests import factories
from tests.conftest import login

OPEN = "2017-03-20 10:00 +07:00"  # inside Q1/2017's entry window


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="CQKM")


@pytest.fixture
def units(title):
    """Four registered units; their names sort Bắc, Đông Hòa, Đông Khê, Tây."""
    made = {}
    for code, name in [
        ("DV-TAY", "Cơ quan Tây"),
        ("DV-KHE", "Cơ quan Đông Khê"),
        ("DV-BAC", "Cơ quan Bắc"),
        ("DV-HOA", "Cơ quan Đông Hòa"),
    ]:
        made[code] = factories.make_unit(code, name=name)
        factories.make_registration(made[code], title, year=2017)
    return made


def indicators(title):
    return {
        i.code.split("-")[-1]: i
        for i in Indicator.objects.filter(criterion__title=title)
    }


def overview_url(**params):
    url = reverse("admin:registrations_progress_quarters")
    params = {"nam": 2017, "quy": 1, **params}
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def entry_url(code, query=""):
    url = reverse("admin:registrations_progress_entry", args=[code, 2017, 1])
    return f"{url}?{query}" if query else url


def field(indicator):
    return f"ct_{indicator.pk}"


def listed(response):
    return [row.unit.code for row in response.context["rows"]]


# ---- the ways in


def test_reports_page_links_the_quarter_entry(client, district_staff):
    html = login(client, district_staff).get("/bao-cao/").content.decode()
    overview = reverse("admin:registrations_progress_quarters")
    assert re.search(rf'href="{overview}\?nam=\d+&amp;quy=\d">Nhập tiến độ Quý', html)
    assert "Duyệt báo cáo" in html  # the self-report work list, linked already
    assert f'href="{overview}">Nhập tiến độ</a>' in html  # and in the site's menu


def test_unit_heads_and_editors_see_no_entry_link(client, unit_head, editor):
    overview = reverse("admin:registrations_progress_quarters")
    for user in (unit_head, editor):
        client.logout()
        html = login(client, user).get("/dang-ky/").content.decode()
        assert overview not in html


# ---- search without diacritics


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("dong khe", ["DV-KHE"]),
        ("ĐÔNG", ["DV-HOA", "DV-KHE"]),
        ("Dong Hoa", ["DV-HOA"]),
        ("đông hoà", ["DV-HOA"]),  # the other tone placement
        ("dv-bac", ["DV-BAC"]),  # the code
        ("  tay ", ["DV-TAY"]),
    ],
)
def test_overview_finds_units_typed_without_diacritics(
    client, district_staff, units, q, found
):
    response = login(client, district_staff).get(overview_url(q=q))
    assert response.status_code == 200
    assert listed(response) == found
    assert "theo bộ lọc" in response.content.decode()


@time_machine.travel(OPEN, tick=False)
def test_a_search_that_finds_nothing_says_so(client, district_staff, units):
    response = login(client, district_staff).get(overview_url(q="xyz"))
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị nào khớp “xyz”" in response.content.decode()


@time_machine.travel(OPEN, tick=False)
def test_a_search_over_100_characters_is_refused_in_vietnamese(
    client, district_staff, units
):
    response = login(client, district_staff).get(overview_url(q="a" * 101))
    assert response.status_code == 400
    assert "Từ khóa tìm tối đa 100 ký tự." in response.content.decode()


@time_machine.travel(OPEN, tick=False)
def test_overview_entry_links_carry_the_list_filters(client, district_staff, units):
    response = login(client, district_staff).get(
        overview_url(q="dong", thieu="on", loai="co_quan")
    )
    html = response.content.decode()
    link = re.search(r'href="([^"]*/DV-HOA/2017/1/[^"]*)"', html).group(1)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query == {"q": ["dong"], "thieu": ["on"], "loai": ["co_quan"]}


# ---- "Lưu và sang đơn vị tiếp"


@time_machine.travel(OPEN, tick=False)
def test_save_and_next_saves_and_opens_the_next_unit_in_the_list_order(
    client, district_staff, units, title
):
    ind = indicators(title)
    login(client, district_staff)
    page = client.get(entry_url("DV-BAC")).content.decode()
    assert "Lưu và sang đơn vị tiếp" in page
    assert "Đơn vị tiếp: Cơ quan Đông Hòa" in page

    response = client.post(
        entry_url("DV-BAC"), {"version": 0, field(ind["TL"]): "85", "_next": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == entry_url("DV-HOA")
    assert Progress.objects.get(unit=units["DV-BAC"]).value == 85
    followed = client.get(response["Location"]).content.decode()
    assert "Đã lưu tiến độ Quý I/2017 của Cơ quan Bắc." in followed


@time_machine.travel(OPEN, tick=False)
def test_save_and_next_keeps_the_search_and_skips_complete_units(
    client, district_staff, units, title
):
    ind = indicators(title)
    for indicator in ind.values():  # Đông Hòa has entered everything already
        factories.make_progress(units["DV-HOA"], indicator, 2017, 1, "1")
    login(client, district_staff)
    query = "q=co+quan&thieu=on"

    page = client.get(entry_url("DV-BAC", query)).content.decode()
    response = client.post(
        entry_url("DV-BAC", query),
        {"version": 0, field(ind["CK"]): "1", "_next": "1"},
    )

    assert "Theo danh sách đã lọc: tìm “co quan” · chỉ đơn vị còn thiếu." in page
    assert response["Location"] == entry_url("DV-KHE", query)


@time_machine.travel(OPEN, tick=False)
def test_save_and_next_follows_a_search_filter(client, district_staff, units, title):
    ind = indicators(title)
    login(client, district_staff)

    response = client.post(
        entry_url("DV-HOA", "q=dong"),
        {"version": 0, field(ind["CK"]): "0", "_next": "1"},
    )

    assert response["Location"] == entry_url("DV-KHE", "q=dong")


@time_machine.travel(OPEN, tick=False)
def test_the_last_unit_goes_back_to_the_list_with_its_filters(
    client, district_staff, units, title
):
    ind = indicators(title)
    login(client, district_staff)
    page = client.get(entry_url("DV-TAY", "loai=co_quan")).content.decode()
    assert "Đơn vị tiếp" not in page
    assert "Theo danh sách đã lọc: cơ quan, đơn vị." in page
    assert 'name="_next"' not in page

    response = client.post(
        entry_url("DV-TAY", "loai=co_quan"),
        {"version": 0, field(ind["CK"]): "1", "_next": "1"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == overview_url(loai="co_quan")
    assert "Đây là đơn vị cuối cùng trong danh sách." in response.content.decode()
    assert Progress.objects.filter(unit=units["DV-TAY"]).count() == 1


@time_machine.travel(OPEN, tick=False)
def test_plain_save_stays_on_the_unit_with_the_filters(
    client, district_staff, units, title
):
    ind = indicators(title)
    response = login(client, district_staff).post(
        entry_url("DV-BAC", "q=dong"), {"version": 0, field(ind["CK"]): "1"}
    )
    assert response["Location"] == entry_url("DV-BAC", "q=dong")


@time_machine.travel(OPEN, tick=False)
def test_an_invalid_value_with_save_and_next_stays_and_saves_nothing(
    client, district_staff, units, title
):
    ind = indicators(title)
    response = login(client, district_staff).post(
        entry_url("DV-BAC"), {"version": 0, field(ind["TL"]): "abc", "_next": "1"}
    )
    assert response.status_code == 200
    assert not Progress.objects.exists()


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize("query", ["loai=vu-tru", "thieu=maybe", "q=" + "x" * 300])
def test_unreadable_filters_on_the_entry_screen_are_dropped(
    client, district_staff, units, query
):
    response = login(client, district_staff).get(entry_url("DV-BAC", query))
    assert response.status_code == 200
    assert "Đơn vị tiếp: Cơ quan Đông Hòa" in response.content.decode()


# ---- labels and the "met" badge


@time_machine.travel(OPEN, tick=False)
def test_indicators_are_labelled_by_name_with_the_code_on_a_muted_line(
    client, district_staff, units, title
):
    html = login(client, district_staff).get(entry_url("DV-BAC")).content.decode()
    tl = indicators(title)["TL"]
    assert re.search(
        rf'<label for="id_ct_{tl.pk}">{tl.name}</label>'
        rf'<small class="km-code">CQKM-TL</small>',
        html,
    )
    assert "CQKM-TL —" not in html


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize(
    ("code", "raw"),
    [("TL", "abc"), ("TL", "150"), ("SL", "-2"), ("SL", "1,2,3"), ("CK", "2")],
)
def test_no_met_badge_beside_a_refused_value(
    client, district_staff, units, title, code, raw
):
    ind = indicators(title)
    # The previous quarter met every indicator: a refused value must not borrow it.
    factories.make_progress(units["DV-BAC"], ind["CK"], 2016, 4, "1")
    factories.make_progress(units["DV-BAC"], ind["TL"], 2016, 4, "90")
    factories.make_progress(units["DV-BAC"], ind["SL"], 2016, 4, "1")

    response = login(client, district_staff).post(
        entry_url("DV-BAC"), {"version": 0, field(ind[code]): raw}
    )

    html = response.content.decode()
    badge = re.search(rf'<span id="met-{ind[code].pk}"[^>]*>([^<]*)</span>', html)
    assert badge.group(1) == "Không hợp lệ"
    assert "km-met-invalid" in badge.group(0)
    # The others, left empty, still show the previous quarter's result.
    for other in set(ind) - {code}:
        shown = re.search(rf'<span id="met-{ind[other].pk}"[^>]*>([^<]*)</span>', html)
        assert shown.group(1) == "Đạt"


@time_machine.travel(OPEN, tick=False)
def test_a_valid_submitted_value_is_judged_not_the_stored_one(
    client, district_staff, units, title, supervisor
):
    ind = indicators(title)
    factories.make_progress(units["DV-BAC"], ind["TL"], 2017, 1, "90")
    # A second invalid field keeps the form on the page with what was typed.
    response = login(client, district_staff).post(
        entry_url("DV-BAC"),
        {"version": 1, field(ind["TL"]): "50", field(ind["SL"]): "mười"},
    )
    html = response.content.decode()
    badge = re.search(rf'<span id="met-{ind["TL"].pk}"[^>]*>([^<]*)</span>', html)
    assert badge.group(1) == "Chưa đạt"


@time_machine.travel(OPEN, tick=False)
def test_number_fields_carry_the_bounds_the_script_checks(
    client, district_staff, units, title
):
    ind = indicators(title)
    html = login(client, district_staff).get(entry_url("DV-BAC")).content.decode()
    tl = re.search(rf'<input[^>]*id="id_ct_{ind["TL"].pk}"[^>]*>', html).group(0)
    sl = re.search(rf'<input[^>]*id="id_ct_{ind["SL"].pk}"[^>]*>', html).group(0)
    assert 'data-min="0"' in tl and 'data-max="100"' in tl
    assert 'data-min="0"' in sl and "data-max" not in sl


# ---- query counts constant in the number of units


def _more_units(n, title):
    for i in range(n):
        unit = factories.make_unit(f"DV-X{i:04d}", name=f"Cơ quan Đông {i:04d}")
        factories.make_registration(unit, title, year=2017)


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize("n", [5, 60])
def test_overview_search_query_count_is_constant(
    client, district_staff, units, title, django_assert_max_num_queries, n
):
    _more_units(n, title)
    login(client, district_staff)
    with django_assert_max_num_queries(9):  # totals in Python: 4 reads
        response = client.get(overview_url(q="dong", thieu="on"))
    assert len(response.context["rows"]) == n + 2


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize("n", [5, 60])
def test_entry_screen_and_save_and_next_query_counts_are_constant(
    client, district_staff, units, title, django_assert_max_num_queries, n
):
    _more_units(n, title)
    ind = indicators(title)
    login(client, district_staff)
    with django_assert_max_num_queries(12):
        page = client.get(entry_url("DV-BAC", "q=dong&thieu=on"))
    assert "Đơn vị tiếp" in page.content.decode()
    with django_assert_max_num_queries(24):
        response = client.post(
            entry_url("DV-BAC", "q=dong&thieu=on"),
            {"version": 0, field(ind["CK"]): "1", "_next": "1"},
        )
    assert response.status_code == 302
