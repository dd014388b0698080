"""django-simple-history's HistoricalRecords with Vietnamese labels.

The package names its own columns (history_date, history_user…) without a
verbose_name, so Django derives English labels from the field names. Import
HistoricalRecords from here in the apps' models.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords as _HistoricalRecords

FIELD_LABELS = {
    "history_id": _("mã bản lưu"),
    "history_date": _("thời điểm"),
    "history_change_reason": _("lý do thay đổi"),
    "history_type": _("loại thay đổi"),
    "history_user": _("người thay đổi"),
}


class HistoricalRecords(_HistoricalRecords):
    def __init__(self, *args, verbose_name=None, **kwargs):
        # The package's default plural is "historical <plural>": use the singular.
        kwargs.setdefault("verbose_name_plural", verbose_name)
        super().__init__(*args, verbose_name=verbose_name, **kwargs)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        # The historical model goes in the app's models module, as with a single
        # models.py, even when the app splits its models into a package
        # (registrations.models): Django's shell imports every model from the
        # module it names, and the package's default would name the app itself.
        app = apps.get_containing_app_config(cls.__module__)
        self.module = f"{app.name}.models"

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        for name, label in FIELD_LABELS.items():
            # A display label only: migrations keep the package's field definitions
            # (deconstruct() reports the label given to the constructor), which is
            # harmless as a label never reaches the database schema.
            extra[name].verbose_name = label
        return extra
