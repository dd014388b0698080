"""Staff lists that grow with the district are paginated; printed reports are not.

Paginated: the quarter overview (admin, "Nhập tiến độ theo quý"), the uploads on
the import screen and the error list of a refused upload. The quarter report at
/bao-cao/ prints whole up to 100 units a list (see
test_the_printable_report_lists_every_unit); longer lists go on to pages of their
own (tests/registrations/test_report_sections.py) and whole into the workbooks.
"""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import views as import_views
from imports.models import BatchStatus, ImportBatch
from registrations import admin_views
from registrations.models import Indicator
from tests import factories
from tests.conftest import login
from units.models import UnitKind

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:registrations_progress_quarters")
IMPORTS = reverse("imports:index")
# Inside 2017 Q1's entry window (locks 30 days after 31/03/2017).
OPEN = "2017-03-20 10:00 +07:00"
PER_PAGE = 3
BAD_PAGES = [("-1", 3), ("abc", 1), ("999999", 3), ("0", 3), ("", 1), ("1.5", 1)]


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="CQKM")


def _units(title, n, *, kind=UnitKind.CO_QUAN):
    units = [
        factories.make_unit(
            f"DV-{kind}-{i:03}", kind=kind, name=f"Đơn vị {kind} {i:03}"
        )
        for i in range(n)
    ]
    for unit in units:
        factories.make_registration(unit, title, year=2017)
    return units


