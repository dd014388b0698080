"""Back office of the editors: sections, tags, articles with history and preview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from kieumau.admin_search import FoldedSearchMixin
from kieumau.history_admin import SimpleHistoryAdmin

from . import editor_views, services
from .editor import ArticleBodyWidget
from .models import Article, Section, Tag
from .views import related_articles


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "section",
        "status",
        "published_at",
        "is_featured",
        "is_briefing",
        "preview_link",
    ]
    list_filter = ["status", "section", "is_featured", "is_briefing", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "lead", "slug"]
    folded_key_fields = ["search_title"]  # "dong khe" finds "Đông Khê"
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    readonly_fields = ["preview_link", "created_by", "created_at", "updated_at"]
    actions = ["publish_now", "back_to_draft"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "lead", "body", "credit"]}),
        (
            "Ảnh đại diện",
            {"fields": ["cover_image", "cover_alt", "cover_caption", "cover_credit"]},
        ),
        (
            "Đăng bài",
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_featured",
                    "is_briefing",
                    "tags",
                    "preview_link",
                ]
            },
        ),
        ("Thông tin", {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = ArticleBodyWidget
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "lead":
            field.widget.attrs.update(rows=3, cols=100)
        elif db_field.name in {"title", "slug", "cover_alt", "cover_caption"}:
            field.widget.attrs.update(size=90)
        return field

    @admin.display(description="Xem trước")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:news_article_preview", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Xem trước</a>', url
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += ["status", "published_at"]
        return fields

    def save_model(self, request, obj, form, change):
        services.save_article(article=obj, by=request.user)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/xem-truoc/", preview, name="news_article_preview"),
            path(
                "anh-noi-dung/",
                wrap(editor_views.upload_body_image),
                name="news_article_body_image",
            ),
            path(
                "xem-truoc-noi-dung/",
                wrap(editor_views.preview_body),
                name="news_article_body_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The public article page for staff, whatever the article's status."""
        article = get_object_or_404(
            Article.objects.select_related("section").prefetch_related("tags"), pk=pk
        )
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        context = {
            "article": article,
            "object": article,
            "related": related_articles(article),
            "share_url": request.build_absolute_uri(article.get_absolute_url()),
            "preview": True,
        }
        return TemplateResponse(request, "news/article_detail.html", context)

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    @admin.action(description="Đăng ngay các bài đã chọn", permissions=["publish"])
    def publish_now(self, request, queryset):
        for article in queryset:
            services.publish_article(article=article, by=request.user)
        self.message_user(request, f"Đã đăng {len(queryset)} bài.", messages.SUCCESS)

    @admin.action(description="Gỡ về bản nháp", permissions=["publish"])
    def back_to_draft(self, request, queryset):
        for article in queryset:
            services.unpublish_article(article=article, by=request.user)
        self.message_user(
            request, f"Đã gỡ {len(queryset)} bài về bản nháp.", messages.SUCCESS
        )
