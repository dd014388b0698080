"""A unit reports its own quarter on a phone; district staff return, then accept it.

The whole loop of issue #15 in Debian's chromium: the unit head fills the current
quarter on a 390×844 screen with a PDF and a photo as evidence and submits; staff
(on a desktop) return one indicator with a reason and a deadline; the unit head
fixes it and resubmits; staff accept; the public dashboard for the year moves
only then. The live server runs on the real clock, so the quarter is today's.
Every page must run without a CSP violation or a JavaScript error, and the unit
head's pages must fit a phone's width. Screenshots go to test-artifacts/.
"""

import datetime
import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from kieumau.dates import vietnam_today
from registrations import periods, services
from registrations.models import Indicator, Progress, QuarterReport, ReportState
from tests import factories
from tests.browser.screens import assert_fits

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# A plain one-page PDF (no script, no action): what "In → Lưu dưới dạng PDF" makes.
PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >> endobj
4 0 obj << /Length 44 >> stream
BT /F1 12 Tf 20 50 Td (Bien ban hop) Tj ET
endstream endobj
trailer << /Root 1 0 R >>
%%EOF
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


# An image's width once it has loaded (it may still be arriving): 0 if broken.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""


def watch(page, seen):
    """Collect console errors, CSP violations, failed loads and page errors."""

    def on_console(msg):
        if msg.text.startswith("Failed to load resource"):
            return
        if msg.type == "error" or "Content Security Policy" in msg.text:
            seen.append(f"{page.url}: {msg.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            seen.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"selfreport-{name}.png"), full_page=True)


def sign_in(page, live_server, user, path="/dang-nhap/"):
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "Biên bản họp chi bộ.pdf"
    pdf.write_bytes(PDF)
    photo = tmp_path / "Ảnh sinh hoạt.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (164, 22, 26)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    return pdf, photo


@pytest.fixture
def world(transactional_db):
    year, _quarter = periods.current()
    title = factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    unit = factories.make_unit("UBND-DK", name="UBND xã Đông Khê")
    factories.make_registration(unit, title, year=year)
    head = factories.make_user(
        "truong.dongkhe", first_name="Lê Văn", last_name="An", groups=["Trưởng đơn vị"]
    )
    unit.heads.add(head)
    staff = factories.make_user("canbo", groups=["Cán bộ huyện"], is_staff=True)
    ck, tl, sl = (Indicator.objects.get(code=f"CQKM-{c}") for c in ("CK", "TL", "SL"))
    return {"unit": unit, "head": head, "staff": staff, "ck": ck, "tl": tl, "sl": sl}


def upload(page, indicator, path):
    box = page.locator(f"#minh-chung-{indicator.pk}")
    box.locator("input[type=file]").set_input_files(str(path))
    box.get_by_role("button", name="Tải lên").click()
    expect(page.locator(f"#minh-chung-{indicator.pk}")).to_contain_text(path.name)


def test_unit_reports_on_a_phone_staff_return_then_accept_and_the_figures_move(
    live_server, page, browser, world, files
):
    seen = []
    watch(page, seen)
    year, quarter = periods.current()
    label = periods.label(year, quarter)
    unit, ck, tl, sl = world["unit"], world["ck"], world["tl"], world["sl"]
    pdf, photo = files
    page.set_viewport_size(PHONE)

    # --- the unit head, on a phone --------------------------------------------
    sign_in(page, live_server, world["head"])
    expect(page).to_have_url(f"{live_server.url}/dang-ky/")
    card = page.locator(f"#don-vi-{unit.code}")
    expect(card).to_contain_text("Chưa nộp")
    assert_fits(page)
    shot(page, "home-phone")
    card.get_by_role("link", name=f"Báo cáo {label}").click()

    expect(page.locator("h1")).to_have_text(f"Báo cáo tiến độ {label}")
    assert_fits(page)
    shot(page, "empty-phone")
    page.select_option(f"#id_ct_{ck.pk}", "1")
    page.fill(f"#id_ct_{tl.pk}", "75")
    page.fill(f"#id_gt_{tl.pk}", "Còn 2 cán bộ chưa dự tập huấn")
    page.fill(f"#id_ct_{sl.pk}", "2")
    page.fill(f"#id_gt_{sl.pk}", "Theo sổ theo dõi của cơ quan")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã lưu nháp báo cáo {label}"
    )
    expect(page.locator(f"#id_ct_{tl.pk}")).to_have_value("75")

    upload(page, ck, pdf)
    upload(page, tl, photo)
    # The photo is previewed through the checked serving view.
    thumb = page.locator(f"#minh-chung-{tl.pk} img")
    expect(thumb).to_be_visible()
    assert thumb.evaluate(LOADED_WIDTH) > 0
    assert_fits(page)
    shot(page, "draft-with-evidence-phone")

    page.get_by_role("button", name="Nộp báo cáo…").click()
    expect(page.locator("h1")).to_have_text(f"Nộp báo cáo {label}?")
    expect(page.locator(".confirm-facts")).to_contain_text("3/3")
    assert_fits(page)
    shot(page, "confirm-phone")
    page.get_by_role("button", name="Xác nhận nộp báo cáo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã nộp báo cáo {label}")
    expect(page.locator(".report-status")).to_contain_text("Đã nộp")
    expect(page.locator(f"#id_ct_{tl.pk}")).to_have_count(0)
    assert_fits(page)
    shot(page, "submitted-phone")
    report = QuarterReport.objects.get(unit=unit, year=year, quarter=quarter)
    assert report.state == ReportState.SUBMITTED
    # Only accepted values count: the public figures have not moved.
    assert not Progress.objects.filter(unit=unit).exists()

    # --- district staff, on a desktop -----------------------------------------
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    staff_page = context.new_page()
    watch(staff_page, seen)
    sign_in(staff_page, live_server, world["staff"])
    staff_page.get_by_role("button", name="Công việc").click()  # the staff's menu
    staff_page.get_by_role("link", name="Duyệt báo cáo", exact=True).click()
    expect(staff_page.locator("h1")).to_contain_text(label)
    row = staff_page.locator("tr", has_text="UBND xã Đông Khê")
    expect(row).to_contain_text("Đã nộp")
    shot(staff_page, "worklist-desktop")
    row.get_by_role("link", name="UBND xã Đông Khê").click()

    expect(staff_page.locator("h1")).to_contain_text("UBND xã Đông Khê")
    pdf_link = staff_page.get_by_role("link", name=pdf.name)
    expect(pdf_link).to_have_attribute("target", "_blank")
    staff_image = staff_page.locator(f"#minh-chung-{tl.pk} img")
    expect(staff_image).to_be_visible()
    assert staff_image.evaluate(LOADED_WIDTH) > 0
    shot(staff_page, "review-desktop")
    deadline = vietnam_today() + datetime.timedelta(days=7)
    staff_page.fill(
        f"#id_ly_do_{tl.pk}", "Đề nghị cập nhật tỷ lệ sau đợt tập huấn tháng này"
    )
    staff_page.fill("#id_han", f"{deadline:%d/%m/%Y}")
    staff_page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(staff_page.locator(".alert-success")).to_contain_text(
        f"hạn nộp lại {deadline:%d/%m/%Y}"
    )
    expect(staff_page.locator("tr", has_text="UBND xã Đông Khê")).to_contain_text(
        "Trả lại"
    )

    # --- the unit head fixes the returned indicator and resubmits -------------
    page.goto(f"{live_server.url}/dang-ky/")
    expect(page.locator(f"#don-vi-{unit.code}")).to_contain_text("Trả lại")
    page.get_by_role("link", name=f"Báo cáo {label}").first.click()
    returned = page.locator(f"#ct-{tl.pk}")
    expect(returned).to_contain_text("Đề nghị cập nhật tỷ lệ sau đợt tập huấn")
    expect(page.locator(".report-status")).to_contain_text(f"{deadline:%d/%m/%Y}")
    assert_fits(page)
    shot(page, "returned-phone")
    page.fill(f"#id_ct_{tl.pk}", "90")
    page.fill(f"#id_gt_{tl.pk}", "")
    page.get_by_role("button", name="Nộp lại báo cáo…").click()
    expect(page.locator("h1")).to_have_text(f"Nộp lại báo cáo {label}?")
    page.get_by_role("button", name="Xác nhận nộp báo cáo").click()
    expect(page.locator(".report-status")).to_contain_text("Đã nộp")

    # --- staff accept ---------------------------------------------------------
    staff_page.goto(f"{live_server.url}/bao-cao/tien-do/{year}/{quarter}/")
    staff_page.locator("tr", has_text="UBND xã Đông Khê").get_by_role(
        "link", name="UBND xã Đông Khê"
    ).click()
    expect(staff_page.locator(f"#ct-{tl.pk}")).to_contain_text("90")
    staff_page.get_by_text("Duyệt tất cả…").click()
    staff_page.get_by_role("button", name="Xác nhận duyệt tất cả").click()
    expect(staff_page.locator(".alert-success")).to_contain_text("Đã duyệt báo cáo")
    expect(staff_page.locator("tr", has_text="UBND xã Đông Khê")).to_contain_text(
        "Đã duyệt"
    )
    shot(staff_page, "worklist-accepted-desktop")

    # --- the public dashboard of the year shows the accepted figure ----------
    staff_page.goto(f"{live_server.url}/tien-do/{year}/")
    public_row = staff_page.locator("tr", has_text="UBND xã Đông Khê")
    expect(public_row).to_contain_text("2/2")
    expect(public_row).to_contain_text("100%")
    values = dict(
        Progress.objects.filter(unit=unit, year=year, quarter=quarter).values_list(
            "indicator__code", "value"
        )
    )
    assert values == {"CQKM-CK": 1, "CQKM-TL": 90, "CQKM-SL": 2}
    context.close()
    assert seen == []


