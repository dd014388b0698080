"""The admin's upload → preview → confirm screen, downloads and permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from imports.models import BatchStatus, ImportBatch
from tests import factories
from tests.conftest import login
from tests.imports.conftest import csv_bytes, snapshot, xlsx_bytes
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

INDEX = reverse("imports:index")
HEADER = ["ma_don_vi", "ten_don_vi", "loai", "ma_don_vi_cha", "cap_hoc", "nam_lo_trinh"]
GOOD = [HEADER, ["XA-DK", "Xã Đông Khê", "xa"], ["THON-1", "Thôn một", "thon", "XA-DK"]]


def _upload(client, rows=GOOD, kind="units", name="don-vi.csv", content=None):
    content = content if content is not None else csv_bytes(rows)
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(INDEX, {"kind": kind, "file": upload})


def test_index_path_is_under_the_admin():
    assert INDEX == "/admin/nhap-du-lieu/"


def test_anonymous_visitor_is_sent_to_the_admin_sign_in(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_gets_403_everywhere(client, editor, district_staff):
    batch = ImportBatch.objects.create(
        kind="units", filename="a.csv", content=b"x", size=1, uploaded_by=None
    )
    login(client, editor)
    for url in (
        INDEX,
        reverse("imports:batch", args=[batch.pk]),
        reverse("imports:export", args=["units", "csv"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 403
    assert _upload(client).status_code == 403
    assert not Unit.objects.exists()


def test_admin_home_links_to_the_import_screen_for_staff_only(
    client, district_staff, editor
):
    login(client, district_staff)
    assert INDEX in client.get("/admin/").content.decode()
    login(client, editor)
    assert INDEX not in client.get("/admin/").content.decode()


def test_staff_preview_then_confirm_imports_the_file(
    client, district_staff, django_assert_max_num_queries
):
    login(client, district_staff)
    with django_assert_max_num_queries(12):
        page = client.get(INDEX)
    assert page.status_code == 200
    assert "Nhập dữ liệu từ tệp" in page.content.decode()
    response = _upload(client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    assert (batch.status, bytes(batch.content)) == (
        BatchStatus.PREVIEWED,
        csv_bytes(GOOD),
    )
    assert not Unit.objects.exists()  # the preview is a dry run
    preview = client.get(response["Location"]).content.decode()
    assert "Sẽ tạo mới" in preview and "Xác nhận nhập dữ liệu" in preview

    done = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "Đã nhập tệp don-vi.csv" in done.content.decode()
    assert Unit.objects.get(code="THON-1").parent.code == "XA-DK"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED
    assert batch.report["created"] == 2


def test_preview_lists_what_would_change_before_confirmation(
    client, district_staff, django_assert_max_num_queries
):
    factories.make_unit("XA-DK", kind=UnitKind.XA, name="Xã cũ")
    login(client, district_staff)
    _upload(client)
    batch = ImportBatch.objects.get()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("imports:batch", args=[batch.pk]))
    html = page.content.decode()
    assert "Những thay đổi sẽ ghi" in html
    table = html[html.index('<table id="import-changes">') :]
    table = table[: table.index("</table>")]
    for heading in ("Thao tác", "Bản ghi", "Mã", "Cột thay đổi: cũ → mới"):
        assert f'<th scope="col">{heading}</th>' in table
    assert "<td>Cập nhật</td>" in table and "<td>Tạo mới</td>" in table
    assert '<th scope="row">XA-DK</th>' in table
    assert "<div>ten_don_vi: Xã cũ → Xã Đông Khê</div>" in table
    assert '<th scope="row">THON-1</th>' in table
    assert "style=" not in table and "<script" not in table
    assert "more-changes" not in html


def test_preview_caps_the_change_list(
    client, district_staff, django_assert_max_num_queries
):
    rows = [HEADER] + [[f"CQ-{n:03}", f"Cơ quan {n}", "co_quan"] for n in range(203)]
    login(client, district_staff)
    _upload(client, rows=rows)
    batch = ImportBatch.objects.get()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("imports:batch", args=[batch.pk]))
    html = page.content.decode()
    assert html.count("<td>Tạo mới</td>") == 200
    assert "… và 3 thay đổi khác." in html


def test_confirming_twice_imports_once(client, district_staff):
    login(client, district_staff)
    _upload(client)
    batch = ImportBatch.objects.get()
    confirm = reverse("imports:confirm", args=[batch.pk])
    client.post(confirm)
    Unit.objects.filter(code="THON-1").update(name="Đổi tên sau khi nhập")
    again = client.post(confirm, follow=True)
    assert "đã được xử lý" in again.content.decode()
    assert Unit.objects.get(code="THON-1").name == "Đổi tên sau khi nhập"


def test_preview_lists_every_error_and_offers_no_confirmation(client, district_staff):
    login(client, district_staff)
    rows = [HEADER, ["THON-1", "Thôn", "thon", "XA-ABC"], ["CQ", "", "co_quan"]]
    _upload(client, rows=rows)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.REJECTED
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "row 2: ma_don_vi_cha: không tìm thấy xã “XA-ABC”" in page
    assert "row 3: ten_don_vi: bắt buộc, không được để trống" in page
    assert "Xác nhận nhập dữ liệu" not in page
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert not Unit.objects.exists()


def test_xlsx_upload_and_broken_file_are_previewed(client, district_staff):
    login(client, district_staff)
    _upload(client, name="don-vi.xlsx", content=xlsx_bytes(GOOD))
    _upload(client, name="anh.xlsx", content=b"\x89PNG\r\n\x1a\n1234")
    good, broken = ImportBatch.objects.order_by("pk")
    assert good.status == BatchStatus.PREVIEWED
    assert broken.report["errors"] == [
        "row 1: file: tệp không phải bảng tính Excel (.xlsx) mà là ảnh PNG"
    ]


def test_upload_over_the_size_limit_is_refused(client, district_staff, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    login(client, district_staff)
    response = _upload(client)
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_without_csrf_token_is_refused(district_staff):
    client = Client(enforce_csrf_checks=True)
    login(client, district_staff)
    assert _upload(client).status_code == 403
    assert not ImportBatch.objects.exists()


def test_user_without_progress_rights_cannot_see_a_progress_batch(client):
    user = factories.make_user("donvi", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_unit", "change_unit"])
    )
    batch = ImportBatch.objects.create(
        kind="progress", filename="p.csv", content=b"x", size=1
    )
    login(client, user)
    assert client.get(INDEX).status_code == 200
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    response = _upload(client, kind="progress")
    assert response.status_code == 200  # not a choice this user has
    assert ImportBatch.objects.count() == 1


def test_staff_download_every_kind_in_both_formats(client, district_staff, catalogue):
    login(client, district_staff)
    before = snapshot()
    for kind in ("units", "criteria", "registrations", "progress"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("imports:export", args=[kind, fmt]))
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith(
                f'attachment; filename="{kind}-'
            )
    assert client.get("/admin/nhap-du-lieu/xuat/units.pdf").status_code == 404
    assert snapshot() == before
