"""District staff's work list and review of the units' reports at /bao-cao/tien-do/."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kieumau.dates import VIETNAM
from registrations import services
from registrations.models import Indicator, Progress, QuarterReport, ReportState
from registrations.views import worklist as worklist_views
from tests import factories
from tests.conftest import login
from units.models import UnitKind

pytestmark = pytest.mark.django_db

S = ReportState
# Q1/2026 runs 1 January – 31 March and locks on 1 May 2026 at 00:00 (30 days).
OPEN = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
AFTER_LOCK = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=VIETNAM)
LIST = reverse("registrations:review-list", args=[2026, 1])


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _during_the_quarter():
    """Data are made inside Q1/2026's window; a test may travel elsewhere."""
    with at(OPEN):
        yield


def review_url(unit, year=2026, quarter=1):
    return reverse("registrations:review", args=[year, quarter, unit.code])


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="DH")


@pytest.fixture
def indicators(title):
    found = {ind.code: ind for ind in Indicator.objects.all()}
    return found["DH-CK"], found["DH-TL"], found["DH-SL"]


def submitted(unit, indicators, head, values=("1", "85", "2")):
    """A unit's submitted report for Q1/2026, each indicator with link evidence."""
    report = services.save_report_draft(
        unit=unit,
        year=2026,
        quarter=1,
        values=dict(zip(indicators, values, strict=True)),
        expected_version=0,
        by=head,
    )
    for indicator in indicators:
        factories.make_link_evidence(report, indicator)
    report = QuarterReport.objects.get(pk=report.pk)
    return services.submit_report(
        report=report, expected_version=report.version, by=head
    )


@pytest.fixture
def world(title, indicators, unit_a, unit_head, district_staff):
    """Six registered units, one per state, and one unit with no registration."""
    commune = factories.make_unit("XA-DK", kind=UnitKind.XA, name="Xã Đông Khê")
    village = factories.make_unit(
        "TH-1", kind=UnitKind.THON, name="Thôn Đông Khê 1", parent=commune
    )
    thon_title = factories.make_catalogue(kind=UnitKind.THON, code="TH")
    factories.make_registration(village, thon_title, 2026)
    units = {"village": village, "a": unit_a}
    factories.make_registration(unit_a, title, 2026)
    submitted(unit_a, indicators, unit_head)
    for key, name in [
        ("draft", "Cơ quan Đang Soạn"),
        ("returned", "Cơ quan Trả Lại"),
        ("accepted", "Cơ quan Đã Duyệt"),
    ]:
        unit = factories.make_unit(f"CQ-{key}", name=name)
        factories.make_registration(unit, title, 2026)
        units[key] = unit
    factories.make_report(units["draft"], 2026, 1, S.DRAFT)
    factories.make_report(
        units["returned"],
        2026,
        1,
        S.RETURNED,
        return_deadline=datetime.date(2026, 2, 5),
    )
    factories.make_report(units["accepted"], 2026, 1, S.ACCEPTED)
    factories.make_unit("CQ-NONE", name="Cơ quan Không Đăng Ký")
    return units


def row_names(response):
    return [row.name for row in response.context["rows"]]


# --- the work list ------------------------------------------------------------


@at(OPEN)
def test_work_list_shows_every_registered_unit_with_its_state(
    client, world, district_staff
):
    response = login(client, district_staff).get(LIST)
    html = text(response)
    assert response.status_code == 200
    names = row_names(response)
    assert "Cơ quan Không Đăng Ký" not in names
    assert len(names) == 5
    # Awaiting staff first.
    assert names[0] == "Cơ quan A"
    for label in ("Đã nộp", "Trả lại", "Đang soạn", "Chưa nộp", "Đã duyệt"):
        assert label in html
    # Returned on 5 February with that deadline: late on the 10th.
    late = {row.name for row in response.context["rows"] if row.late}
    assert late == {"Cơ quan Trả Lại"}
    assert f'href="{review_url(world["a"])}"' in html


@at(AFTER_LOCK)
def test_after_the_lock_units_that_never_submitted_are_late(
    client, world, district_staff
):
    response = login(client, district_staff).get(LIST)
    late = {row.name for row in response.context["rows"] if row.late}
    assert late == {"Cơ quan Đang Soạn", "Thôn Đông Khê 1", "Cơ quan Trả Lại"}
    assert response.context["counts"]["qua_han"] == 3


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("da-nop", ["Cơ quan A"]),
        ("tra-lai", ["Cơ quan Trả Lại"]),
        ("dang-soan", ["Cơ quan Đang Soạn"]),
        ("chua-nop", ["Thôn Đông Khê 1"]),
        ("da-duyet", ["Cơ quan Đã Duyệt"]),
        ("qua-han", ["Cơ quan Trả Lại"]),
    ],
)
@at(OPEN)
def test_work_list_filters_by_state(client, world, district_staff, state, expected):
    response = login(client, district_staff).get(LIST, {"trang_thai": state})
    assert row_names(response) == expected


