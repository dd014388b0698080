"""The demo district reproduces the Q1/2017 briefing's figures.

The expected values are the seed article's; they are recomputed here from the rows
with plain Python (a reference independent of registrations.figures), and compared
with the figures module and the public JSON when those are present.
"""

import datetime
from collections import Counter
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from kieumau.dates import VIETNAM
from polls.models import Question
from portal import counter
from portal import demo as portal_demo
from portal.models import DailyVisits, VisitCounterSettings
from registrations.models import Indicator, Progress, QuarterReport, Registration
from tests.conftest import login
from units.models import Unit

SEED_AHEAD = {
    "UBND-HUYEN",
    "BHXH-HUYEN",
    "XA-DONG-KHE",
    "MN-DONG-HOA",
    "MN-DONG-PHU",
    "MN-DONG-THINH",
    "MN-DONG-XUAN",
}


# The demo's own reports are of the quarter it is loaded in: pinned for the tests.
DEMO_MOMENT = datetime.datetime(2026, 11, 28, 9, tzinfo=VIETNAM)  # Q4/2026


def load_demo_at(moment=DEMO_MOMENT):
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(db):
    load_demo_at()


def reference_rates(year, quarter, as_of=None):
    """Achievement rate per criterion code, computed row by row (CONTRACT §2).

    ``as_of`` (year, quarter) moves the cut-off back while keeping year ``year``'s
    registrations, as the comparison with the previous quarter does.
    """
    regs = list(Registration.objects.for_year(year).select_related("unit", "title"))
    if as_of:
        year, quarter = as_of
    latest = {}
    for p in Progress.objects.filter(year__lte=year).order_by("year", "quarter"):
        if (p.year, p.quarter) <= (year, quarter):
            latest[(p.unit_id, p.indicator_id)] = p.value
    rates = {}
    indicators = Indicator.objects.select_related("criterion__title")
    by_criterion = {}
    for ind in indicators:
        by_criterion.setdefault(ind.criterion, []).append(ind)
    for criterion, inds in by_criterion.items():
        members = [r for r in regs if r.title_id == criterion.title_id]
        if not members:
            continue
        met = sum(
            all(ind.is_met(latest.get((r.unit_id, ind.pk))) for ind in inds)
            for r in members
        )
        rates[criterion.code] = (met / len(members), criterion.name)
    return rates


def test_demo_registrations_for_2017_match_the_briefing(demo):
    regs = Registration.objects.for_year(2017).select_related("unit")
    kinds = Counter(r.unit.kind for r in regs)
    levels = Counter(r.unit.school_level for r in regs if r.unit.kind == "truong")
    assert (kinds["co_quan"], kinds["xa"], kinds["thon"]) == (8, 2, 50)
    assert (levels["mam_non"], levels["tieu_hoc"], levels["thcs"]) == (8, 4, 2)


def test_demo_units_ahead_of_roadmap_are_the_briefings(demo):
    ahead = {
        r.unit.code
        for r in Registration.objects.for_year(2017)
        if r.is_ahead_of_roadmap
    }
    assert ahead == SEED_AHEAD


def test_demo_lagging_criteria_are_the_briefings(demo):
    rates = reference_rates(2017, 1)
    lowest = sorted(rates.items(), key=lambda item: (item[1][0], item[0]))[:3]
    names = [name for _code, (_rate, name) in lowest]
    assert names == [
        "Nhà văn hóa thôn, khu phố",
        "Khu thể thao cho công nhân, viên chức, người lao động",
        "Tỷ lệ hộ nghèo",
    ]


def test_demo_progress_moves_between_quarters(demo):
    q4, q1 = reference_rates(2017, 1, as_of=(2016, 4)), reference_rates(2017, 1)
    assert q1["DS_KM_THON.VH"][0] > q4["DS_KM_THON.VH"][0]


