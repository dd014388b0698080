from django.apps import AppConfig


class DoclibraryConfig(AppConfig):
    name = "doclibrary"
    verbose_name = "Văn bản"

    def ready(self):
        from . import signals  # noqa: F401 (cache invalidation receivers)
