"""A saved or deleted document bumps the "documents" version, on which the library's
pages and the home page depend; a deleted document's file, or the file a new upload
replaced, is removed from the private storage once the change is committed (a
rolled-back deletion keeps it)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from kieumau import versions

from .models import VERSION, Document


@receiver(post_save, sender=Document)
@receiver(post_delete, sender=Document)
def invalidate_document_pages(**kwargs):
    versions.bump(VERSION)


def _remove_later(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Document)
def remove_deleted_file(instance, **kwargs):
    _remove_later(instance.file.storage, instance.file.name)


@receiver(pre_save, sender=Document)
def remove_replaced_file(instance, **kwargs):
    if instance.pk is None:
        return
    old = Document.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if old and old != instance.file.name:
        _remove_later(instance.file.storage, old)
