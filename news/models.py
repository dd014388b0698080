"""News: sections (chuyên mục) and articles, among them the quarterly briefings.

Responsible for what citizens read: publishing state and time (a scheduled article
appears by itself: "published" is a query on the time), sanitised rich text, slugs,
search keys, feeds and sitemaps.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kieumau.text import fold, nfc, slugify_vi


class Section(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=140, unique=True)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if not self.slug:
            self.slug = slugify_vi(self.name, 140)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:section", kwargs={"slug": self.slug})

    def _unique_slug(self):
        base = slugify_vi(self.title, 200) or "bai-viet"
        slug, n = base, 2
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Tag(models.Model):
    name = models.CharField(_("tên thẻ"), max_length=80, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if not self.slug:
            self.slug = slugify_vi(self.name, 100)
        super().save(*args, **kwargs)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SCHEDULED = "scheduled", _("Hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public sees: published or scheduled, and its time has come."""
        now = now or timezone.now()
        return self.filter(
            Q(status=ArticleStatus.PUBLISHED) | Q(status=ArticleStatus.SCHEDULED),
            published_at__isnull=False,
            published_at__lte=now,
        )


class Article(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=220, unique=True, blank=True)
    lead = models.TextField(_("sapo"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("thẻ"), blank=True, related_name="articles"
    )
    cover_image = models.ImageField(
        _("ảnh đại diện"), upload_to="news/%Y/%m/", blank=True
    )
    cover_alt = models.CharField(_("mô tả ảnh (alt)"), max_length=300, blank=True)
    cover_caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    cover_credit = models.CharField(_("nguồn ảnh"), max_length=200, blank=True)
    credit = models.CharField(
        _("thực hiện"),
        max_length=300,
        blank=True,
        help_text=_("Tên người thực hiện, cách nhau bởi dấu phẩy."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    is_featured = models.BooleanField(_("tin nổi bật"), default=False)
    is_briefing = models.BooleanField(_("bản tin giao ban"), default=False)
    # Accent-free copies of title, lead and body text for search on any database.
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(
        verbose_name=_("lịch sử bài viết"), excluded_fields=["search_text"]
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", _("Đăng bài viết"))]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_public")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.lead = nfc(self.lead)
        self.body = nfc(self.body)
        if not self.slug:
            self.slug = self._unique_slug()
        self.search_title = fold(self.title)
        self.search_text = fold(f"{self.lead} {_strip_tags(self.body)}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return (
            self.status != ArticleStatus.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def _strip_tags(html):
    from django.utils.html import strip_tags

    return strip_tags(html or "")