@at(OPEN)
def test_work_list_counts_each_state(client, world, district_staff):
    response = login(client, district_staff).get(LIST)
    counts = response.context["counts"]
    assert counts == {
        "total": 5,
        "da_nop": 1,
        "tra_lai": 1,
        "dang_soan": 1,
        "chua_nop": 1,
        "da_duyet": 1,
        "qua_han": 1,
    }


@at(OPEN)
def test_work_list_filters_by_kind_and_commune(client, world, district_staff):
    login(client, district_staff)
    assert row_names(client.get(LIST, {"loai": "thon"})) == ["Thôn Đông Khê 1"]
    assert row_names(client.get(LIST, {"xa": "XA-DK"})) == ["Thôn Đông Khê 1"]
    assert len(row_names(client.get(LIST, {"loai": "co_quan"}))) == 4


@pytest.mark.parametrize("query", ["dong khe", "ĐÔNG KHÊ", "Dong Khe 1", "TH-1"])
@at(OPEN)
def test_work_list_searches_names_without_diacritics(
    client, world, district_staff, query
):
    response = login(client, district_staff).get(LIST, {"q": query})
    assert row_names(response) == ["Thôn Đông Khê 1"]


@at(OPEN)
def test_search_and_state_filter_combine_and_keep_each_other_in_links(
    client, world, district_staff
):
    response = login(client, district_staff).get(
        LIST, {"q": "co quan", "trang_thai": "da-nop"}
    )
    assert row_names(response) == ["Cơ quan A"]
    html = text(response)
    assert "?q=co+quan&amp;trang_thai=tra-lai" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"loai": "xyz"}, "Loại đơn vị không hợp lệ."),
        ({"xa": "NOPE"}, "Không có xã này."),
        ({"trang_thai": "bogus"}, "Trạng thái không hợp lệ."),
        ({"q": "x" * 201}, "Từ khóa dài quá 200 ký tự."),
    ],
)
@at(OPEN)
def test_bad_filters_answer_400_in_vietnamese(
    client, world, district_staff, params, message
):
    response = login(client, district_staff).get(LIST, params)
    assert response.status_code == 400
    assert message in text(response)


@at(OPEN)
def test_work_list_pages_with_page(client, world, district_staff, monkeypatch):
    monkeypatch.setattr(worklist_views, "PER_PAGE", 2)
    login(client, district_staff)
    first = client.get(LIST)
    assert len(first.context["rows"]) == 2
    assert "Trang 1/3" in text(first)
    last = client.get(LIST, {"page": 3})
    assert len(last.context["rows"]) == 1
    assert client.get(LIST, {"page": "abc"}).status_code == 200
    filtered = client.get(LIST, {"loai": "co_quan", "page": 2})
    assert "loai=co_quan&amp;page=1" in text(filtered)


@pytest.mark.parametrize(("year", "quarter"), [(1999, 1), (2026, 5), (2101, 1)])
@at(OPEN)
def test_impossible_quarters_answer_404(client, district_staff, year, quarter):
    login(client, district_staff)
    url = reverse("registrations:review-list", args=[year, quarter])
    assert client.get(url).status_code == 404


@at(OPEN)
def test_bare_address_opens_the_current_quarter(client, district_staff):
    response = login(client, district_staff).get("/bao-cao/tien-do/")
    assert response.status_code == 302 and response["Location"] == LIST


def test_bare_address_is_for_staff_only(client, unit_head, editor):
    response = client.get("/bao-cao/tien-do/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert login(client, unit_head).get("/bao-cao/tien-do/").status_code == 403
    assert login(client, editor).get("/bao-cao/tien-do/").status_code == 403


@at(datetime.datetime(2026, 4, 10, 9, 0, tzinfo=VIETNAM))
def test_current_quarter_points_to_the_last_one_while_it_is_open(
    client, district_staff
):
    response = login(client, district_staff).get(
        reverse("registrations:review-list", args=[2026, 2])
    )
    assert "Quý I/2026 chưa khóa" in text(response)


@at(OPEN)
def test_reports_page_and_menu_link_the_work_list(client, district_staff):
    html = text(login(client, district_staff).get("/bao-cao/"))
    assert "Duyệt báo cáo của đơn vị" in html
    assert 'href="/bao-cao/tien-do/"' in html


def make_units(n, title):
    for i in range(n):
        unit = factories.make_unit(f"DV-{n}-{i:04}", name=f"Đơn vị {i:04}")
        factories.make_registration(unit, title, 2026)
        if i % 3 == 0:
            factories.make_report(unit, 2026, 1, S.SUBMITTED)


@pytest.mark.parametrize("n", [10, 120])
@at(OPEN)
def test_work_list_queries_do_not_grow_with_units(
    client, title, district_staff, django_assert_max_num_queries, n
):
    make_units(n, title)
    login(client, district_staff)
    client.get(LIST)  # the session and the permission cache
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"q": "don vi"})
    assert response.context["counts"]["total"] == n


