"""The unit-heads file (CONTRACT §1.6): accounts found or made, linked, unlinked."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from heads.models import HeadProfile
from imports.exports import export_file
from imports.services import import_file
from tests import factories
from tests.imports.conftest import run_import
from units.models import Unit

from .conftest import HEADER, account, heads_of, run

pytestmark = pytest.mark.django_db

User = get_user_model()
HUNG = ["XA-KHE", "Lê Văn Hùng", "hung.le@dongson.example", "0912 345 678"]
LAN = ["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", ""]


def state():
    """Everything the import may change, to compare before and after."""
    return {
        "users": list(
            User.objects.order_by("pk").values_list(
                "username", "email", "first_name", "last_name", "password"
            )
        ),
        "profiles": list(HeadProfile.objects.order_by("pk").values_list()),
        "profile_history": HeadProfile.history.count(),
        "links": sorted(Unit.heads.through.objects.values_list("unit_id", "user_id")),
    }


def test_a_file_makes_accounts_without_a_password_and_links_them(units):
    report = run(
        HUNG, LAN, ["THON-1", "Lê Văn Hùng", "hung.le@dongson.example", "0912 345 678"]
    )
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    hung = account("hung.le@dongson.example")
    assert hung.username == "hung.le"
    assert hung.get_full_name() == "Lê Văn Hùng"
    assert not hung.has_usable_password()
    assert hung.groups.filter(name="Trưởng đơn vị").exists()
    assert hung.head_profile.phone == "0912 345 678"
    assert hung.head_profile.key
    assert sorted(hung.headed_units.values_list("code", flat=True)) == [
        "THON-1",
        "XA-KHE",
    ]
    assert User.objects.filter(email="hung.le@dongson.example").count() == 1
    assert heads_of("CQ-1") == ["lan.pham@dongson.example"]


def test_reimporting_the_same_file_changes_nothing(units):
    assert run(HUNG, LAN).ok
    before = state()
    report = run(HUNG, LAN)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert report.changes == []
    assert state() == before


def test_bad_rows_are_all_reported_and_nothing_is_written(units):
    before = state()
    report = run(
        HUNG,
        ["KHONG-CO", "Ai Đó", "ai@dongson.example", ""],
        ["CQ-2", "", "b@dongson.example", ""],
        ["CQ-2", "Trần Văn Bình", "khong-phai-email", ""],
        ["CQ-2", "Trần Văn Bình", "binh@dongson.example", "12ab"],
        HUNG,
    )
    assert not report.ok
    assert report.error_lines() == [
        "row 3: ma_don_vi: không tìm thấy đơn vị “KHONG-CO”",
        "row 4: ho_ten: bắt buộc, không được để trống",
        "row 5: email: “khong-phai-email” không phải là địa chỉ email hợp lệ",
        "row 6: so_dien_thoai: “12ab” không phải là số điện thoại (8–15 chữ số, có "
        "thể có dấu cách, chấm, gạch nối, dấu + ở đầu)",
        "row 7: ma_don_vi: trùng đơn vị “XA-KHE” và người này với dòng 2",
    ]
    assert state() == before


def test_a_missing_required_column_is_reported_on_row_1(units):
    report = run(["CQ-1", "Phạm Thị Lan"], header=["ma_don_vi", "ho_ten"])
    assert report.error_lines() == ["row 1: email: missing"]


def test_one_address_with_two_names_is_refused(units):
    report = run(HUNG, ["CQ-1", "Lê Văn Hưng", "hung.le@dongson.example", ""])
    assert report.error_lines() == [
        "row 3: ho_ten: khác họ tên ở dòng 2 của cùng người này"
    ]


def test_a_head_who_changed_their_address_is_not_duplicated(client, units):
    assert run(HUNG, LAN).ok
    hung = account("hung.le@dongson.example")
    client.force_login(hung, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/tai-khoan/",
        {
            "ho_ten": "Lê Văn Hùng",
            "email": "hung.moi@dongson.example",
            "so_dien_thoai": "",
        },
    )
    assert response.status_code == 302
    # The office's file still has the old address.
    report = run(HUNG, LAN)
    assert report.ok, report.error_lines()
    assert (report.created, report.updated) == (0, 0)
    assert User.objects.filter(first_name="Lê").count() == 1
    hung.refresh_from_db()
    assert hung.email == "hung.moi@dongson.example"  # the head's own choice stays
    assert heads_of("XA-KHE") == ["hung.moi@dongson.example"]


def test_an_address_changed_in_the_file_moves_with_its_head(units):
    assert run(HUNG, LAN).ok
    before = User.objects.count()
    moved = ["XA-KHE", "Le Van Hung", "hung.khac@dongson.example", "0912 345 678"]
    report = run(moved, LAN)
    assert report.ok, report.error_lines()
    assert User.objects.count() == before
    assert heads_of("XA-KHE") == ["hung.khac@dongson.example"]
    assert report.change_lines() == [
        "cập nhật trưởng đơn vị XA-KHE · hung.khac@dongson.example: ho_ten: "
        "“Lê Văn Hùng” → “Le Van Hung”; email: “hung.le@dongson.example” → "
        "“hung.khac@dongson.example”"
    ]


def test_the_exported_key_follows_an_account_whatever_its_address(units):
    assert run(HUNG, LAN).ok
    exported = export_file(kind="heads").decode("utf-8-sig")
    assert (
        exported.splitlines()[0] == "ma_don_vi,ho_ten,email,so_dien_thoai,ma_tai_khoan"
    )
    edited = exported.replace("hung.le@", "chutich.dongkhe@").replace(
        "Lê Văn Hùng", "Lê Văn Hùng (Chủ tịch)"
    )
    report = import_file(kind="heads", content=edited.encode(), filename="x.csv")
    assert report.ok, report.error_lines()
    assert User.objects.filter(head_profile__isnull=False).count() == 2
    hung = account("chutich.dongkhe@dongson.example")
    assert hung.head_profile.full_name == "Lê Văn Hùng (Chủ tịch)"


def test_an_export_imports_back_without_a_change(units):
    assert run(
        HUNG, LAN, ["CQ-2", "Trần Văn Bình", "binh@dongson.example", "0236 3822 111"]
    ).ok
    before = state()
    report = import_file(
        kind="heads", content=export_file(kind="heads", fmt="xlsx"), filename="x.xlsx"
    )
    assert report.ok, report.error_lines()
    assert (report.created, report.updated) == (0, 0)
    assert state() == before


def test_a_partial_file_unlinks_heads_of_its_own_units_only(units):
    assert run(HUNG, LAN, ["CQ-2", "Trần Văn Bình", "binh@dongson.example", ""]).ok
    report = run(["CQ-1", "Ngô Thị Mai", "mai@dongson.example", ""])
    assert report.ok, report.error_lines()
    assert heads_of("CQ-1") == ["mai@dongson.example"]
    assert heads_of("CQ-2") == ["binh@dongson.example"]  # not in the file: kept
    assert heads_of("XA-KHE") == ["hung.le@dongson.example"]
    lan = account("lan.pham@dongson.example")  # unlinked, not deleted
    assert lan.is_active and lan.head_profile.full_name == "Phạm Thị Lan"
    assert "cập nhật gỡ trưởng đơn vị CQ-1 · Phạm Thị Lan" in report.change_lines()


def test_one_person_on_several_rows_is_one_account(units):
    report = run(
        ["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", ""],
        ["CQ-2", "Phạm Thị Lan", "LAN.PHAM@dongson.example", ""],
    )
    assert report.ok, report.error_lines()
    assert User.objects.filter(email="lan.pham@dongson.example").count() == 1
    assert heads_of("CQ-2") == ["lan.pham@dongson.example"]


def test_a_dry_run_writes_nothing_and_lists_the_changes(units):
    before = state()
    report = run(HUNG, LAN, dry_run=True)
    assert report.ok
    assert state() == before
    assert report.change_lines() == [
        "tạo mới trưởng đơn vị XA-KHE · hung.le@dongson.example",
        "tạo mới trưởng đơn vị CQ-1 · lan.pham@dongson.example",
    ]


def test_the_command_line_imports_and_dry_runs(units, write_file):
    path = write_file([HEADER, HUNG, LAN], "truong-don-vi.csv")
    result = run_import("heads", path, "--dry-run")
    assert result.ok
    assert "tạo mới trưởng đơn vị CQ-1 · lan.pham@dongson.example" in result.out
    assert not User.objects.filter(email="lan.pham@dongson.example").exists()
    assert run_import("heads", path).ok
    assert User.objects.filter(email="lan.pham@dongson.example").exists()


def test_an_existing_account_is_linked_by_its_address(units):
    existing = factories.make_user("truong.dongkhe", email="Hung.Le@dongson.example")
    report = run(HUNG)
    assert report.ok, report.error_lines()
    assert list(existing.headed_units.values_list("code", flat=True)) == ["XA-KHE"]
    existing.refresh_from_db()
    assert existing.has_usable_password()  # an account in use keeps its password
    assert existing.head_profile.full_name == "Lê Văn Hùng"


def test_a_file_never_changes_a_staff_account(units, district_staff):
    district_staff.email = "canbo@dongson.example"
    district_staff.first_name, district_staff.last_name = "Nguyễn", "Văn Cán"
    district_staff.save()
    units["CQ-1"].heads.add(district_staff)
    before = state()
    # Found by name among the unit's heads, with another address: refused.
    report = run(["CQ-1", "Nguyễn Văn Cán", "ke.gian@example.org", ""])
    assert not report.ok
    assert report.error_lines() == [
        "row 2: email: tài khoản của cán bộ huyện: họ tên và email chỉ đổi trong "
        "trang quản trị"
    ]
    assert state() == before


def test_phone_numbers_typed_as_numbers_keep_their_leading_zero(units):
    report = run(
        ["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", 912345678], xlsx=True
    )
    assert report.ok, report.error_lines()
    assert account("lan.pham@dongson.example").head_profile.phone == "0912345678"


def test_a_file_without_the_phone_column_keeps_the_phones(units):
    assert run(HUNG).ok
    report = run(HUNG[:3], header=HEADER[:3])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert account("hung.le@dongson.example").head_profile.phone == "0912 345 678"


def test_new_heads_are_invited_once_the_import_commits(
    units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(HUNG, LAN).ok
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hung.le@dongson.example",
        "lan.pham@dongson.example",
    ]
    body = mail.outbox[0].body
    assert "/kich-hoat/" in body and "mật khẩu" in body
    assert "Tên đăng nhập:" in body
    assert account("hung.le@dongson.example").head_profile.invited_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(HUNG, LAN).ok  # nothing new: nobody invited again
    assert mail.outbox == []


def test_a_dry_run_invites_nobody(units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert run(HUNG, dry_run=True).ok
    assert callbacks == []
    assert mail.outbox == []


def test_no_password_is_ever_in_a_file_or_an_email(
    units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(HUNG).ok
    exported = export_file(kind="heads").decode("utf-8-sig")
    assert "mat_khau" not in exported and "password" not in exported
    assert "mật khẩu:" not in mail.outbox[0].body.lower()


def test_the_admin_import_screen_offers_the_heads_file(client, district_staff):
    from tests.conftest import login

    response = login(client, district_staff).get("/admin/nhap-du-lieu/")
    assert response.status_code == 200
    assert "Trưởng đơn vị" in response.content.decode()
    response = client.get("/admin/nhap-du-lieu/xuat/heads.csv")
    assert response.status_code == 200
    assert (
        io.BytesIO(response.content)
        .read()
        .decode("utf-8-sig")
        .startswith("ma_don_vi,ho_ten,email")
    )
