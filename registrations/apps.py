from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Danh hiệu, đăng ký và tiến độ"

    def ready(self):
        from . import figures

        figures.connect_signals()
