"""Evidence files of the self-report: who may upload, delete and open them; what a
file may be; how it is served (nginx, plain file, signed URL); never under /media/.

Q1/2026 is open on 10 February 2026 (it locks on 1 May 2026).
"""

import datetime
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kieumau.dates import VIETNAM
from registrations.evidence import content, services, serving
from registrations.evidence.storage import thumbnail_name
from registrations.models import Evidence, QuarterReport, ReportState
from tests import factories
from tests.conftest import login
from tests.registrations import evidence_files as files

OPEN = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
AFTER_LOCK = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=VIETNAM)
ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open_quarter():
    with time_machine.travel(OPEN, tick=False):
        yield


@pytest.fixture
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


@pytest.fixture
def world(unit_a, unit_b, evidence_root):
    title = factories.make_catalogue(code="CQKM")
    factories.make_registration(unit_a, title, year=2026)
    factories.make_registration(unit_b, title, year=2026)
    indicator = title.criteria.get(code="CQKM-TC1").indicators.get(code="CQKM-CK")
    return {"title": title, "indicator": indicator}


def upload_url(world, code="UNIT-A"):
    return reverse(
        "registrations:evidence-upload", args=[code, 2026, 1, world["indicator"].pk]
    )


def post_file(client, world, data, name="bien-ban.pdf", *, code="UNIT-A", **extra):
    upload = SimpleUploadedFile(name, data)
    return client.post(upload_url(world, code), {"file": upload}, **extra)


def stored_evidence(unit_code="UNIT-A"):
    return list(Evidence.objects.filter(reported_value__report__unit__code=unit_code))


def make_file_evidence(world, head, data=None, name="bien-ban.pdf", *, unit):
    return services.add_file_evidence(
        unit=unit,
        year=2026,
        quarter=1,
        indicator=world["indicator"],
        upload=SimpleUploadedFile(name, data or files.pdf()),
        by=head,
        max_bytes=20 * 1024 * 1024,
    )


@pytest.fixture
def evidence_a(world, unit_a, unit_head):
    return make_file_evidence(world, unit_head, unit=unit_a)


@pytest.fixture
def photo_a(world, unit_a, unit_head):
    return make_file_evidence(
        world, unit_head, files.image("JPEG", (1600, 1200)), "anh.jpg", unit=unit_a
    )


# --- upload: who, when ------------------------------------------------------


def test_unit_head_uploads_a_pdf_and_sees_it_in_the_report(
    client, world, unit_head, evidence_root
):
    login(client, unit_head)
    response = post_file(client, world, files.pdf(), "Biên bản họp.PDF")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ct-{world['indicator'].pk}")
    [evidence] = stored_evidence()
    assert evidence.original_name == "Biên bản họp.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(files.pdf())
    assert evidence.uploaded_by == unit_head
    # A random name under EVIDENCE_ROOT, nothing of the sent name but its kind.
    assert re.fullmatch(r"[\w-]{2}/[\w-]{24}\.pdf", evidence.file.name)
    assert (evidence_root / evidence.file.name).read_bytes() == files.pdf()
    report = QuarterReport.objects.get(unit__code="UNIT-A", year=2026, quarter=1)
    assert (report.state, report.version) == (ReportState.DRAFT, 0)


def test_several_files_per_indicator_each_in_its_own_request(client, world, unit_head):
    login(client, unit_head)
    post_file(client, world, files.pdf(), "a.pdf")
    post_file(client, world, files.image("PNG"), "b.png")
    post_file(client, world, files.xlsx(), "c.xlsx")
    assert sorted(e.original_name for e in stored_evidence()) == [
        "a.pdf",
        "b.png",
        "c.xlsx",
    ]


def test_two_files_in_one_request_are_refused(client, world, unit_head):
    login(client, unit_head)
    response = client.post(
        upload_url(world),
        {
            "file": [
                SimpleUploadedFile("a.pdf", files.pdf()),
                SimpleUploadedFile("b.pdf", files.pdf()),
            ]
        },
    )
    assert response.status_code == 400
    assert "Mỗi lần chỉ tải lên một tệp" in response.content.decode()
    assert stored_evidence() == []


