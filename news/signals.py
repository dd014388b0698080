"""Cache invalidation only: any change to what the public pages show bumps the
"news" version, which every cached page depends on (kieumau.pagecache)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kieumau import versions

from .models import VERSION, Article, Section, Tag


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(m2m_changed, sender=Article.tags.through)
def invalidate_public_pages(**kwargs):
    versions.bump(VERSION)
