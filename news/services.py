"""Writes with rules: who may make an article public, and when it goes out."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article, ArticleStatus

PUBLISH_PERMISSION = "news.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


@transaction.atomic
def save_article(*, article, by):
    """Save an article; only publishers may set or change its public status or time."""
    previous = None
    if article.pk:
        previous = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values("status", "published_at")
            .first()
        )
    if not can_publish(by):
        before = previous or {"status": ArticleStatus.DRAFT, "published_at": None}
        went_public = article.status != ArticleStatus.DRAFT
        if (article.status, article.published_at) != (
            before["status"],
            before["published_at"],
        ) and (went_public or before["status"] != ArticleStatus.DRAFT):
            raise PermissionDenied("Bạn không có quyền đăng hoặc hẹn giờ bài viết.")
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    if article.pk is None and article.created_by_id is None:
        article.created_by = by
    article.save()
    return article


@transaction.atomic
def publish_article(*, article, by, at=None):
    """Publish now, or schedule for ``at`` (it appears by itself at that time)."""
    if not can_publish(by):
        raise PermissionDenied("Bạn không có quyền đăng bài viết.")
    now = timezone.now()
    article.published_at = at or article.published_at or now
    article.status = (
        ArticleStatus.SCHEDULED
        if article.published_at > now
        else ArticleStatus.PUBLISHED
    )
    article.save()
    return article


@transaction.atomic
def unpublish_article(*, article, by):
    """Take an article off the public site (back to draft)."""
    if not can_publish(by):
        raise PermissionDenied("Bạn không có quyền gỡ bài viết.")
    article.status = ArticleStatus.DRAFT
    article.save()
    return article
