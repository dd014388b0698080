from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone

from news.models import Article, ArticleStatus, Section, Tag
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db


def test_slug_is_ascii_from_the_vietnamese_title():
    article = make_article("Hội nghị giao ban đánh giá tiến độ quý I")
    assert article.slug == "hoi-nghi-giao-ban-danh-gia-tien-do-quy-i"


def test_slug_maps_d_with_stroke_to_d():
    article = make_article("Đoàn công tác thăm xã Đông Khê")
    assert article.slug == "doan-cong-tac-tham-xa-dong-khe"


def test_duplicate_titles_get_numbered_slugs():
    first = make_article("Thông báo lịch họp")
    second = make_article("Thông báo lịch họp")
    third = make_article("Thông báo lịch họp")
    assert [first.slug, second.slug, third.slug] == [
        "thong-bao-lich-hop",
        "thong-bao-lich-hop-2",
        "thong-bao-lich-hop-3",
    ]


def test_slug_stays_when_the_title_is_edited_and_can_be_set_by_hand():
    article = make_article("Tiêu đề đầu tiên")
    article.title = "Tiêu đề đã sửa"
    article.save()
    assert article.slug == "tieu-de-dau-tien"
    article.slug = "Đường dẫn Mới"
    article.save()
    assert article.slug == "duong-dan-moi"


def test_section_and_tag_slugs_are_unique_and_ascii():
    assert make_section("Thông báo").slug == "thong-bao"
    assert make_section("Thông báo").slug == "thong-bao-2"
    assert Tag.objects.create(name="Đông Khê").slug == "dong-khe"


def test_search_keys_are_folded_on_save():
    article = make_article("ĐÔNG KHÊ và Hoà", lead="Xã Đông Khê", body="<p>Thuỷ</p>")
    assert article.search_title == " dong khe va hoa "
    assert " xa dong khe " in article.search_text
    assert " thuy " in article.search_text
    assert "<p>" not in article.search_text


def test_title_is_stored_composed_nfc():
    import unicodedata

    article = make_article(unicodedata.normalize("NFD", "Đông Khê"))
    assert article.title == unicodedata.normalize("NFC", "Đông Khê")


def test_published_queryset_hides_drafts_and_future_scheduled():
    now = timezone.now()
    visible = make_article(published_at=now - timedelta(minutes=1))
    make_article(status=ArticleStatus.DRAFT)
    make_article(status=ArticleStatus.SCHEDULED, published_at=now + timedelta(hours=1))
    make_article(status=ArticleStatus.PUBLISHED, published_at=None)
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_appears_by_itself_when_its_time_comes():
    at = timezone.now() + timedelta(hours=2)
    article = make_article(status=ArticleStatus.SCHEDULED, published_at=at)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    later = at + timedelta(seconds=1)
    assert Article.objects.published(now=later).filter(pk=article.pk).exists()


def test_cover_image_requires_alt_text_in_clean():
    article = make_article()
    article.cover_image = "news/2017/03/anh.jpg"
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "cover_alt" in excinfo.value.message_dict


def test_cover_image_without_alt_is_refused_by_the_database():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(cover_image="news/a.jpg")


def test_scheduled_article_needs_a_time():
    article = Article(
        title="Hẹn giờ",
        section=make_section(),
        status=ArticleStatus.SCHEDULED,
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "published_at" in excinfo.value.message_dict


def test_gmt7_stamp_is_vietnam_time_for_a_utc_stored_datetime():
    stored = datetime(2017, 3, 20, 18, 19, 57, tzinfo=UTC)
    html = Template("{% load news_tags %}Đăng lúc: {{ t|gmt7 }}").render(
        Context({"t": stored})
    )
    assert html == "Đăng lúc: 21/03/2017 01:19:57 (GMT+7)"


def test_gmt7_stamp_ignores_the_active_time_zone(settings):
    stored = datetime(2017, 3, 20, 18, 19, 57, tzinfo=UTC)
    with timezone.override("Europe/London"):
        html = Template("{% load news_tags %}{{ t|gmt7 }}").render(
            Context({"t": stored})
        )
    assert html == "21/03/2017 01:19:57 (GMT+7)"


def test_credit_names_split_one_or_several_authors():
    assert make_article(credit="Minh Ánh- Mạnh Cường").credit_names == [
        "Minh Ánh",
        "Mạnh Cường",
    ]
    assert make_article(credit="Thu Hà, Lan Phương").credit_names == [
        "Thu Hà",
        "Lan Phương",
    ]
    assert make_article(credit="Thu Hà").credit_names == ["Thu Hà"]


def test_section_url_and_article_url():
    section = Section.objects.create(name="Tin tức – Sự kiện")
    article = make_article("Xin chào", section=section)
    assert section.get_absolute_url() == "/chuyen-muc/tin-tuc-su-kien/"
    assert article.get_absolute_url() == "/tin-tuc/xin-chao/"


def test_search_text_keeps_block_boundaries_and_decodes_entities():
    article = make_article(
        "Tiêu đề",
        lead="",
        body="<p>lộ trình.</p><h2>Chậm</h2><ul><li>A &amp; B</li></ul>",
    )
    assert article.search_text == " lo trinh cham a b "