def test_load_demo_is_idempotent(demo):
    counts = (
        Unit.objects.count(),
        Registration.objects.count(),
        Progress.objects.count(),
    )
    history = Progress.history.count()
    registration_history = Registration.history.count()
    reports = list(QuarterReport.objects.values_list("unit__code", "state", "version"))
    load_demo_at(DEMO_MOMENT + datetime.timedelta(days=3))
    assert QuarterReport.objects.count() == len(reports) == 6
    assert (
        list(QuarterReport.objects.values_list("unit__code", "state", "version"))
        == reports
    )
    assert (
        Unit.objects.count(),
        Registration.objects.count(),
        Progress.objects.count(),
    ) == counts
    assert Progress.history.count() == history
    assert Registration.history.count() == registration_history


def test_demo_merged_commune_keeps_its_history(demo):
    dong_anh = Unit.objects.get(code="XA-DONG-ANH")
    assert not dong_anh.is_active
    assert dong_anh.successor.code == "XA-DONG-KHE"


def test_demo_public_summary_states_the_briefings_figures(demo, client):
    data = client.get("/api/tong-hop/?nam=2017&quy=1").json()
    assert data["nam"] == 2017 and data["quy"] == 1
    assert data["dang_ky"] == {
        "co_quan": 8,
        "xa": 2,
        "thon": 50,
        "truong": {"mam_non": 8, "tieu_hoc": 4, "thcs": 2},
    }
    assert set(data["vuot_lo_trinh"]) == SEED_AHEAD
    reference = reference_rates(2017, 1)
    assert [row["ma_tieu_chi"] for row in data["tieu_chi_cham"][:3]] == [
        "DS_KM_THON.VH",
        "DS_KM_CO_QUAN.TT",
        "DS_KM_THON.GN",
    ]
    for row in data["tieu_chi_cham"]:
        assert row["ty_le_dat"] == round(reference[row["ma_tieu_chi"]][0], 4)
    assert len(data["don_vi"]) == 74


def test_demo_opens_the_dashboard_api_and_report_on_its_quarter(
    demo, client, district_staff
):
    # Years after the seed's (2019 has a registration but no value; the current
    # quarter's accepted values are of units registered for next year): the
    # default is the seed's year, never a year of zeros, on its last quarter with
    # data: the demo carries 2017 to its end (Q4, the appraisal's quarter); the
    # seed's own Q1 is asked for with ?nam=2017&quy=1.
    with time_machine.travel(DEMO_MOMENT, tick=False):
        html = client.get("/tien-do/").content.decode()
        data = client.get("/api/tong-hop/").json()
        login(client, district_staff)
        report = client.get("/bao-cao/").context["report"]
    assert "Tiến độ xây dựng kiểu mẫu năm 2017" in html
    assert "Số liệu đến hết <strong>Quý IV/2017</strong>: <strong>74</strong>" in html
    for year in (2017, 2018, 2019):
        assert f'href="/tien-do/{year}/"' in html or f"Năm {year}</span>" in html
    assert (data["nam"], data["quy"], len(data["don_vi"])) == (2017, 4, 74)
    assert (report.year, report.quarter) == (2017, 4)


def test_demo_publishes_the_q1_2017_briefing_made_from_the_figures(demo, client):
    from news.models import Article

    briefing = Article.objects.published().get(is_briefing=True)
    assert briefing.slug == "giao-ban-tien-do-xay-dung-kieu-mau-quy-i-2017"
    page = client.get(briefing.get_absolute_url()).content.decode()
    for text in (
        "Xã Đông Khê",
        "Bảo hiểm xã hội huyện",
        "Nhà văn hóa thôn, khu phố",
        "50",
    ):
        assert text in page
    assert "Đăng lúc:" in page and ">21/03/2017 01:19:57 (GMT+7)<" in page


SEED_KIND_ROWS = [
    ["Cơ quan, đơn vị", 8],
    ["Xã", 2],
    ["Thôn, khu phố", 50],
    ["Trường mầm non", 8],
    ["Trường tiểu học", 4],
    ["Trường THCS", 2],
]
SEED_LAGGING_CODES = ["DS_KM_THON.VH", "DS_KM_CO_QUAN.TT", "DS_KM_THON.GN"]


