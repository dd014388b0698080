"""Document files live in the private folder and go out only through the download
view, which checks publication: an unpublished document's file has no /media/
address (nginx serves MEDIA_ROOT to anyone)."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import login
from tests.doclibrary.helpers import PDF, make_document

pytestmark = pytest.mark.django_db

migration = importlib.import_module("doclibrary.migrations.0002_private_file_storage")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_unpublished_file_is_not_under_media_and_not_downloadable(client):
    document = make_document("9/TB-UBND", is_published=False)
    stored = Path(document.file.path)
    assert stored.is_file()
    assert stored.is_relative_to(Path(settings.EVIDENCE_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))
    with pytest.raises(ValueError):
        _ = document.file.url  # no public address at all
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404
    assert client.get(document.get_download_url()).status_code == 404


def test_staff_allowed_to_view_documents_may_download_an_unpublished_one(
    client, editor, unit_head
):
    document = make_document("9/TB-UBND", is_published=False)
    assert login(client, unit_head).get(document.get_download_url()).status_code == 404
    response = login(client, editor).get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]


def test_a_published_file_downloads_as_an_attachment(client):
    document = make_document("15/KH-UBND")
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="15-kh-ubnd-2017.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_behind_nginx_the_file_goes_through_the_internal_location(client, settings):
    settings.EVIDENCE_ACCEL_REDIRECT = True
    document = make_document("15/KH-UBND")
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_minh-chung/" + document.file.name
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="15-kh-ubnd-2017.pdf"' in response["Content-Disposition"]
    assert response.content == b""
    hidden = make_document("9/TB-UBND", is_published=False)
    assert client.get(hidden.get_download_url()).status_code == 404


def test_the_migration_moves_files_out_of_media(tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "van-ban/2017").mkdir(parents=True)
    (media / "van-ban/2017/a.pdf").write_bytes(b"%PDF a")
    (media / "van-ban/2017/b.pdf").write_bytes(b"%PDF media")
    (private / "van-ban/2017").mkdir(parents=True)
    (private / "van-ban/2017/b.pdf").write_bytes(b"%PDF private")
    names = [
        "van-ban/2017/a.pdf",
        "van-ban/2017/b.pdf",  # already moved: left as it is
        "van-ban/2016/missing.pdf",  # no file: skipped
        "../outside.pdf",  # never outside the folders
        "",
    ]
    assert migration.move_files(names, media, private) == 1
    assert (private / "van-ban/2017/a.pdf").read_bytes() == b"%PDF a"
    assert not (media / "van-ban/2017/a.pdf").exists()
    assert (private / "van-ban/2017/b.pdf").read_bytes() == b"%PDF private"
    assert not (private / "van-ban/2016/missing.pdf").exists()


def test_the_migration_step_moves_an_existing_document_file(settings):
    from django.apps import apps

    document = make_document("15/KH-UBND")
    private = Path(document.file.path)
    public = Path(settings.MEDIA_ROOT) / document.file.name
    public.parent.mkdir(parents=True)
    private.replace(public)  # where the file was before this migration
    migration.to_private(apps, None)
    assert private.read_bytes() == PDF
    assert not public.exists()
    migration.to_private(apps, None)  # a second run changes nothing
    assert private.read_bytes() == PDF


def test_the_backup_keeps_the_document_files(tmp_path):
    import tarfile

    from portal.backup import dump_evidence, evidence_archive

    document = make_document("15/KH-UBND")
    dump = tmp_path / "2026-12-03.dump"
    dump_evidence(dump=dump)
    with tarfile.open(evidence_archive(dump)) as archive:
        assert document.file.name in archive.getnames()


def test_the_admin_change_page_links_the_kept_file_to_the_download_view(
    client, superuser
):
    document = make_document()
    login(client, superuser)

    response = client.get(f"/admin/doclibrary/document/{document.pk}/change/")

    assert response.status_code == 200
    download = f"/van-ban/{document.slug}/tai-ve/"
    assert f'href="{download}"' in response.content.decode()
    assert settings.MEDIA_URL + "van-ban/" not in response.content.decode()


def test_a_deleted_documents_file_is_removed_once_committed(
    django_capture_on_commit_callbacks,
):
    document = make_document("10/TB-UBND")
    stored = Path(document.file.path)
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not stored.exists()


def test_a_replaced_file_is_removed_and_the_new_one_kept(
    django_capture_on_commit_callbacks,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = make_document("11/TB-UBND")
    old = Path(document.file.path)
    document.file = SimpleUploadedFile("moi.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert not old.exists()
    assert Path(document.file.path).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        document.summary = "Trích yếu mới"
        document.save()
    assert Path(document.file.path).is_file()  # unchanged file kept
