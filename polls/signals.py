"""Cache invalidation only: the sidebar's cached active poll."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .box import forget_active_poll
from .models import Choice, Question


@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=Choice)
def _forget_active_poll(sender, **kwargs):
    forget_active_poll()