def _complete(unit, title):
    for indicator in Indicator.objects.filter(criterion__title=title):
        factories.make_progress(unit, indicator, 2017, 1, "1")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(admin_views, "OVERVIEW_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(import_views, "BATCHES_PER_PAGE", PER_PAGE)


# ---- quarter overview (admin)


@time_machine.travel(OPEN, tick=False)
def test_overview_shows_one_page_and_counts_the_whole_quarter(
    client, district_staff, title, small_pages
):
    units = _units(title, 7)
    _complete(units[0], title)
    _complete(units[6], title)  # on the last page: still counted on the first
    login(client, district_staff)

    response = client.get(OVERVIEW, {"nam": 2017, "quy": 1})

    assert response.status_code == 200
    assert [r.unit.code for r in response.context["rows"]] == [
        u.code for u in units[:3]
    ]
    assert response.context["page_obj"].paginator.num_pages == 3
    assert response.context["complete"] == 2
    html = response.content.decode()
    assert "7 đơn vị có đăng ký đang hiệu lực" in html
    assert "2 đơn vị đã nhập đủ" in html
    assert "Trang 1/3" in html
    assert "nam=2017&amp;quy=1&amp;page=2" in html


@time_machine.travel(OPEN, tick=False)
def test_overview_pages_keep_the_filters(client, district_staff, title, small_pages):
    _units(title, 5)
    _units(title, 4, kind=UnitKind.XA)
    login(client, district_staff)

    response = client.get(
        OVERVIEW, {"nam": 2017, "quy": 1, "loai": UnitKind.XA, "page": 2}
    )

    assert response.status_code == 200
    assert [r.unit.kind for r in response.context["rows"]] == [UnitKind.XA]
    assert response.context["page_obj"].paginator.count == 4
    html = response.content.decode()
    assert f"loai={UnitKind.XA}&amp;page=1" in html
    assert "page=2&amp;page" not in html


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize(("page", "expected"), BAD_PAGES)
def test_overview_survives_any_page_number(
    client, district_staff, title, small_pages, page, expected
):
    _units(title, 7)
    login(client, district_staff)

    response = client.get(OVERVIEW, {"nam": 2017, "quy": 1, "page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected
    assert response.context["rows"]


def test_overview_of_an_empty_quarter_has_no_page_links(client, district_staff):
    login(client, district_staff)
    response = client.get(OVERVIEW, {"nam": 2017, "quy": 1, "page": "999999"})
    assert response.status_code == 200
    assert "Phân trang" not in response.content.decode()


@pytest.mark.parametrize("n", [6, 40])
def test_overview_query_count_does_not_grow_with_pages(
    client, district_staff, title, small_pages, django_assert_max_num_queries, n
):
    _units(title, n)
    login(client, district_staff)
    with django_assert_max_num_queries(9):  # totals in Python: 4 reads
        response = client.get(OVERVIEW, {"nam": 2017, "quy": 1, "page": 2})
    assert len(response.context["rows"]) == PER_PAGE


# ---- uploads on the import screen


def test_import_screen_pages_through_every_upload(client, district_staff, small_pages):
    batches = factories.make_import_batches(7, district_staff)
    login(client, district_staff)

    response = client.get(IMPORTS, {"page": 3})

    assert response.status_code == 200
    # Newest first: the last page holds the oldest upload.
    assert list(response.context["batches"]) == [batches[0]]
    html = response.content.decode()
    assert "Trang 3/3" in html
    assert "don-vi-00.csv" in html and "don-vi-06.csv" not in html


@pytest.mark.parametrize(("page", "expected"), BAD_PAGES)
def test_import_screen_survives_any_page_number(
    client, district_staff, small_pages, page, expected
):
    factories.make_import_batches(7, district_staff)
    login(client, district_staff)

    response = client.get(IMPORTS, {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_import_screen_with_no_upload_and_a_silly_page(client, district_staff):
    login(client, district_staff)
    response = client.get(IMPORTS, {"page": "-1"})
    assert response.status_code == 200
    assert "Chưa có tệp nào được tải lên." in response.content.decode()


@pytest.mark.parametrize("n", [6, 40])
def test_import_screen_query_count_does_not_grow_with_uploads(
    client, district_staff, small_pages, django_assert_max_num_queries, n
):
    factories.make_import_batches(n, district_staff)
    login(client, district_staff)
    with django_assert_max_num_queries(8):
        response = client.get(IMPORTS, {"page": 2})
    assert len(response.context["batches"]) == PER_PAGE


def test_upload_form_still_works_from_a_later_page(client, district_staff, small_pages):
    factories.make_import_batches(7, district_staff)
    login(client, district_staff)
    upload = SimpleUploadedFile(
        "moi.csv", "ma_don_vi,ten_don_vi,loai\r\nXA-1,Xã một,xa\r\n".encode()
    )
    response = client.post(f"{IMPORTS}?page=3", {"kind": "units", "file": upload})
    assert response.status_code == 302
    assert ImportBatch.objects.filter(filename="moi.csv").exists()


# ---- the errors of a refused upload


@pytest.fixture
def refused(district_staff):
    return ImportBatch.objects.create(
        kind="units",
        filename="sai.csv",
        content=b"x",
        size=1,
        uploaded_by=district_staff,
        status=BatchStatus.REJECTED,
        report={"errors": [f"row {n}: loai: không hợp lệ" for n in range(2, 9)]},
    )


def test_a_long_error_list_is_paged_with_the_total_on_top(
    client, district_staff, refused, monkeypatch
):
    monkeypatch.setattr(import_views, "ERRORS_PER_PAGE", PER_PAGE)
    login(client, district_staff)

    response = client.get(reverse("imports:batch", args=[refused.pk]), {"page": 2})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp có 7 lỗi" in html
    assert "row 5: loai" in html and "row 7: loai" in html
    assert "row 4: loai" not in html and "row 8: loai" not in html
    assert "Trang 2/3" in html


@pytest.mark.parametrize(("page", "expected"), BAD_PAGES)
def test_the_error_list_survives_any_page_number(
    client, district_staff, refused, monkeypatch, page, expected
):
    monkeypatch.setattr(import_views, "ERRORS_PER_PAGE", PER_PAGE)
    login(client, district_staff)
    response = client.get(reverse("imports:batch", args=[refused.pk]), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_error_page_query_count_is_bounded(
    client, district_staff, refused, django_assert_max_num_queries
):
    login(client, district_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:batch", args=[refused.pk]))
    assert len(response.context["errors"]) == 7


# ---- the quarter report at /bao-cao/: printed whole at a district's size


def test_the_printable_report_lists_every_unit(client, district_staff, title):
    units = _units(title, 30)
    login(client, district_staff)
    response = client.get(reverse("registrations:reports"), {"nam": 2017, "quy": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert all(unit.name in html for unit in units)
    assert "Phân trang" not in html
