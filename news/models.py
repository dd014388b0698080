"""News: sections (chuyên mục) and articles, among them the quarterly briefings.

Responsible for what citizens read: publishing state and time (a scheduled article
appears by itself: "published" is a query on the time), sanitised rich text, slugs,
search keys, feeds and sitemaps.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from kieumau.history import HistoricalRecords
from kieumau.text import fold, nfc, slugify_vi
from kieumau.validators import out_of_range_years

from .sanitize import sanitize_html

logger = logging.getLogger(__name__)


def _unique_slug(model, instance, source, max_length, fallback):
    """An ASCII slug of ``source``, made unique with -2, -3… among ``model``'s rows."""
    base = slugify_vi(source, max_length - 6) or fallback
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
        self.slug = slugify_vi(self.slug, 140) if self.slug else ""
        if not self.slug:
            self.slug = _unique_slug(Section, self, self.name, 140, "chuyen-muc")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:section", kwargs={"slug": self.slug})


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
        self.slug = slugify_vi(self.slug, 100) if self.slug else ""
        if not self.slug:
            self.slug = _unique_slug(Tag, self, self.name, 100, "the")
        super().save(*args, **kwargs)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SCHEDULED = "scheduled", _("Hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")


# The kieumau.versions name bumped by every change of an article, section or tag
# (news.signals); every cached public page depends on it (the menu lists sections).
VERSION = "news"


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public sees: published or scheduled, and its time has come."""
        now = now or timezone.now()
        return self.filter(
            Q(status=ArticleStatus.PUBLISHED) | Q(status=ArticleStatus.SCHEDULED),
            published_at__isnull=False,
            published_at__lte=now,
        )

    def next_publication(self, now):
        """When the next article (scheduled or published ahead) becomes public."""
        return (
            self.filter(
                status__in=[ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED],
                published_at__gt=now,
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def for_listing(self):
        """Public articles with what a list shows, in one query (no N+1)."""
        return (
            self.published()
            .select_related("section")
            .defer("body", "search_text")
            .order_by("-published_at", "-id")
        )


class Article(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=220,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề (không dấu)."),
    )
    lead = models.TextField(_("sapo"), blank=True)
    body = models.TextField(
        _("nội dung"),
        blank=True,
        help_text=_(
            "HTML được lọc khi lưu: đoạn văn, tiêu đề h2–h4, đậm, nghiêng, danh sách, "
            "trích dẫn, liên kết, ảnh, bảng."
        ),
    )
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
    cover_alt = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=300,
        blank=True,
        help_text=_("Bắt buộc khi có ảnh: mô tả nội dung ảnh cho người khiếm thị."),
    )
    cover_caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    cover_credit = models.CharField(_("nguồn ảnh"), max_length=200, blank=True)
    # Set when the 1200/400 px renditions were written (see news.renditions).
    cover_renditions = models.BooleanField(
        _("đã tạo các cỡ ảnh bìa"), default=False, editable=False
    )
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
    search_title = models.TextField(
        _("tiêu đề để tìm (không dấu)"), editable=False, default=""
    )
    search_text = models.TextField(
        _("nội dung để tìm (không dấu)"), editable=False, default=""
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt=""),
                name="article_cover_has_alt",
                violation_error_message=_("Ảnh đại diện cần có mô tả (alt)."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.lead = nfc(self.lead)
        self.body = sanitize_html(nfc(self.body))
        self.cover_alt = nfc(self.cover_alt)
        self.slug = slugify_vi(self.slug, 220) if self.slug else ""
        if not self.slug:
            self.slug = _unique_slug(Article, self, self.title, 220, "bai-viet")
        self.search_title = search_key(self.title)
        self.search_text = search_key(f"{self.lead} {plain_text(self.body)}")
        new_cover = bool(self.cover_image) and (
            self.pk is None or self.cover_image.name != self.stored_cover_name
        )
        if new_cover or not self.cover_image:
            self.cover_renditions = False
        super().save(*args, **kwargs)
        self.stored_cover_name = self.cover_image.name or None
        if new_cover:
            self._write_renditions()

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    # The cover's file name as read from the database (Django's documented from_db
    # hook): a cover whose name differs has just been uploaded and needs renditions.
    stored_cover_name = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "cover_image" in field_names:
            instance.stored_cover_name = values[field_names.index("cover_image")]
        return instance

    def clean(self):
        errors = {}
        if self.cover_image and not (self.cover_alt or "").strip():
            errors["cover_alt"] = _("Ảnh đại diện cần có mô tả (alt).")
        if self.status == ArticleStatus.SCHEDULED and not self.published_at:
            errors["published_at"] = _("Bài hẹn giờ cần có thời điểm đăng.")
        else:
            errors.update(out_of_range_years(published_at=self.published_at))
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return (
            self.status != ArticleStatus.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def credit_names(self):
        """Names of the authors: "Minh Ánh - Mạnh Cường" or "A, B" → ["…", "…"]."""
        return [
            n.strip()
            for n in re.split(r"[,;–]|\s+-\s*|\s*-\s+", self.credit)
            if n.strip()
        ]

    def cover_url(self, width, ext="jpg"):
        if not self.cover_image:
            return ""
        if not self.cover_renditions:
            return self.cover_image.url
        from django.core.files.storage import default_storage

        from .renditions import rendition_name

        return default_storage.url(rendition_name(self.cover_image.name, width, ext))

    @property
    def cover_large(self):
        return self.cover_url(1200)

    @property
    def cover_large_webp(self):
        return self.cover_url(1200, "webp")

    @property
    def cover_small(self):
        return self.cover_url(400)

    @property
    def cover_small_webp(self):
        return self.cover_url(400, "webp")

    def _write_renditions(self):
        from .renditions import make_renditions

        try:
            make_renditions(self.cover_image)
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.exception("renditions failed for %s", self.cover_image.name)
            return
        self.cover_renditions = True
        Article.objects.filter(pk=self.pk).update(cover_renditions=True)


_NON_WORD = re.compile(r"[\W_]+")


def search_key(value):
    """Folded words, space-padded: 'Đông Khê, 2017.' → ' dong khe 2017 '.

    The padding lets a search ask for whole words (LIKE '% hoa %'), so 'hoa' finds
    Hòa and Hoà but not hoàn or khóa.
    """
    words = _NON_WORD.sub(" ", fold(value)).split()
    return f" {' '.join(words)} " if words else ""


_BLOCK_TAG = re.compile(
    r"</?(?:p|br|h[1-6]|li|ul|ol|blockquote|table|thead|tbody|tr|td|th|figure|"
    r"figcaption)\b[^>]*>",
    re.IGNORECASE,
)


# A block that ends like a sentence needs no separator before the next one.
_SENTENCE_END = tuple(".!?:;…")


def plain_text(html, separator=" "):
    """Text of ``html`` with entities decoded and block boundaries kept.

    Blocks (paragraphs, headings, list items, table cells…) are joined by a space,
    or by ``separator`` where a block does not end like a sentence: a search
    excerpt uses " · " so that a heading or a table cell does not run into the
    text after it ("Kết quả năm 2017 · Tính đến…").
    """
    from html import unescape

    from django.utils.html import strip_tags

    text = ""
    for block in _BLOCK_TAG.split(html or ""):
        block = " ".join(unescape(strip_tags(block)).split())
        if not block:
            continue
        if text:
            text += " " if text.endswith(_SENTENCE_END) else separator
        text += block
    return text
