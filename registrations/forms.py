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
from .services import (
    YEAR_CHANGE_STATUSES,
    format_number,
    parse_value,
    stale_message,
)

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
    """A unit head registers (or changes) the year the unit will reach its title.

    Sent twice: first without ``confirm`` (the page then shows the old and the new
    year), then with it from the confirmation page, which saves.
    """

    year = forms.IntegerField(
        label=_("Năm đăng ký hoàn thành"),
        # A text box: a number box would let the browser refuse what is typed in
        # its own language; the server's Vietnamese message says what is wrong.
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}
        ),
        error_messages={
            "required": _("Hãy nhập năm đăng ký."),
            "invalid": _("Năm phải là một số nguyên, ví dụ 2027."),
        },
    )
    version = version_field()
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, unit, registration=None, **kwargs):
        self.unit = unit
        self.registration = registration
        self.this_year = vietnam_today().year
        kwargs.setdefault(
            "initial",
            {
                "year": self.opening_year(),
                "version": registration.version if registration else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["year"].help_text = _("Từ năm %(min)s đến năm %(max)s.") % {
            "min": self.this_year,
            "max": YEAR_MAX,
        }
        self.helper = FormHelper()
        self.helper.form_action = reverse(
            "registrations:register", kwargs={"code": unit.code}
        )
        self.helper.form_id = f"dang-ky-{unit.pk}"
        # The server's messages, in Vietnamese, on the page: never the browser's.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(
            Submit(
                "submit",
                _("Đổi năm đăng ký") if registration else _("Đăng ký"),
                css_class="btn-primary",
            )
        )

    def opening_year(self):
        """A year the form accepts: the registered one, else the roadmap's, else now."""
        for year in (
            self.registration.year if self.registration else None,
            self.unit.roadmap_year,
        ):
            if year is not None and self.this_year <= year <= YEAR_MAX:
                return year
        return self.this_year

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
        registration = self.registration
        if registration is not None:
            if registration.status not in YEAR_CHANGE_STATUSES:
                raise ValidationError(
                    _(
                        "Không thể đổi năm đăng ký khi đăng ký đang ở trạng thái "
                        "“%(status)s”."
                    )
                    % {"status": registration.get_status_display()},
                    code="year_locked",
                )
            if year == registration.year:
                raise ValidationError(
                    _(
                        "Đơn vị đang đăng ký năm %(year)s; nhập một năm khác "
                        "nếu muốn đổi."
                    )
                    % {"year": year},
                    code="unchanged",
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
            # The bounds parse_value enforces, so that the page's script never
            # shows "Đạt" beside a value the server will refuse.
            if indicator.kind in (IndicatorKind.TY_LE, IndicatorKind.SO_LUONG):
                attrs["data-min"] = "0"
            if indicator.kind == IndicatorKind.TY_LE:
                attrs["data-max"] = "100"
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


class QuarterListFilterForm(forms.Form):
    """The quarter list's filters, kept by the entry screen for "next unit"."""

    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Từ khóa tìm tối đa 100 ký tự.")},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("tên hoặc mã, gõ không dấu cũng được"),
                "size": 30,
            }
        ),
    )
    loai = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả")), *UnitKind.choices],
        error_messages={"invalid_choice": _("Loại đơn vị không hợp lệ.")},
    )
    thieu = forms.BooleanField(label=_("Chỉ đơn vị còn thiếu"), required=False)

    FIELDS = ("q", "loai", "thieu")


class QuarterOverviewForm(PeriodForm, QuarterListFilterForm):
    """The quarter overview's picker: a period, a search, a kind, the incomplete."""


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
