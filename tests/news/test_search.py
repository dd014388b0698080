import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news.models import ArticleStatus
from news.search import highlight, query_words
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def results(client, **params):
    response = client.get("/tim-kiem/", params)
    assert response.status_code == 200
    return response, list(response.context["articles"])


@pytest.fixture
def dong_khe(db):
    return make_article(
        "Xã Đông Khê chỉnh trang nhà văn hóa",
        lead="Các thôn góp ngày công.",
        body="<p>Bài viết về phong trào.</p>",
    )


@pytest.mark.parametrize(
    "query",
    [
        "dong khe",
        "Đông Khê",
        "ĐÔNG KHÊ",
        unicodedata.normalize("NFD", "Đông Khê"),
        "  dong   KHE ",
        "Dong Khe",
    ],
)
def test_search_is_accent_and_case_insensitive(client, dong_khe, query):
    make_article("Tin khác hẳn", lead="Không liên quan.")
    _, found = results(client, q=query)
    assert found == [dong_khe]


@pytest.mark.parametrize(
    "title", ["Trường mầm non Đông Hòa", "Trường mầm non Đông Hoà"]
)
@pytest.mark.parametrize("query", ["hoa", "Hòa", "Hoà", "HOÀ"])
def test_search_ignores_tone_placement(client, title, query):
    article = make_article(title)
    _, found = results(client, q=query)
    assert found == [article]


def test_search_covers_leads_and_bodies(client):
    in_lead = make_article("Một", lead="Sapo nhắc tới nhà văn hóa thôn.")
    in_body = make_article(
        "Hai", lead="", body="<p>Thân bài nói về <b>nhà văn hóa</b>.</p>"
    )
    make_article("Ba", lead="Không có gì.")
    _, found = results(client, q="nha van hoa")
    assert set(found) == {in_lead, in_body}


def test_search_ranks_title_matches_first_then_newest(client):
    now = timezone.now()
    old_title = make_article("Giao ban quý I", published_at=now - timedelta(days=9))
    new_body = make_article(
        "Khác", lead="Nhắc tới giao ban.", published_at=now - timedelta(days=1)
    )
    new_title = make_article("Giao ban quý II", published_at=now - timedelta(days=2))
    _, found = results(client, q="giao ban")
    assert found == [new_title, old_title, new_body]


