"""The document library: search without diacritics, filters, pages, files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from doclibrary.models import Document
from tests.conftest import login
from tests.doclibrary.helpers import PDF, docx_bytes, make_document, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def listed(response):
    return [document.number for document in response.context["documents"]]


def test_search_without_diacritics_finds_the_decision(client):
    make_document(
        "1052/QĐ-UBND",
        kind="quyet_dinh",
        summary="Quyết định thành lập Ban Chỉ đạo kiểu mẫu",
    )
    make_document("15/KH-UBND", kind="ke_hoach", summary="Kế hoạch năm 2017")
    for query in ("quyet dinh", "QUYẾT ĐỊNH", "ban chi dao", "1052", "qd ubnd"):
        response = client.get("/van-ban/", {"q": query})
        assert listed(response) == ["1052/QĐ-UBND"], query
    assert "Tìm thấy 1 văn bản." in client.get("/van-ban/?q=quyet+dinh").text


def test_search_matches_words_from_their_start_only(client):
    make_document(summary="Hướng dẫn chấm điểm khoa học")
    assert listed(client.get("/van-ban/", {"q": "oa hoc"})) == []
    assert listed(client.get("/van-ban/", {"q": "khoa"})) == ["15/KH-UBND"]


def test_filters_by_type_and_year_and_keeps_them_in_the_page_links(client):
    make_document("1/QĐ-UBND", kind="quyet_dinh", issued_on=datetime.date(2016, 3, 1))
    make_document("2/QĐ-UBND", kind="quyet_dinh", issued_on=datetime.date(2017, 3, 1))
    make_document("3/BC-UBND", kind="bao_cao", issued_on=datetime.date(2017, 4, 1))
    assert listed(client.get("/van-ban/?loai=quyet_dinh")) == ["2/QĐ-UBND", "1/QĐ-UBND"]
    assert listed(client.get("/van-ban/?nam=2017")) == ["3/BC-UBND", "2/QĐ-UBND"]
    assert listed(client.get("/van-ban/?loai=quyet_dinh&nam=2016")) == ["1/QĐ-UBND"]
    html = client.get("/van-ban/?nam=2017").text
    assert '<option value="2016">2016</option>' in html


def test_the_list_pages_by_ten_newest_first(client):
    start = datetime.date(2017, 1, 1)
    for day in range(12):
        make_document(f"{day + 1}/CV-UBND", issued_on=start + datetime.timedelta(day))
    first = client.get("/van-ban/")
    assert listed(first)[0] == "12/CV-UBND" and len(listed(first)) == 10
    assert listed(client.get("/van-ban/?page=2")) == ["2/CV-UBND", "1/CV-UBND"]
    assert (
        'href="?loai=ke_hoach&amp;page=2"' in client.get("/van-ban/?loai=ke_hoach").text
    )


@pytest.mark.parametrize(
    "query",
    [
        "loai=khong-co",
        "nam=abc",
        "nam=99999999999999999999",
        "nam=1800",
        "q=" + "x" * 5000,
        "q=%00",
        "page=abc",
        "page=999",
    ],
)
def test_bad_filter_input_never_answers_500(client, query):
    make_document()
    response = client.get(f"/van-ban/?{query}")
    assert response.status_code in (200, 400, 404)


def test_an_unknown_type_is_said_in_vietnamese_and_the_rest_still_lists(client):
    make_document()
    response = client.get("/van-ban/?loai=khong-co")
    assert response.status_code == 200
    assert "Loại văn bản không tồn tại." in response.text
    assert listed(response) == ["15/KH-UBND"]


def test_empty_library_and_empty_search_say_so(client):
    assert "Chưa có văn bản nào được công khai." in client.get("/van-ban/").text
    make_document()
    assert "Không tìm thấy văn bản nào." in client.get("/van-ban/?q=zzz").text


def test_unpublished_documents_are_hidden_everywhere(client):
    hidden = make_document("9/TB-UBND", is_published=False)
    assert listed(client.get("/van-ban/")) == []
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_download_url()).status_code == 404


def test_detail_shows_the_fields_and_downloads_the_file(client):
    document = make_document(
        "1052/QĐ-UBND", kind="quyet_dinh", issued_on=datetime.date(2016, 3, 25)
    )
    assert document.slug == "1052-qd-ubnd-2016"
    html = client.get("/van-ban/1052-qd-ubnd-2016/").text
    for text in ("1052/QĐ-UBND", "Quyết định", "25/03/2016", "Ủy ban nhân dân"):
        assert text in html
    assert 'href="/van-ban/1052-qd-ubnd-2016/tai-ve/"' in html
    response = client.get("/van-ban/1052-qd-ubnd-2016/tai-ve/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="1052-qd-ubnd-2016.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_word_file_is_accepted_and_named_docx():
    document = make_document(file=upload("ke-hoach.docx", docx_bytes(), "x/y"))
    assert document.content_type.endswith("wordprocessingml.document")
    assert document.file.name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trong.pdf", b"", "Tệp rỗng"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Chỉ nhận tệp PDF hoặc Word"),
        ("chuong-trinh.pdf", b"MZ" + b"\0" * 100, "Chỉ nhận tệp PDF hoặc Word"),
        ("trang.pdf", b"<html><script>x</script></html>", "Chỉ nhận tệp PDF hoặc Word"),
        (
            "script.pdf",
            b"%PDF-1.4\n1 0 obj<</S /JavaScript /JS (app.alert(1))>>endobj\n%%EOF",
            "JavaScript",
        ),
    ],
)
def test_files_are_judged_by_their_content(name, data, message):
    with pytest.raises(ValidationError) as error:
        make_document(file=upload(name, data))
    assert message in " ".join(error.value.message_dict["file"])
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr("doclibrary.models.MAX_FILE_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError) as error:
        make_document()
    assert "Tệp lớn hơn" in error.value.message_dict["file"][0]


def test_the_effective_date_cannot_come_before_the_issue_date():
    document = Document(
        number="1/QĐ",
        kind="quyet_dinh",
        issued_on=datetime.date(2017, 5, 1),
        effective_on=datetime.date(2017, 4, 1),
        summary="x",
        issuer="y",
        file=upload(),
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "effective_on" in error.value.message_dict


def test_the_admin_refuses_a_renamed_program_in_vietnamese(admin_client):
    response = admin_client.post(
        reverse("admin:doclibrary_document_add"),
        {
            "number": "7/KH-UBND",
            "kind": "ke_hoach",
            "summary": "Kế hoạch",
            "issuer": "UBND huyện",
            "issued_on": "10/01/2017",
            "file": upload("ke-hoach.pdf", b"MZ" + b"\0" * 64),
            "is_published": "on",
        },
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF hoặc Word" in response.text
    assert not Document.objects.exists()


def test_the_admin_search_ignores_diacritics(admin_client):
    make_document("1052/QĐ-UBND", kind="quyet_dinh", summary="Thành lập Ban Chỉ đạo")
    response = admin_client.get(
        reverse("admin:doclibrary_document_changelist"), {"q": "thanh lap"}
    )
    assert "1052/QĐ-UBND" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_uses_few_queries_whatever_the_number(
    client, django_assert_max_num_queries, count
):
    for i in range(count):
        make_document(f"{i}/KH-UBND", issued_on=datetime.date(2016 + i % 2, 1, 1))
    with django_assert_max_num_queries(8):
        assert (
            client.get("/van-ban/?q=ke+hoach&loai=ke_hoach&nam=2016").status_code == 200
        )
    with django_assert_max_num_queries(8):
        assert (
            client.get(Document.objects.first().get_absolute_url()).status_code == 200
        )


def test_a_change_makes_the_cached_list_current(client):
    assert "Chưa có văn bản" in client.get("/van-ban/").text
    make_document()
    assert "15/KH-UBND" in client.get("/van-ban/").text
    Document.objects.get().delete()
    assert "15/KH-UBND" not in client.get("/van-ban/").text


def test_the_sitemap_lists_the_library_and_its_documents(client):
    document = make_document()
    xml = client.get("/sitemap.xml").text
    assert "/van-ban/</loc>" in xml and document.get_absolute_url() in xml


def test_editors_and_district_staff_keep_the_register_unit_heads_do_not(
    client, editor, district_staff, unit_head
):
    add = reverse("admin:doclibrary_document_add")
    assert login(client, editor).get(add).status_code == 200
    assert login(client, district_staff).get(add).status_code == 200
    assert login(client, unit_head).get(add).status_code == 302  # to the admin login


def test_a_head_request_of_the_file_answers_without_the_body(client):
    document = make_document()
    response = client.head(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
