"""Forms of the self-service pages and of the admin's custom screens."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.dates import vietnam_today
from units.models import UnitKind

from . import periods
from .models import YEAR_MAX, YEAR_MIN, IndicatorKind, Registration
from .services import format_number, parse_value, stale_message

STALE_FORM = _("Biểu mẫu đã cũ hoặc không hợp lệ; hãy tải lại trang rồi nhập lại.")


def version_field():
    """The hidden version a form was loaded with (optimistic concurrency)."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": STALE_FORM,
            "invalid": STALE_FORM,
            "min_value": STALE_FORM,
        },
    )


class HiddenErrorsMixin:
    """Show errors of hidden fields (which templates do not render) at the top."""

    def clean(self):
        cleaned = super().clean()
        for name in [f.name for f in self.hidden_fields()]:
            if name in self.errors:
                messages = self.errors.pop(name)
                for message in messages:
                    if message not in self.non_field_errors():
                        self.add_error(None, message)
        return cleaned


YES_NO_CHOICES = [("", _("— Chưa nhập —")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]


class RegisterYearForm(HiddenErrorsMixin, forms.Form):
    """A unit head registers (or changes) the year the unit will reach its title."""

    year = forms.IntegerField(
        label=_("Năm đăng ký hoàn thành"),
        error_messages={
            "required": _("Hãy nhập năm đăng ký."),
            "invalid": _("Năm phải là một số nguyên, ví dụ 2027."),
        },
    )
    version = version_field()

    def __init__(self, *args, unit, registration=None, **kwargs):
        self.unit = unit
        kwargs.setdefault(
            "initial",
            {
                "year": registration.year if registration else None,
                "version": registration.version if registration else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.this_year = vietnam_today().year
        year = self.fields["year"]
        year.widget.attrs.update(
            {"min": self.this_year, "max": YEAR_MAX, "inputmode": "numeric"}
        )
        year.help_text = _("Từ năm %(min)s đến năm %(max)s.") % {
            "min": self.this_year,
            "max": YEAR_MAX,
        }
        self.helper = FormHelper()
        self.helper.form_action = reverse(
            "registrations:register", kwargs={"code": unit.code}
        )
        self.helper.form_id = f"dang-ky-{unit.pk}"
        self.helper.add_input(
            Submit(
                "submit",
                _("Đổi năm đăng ký") if registration else _("Đăng ký"),
                css_class="btn-primary",
            )
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year < self.this_year:
            raise ValidationError(
                _("Không thể đăng ký năm đã qua (năm nay là %(year)s).")
                % {"year": self.this_year},
                code="past",
            )
        if year > YEAR_MAX:
            raise ValidationError(
                _("Năm đăng ký không được sau năm %(max)s.") % {"max": YEAR_MAX},
                code="too_late",
            )
        return year


class QuarterEntryForm(HiddenErrorsMixin, forms.Form):
    """One field per indicator of the unit's registered title, for one quarter."""

    version = version_field()
    # When the form was shown: only used to list what others changed meanwhile.
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, current, version, **kwargs):
        super().__init__(
            *args,
            initial={"version": version, "loaded_at": timezone.now().isoformat()},
            **kwargs,
        )
        self.indicators = list(indicators)
        for indicator in self.indicators:
            name = self.field_name(indicator)
            value = current.get(indicator.pk)
            attrs = {
                "data-kind": indicator.kind,
                "data-comparison": indicator.comparison,
                "data-target": ""
                if indicator.target is None
                else str(indicator.target),
                "data-met": f"met-{indicator.pk}",
                "aria-describedby": f"target-{indicator.pk}",
            }
            if indicator.kind == IndicatorKind.CO_KHONG:
                field = forms.ChoiceField(
                    choices=YES_NO_CHOICES,
                    required=False,
                    error_messages={
                        "invalid_choice": _("Chọn “Đạt”, “Chưa đạt” hoặc “Chưa nhập”.")
                    },
                    widget=forms.Select(attrs={**attrs, "class": "km-yes-no"}),
                )
                initial = "" if value is None else str(int(value))
            else:
                field = forms.CharField(
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(
                        attrs={
                            **attrs,
                            "inputmode": "decimal",
                            "class": "km-number",
                            "autocomplete": "off",
                        }
                    ),
                )
                initial = "" if value is None else format_number(value)
            field.label = indicator.name
            field.indicator = indicator
            self.fields[name] = field
            self.initial[name] = initial

    @staticmethod
    def field_name(indicator):
        return f"ct_{indicator.pk}"

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            name = self.field_name(indicator)
            if name in self.errors:
                continue
            try:
                cleaned[name] = parse_value(indicator, cleaned.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    def values(self):
        """{indicator id: Decimal or None} for ``save_quarter``."""
        return {
            ind.pk: self.cleaned_data.get(self.field_name(ind))
            for ind in self.indicators
        }


class PeriodForm(forms.Form):
    """A year and a quarter from GET or POST parameters ``nam`` and ``quy``."""

    nam = forms.IntegerField(
        label=_("Năm"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": _("Năm phải là một số nguyên."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"),
        coerce=int,
        choices=[(q, periods.ROMAN[q]) for q in range(1, 5)],
        error_messages={"invalid_choice": _("Quý phải từ 1 đến 4.")},
    )


class QuarterOverviewForm(PeriodForm):
    """The quarter overview's picker: a period, a unit kind, only the incomplete."""

    loai = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả")), *UnitKind.choices],
        error_messages={"invalid_choice": _("Loại đơn vị không hợp lệ.")},
    )
    thieu = forms.BooleanField(label=_("Chỉ đơn vị còn thiếu"), required=False)


class RecogniseForm(forms.Form):
    """Decision of recognition, asked on the admin action's confirmation page."""

    decision_number = forms.CharField(
        label=_("Số quyết định công nhận"),
        max_length=50,
        error_messages={"required": _("Cần nhập số quyết định.")},
    )
    decision_date = forms.DateField(
        label=_("Ngày quyết định (dd/mm/yyyy)"),
        error_messages={
            "required": _("Cần nhập ngày quyết định."),
            "invalid": _("Ngày không hợp lệ; viết theo dạng dd/mm/yyyy."),
        },
    )


class RegistrationAdminForm(forms.ModelForm):
    """Staff enter or edit a registration; the status is changed by actions only."""

    expected_version = forms.IntegerField(
        label=_("phiên bản đã tải"),
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
    )

    class Meta:
        model = Registration
        fields = ["unit", "title", "year", "registered_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        unit, title = cleaned.get("unit"), cleaned.get("title")
        if unit and title and not self.instance.pk:
            if title.kind != unit.kind or title.school_level not in (
                "",
                unit.school_level,
            ):
                self.add_error(
                    "title", _("Danh hiệu này không áp dụng cho loại đơn vị này.")
                )
            elif Registration.objects.active().filter(unit=unit, title=title).exists():
                self.add_error(
                    None,
                    _(
                        "Đơn vị đã có một đăng ký đang hiệu lực cho danh hiệu này; "
                        "hãy sửa năm trong đăng ký đó."
                    ),
                )
        if self.instance.pk and cleaned.get("expected_version") is not None:
            if cleaned["expected_version"] != self.instance.version:
                self.add_error(None, stale_message())
        return cleaned
