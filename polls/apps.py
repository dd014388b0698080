from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Ý kiến thăm dò"

    def ready(self):
        from . import signals  # noqa: F401
