"""Cache invalidation only: a saved or deleted document bumps the "documents"
version, on which the library's pages and the home page depend."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kieumau import versions

from .models import VERSION, Document


@receiver(post_save, sender=Document)
@receiver(post_delete, sender=Document)
def invalidate_document_pages(**kwargs):
    versions.bump(VERSION)
