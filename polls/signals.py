"""Cache invalidation only: the cached active poll, and the "polls" version of
what shows it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kieumau import versions

from .box import forget_active_poll
from .models import Choice, Question


@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=Choice)
def forget_polls(sender, **kwargs):
    forget_active_poll()
    versions.bump("polls")