def _workbook_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_demo_staff_report_and_excel_state_the_briefings_figures(
    demo, client, district_staff
):
    period = {"nam": 2017, "quy": 1}
    login(client, district_staff)
    response = client.get("/bao-cao/", period)
    assert response.status_code == 200
    assert [list(row) for row in response.context["kind_rows"]] == SEED_KIND_ROWS
    screen_ahead = {u.code for u in response.context["report"].ahead}
    assert screen_ahead == SEED_AHEAD
    page = response.content.decode()
    for name in ("Xã Đông Khê", "Bảo hiểm xã hội huyện", "Nhà văn hóa thôn, khu phố"):
        assert name in page

    kinds = _workbook_rows(client.get("/bao-cao/xuat/dang-ky.xlsx", period))
    assert kinds == [*SEED_KIND_ROWS, ["Tổng", 74]]
    ahead = _workbook_rows(client.get("/bao-cao/xuat/vuot-lo-trinh.xlsx", period))
    assert {row[1] for row in ahead} == SEED_AHEAD
    lagging = _workbook_rows(client.get("/bao-cao/xuat/tieu-chi-cham.xlsx", period))
    assert [row[2] for row in lagging[:3]] == SEED_LAGGING_CODES


def test_load_demo_loads_the_data_files_through_the_importer(demo):
    from imports.exports import export_file

    # Exported again, the units are the demo's file plus nothing: same codes, and
    # the merger travels in the file's validity columns.
    path = portal_demo.data_file("units", "units.csv")
    exported = export_file(kind="units").decode("utf-8-sig").splitlines()
    assert exported[0].endswith(",hieu_luc_den,ma_don_vi_ke_tiep")
    assert "XA-DONG-ANH,Xã Đông Anh,xa,,,2020,2019-11-30,XA-DONG-KHE" in exported
    codes = {line.split(",", 1)[0] for line in path.read_text().splitlines()[1:]}
    assert codes == set(Unit.objects.values_list("code", flat=True))
    # The locked quarters were imported by the district office's stand-in, who
    # also accepted the one accepted unit report of the current quarter.
    office = Progress.objects.values_list("updated_by__username", flat=True)
    assert set(office) == {"giamsat.demo"}
    statuses = Counter((r.year, r.status) for r in Registration.objects.all())
    # 2017 was appraised at its end: 52 units met every criterion and were
    # recognised (recognition.demo), the other 22 stay in appraisal.
    assert statuses == {
        (2017, "recognised"): 52,
        (2017, "appraisal"): 22,
        (2018, "submitted"): 19,
        (2019, "submitted"): 10,
        (2027, "submitted"): 9,  # next year's communes
    }


def test_the_demo_fills_the_counter_idempotently(db):
    portal_demo.seed_counter(stdout=StringIO())
    first = DailyVisits.objects.count()
    portal_demo.seed_counter(stdout=StringIO())
    assert DailyVisits.objects.count() == first
    assert VisitCounterSettings.objects.get().opening_total == 924631
    figures = counter.compute_stats()
    assert all(figures[k] > 0 for k in ("hom_nay", "hom_qua", "tuan_nay", "thang_nay"))
    assert figures["tat_ca"] > 924631


def test_the_demo_uses_the_news_sections_names_when_present(db):
    from news.models import Section
    from polls import demo as polls_demo

    Section.objects.create(name="Tin tức – Sự kiện", slug="tin-tuc-su-kien")
    polls_demo.load(stdout=StringIO(), open_choices=portal_demo.poll_choices())
    open_poll = Question.objects.open().get()
    assert open_poll.choices.first().text == "Tin tức – Sự kiện"


def test_the_demo_leaves_real_counts_alone(db):
    today = counter.visit_day()
    DailyVisits.objects.create(day=today, hits=7)
    VisitCounterSettings.objects.create(opening_total=12)
    portal_demo.seed_counter(stdout=StringIO())
    assert DailyVisits.objects.get(day=today).hits == 7
    assert VisitCounterSettings.objects.get().opening_total == 12
