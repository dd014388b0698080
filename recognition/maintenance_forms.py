"""The maintenance list's filters: year, quarter, reason (a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations import periods
from registrations.models import YEAR_MAX, YEAR_MIN

from .maintenance import Reason


class MaintenanceFilterForm(forms.Form):
    nam = forms.IntegerField(
        label=_("Năm"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "required": _("Cần chọn năm."),
            "invalid": _("Năm phải là một số nguyên."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Cả năm")), *[(q, periods.ROMAN[q]) for q in range(1, 5)]],
        error_messages={"invalid_choice": _("Quý phải từ 1 đến 4.")},
    )
    ly_do = forms.ChoiceField(
        label=_("Lý do"),
        required=False,
        choices=[("", _("Tất cả")), *Reason.choices],
        error_messages={"invalid_choice": _("Lý do không hợp lệ.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].widget.attrs.update({"class": "form-control"})
        for name in ("quy", "ly_do"):
            self.fields[name].widget.attrs["class"] = "form-select"