def test_a_link_is_evidence_too(client, world, unit_head):
    login(client, unit_head)
    response = client.post(
        upload_url(world), {"link": " https://drive.example.vn/bien-ban "}
    )
    assert response.status_code == 302
    [evidence] = stored_evidence()
    assert (evidence.link, evidence.file.name) == (
        "https://drive.example.vn/bien-ban",
        "",
    )


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://example.vn/a.pdf", "file:///etc/passwd", "bien-ban"],
)
def test_only_http_and_https_links_are_taken(client, world, unit_head, link):
    login(client, unit_head)
    response = client.post(upload_url(world), {"link": link})
    assert response.status_code == 400
    assert "bắt đầu bằng http:// hoặc https://" in response.content.decode()
    assert stored_evidence() == []


def test_the_script_gets_json_and_the_refreshed_list(client, world, unit_head):
    login(client, unit_head)
    response = post_file(
        client, world, files.pdf(), "a.pdf", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    answer = response.json()
    assert "Đã thêm minh chứng" in answer["thong_bao"]
    assert 'class="evidence"' in answer["html"] and "a.pdf" in answer["html"]
    refused = post_file(client, world, b"", "rong.pdf", HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"loi": "Tệp rỗng (0 byte): hãy chọn lại tệp."}


def test_nothing_chosen_is_refused_in_vietnamese(client, world, unit_head):
    login(client, unit_head)
    response = client.post(upload_url(world), {})
    assert response.status_code == 400
    assert "Hãy chọn một tệp hoặc nhập một đường dẫn" in response.content.decode()


def test_a_submitted_report_takes_no_more_evidence(client, world, unit_a, unit_head):
    factories.make_report(unit_a, 2026, 1, ReportState.SUBMITTED)
    login(client, unit_head)
    response = post_file(client, world, files.pdf())
    assert response.status_code == 400
    assert "đã nộp, đang chờ duyệt" in response.content.decode()
    assert stored_evidence() == []


def test_a_returned_report_takes_evidence_until_its_deadline(
    client, world, unit_a, unit_head
):
    factories.make_report(
        unit_a,
        2026,
        1,
        ReportState.RETURNED,
        return_deadline=datetime.date(2026, 2, 20),
    )
    login(client, unit_head)
    assert post_file(client, world, files.pdf()).status_code == 302
    with time_machine.travel(datetime.datetime(2026, 2, 21, 9, tzinfo=VIETNAM)):
        login(client, unit_head)  # the earlier session has expired
        late = post_file(client, world, files.pdf())
    assert late.status_code == 400
    assert "Đã quá hạn nộp lại" in late.content.decode()
    assert len(stored_evidence()) == 1


def test_after_the_lock_an_unsubmitted_report_takes_no_evidence(
    client, world, unit_head
):
    with time_machine.travel(AFTER_LOCK, tick=False):
        login(client, unit_head)
        response = post_file(client, world, files.pdf())
    assert response.status_code == 400
    assert "đã khóa" in response.content.decode()
    assert not QuarterReport.objects.exists()


def test_an_indicator_of_another_title_is_not_found(client, world, unit_head):
    other = factories.make_catalogue(code="KHAC")
    stray = other.criteria.first().indicators.first()
    login(client, unit_head)
    url = reverse("registrations:evidence-upload", args=["UNIT-A", 2026, 1, stray.pk])
    assert client.post(url, {"link": "https://example.vn"}).status_code == 404


# --- what a file may be -----------------------------------------------------

GOOD = [
    ("bien-ban.pdf", files.pdf, "application/pdf", "bien-ban.pdf"),
    ("anh.jpeg", lambda: files.image("JPEG"), "image/jpeg", "anh.jpeg"),
    ("anh.png", lambda: files.image("PNG"), "image/png", "anh.png"),
    ("anh.webp", lambda: files.image("WEBP"), "image/webp", "anh.webp"),
    ("bao-cao.docx", files.docx, content.DOCX.content_type, "bao-cao.docx"),
    ("so-lieu.xlsx", files.xlsx, content.XLSX.content_type, "so-lieu.xlsx"),
    ("cu.doc", files.ole, "application/msword", "cu.doc"),
    ("cu.xls", lambda: files.ole("Workbook"), "application/vnd.ms-excel", "cu.xls"),
    # The kind comes from the content: a photo sent as .pdf keeps being a photo.
    ("anh-chup.pdf", lambda: files.image("JPEG"), "image/jpeg", "anh-chup.jpg"),
]


@pytest.mark.parametrize(("name", "make", "content_type", "shown"), GOOD)
def test_each_accepted_kind_is_told_from_its_content(
    client, world, unit_head, name, make, content_type, shown
):
    login(client, unit_head)
    response = post_file(client, world, make(), name)
    assert response.status_code == 302, response.content.decode()
    [evidence] = stored_evidence()
    assert (evidence.content_type, evidence.original_name) == (content_type, shown)
    assert evidence.file.name.endswith(Path(shown).suffix)


BAD = [
    ("chuong-trinh.pdf", files.EXECUTABLE, "chương trình chạy được"),
    ("script.jpg", b"#!/bin/sh\nrm -rf /\n", "chương trình chạy được"),
    ("rong.pdf", b"", "Tệp rỗng"),
    ("trang.pdf", files.HTML, "Không nhận tệp HTML, SVG"),
    ("hinh.svg", files.SVG, "Không nhận tệp HTML, SVG"),
    ("hinh-sach.png", files.SVG_PLAIN, "Không nhận tệp HTML, SVG"),
    ("js.pdf", files.pdf_with_javascript(), "mã chạy tự động (JavaScript)"),
    ("an.pdf", files.pdf_with_hidden_javascript(), "mã chạy tự động (JavaScript)"),
    ("mo.pdf", files.pdf_with_launch(), "lệnh mở chương trình"),
    ("iphone.heic", files.HEIC, "Ảnh HEIC"),
    ("nen.docx", files.plain_zip(), "không phải loại được nhận"),
    ("macro.docx", files.docx(macro=True), "có macro"),
    ("macro.doc", files.ole(extra_storage="Macros"), "có macro"),
    ("cai-dat.doc", files.ole("\x05SummaryInformation"), "không phải loại được nhận"),
    ("hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "Ảnh bị hỏng"),
    ("van-ban.txt", "Biên bản".encode(), "không phải loại được nhận"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD)
def test_a_bad_file_is_refused_with_a_vietnamese_message(
    client, world, unit_head, evidence_root, name, data, message
):
    login(client, unit_head)
    response = post_file(client, world, data, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa thêm được minh chứng" in page
    assert message in page
    assert stored_evidence() == []
    assert not evidence_root.exists() or not any(evidence_root.rglob("*.*"))


def test_an_oversize_file_is_refused_in_vietnamese_and_not_stored(
    client, world, unit_head, settings, evidence_root
):
    settings.EVIDENCE_MAX_BYTES = 50_000
    login(client, unit_head)
    big = files.pdf() + b"%" + b"x" * 60_000 + b"\n"
    response = post_file(client, world, big, "lon.pdf")
    assert response.status_code == 400
    assert "Tệp lớn quá: mỗi tệp tối đa" in response.content.decode()
    assert stored_evidence() == []
    json_answer = post_file(
        client, world, big, "lon.pdf", HTTP_ACCEPT="application/json"
    )
    assert "Tệp lớn quá" in json_answer.json()["loi"]


def test_a_path_traversal_name_is_shown_sanitised_and_stored_at_random(
    client, world, unit_head, evidence_root
):
    login(client, unit_head)
    response = post_file(client, world, files.pdf(), "../../etc/passwd\u202efdp.exe")
    assert response.status_code == 302
    [evidence] = stored_evidence()
    assert evidence.original_name == "passwdfdp.pdf"
    stored = (evidence_root / evidence.file.name).resolve()
    assert stored.is_relative_to(evidence_root.resolve())


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("C:\\fakepath\\Báo cáo quý I.pdf", "Báo cáo quý I.pdf"),
        ("a<b>:c|d?.pdf", "a b c d.pdf"),
        ("....", "minh-chung.pdf"),
        ("..pdf", "pdf.pdf"),
        ("không đuôi", "không đuôi.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_shown_names_keep_vietnamese_and_lose_tricks(sent, shown):
    assert services.clean_display_name(sent, content.PDF) == shown


def test_the_accept_attribute_lists_no_heic_so_iphones_send_jpeg():
    assert "heic" not in content.ACCEPT.lower()
    assert "image/jpeg" in content.ACCEPT and ".docx" in content.ACCEPT


# --- delete -----------------------------------------------------------------


def test_delete_asks_first_then_removes_the_row_and_the_file(
    client, world, unit_head, photo_a, evidence_root, django_capture_on_commit_callbacks
):
    login(client, unit_head)
    url = reverse("registrations:evidence-delete", args=[photo_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Xóa minh chứng?" in page.content.decode()
    assert Evidence.objects.filter(pk=photo_a.pk).exists()
    stored = evidence_root / photo_a.file.name
    thumb = evidence_root / thumbnail_name(photo_a.file.name)
    assert stored.exists() and thumb.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=photo_a.pk).exists()
    assert not stored.exists() and not thumb.exists()


def test_evidence_of_a_submitted_report_cannot_be_deleted(
    client, world, unit_head, evidence_a
):
    QuarterReport.objects.filter(pk=evidence_a.reported_value.report_id).update(
        state=ReportState.SUBMITTED
    )
    login(client, unit_head)
    url = reverse("registrations:evidence-delete", args=[evidence_a.pk])
    assert "đang chờ duyệt" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 400
    assert Evidence.objects.filter(pk=evidence_a.pk).exists()


# --- the permission matrix --------------------------------------------------


def _urls(world, evidence):
    return {
        "upload": upload_url(world),
        "delete": reverse("registrations:evidence-delete", args=[evidence.pk]),
        "file": reverse("registrations:evidence-file", args=[evidence.pk]),
        "thumbnail": reverse("registrations:evidence-thumbnail", args=[evidence.pk]),
    }


# url → (who may, refused with 403, answered 404)
MATRIX = {
    "upload": (["unit_head"], ["district_staff", "editor"], ["other_unit_head"]),
    "delete": (["unit_head"], ["district_staff", "editor"], ["other_unit_head"]),
    "file": (["unit_head", "district_staff"], ["editor"], ["other_unit_head"]),
    "thumbnail": (["unit_head", "district_staff"], ["editor"], ["other_unit_head"]),
}


@pytest.mark.parametrize("kind", MATRIX)
def test_anonymous_visitor_is_sent_to_sign_in(client, world, photo_a, kind):
    url = _urls(world, photo_a)[kind]
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("kind", "persona"), [(k, p) for k, (_ok, no, _nf) in MATRIX.items() for p in no]
)
def test_wrong_role_is_forbidden(client, world, photo_a, request, kind, persona):
    login(client, request.getfixturevalue(persona))
    url = _urls(world, photo_a)[kind]
    assert client.get(url).status_code == 403
    assert client.post(url, {"link": "https://example.vn"}).status_code == 403
    assert Evidence.objects.filter(pk=photo_a.pk).count() == 1
    assert len(stored_evidence()) == 1


@pytest.mark.parametrize(
    ("kind", "persona"), [(k, p) for k, (_ok, _no, nf) in MATRIX.items() for p in nf]
)
def test_other_unit_is_not_found(client, world, photo_a, request, kind, persona):
    login(client, request.getfixturevalue(persona))
    url = _urls(world, photo_a)[kind]
    assert client.get(url).status_code == 404
    assert client.post(url, {"link": "https://example.vn"}).status_code == 404
    assert len(stored_evidence()) == 1


@pytest.mark.parametrize(
    ("kind", "persona"), [(k, p) for k, (ok, _no, _nf) in MATRIX.items() for p in ok]
)
def test_intended_role_is_served(client, world, photo_a, request, kind, persona):
    login(client, request.getfixturevalue(persona))
    url = _urls(world, photo_a)[kind]
    if kind == "upload":
        response = client.post(url, {"link": "https://example.vn/bien-ban"})
        assert response.status_code == 302
    else:
        assert client.get(url).status_code == 200


def test_a_guessed_id_is_not_found_for_everyone(client, world, photo_a, district_staff):
    login(client, district_staff)
    for pk in (photo_a.pk + 1000, 2**63, 99999999999999999999999):
        url = f"/minh-chung/{pk}/"
        assert client.get(url).status_code == 404


def test_a_unit_head_cannot_reach_another_units_file_by_its_id(
    client, world, unit_b, other_unit_head, photo_a
):
    theirs = make_file_evidence(world, other_unit_head, unit=unit_b)
    login(client, other_unit_head)
    own = reverse("registrations:evidence-file", args=[theirs.pk])
    assert client.get(own).status_code == 200
    assert client.get(own.replace(str(theirs.pk), str(photo_a.pk))).status_code == 404


def test_an_upload_to_another_units_code_is_not_found(client, world, unit_head):
    login(client, unit_head)
    assert post_file(client, world, files.pdf(), code="UNIT-B").status_code == 404
    assert post_file(client, world, files.pdf(), code="KHONG-CO").status_code == 404
    assert stored_evidence("UNIT-B") == []


# --- serving ----------------------------------------------------------------

HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def _check_headers(response):
    for name, value in HEADERS.items():
        assert response[name] == value
    assert response["Content-Security-Policy"] == serving.SANDBOX_CSP
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_without_nginx_the_app_streams_the_file_with_safe_headers(
    client, world, unit_head, evidence_a, settings
):
    settings.EVIDENCE_ACCEL_REDIRECT = False
    login(client, unit_head)
    response = client.get(reverse("registrations:evidence-file", args=[evidence_a.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bien-ban.pdf"'
    assert "X-Accel-Redirect" not in response
    _check_headers(response)


def test_office_files_download_with_their_name_encoded(
    client, world, unit_a, unit_head, settings
):
    settings.EVIDENCE_ACCEL_REDIRECT = False
    evidence = make_file_evidence(
        world, unit_head, files.docx(), 'Báo cáo "quý" I.docx', unit=unit_a
    )
    login(client, unit_head)
    response = client.get(reverse("registrations:evidence-file", args=[evidence.pk]))
    assert response["Content-Type"] == content.DOCX.content_type
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20I.docx"
    )
    _check_headers(response)


def test_behind_nginx_the_app_answers_x_accel_redirect(
    client, world, unit_head, evidence_a, settings
):
    settings.EVIDENCE_ACCEL_REDIRECT = True
    login(client, unit_head)
    response = client.get(reverse("registrations:evidence-file", args=[evidence_a.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_minh-chung/{evidence_a.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bien-ban.pdf"'
    _check_headers(response)


def test_the_accel_location_is_internal_and_sets_the_same_headers():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"location /_minh-chung/ \{(.*?)\n    \}", nginx, re.S).group(1)
    assert "internal;" in block
    assert "alias /srv/kieumau/private/evidence/;" in block
    assert 'add_header X-Content-Type-Options "nosniff" always;' in block
    assert (
        f'add_header Content-Security-Policy "{serving.SANDBOX_CSP}" always;' in block
    )


def test_the_default_file_limit_fits_in_nginx_body_limit_and_its_413_page():
    from kieumau import settings as project_settings

    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    form_fields = 64 * 1024  # CSRF token, next, boundaries
    default = 20 * 1024 * 1024
    assert (
        'EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)'
        in (ROOT / "kieumau" / "settings.py").read_text()
    )
    assert project_settings.EVIDENCE_MAX_BYTES <= default
    assert default + form_fields <= limit_mb * 1024 * 1024
    assert "error_page 413 /_loi/413.html;" in nginx
    assert "alias /srv/kieumau/deploy/errors/413.html;" in nginx
    page = (ROOT / "deploy" / "errors" / "413.html").read_text()
    assert '<html lang="vi">' in page and "Tệp quá lớn" in page and "20 MB" in page


class SigningStorage:
    """An S3-like storage: no local path, url() signs for ``expire`` seconds."""

    def __init__(self):
        self.calls = []

    def path(self, name):
        raise NotImplementedError("no local path")

    def url(self, name, parameters=None, expire=None):
        self.calls.append((name, parameters, expire))
        return f"https://kho.example.vn/minh-chung/{name}?X-Amz-Expires={expire}&sig=x"

    def exists(self, name):
        return True


def test_with_a_signing_storage_the_view_redirects_to_a_short_lived_url(
    client, world, unit_head, evidence_a, monkeypatch, settings
):
    settings.EVIDENCE_URL_EXPIRY = 120
    fake = SigningStorage()
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", fake)
    login(client, unit_head)
    evidence = Evidence.objects.get(pk=evidence_a.pk)
    response = client.get(reverse("registrations:evidence-file", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"] == (
        f"https://kho.example.vn/minh-chung/{evidence.file.name}?X-Amz-Expires=120&sig=x"
    )
    [(name, parameters, expire)] = fake.calls
    assert (name, expire) == (evidence.file.name, 120)
    assert parameters["ResponseContentType"] == "application/pdf"
    assert parameters["ResponseContentDisposition"] == 'inline; filename="bien-ban.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_an_image_thumbnail_is_a_small_jpeg(
    client, world, unit_head, photo_a, settings
):

    settings.EVIDENCE_ACCEL_REDIRECT = False
    login(client, unit_head)
    response = client.get(
        reverse("registrations:evidence-thumbnail", args=[photo_a.pk])
    )
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
        assert max(thumb.size) <= services.THUMBNAIL_SIZE[0]
    _check_headers(response)


def test_nothing_is_reachable_under_media(client, world, unit_head, photo_a, superuser):
    login(client, superuser)
    for name in (photo_a.file.name, thumbnail_name(photo_a.file.name)):
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/media/evidence/{name}").status_code == 404
    assert client.get(f"/_minh-chung/{photo_a.file.name}").status_code == 404
    with pytest.raises(ValueError):
        photo_a.file.url  # noqa: B018 - the storage has no public address


# --- the include ------------------------------------------------------------


def test_the_list_shows_names_sizes_and_a_delete_button_when_editable(
    client, world, unit_a, unit_head, photo_a, evidence_a
):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/dang-ky/UNIT-A/tien-do/2026/1/")
    request.user = unit_head
    context = {
        "evidence": [photo_a, evidence_a],
        "code": "UNIT-A",
        "year": 2026,
        "quarter": 1,
        "indicator": world["indicator"],
    }
    html = render_to_string(
        "registrations/includes/evidence_list.html",
        {**context, "can_upload": True},
        request=request,
    )
    assert "Minh chứng (2)" in html
    assert reverse("registrations:evidence-thumbnail", args=[photo_a.pk]) in html
    assert "anh.jpg" in html and "bien-ban.pdf" in html
    assert html.count("data-evidence-delete") == 2
    assert f'action="{upload_url(world)}"' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    read_only = render_to_string(
        "registrations/includes/evidence_list.html",
        {**context, "can_upload": False},
        request=request,
    )
    assert "data-evidence-delete" not in read_only and "<form" not in read_only