# --- the review screen --------------------------------------------------------


@at(OPEN)
def test_review_shows_reported_against_accepted_values_and_evidence(
    client, world, indicators, district_staff
):
    ck, tl, sl = indicators
    factories.make_progress(world["a"], tl, 2025, 4, "70")
    response = login(client, district_staff).get(review_url(world["a"]))
    html = text(response)
    assert response.status_code == 200
    assert "Đã nộp" in html
    assert '70 <span class="carried">(từ Quý IV/2025)</span>' in html
    assert "<strong>85</strong>" in html
    assert html.count("https://example.vn/bien-ban.pdf") >= 3
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "Duyệt tất cả" in html and "Trả lại đơn vị" in html
    assert f'name="ly_do_{tl.pk}"' in html and 'placeholder="dd/mm/yyyy"' in html


@at(OPEN)
def test_accepting_makes_the_values_official_and_records_who(
    client, world, indicators, district_staff, unit_head
):
    ck, tl, sl = indicators
    report = QuarterReport.objects.get(unit=world["a"])
    login(client, district_staff)
    page = client.get(review_url(world["a"]))
    form = page.context["accept_form"]
    response = client.post(
        review_url(world["a"]),
        {
            "action": "accept",
            "version": form.initial["version"],
            "sheet_version": form.initial["sheet_version"],
            "loaded_at": form.initial["loaded_at"],
        },
        follow=True,
    )
    report.refresh_from_db()
    assert report.state == S.ACCEPTED and report.accepted_by == district_staff
    assert response.redirect_chain[-1][0] == LIST
    assert any(
        "Đã duyệt báo cáo Quý I/2026 của Cơ quan A" in m for m in messages_of(response)
    )
    values = dict(
        Progress.objects.filter(unit=world["a"], year=2026, quarter=1).values_list(
            "indicator_id", "value"
        )
    )
    assert values == {ck.pk: 1, tl.pk: Decimal(85), sl.pk: 2}
    history = Progress.history.filter(unit=world["a"]).first()
    assert history.history_user == district_staff
    assert "truong_a" in history.history_change_reason


@at(OPEN)
def test_stale_accept_is_refused(client, world, district_staff):
    report = QuarterReport.objects.get(unit=world["a"])
    login(client, district_staff)
    response = client.post(
        review_url(world["a"]),
        {"action": "accept", "version": report.version - 1, "sheet_version": 0},
        follow=True,
    )
    assert QuarterReport.objects.get(pk=report.pk).state == S.SUBMITTED
    assert any("vừa được người khác thay đổi" in m for m in messages_of(response))


@pytest.mark.parametrize("deadline", ["20/02/2026", "20-02-2026", "2026-02-20"])
@at(OPEN)
def test_returning_needs_reasons_and_a_deadline_and_reaches_the_unit(
    client, world, indicators, district_staff, unit_head, deadline
):
    ck, tl, sl = indicators
    report = QuarterReport.objects.get(unit=world["a"])
    login(client, district_staff)
    response = client.post(
        review_url(world["a"]),
        {
            "action": "return",
            "version": report.version,
            "han": deadline,
            "nhan_xet": "",
            f"ly_do_{tl.pk}": "Ảnh minh chứng không rõ",
            f"ly_do_{ck.pk}": "",
            f"ly_do_{sl.pk}": "",
        },
        follow=True,
    )
    report.refresh_from_db()
    assert report.state == S.RETURNED
    assert report.return_deadline == datetime.date(2026, 2, 20)
    assert report.values.get(indicator=tl).return_reason == "Ảnh minh chứng không rõ"
    assert report.values.get(indicator=ck).return_reason == ""
    assert any("hạn nộp lại 20/02/2026" in m for m in messages_of(response))
    unit_page = login(client, unit_head).get(
        reverse("registrations:selfreport", args=[world["a"].code, 2026, 1])
    )
    assert "Ảnh minh chứng không rõ" in text(unit_page)


