import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from news import services
from news.models import Article, ArticleStatus
from tests import factories
from tests.conftest import login
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    """Staff who may write articles but not publish them."""
    user = factories.make_user("phongvien", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["add_article", "change_article", "view_article"],
        )
    )
    return user


def form_data(section, **extra):
    data = {
        "title": "Hội nghị giao ban đánh giá tiến độ",
        "slug": "",
        "section": section.pk,
        "lead": "Sapo.",
        "body": '<p onclick="x()">Nội dung</p><script>alert(1)</script>',
        "credit": "Minh Ánh, Mạnh Cường",
        "cover_alt": "",
        "cover_caption": "",
        "cover_credit": "",
        "status": ArticleStatus.PUBLISHED,
        "published_at_0": "21/03/2017",
        "published_at_1": "01:19:57",
        "tags": [],
    }
    data.update(extra)
    return data


def test_editor_group_can_publish_from_the_admin(client, editor):
    section = make_section("Tin tức")
    login(client, editor)
    response = client.post(reverse("admin:news_article_add"), form_data(section))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.slug == "hoi-nghi-giao-ban-danh-gia-tien-do"
    assert article.status == ArticleStatus.PUBLISHED
    assert article.body == "<p>Nội dung</p>"
    assert article.created_by == editor
    assert timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M") == (
        "21/03/2017 01:19"
    )
    assert article.history.count() == 1
    assert client.get(article.get_absolute_url()).status_code == 200


def test_writer_without_publish_permission_only_saves_drafts(client, writer):
    section = make_section("Tin tức")
    login(client, writer)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'name="status"' not in page
    response = client.post(reverse("admin:news_article_add"), form_data(section))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert client.get(article.get_absolute_url()).status_code == 404


def test_service_refuses_publishing_by_a_writer(writer, editor):
    article = make_article(status=ArticleStatus.DRAFT)
    article.status = ArticleStatus.PUBLISHED
    with pytest.raises(PermissionDenied):
        services.save_article(article=article, by=writer)
    with pytest.raises(PermissionDenied):
        services.publish_article(article=article, by=writer)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    services.publish_article(article=article, by=editor)
    assert article.status == ArticleStatus.PUBLISHED and article.is_public


def test_publishing_with_a_future_time_schedules(editor):
    article = make_article(status=ArticleStatus.DRAFT)
    at = timezone.now() + timezone.timedelta(days=1)
    services.publish_article(article=article, by=editor, at=at)
    assert article.status == ArticleStatus.SCHEDULED
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_writer_may_edit_the_text_of_a_published_article_without_unpublishing(
    client, writer
):
    article = make_article("Bài đã đăng")
    login(client, writer)
    url = reverse("admin:news_article_change", args=[article.pk])
    data = form_data(article.section, title="Bài đã đăng (sửa lỗi)", slug=article.slug)
    for key in ("status", "published_at_0", "published_at_1"):
        data.pop(key)
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Bài đã đăng (sửa lỗi)"
    assert article.status == ArticleStatus.PUBLISHED


def test_admin_requires_alt_text_for_a_cover_image(client, editor):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    login(client, editor)
    data = form_data(
        make_section(), cover_image=SimpleUploadedFile("a.png", buffer.getvalue())
    )
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 200
    assert "Ảnh đại diện cần có mô tả (alt)." in response.content.decode()
    assert not Article.objects.exists()


def test_admin_change_list_filters_search_and_history_answer(client, editor):
    article = make_article("Đông Khê", is_briefing=True)
    login(client, editor)
    base = reverse("admin:news_article_changelist")
    for query in (
        "",
        "?status__exact=published",
        f"?section__id__exact={article.section_id}",
        "?is_featured__exact=1",
        "?is_briefing__exact=1",
        "?published_at__year=2026",
        "?q=Đông",
    ):
        assert client.get(base + query).status_code == 200
    history = reverse("admin:news_article_history", args=[article.pk])
    assert client.get(history).status_code == 200
    change = client.get(reverse("admin:news_article_change", args=[article.pk]))
    assert "xem-truoc" in change.content.decode()


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999"])
def test_a_publish_year_out_of_range_is_refused_in_vietnamese(client, editor, day):
    login(client, editor)
    response = client.post(
        reverse("admin:news_article_add"),
        form_data(make_section(), published_at_0=day),
    )
    assert response.status_code == 200
    assert "Năm phải trong khoảng 1900–2100." in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("term", ["dong khe", "ĐÔNG KHÊ", "Đông Khê"])
def test_admin_search_finds_titles_without_diacritics(client, editor, term):
    make_article("Xã Đông Khê về đích sớm")
    make_article("Thôn Trung có nhà văn hóa mới")
    login(client, editor)
    response = client.get(reverse("admin:news_article_changelist"), {"q": term})
    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Xã Đông Khê về đích sớm"]


def test_admin_publish_action(client, editor):
    draft = make_article(status=ArticleStatus.DRAFT)
    login(client, editor)
    response = client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED and draft.is_public
