"""A citizen on a phone finds a recognised unit on the roll and opens its decision."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.browser.screens import assert_fits
from tests.recognition import roll_data

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# live_server needs real transactions (see test_citizen_reads.py).
pytestmark = pytest.mark.django_db(transaction=True)

# A one-page PDF, the smallest a viewer opens (the signed scan stands in for one).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def roll():
    data = roll_data.scenario()
    decision = data["published"]
    decision.scan.save("ban-ky.pdf", ContentFile(PDF))
    return data


@pytest.mark.browser
def test_citizen_finds_a_recognised_unit_and_opens_its_decision_on_a_phone(
    live_server, page, roll
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/tien-do/")
    page.get_by_role("link", name="Danh sách đơn vị đã được công nhận kiểu mẫu").click()
    expect(page.locator("h1")).to_have_text("Đơn vị kiểu mẫu đã được công nhận")
    assert_fits(page)

    # Typed without diacritics, as on a phone keyboard.
    page.get_by_label("Tên hoặc mã đơn vị").fill("ap ba")
    page.get_by_label("Xã").select_option(label="Xã Đông Khê")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(
        live_server.url + "/don-vi-kieu-mau/?q=ap+ba&nam=&xa=XA-DK&danh_hieu="
    )
    items = page.locator(".roll-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Thôn Ấp Ba")
    expect(items.first).to_contain_text("Quyết định số 123/QĐ-UBND ngày 20/12/2017")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "citizen-roll-phone.png", full_page=True)

    link = page.get_by_role("link", name="Xem quyết định công nhận của Thôn Ấp Ba")
    box = link.bounding_box()
    assert box["height"] >= 44  # a finger's target
    href = link.get_attribute("href")
    assert href == f"/quyet-dinh/{roll['published'].pk}/"
    answer = page.request.get(live_server.url + href)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")

    # The unit's own page: its title and decision, its criteria one by one.
    page.get_by_role("link", name="Thôn Ấp Ba", exact=True).click()
    expect(page.locator("h1")).to_have_text("Thôn Ấp Ba")
    expect(
        page.get_by_text("Quyết định số 123/QĐ-UBND ngày 20/12/2017")
    ).to_be_visible()
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "citizen-unit-phone.png", full_page=True)