def test_search_never_shows_drafts_or_future_articles(client):
    make_article("Giao ban nháp", status=ArticleStatus.DRAFT)
    make_article(
        "Giao ban hẹn giờ",
        status=ArticleStatus.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    visible = make_article("Giao ban đã đăng")
    _, found = results(client, q="giao ban")
    assert found == [visible]


def test_search_filters_by_section_and_date_range(client):
    notices = make_section("Thông báo")
    news = make_section("Tin tức")
    march = make_article(
        "Lịch họp tháng ba",
        section=notices,
        published_at=datetime(2017, 3, 31, 23, 30, tzinfo=VN),
    )
    april = make_article(
        "Lịch họp tháng tư",
        section=notices,
        published_at=datetime(2017, 4, 1, 0, 30, tzinfo=VN),
    )
    other = make_article(
        "Lịch họp khác", section=news, published_at=datetime(2017, 3, 15, tzinfo=VN)
    )
    _, found = results(client, q="lich hop", chuyen_muc="thong-bao")
    assert set(found) == {march, april}
    _, found = results(
        client, q="lich hop", tu_ngay="01/03/2017", den_ngay="31/03/2017"
    )
    assert set(found) == {march, other}
    _, found = results(client, q="lich hop", tu_ngay="01/04/2017")
    assert found == [april]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "tu_ngay": "32/13/2017"},
        {"q": "x", "den_ngay": "abc"},
        {"q": "x", "tu_ngay": "02/04/2017", "den_ngay": "01/04/2017"},
        {"q": "x", "chuyen_muc": "khong-co"},
        {"q": "x", "tu_ngay": "99/99/99999"},
        {"q": "x", "den_ngay": "31/12/9999"},  # one day more overflows
        {"q": "x", "tu_ngay": "01/01/0001"},  # UTC is seven hours earlier
    ],
)
def test_bad_filters_show_a_vietnamese_error_not_a_500(client, params):
    response = client.get("/tim-kiem/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid-feedback" in html or "is-invalid" in html


def test_empty_query_shows_a_friendly_page(client):
    make_article("Bài nào đó")
    for params in ({}, {"q": ""}, {"q": "   "}):
        response, found = results(client, **params)
        assert found == []
        assert "Nhập từ khóa để tìm tin bài" in response.content.decode()


def test_no_result_says_so(client):
    response, found = results(client, q="khong co gi ca")
    assert found == []
    assert "Không tìm thấy bài viết nào" in response.content.decode()


def test_long_query_is_truncated_to_200_characters(client):
    article = make_article("Đông Khê")
    response, found = results(client, q="dong " + "x" * 5000)
    assert response.context["query"] == ("dong " + "x" * 5000)[:200]
    assert found == []
    response, found = results(client, q="khe " * 100)
    assert found == [article]


def test_results_are_highlighted_and_escaped(client):
    make_article("Xã Đông Khê <script>alert(1)</script>", lead="Sapo về Đông Khê.")
    response, _ = results(client, q="dong khe")
    html = response.content.decode()
    assert "<mark>Đông Khê</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_query_is_escaped_when_echoed(client):
    response, _ = results(client, q='"><script>alert(1)</script>')
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_search_pagination_keeps_the_query(client):
    for i in range(12):
        make_article(f"Giao ban số {i}")
    response, found = results(client, q="giao ban")
    assert len(found) == 10
    assert "q=giao+ban&amp;page=2" in response.content.decode()
    _, found = results(client, q="giao ban", page=2)
    assert len(found) == 2


def test_like_wildcards_in_the_query_are_literal(client):
    make_article("Một trăm phần trăm")
    _, found = results(client, q="%")
    assert found == []
    _, found = results(client, q="_")
    assert found == []


def test_highlight_handles_tone_placement_and_escaping():
    assert highlight("Hòa & Hoà", ["hoa"]) == "<mark>Hòa</mark> &amp; <mark>Hoà</mark>"
    assert highlight("<b>Đông</b>", ["dong"]) == "&lt;b&gt;<mark>Đông</mark>&lt;/b&gt;"


def test_query_words_are_folded_deduplicated_and_capped():
    assert query_words("Đông  ĐÔNG khê") == ["dong", "khe"]
    assert len(query_words(" ".join(f"w{i}" for i in range(50)))) == 8


def test_search_matches_whole_syllables_only(client):
    hoa = make_article("Nhà văn hóa thôn")
    make_article("Hoàn thành kế hoạch", lead="Khóa học mới.")
    _, found = results(client, q="hoa")
    assert found == [hoa]
    _, found = results(client, q="hoan")
    assert len(found) == 1 and found[0] != hoa


def test_highlight_marks_whole_words_only():
    assert highlight("Hoàn thành nhà văn hóa", ["hoa"]) == (
        "Hoàn thành nhà văn <mark>hóa</mark>"
    )


def test_migration_computes_the_same_keys_as_the_model():
    import importlib

    from news.models import search_key

    migration = importlib.import_module("news.migrations.0004_recompute_search_keys")
    for text in ["Đông Khê, 2017.", "HOÀ  hòa_thuỷ", "", "I/2017 (quý I)"]:
        assert migration._key(text) == search_key(text)


def test_excerpt_keeps_headings_and_table_cells_apart_from_the_text(client):
    make_article(
        "Báo cáo quý",
        lead="Sapo không nhắc đến từ khóa.",
        body=(
            "<h2>Kết quả năm 2017</h2><p>Tính đến nay có 8 cơ quan đăng ký.</p>"
            "<table><tr><td>Thôn</td><td>50</td></tr></table>"
        ),
    )
    response, found = results(client, q="co quan dang ky")
    assert len(found) == 1
    html = response.content.decode()
    assert "Kết quả năm 2017 · Tính đến nay" in html
    assert "Thôn · 50" in html
