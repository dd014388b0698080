from django.apps import AppConfig


class HeadsConfig(AppConfig):
    name = "heads"
    verbose_name = "Trưởng đơn vị và nhắc việc"
