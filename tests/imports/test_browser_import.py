"""Staff import a units file in the admin: upload, read the preview, confirm."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests import factories
from tests.imports.conftest import csv_bytes
from units.models import Unit

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# live_server needs real transactions (post_migrate remakes the role groups after
# each flush: portal/roles.py).
pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def staff(transactional_db):
    user = factories.make_user("canbo_nhaptep", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="units",
            codename__in=["add_unit", "change_unit", "view_unit"],
        )
    )
    return user


@pytest.mark.browser
def test_staff_preview_fix_and_import_a_units_file(live_server, page, staff, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    bad = tmp_path / "don-vi-loi.csv"
    bad.write_bytes(
        csv_bytes([HEADER, ["THON-1", "Thôn Một", "thon", "XA-ABC"]], delimiter=";")
    )
    good = tmp_path / "don-vi.csv"
    good.write_bytes(
        csv_bytes(
            [
                HEADER,
                ["THON-1", "Thôn Một", "thon", "XA-DK"],
                ["XA-DK", "Xã Đông Khê", "xa", "", "", "2018"],
            ],
            delimiter=";",
            bom=True,
        )
    )

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Nhập tệp: đơn vị, tiêu chí").click()
    expect(page.locator("h1")).to_have_text("Nhập, xuất dữ liệu")

    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("pre")).to_contain_text(
        "row 2: ma_don_vi_cha: không tìm thấy xã “XA-ABC”"
    )
    expect(page.get_by_role("button", name="Xác nhận nhập dữ liệu")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "import_preview_errors.png"), full_page=True)

    page.get_by_role("link", name="Tải lên tệp khác").click()
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    counts = page.locator("#import-counts tbody tr")
    expect(counts).to_have_text(["Số dòng\t2\t0\t0"], use_inner_text=True)
    assert not Unit.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "import_preview_ok.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()

    expect(page.locator(".messagelist")).to_contain_text("Đã nhập tệp don-vi.csv")
    assert Unit.objects.get(code="THON-1").parent.code == "XA-DK"
    page.screenshot(path=str(ARTIFACTS / "import_done.png"), full_page=True)
