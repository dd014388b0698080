"""The demo after its 2017 recognition: the roll, and 2018's maintenance flags."""

import pytest

from recognition.maintenance import Reason, flags
from tests.conftest import login
from tests.portal.test_demo import load_demo_at

pytestmark = pytest.mark.django_db


def test_the_demo_shows_its_roll_and_the_units_to_re_check_in_2018(
    client, district_staff
):
    load_demo_at()
    roll = client.get("/don-vi-kieu-mau/", {"q": "dong khe"}).content.decode()
    assert "Xã Đông Khê" in roll and "3121/QĐ-UBND" in roll
    assert "Xem quyết định công nhận" in roll  # the published scan is linked

    first = [(x.registration.unit.code, x.reason) for x in flags(2018, 1)]
    assert first == [("THON-DK-03", Reason.FELL_BACK)]
    second = {(x.registration.unit.code, x.reason) for x in flags(2018, 2)}
    assert second == {
        ("PHONG-VHTT", Reason.SILENT),
        ("THON-DK-03", Reason.FELL_BACK),
        ("MN-DONG-XUAN", Reason.FELL_BACK),
    }
    login(client, district_staff)
    page = client.get("/bao-cao/duy-tri/", {"nam": 2018, "quy": 2}).content.decode()
    assert "3 lượt cần rà soát" in page and "Phòng Văn hóa và Thông tin" in page