@pytest.mark.parametrize(
    ("han", "reasons", "message"),
    [
        ("2026-02-20", {}, "Cần ghi lý do trả lại cho ít nhất một chỉ tiêu."),
        ("", {"tl": "x"}, "Cần nhập hạn nộp lại."),
        ("2026-02-01", {"tl": "x"}, "Hạn nộp lại không được ở quá khứ."),
        ("31/02/2026", {"tl": "x"}, "Ngày không hợp lệ; viết theo dạng dd/mm/yyyy."),
        ("2026-02-20", {"tl": "x" * 2001}, "Nội dung dài quá 2000 ký tự"),
    ],
)
@at(OPEN)
def test_bad_returns_are_refused_in_vietnamese_keeping_what_was_typed(
    client, world, indicators, district_staff, han, reasons, message
):
    ck, tl, sl = indicators
    report = QuarterReport.objects.get(unit=world["a"])
    login(client, district_staff)
    data = {"action": "return", "version": report.version, "han": han}
    data.update({f"ly_do_{tl.pk}": reasons.get("tl", "")})
    response = client.post(review_url(world["a"]), data)
    html = text(response)
    assert response.status_code == 200
    assert message in html
    assert QuarterReport.objects.get(pk=report.pk).state == S.SUBMITTED
    if reasons.get("tl") == "x":
        assert ">\nx</textarea>" in html


@at(OPEN)
def test_stale_return_keeps_the_reasons_typed(
    client, world, indicators, district_staff
):
    ck, tl, sl = indicators
    report = QuarterReport.objects.get(unit=world["a"])
    login(client, district_staff)
    response = client.post(
        review_url(world["a"]),
        {
            "action": "return",
            "version": report.version - 1,
            "han": "2026-02-20",
            f"ly_do_{tl.pk}": "Lý do của tôi",
        },
    )
    html = text(response)
    assert any("vừa được người khác thay đổi" in m for m in messages_of(response))
    assert "Lý do của tôi" in html
    assert f'name="version" value="{report.version}"' in html
    assert QuarterReport.objects.get(pk=report.pk).state == S.SUBMITTED


@pytest.mark.parametrize("key", ["draft", "accepted", "village"])
@at(OPEN)
def test_reports_not_awaiting_review_offer_no_action_and_refuse_one(
    client, world, district_staff, key
):
    login(client, district_staff)
    response = client.get(review_url(world[key]))
    html = text(response)
    assert response.status_code == 200
    assert "Duyệt tất cả" not in html and "Trả lại đơn vị" not in html
    posted = client.post(
        review_url(world[key]), {"action": "accept", "version": 0}, follow=True
    )
    assert any("không ở trạng thái chờ duyệt" in m for m in messages_of(posted))


@at(OPEN)
def test_unknown_unit_on_the_review_screen_is_404(client, district_staff):
    login(client, district_staff)
    url = reverse("registrations:review", args=[2026, 1, "NOPE"])
    assert client.get(url).status_code == 404


@at(OPEN)
def test_review_queries_do_not_grow_with_indicators_or_evidence(
    client, world, indicators, title, district_staff, django_assert_max_num_queries
):
    login(client, district_staff)
    client.get(review_url(world["a"]))
    with django_assert_max_num_queries(12):
        client.get(review_url(world["a"]))
    report = QuarterReport.objects.get(unit=world["a"])
    criterion = indicators[0].criterion
    for i in range(25):
        indicator = factories.make_indicator(criterion, f"DH-Y{i}", order=20 + i)
        factories.make_link_evidence(report, indicator)
        factories.make_link_evidence(report, indicator)
    with django_assert_max_num_queries(12):
        client.get(review_url(world["a"]))


@at(OPEN)
def test_a_resubmitted_report_shows_the_reasons_it_was_returned_for(
    client, world, indicators, district_staff, unit_head
):
    ck, tl, sl = indicators
    report = QuarterReport.objects.get(unit=world["a"])
    report = services.return_report(
        report=report,
        reasons={tl: "Thiếu danh sách dự tập huấn"},
        deadline=datetime.date(2026, 2, 20),
        expected_version=report.version,
        by=district_staff,
    )
    services.submit_report(report=report, expected_version=report.version, by=unit_head)
    html = text(login(client, district_staff).get(review_url(world["a"])))
    assert "Lý do trả lại lần trước:</strong> Thiếu danh sách dự tập huấn" in html
    assert "Duyệt tất cả" in html
