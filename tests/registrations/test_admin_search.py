"""Admin search of the catalogue, registrations and progress ignores diacritics."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import login


@pytest.fixture
def catalogue(db):
    title = factories.make_title("DH-CQ", name="Cơ quan đạt chuẩn kiểu mẫu")
    other = factories.make_title("DH-TH", name="Trường học xanh")
    criterion = factories.make_criterion(title, "TC-1", name="Đoàn kết nội bộ")
    factories.make_criterion(other, "TC-2", name="Cảnh quan sạch đẹp")
    factories.make_indicator(criterion, "CT-1", name="Không có đơn thư vượt cấp")
    factories.make_indicator(criterion, "CT-2", name="Chi bộ hoàn thành nhiệm vụ")
    return title


def found(client, model, term):
    url = reverse(f"admin:registrations_{model}_changelist")
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return {obj.code for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        ("title", "dat chuan", {"DH-CQ"}),
        ("title", "TRUONG HOC", {"DH-TH"}),
        ("criterion", "doan ket", {"TC-1"}),
        ("criterion", "canh quan", {"TC-2"}),
        ("indicator", "don thu vuot cap", {"CT-1"}),
        ("indicator", "Đơn thư", {"CT-1"}),
        ("indicator", "chi bo", {"CT-2"}),
    ],
)
def test_catalogue_search_finds_names_without_diacritics(
    client, district_staff, catalogue, model, term, expected
):
    assert found(login(client, district_staff), model, term) == expected


def test_registration_and_progress_search_find_the_unit_without_diacritics(
    client, district_staff, catalogue
):
    dong_khe = factories.make_unit("XA-DK", kind="xa", name="Xã Đông Khê")
    dong_anh = factories.make_unit("XA-DA", kind="xa", name="Xã Đông Anh")
    title = factories.make_catalogue(kind="xa", code="XAKM")
    indicator = title.criteria.first().indicators.first()
    for unit in (dong_khe, dong_anh):
        factories.make_registration(unit, title, year=2017)
        factories.make_progress(unit, indicator, 2017, 1, "1")
    login(client, district_staff)
    for model in ("registration", "progress"):
        url = reverse(f"admin:registrations_{model}_changelist")
        response = client.get(url, {"q": "dong khe"})
        assert response.status_code == 200
        units = {obj.unit.code for obj in response.context["cl"].result_list}
        assert units == {"XA-DK"}, model
