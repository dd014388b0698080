"""purge_import_batches: stale uploads go, confirmed ones keep their audit row."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from imports.models import BatchStatus, ImportBatch
from imports.services.purge import purge_import_batches
from tests import factories
from tests.conftest import login
from units.models import Unit

pytestmark = pytest.mark.django_db

INDEX = reverse("imports:index")
CONTENT = "ma_don_vi,ten_don_vi,loai\r\nXA-DK,Xã Đông Khê,xa\r\n".encode()


def _batch(*, status, days_old, imported_days_old=None, user=None, name="a.csv"):
    now = timezone.now()
    batch = ImportBatch.objects.create(
        kind="units",
        filename=name,
        content=CONTENT,
        size=len(CONTENT),
        status=status,
        uploaded_by=user,
        report={"created": 1, "updated": 0, "unchanged": 0, "errors": []},
    )
    imported_at = None
    if imported_days_old is not None:
        imported_at = now - timedelta(days=imported_days_old)
    # uploaded_at is auto_now_add: age the row afterwards.
    ImportBatch.objects.filter(pk=batch.pk).update(
        uploaded_at=now - timedelta(days=days_old), imported_at=imported_at
    )
    return batch


def _content(batch):
    return bytes(ImportBatch.objects.get(pk=batch.pk).content)


@pytest.fixture
def batches(district_staff):
    return {
        "old_preview": _batch(status=BatchStatus.PREVIEWED, days_old=3),
        "old_rejected": _batch(status=BatchStatus.REJECTED, days_old=5),
        "fresh_preview": _batch(status=BatchStatus.PREVIEWED, days_old=1),
        "old_import": _batch(
            status=BatchStatus.IMPORTED,
            days_old=40,
            imported_days_old=40,
            user=district_staff,
            name="don-vi-cu.csv",
        ),
        "recent_import": _batch(
            status=BatchStatus.IMPORTED, days_old=10, imported_days_old=10
        ),
    }


def test_unconfirmed_batches_older_than_two_days_are_deleted(batches):
    result = purge_import_batches()
    remaining = set(ImportBatch.objects.values_list("pk", flat=True))
    assert batches["old_preview"].pk not in remaining
    assert batches["old_rejected"].pk not in remaining
    assert batches["fresh_preview"].pk in remaining
    assert result.deleted == 2
    assert result.deleted_bytes == 2 * len(CONTENT)


def test_confirmed_batches_keep_their_audit_row_but_lose_old_bytes(
    batches, district_staff
):
    result = purge_import_batches(imported_days=30)
    old = ImportBatch.objects.get(pk=batches["old_import"].pk)
    assert bytes(old.content) == b""
    assert old.content_purged_at is not None
    # Who imported what, when and what it did: all still there.
    assert old.uploaded_by == district_staff
    assert old.filename == "don-vi-cu.csv"
    assert old.size == len(CONTENT)
    assert old.status == BatchStatus.IMPORTED
    assert old.imported_at is not None
    assert old.report["created"] == 1
    assert _content(batches["recent_import"]) == CONTENT
    assert result.emptied == 1
    assert result.emptied_bytes == len(CONTENT)


def test_days_sets_how_long_confirmed_bytes_are_kept(batches):
    purge_import_batches(imported_days=5)
    assert _content(batches["recent_import"]) == b""
    assert _content(batches["old_import"]) == b""


def test_a_second_run_finds_nothing_more_to_do(batches):
    purge_import_batches()
    purged_at = ImportBatch.objects.get(pk=batches["old_import"].pk).content_purged_at
    again = purge_import_batches()
    assert (again.deleted, again.emptied, again.emptied_bytes) == (0, 0, 0)
    assert (
        ImportBatch.objects.get(pk=batches["old_import"].pk).content_purged_at
        == purged_at
    )


def test_dry_run_changes_nothing_and_reports_what_it_would_do(batches):
    before = {b.pk: bytes(b.content) for b in ImportBatch.objects.all()}
    result = purge_import_batches(dry_run=True)
    assert (result.deleted, result.emptied) == (2, 1)
    after = {b.pk: bytes(b.content) for b in ImportBatch.objects.all()}
    assert after == before
    assert not ImportBatch.objects.filter(content_purged_at__isnull=False).exists()


def test_command_prints_counts_in_vietnamese(batches, capsys):
    call_command("purge_import_batches")
    out = capsys.readouterr().out
    assert "Đã xóa 2 lần tải lên chưa xác nhận" in out
    assert "Đã xóa nội dung tệp của 1 lần đã nhập" in out
    assert "lịch sử nhập vẫn giữ" in out
    assert ImportBatch.objects.count() == 3


def test_command_dry_run_says_so_and_writes_nothing(batches, capsys):
    call_command("purge_import_batches", "--dry-run", "--days", "5")
    out = capsys.readouterr().out
    assert "Sẽ xóa 2 lần tải lên chưa xác nhận" in out
    assert "Sẽ xóa nội dung tệp của 2 lần đã nhập" in out
    assert "Chạy thử, chưa xóa gì" in out
    assert ImportBatch.objects.count() == 5
    assert _content(batches["old_import"]) == CONTENT


@pytest.mark.parametrize("days", ["-1", "abc", "²"])
def test_command_refuses_a_bad_number_of_days(batches, days):
    with pytest.raises(CommandError, match="Số ngày"):
        call_command("purge_import_batches", "--days", days)
    with pytest.raises(CommandError, match="Số ngày"):
        call_command("purge_import_batches", "--unconfirmed-days", days)
    assert ImportBatch.objects.count() == 5


def test_unconfirmed_days_can_be_changed(batches):
    result = purge_import_batches(unconfirmed_days=0)
    assert result.deleted == 3
    assert ImportBatch.objects.filter(status=BatchStatus.IMPORTED).count() == 2


# The admin screen


def test_a_purged_batch_page_says_the_bytes_are_gone(client, district_staff, batches):
    purge_import_batches()
    login(client, district_staff)
    response = client.get(reverse("imports:batch", args=[batches["old_import"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="content-purged"' in page
    assert "Nội dung tệp đã được xóa" in page
    assert "don-vi-cu.csv" in page
    assert "Xác nhận nhập dữ liệu" not in page


def test_a_kept_batch_page_does_not_mention_purging(client, district_staff, batches):
    purge_import_batches()
    login(client, district_staff)
    response = client.get(reverse("imports:batch", args=[batches["recent_import"].pk]))
    assert response.status_code == 200
    assert 'id="content-purged"' not in response.content.decode()


def test_opening_a_deleted_upload_explains_and_goes_back(
    client, district_staff, batches
):
    pk = batches["old_preview"].pk
    purge_import_batches()
    login(client, district_staff)
    response = client.get(reverse("imports:batch", args=[pk]), follow=True)
    assert response.redirect_chain == [(INDEX, 302)]
    assert "Hãy tải tệp lên lại" in response.content.decode()


def test_confirming_an_upload_deleted_meanwhile_imports_nothing(
    client, district_staff, batches
):
    pk = batches["old_preview"].pk
    purge_import_batches()
    login(client, district_staff)
    response = client.post(reverse("imports:confirm", args=[pk]), follow=True)
    assert response.redirect_chain == [(INDEX, 302)]
    assert "Hãy tải tệp lên lại" in response.content.decode()
    assert not Unit.objects.exists()


def test_confirming_a_purged_import_again_imports_nothing(
    client, district_staff, batches
):
    purge_import_batches()
    pk = batches["old_import"].pk
    login(client, district_staff)
    response = client.post(reverse("imports:confirm", args=[pk]), follow=True)
    assert response.status_code == 200
    assert "không nhập lại" in response.content.decode()
    assert not Unit.objects.exists()


def test_a_batch_of_a_kind_the_user_may_not_import_is_still_404(client, batches):
    progress_only = factories.make_user("nhaptiendo", is_staff=True)
    progress_only.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=["add_progress", "change_progress"],
        )
    )
    login(client, progress_only)
    response = client.get(reverse("imports:batch", args=[batches["old_import"].pk]))
    assert response.status_code == 404


def test_the_batch_admin_shows_when_the_bytes_were_purged(client, superuser, batches):
    purge_import_batches()
    login(client, superuser)
    url = reverse("admin:imports_importbatch_change", args=[batches["old_import"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "xóa nội dung tệp lúc" in response.content.decode().lower()
