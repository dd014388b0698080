"""Issue #18 in the browser: staff run an appraisal for two units and publish it.

Screenshots at 390 px and 1366 px go to /tmp (appraisal-*.png).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from recognition.models import Decision
from registrations.models import Indicator, Registration
from tests import factories
from tests.browser import test_journeys
from tests.browser.screens import assert_fits
from tests.browser.test_journeys import PHONE, sign_in
from tests.recognition.conftest import PDF_BYTES, meet_everything

DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp")
problems = test_journeys.problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"appraisal-{name}.png"), full_page=True)


def recommend(page, unit_name, screen):
    page.get_by_role("link", name=unit_name).click()
    expect(page.locator("h1")).to_contain_text(unit_name)
    expect(page.locator("main")).to_contain_text("đến hết quý 3/2017")
    shot(page, f"sheet-{screen}")
    assert_fits(page)
    page.get_by_label("Số thành viên có mặt").fill("3")
    page.get_by_label("Số thành viên tán thành").fill("3")
    page.get_by_label("Kết luận của hội đồng", exact=True).last.select_option(
        "recommend"
    )
    page.get_by_role("button", name="Lưu phiếu thẩm định").click()
    expect(page.locator("main")).to_contain_text("Đã lưu phiếu thẩm định.")
    page.get_by_role("link", name="Cơ quan kiểu mẫu 2017").click()


@pytest.mark.parametrize(("screen", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_staff_appraise_two_units_and_publish_the_decision(
    live_server, page, district_staff, problems, screen, size, tmp_path
):
    title = factories.make_catalogue(code="CQKM", name="Cơ quan kiểu mẫu")
    indicators = {i.code: i for i in Indicator.objects.filter(criterion__title=title)}
    for code, name in (("UBND-XA", "UBND xã Đông Khê"), ("BHXH", "Bảo hiểm xã hội")):
        unit = factories.make_unit(code, name=name)
        factories.make_registration(unit, title, 2017, status="accepted")
        meet_everything(
            unit, {k.replace("CQKM", "DH"): v for k, v in indicators.items()}
        )
    page.set_viewport_size(size)
    sign_in(page, live_server, district_staff)
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Thẩm định và công nhận").first.click()

    page.get_by_label("Năm thẩm định").fill("2017")
    page.get_by_label("Danh hiệu").select_option(label="Cơ quan kiểu mẫu")
    page.get_by_label("Ngày họp").fill("2017-12-20")
    page.get_by_role("button", name="Lập hội đồng").click()
    expect(page.locator("main")).to_contain_text("Đã lập hội đồng thẩm định.")
    for name, role in (
        ("Nguyễn Đình Thông", "chair"),
        ("Lê Thị Hoa", "secretary"),
        ("Trần Văn Minh", "member"),
    ):
        page.get_by_label("Họ và tên").fill(name)
        page.get_by_label("Chức vụ, đơn vị công tác").fill("UBND huyện")
        page.get_by_label("Vai trò trong hội đồng").select_option(role)
        page.get_by_role("button", name="Thêm thành viên").click()
        expect(page.locator("main")).to_contain_text(name)
    page.get_by_role("button", name="Lập phiếu cho đơn vị chưa có phiếu").click()
    expect(page.locator("main")).to_contain_text("Đã lập 2 phiếu thẩm định.")
    shot(page, f"council-{screen}")
    assert_fits(page)

    recommend(page, "UBND xã Đông Khê", screen)
    shot(page, f"council-recommended-{screen}")
    recommend(page, "Bảo hiểm xã hội", screen)

    page.get_by_role("link", name="Lập quyết định công nhận").click()
    page.get_by_label("Số, ký hiệu quyết định").fill("123/QD-UBND")
    page.get_by_label("Ngày ký").fill("2017-12-28")
    page.get_by_role("button", name="Lập quyết định").click()
    expect(page.locator("main")).to_contain_text("phải có dạng “123/QĐ-UBND”")
    page.get_by_label("Số, ký hiệu quyết định").fill("123/QĐ-UBND")
    page.get_by_role("button", name="Lập quyết định").click()
    expect(page.locator("h1")).to_contain_text("Quyết định công nhận số 123/QĐ-UBND")
    expect(page.locator("main")).to_contain_text("Số 1/GCN-UBND")
    expect(page.get_by_role("button", name="Công bố quyết định")).to_be_disabled()

    scan = tmp_path / "quyet-dinh-da-ky.pdf"
    scan.write_bytes(PDF_BYTES)
    page.get_by_label("Bản quyết định đã ký (PDF)").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên bản đã ký").click()
    expect(page.locator("main")).to_contain_text("Đã tải lên bản quyết định đã ký.")
    page.get_by_role("button", name="Công bố quyết định").click()
    expect(page.locator("main")).to_contain_text("Đã công bố")
    expect(page.locator("tbody")).to_contain_text("Đã công nhận")
    shot(page, f"decision-published-{screen}")
    assert_fits(page)

    decision = Decision.objects.get()
    assert decision.published
    assert set(
        Registration.objects.filter(status="recognised").values_list(
            "unit__code", flat=True
        )
    ) == {"UBND-XA", "BHXH"}
    public = page.request.get(f"{live_server.url}{decision.get_public_url()}")
    assert public.status == 200 and public.body().startswith(b"%PDF-")
    assert problems == []