NARROW = {"width": 375, "height": 812}


def test_every_self_report_page_fits_a_phone_and_a_desktop(live_server, browser, world):
    """Each new page, in each state worth seeing, at 375 px and at 1280 px."""
    year, quarter = periods.current()
    unit, head, staff = world["unit"], world["head"], world["staff"]
    ck, tl, sl = world["ck"], world["tl"], world["sl"]
    other = factories.make_unit("CQ-KHAC", name="Phòng Văn hóa và Thông tin huyện")
    factories.make_registration(
        other, Indicator.objects.get(code="CQKM-CK").criterion.title, year
    )
    report = services.save_report_draft(
        unit=unit,
        year=year,
        quarter=quarter,
        values={ck: "1", tl: "72,5", sl: "4"},
        explanations={
            tl: "Còn 3 cán bộ chưa hoàn thành lớp bồi dưỡng trực tuyến",
            sl: "4 trường hợp vi phạm đã được nhắc nhở, kiểm điểm",
        },
        expected_version=0,
        by=head,
    )
    for indicator in (ck, tl):
        factories.make_link_evidence(
            report,
            indicator,
            "https://dongson.example.vn/van-ban/bien-ban-hop-chi-bo-quy-4.pdf",
        )
    seen = []
    unit_url = f"/dang-ky/{unit.code}/tien-do/{year}/{quarter}/"
    review_url = f"/bao-cao/tien-do/{year}/{quarter}/{unit.code}/"
    pages = {
        "home": (head, "/dang-ky/"),
        "draft": (head, unit_url),
        "confirm": (head, f"{unit_url}nop/"),
        "worklist": (staff, f"/bao-cao/tien-do/{year}/{quarter}/"),
        "review-draft": (staff, review_url),
    }
    for name, size in (("phone", NARROW), ("desktop", DESKTOP)):
        contexts = {}
        for user in (head, staff):
            context = browser.new_context(locale="vi-VN", viewport=size)
            page = context.new_page()
            watch(page, seen)
            sign_in(page, live_server, user)
            contexts[user.pk] = (context, page)
        for key, (user, path) in pages.items():
            page = contexts[user.pk][1]
            page.goto(f"{live_server.url}{path}")
            assert_fits(page)
            shot(page, f"{key}-{name}")
        for context, _page in contexts.values():
            context.close()
    # The other states: submitted, returned (reasons, deadline), accepted.
    report = QuarterReport.objects.get(pk=report.pk)
    report = services.submit_report(
        report=report, expected_version=report.version, by=head
    )
    states = {"submitted": None}
    states["returned"] = lambda r: services.return_report(
        report=r,
        reasons={tl: "Ảnh chưa thể hiện buổi tập huấn; đề nghị bổ sung danh sách dự"},
        deadline=vietnam_today() + datetime.timedelta(days=10),
        note="Đơn vị rà soát lại chỉ tiêu tỷ lệ.",
        expected_version=r.version,
        by=staff,
    )
    for state, move in states.items():
        if move is not None:
            report = move(QuarterReport.objects.get(pk=report.pk))
        for name, size in (("phone", NARROW), ("desktop", DESKTOP)):
            for user, path, key in (
                (head, unit_url, state),
                (staff, review_url, f"review-{state}"),
            ):
                context = browser.new_context(locale="vi-VN", viewport=size)
                page = context.new_page()
                watch(page, seen)
                sign_in(page, live_server, user)
                page.goto(f"{live_server.url}{path}")
                assert_fits(page)
                shot(page, f"{key}-{name}")
                context.close()
    assert seen == []
