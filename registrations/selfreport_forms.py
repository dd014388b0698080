"""Forms of the units' quarterly self-report and of its review by district staff."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kieumau.dates import vietnam_today
from units.models import UnitKind

from .forms import YES_NO_CHOICES, HiddenErrorsMixin, version_field
from .models import IndicatorKind, ReportState
from .services import format_number, parse_value
from .services.selfreport import MAX_TEXT

# The id of the page's main <form>: the fields sit in each indicator's card,
# outside the element (an evidence upload form may sit between them, and forms
# cannot nest), and join it through their ``form`` attribute.
REPORT_FORM_ID = "bao-cao"
RETURN_FORM_ID = "tra-lai"

TOO_LONG = _("Nội dung dài quá %(limit_value)s ký tự (hiện có %(show_value)s).")


def _text_field(label, *, form_id, rows=2, placeholder=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        strip=True,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(
            attrs={
                "rows": rows,
                "form": form_id,
                "placeholder": placeholder,
                "class": "form-control",
            }
        ),
    )


class SelfReportForm(HiddenErrorsMixin, forms.Form):
    """A unit head's values and explanations for every indicator of the quarter."""

    version = version_field()

    def __init__(self, *args, indicators, reported, version, **kwargs):
        super().__init__(*args, initial={"version": version}, **kwargs)
        self.fields["version"].widget.attrs["form"] = REPORT_FORM_ID
        self.indicators = list(indicators)
        for indicator in self.indicators:
            row = reported.get(indicator.pk)
            value = row.value if row is not None else None
            attrs = {
                "form": REPORT_FORM_ID,
                "aria-describedby": f"muc-tieu-{indicator.pk}",
                "class": "form-control form-control-lg",
            }
            if indicator.kind == IndicatorKind.CO_KHONG:
                field = forms.ChoiceField(
                    label=_("Kết quả quý này"),
                    choices=YES_NO_CHOICES,
                    required=False,
                    error_messages={
                        "invalid_choice": _("Chọn “Đạt”, “Chưa đạt” hoặc “Chưa nhập”.")
                    },
                    widget=forms.Select(
                        attrs={**attrs, "class": "form-select form-select-lg"}
                    ),
                )
                initial = "" if value is None else str(int(value))
            else:
                field = forms.CharField(
                    label=_("Giá trị quý này"),
                    required=False,
                    max_length=20,
                    error_messages={
                        "max_length": _("Giá trị dài quá %(limit_value)s ký tự.")
                    },
                    widget=forms.TextInput(
                        attrs={**attrs, "inputmode": "decimal", "autocomplete": "off"}
                    ),
                )
                initial = "" if value is None else format_number(value)
            field.indicator = indicator
            self.fields[self.value_name(indicator)] = field
            self.initial[self.value_name(indicator)] = initial
            self.fields[self.explanation_name(indicator)] = _text_field(
                _("Giải trình"),
                form_id=REPORT_FORM_ID,
                placeholder=_("Bắt buộc khi chưa đạt mục tiêu hoặc chưa có minh chứng"),
            )
            self.initial[self.explanation_name(indicator)] = (
                row.explanation if row is not None else ""
            )

    @staticmethod
    def value_name(indicator):
        return f"ct_{indicator.pk}"

    @staticmethod
    def explanation_name(indicator):
        return f"gt_{indicator.pk}"

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            name = self.value_name(indicator)
            if name in self.errors:
                continue
            try:
                cleaned[name] = parse_value(indicator, cleaned.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    def values(self):
        """{indicator id: Decimal or None} for ``save_report_draft``."""
        return {
            ind.pk: self.cleaned_data.get(self.value_name(ind))
            for ind in self.indicators
        }

    def explanations(self):
        return {
            ind.pk: self.cleaned_data.get(self.explanation_name(ind), "")
            for ind in self.indicators
        }


class SubmitReportForm(HiddenErrorsMixin, forms.Form):
    """The confirmation step: only the version the summary was shown with."""

    version = version_field()


class AcceptReportForm(HiddenErrorsMixin, forms.Form):
    """Staff accept the whole report, from the versions the screen showed."""

    version = version_field()
    sheet_version = version_field()
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class ReturnReportForm(HiddenErrorsMixin, forms.Form):
    """Staff send a report back: a reason per indicator to fix and a deadline."""

    version = version_field()
    # Text in dd/mm/yyyy, not type="date": a browser shows its own date picker in
    # its interface's order (12/13/2026 on an English desktop), which Vietnamese
    # staff would misread. The project's formats (kieumau/formats/vi) parse it.
    han = forms.DateField(
        label=_("Hạn nộp lại (dd/mm/yyyy)"),
        widget=forms.DateInput(
            attrs={
                "form": RETURN_FORM_ID,
                "class": "form-control",
                "inputmode": "numeric",
                "placeholder": "dd/mm/yyyy",
                "autocomplete": "off",
            },
            format="%d/%m/%Y",
        ),
        error_messages={
            "required": _("Cần nhập hạn nộp lại."),
            "invalid": _("Ngày không hợp lệ; viết theo dạng dd/mm/yyyy."),
        },
    )
    nhan_xet = _text_field(_("Nhận xét chung (không bắt buộc)"), form_id=RETURN_FORM_ID)

    def __init__(self, *args, indicators, reported, report, **kwargs):
        initial = {"version": report.version, "han": report.return_deadline}
        initial["nhan_xet"] = report.return_note
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["version"].widget.attrs["form"] = RETURN_FORM_ID
        self.indicators = list(indicators)
        for indicator in self.indicators:
            name = self.reason_name(indicator)
            self.fields[name] = _text_field(
                _("Lý do trả lại chỉ tiêu này"), form_id=RETURN_FORM_ID
            )
            row = reported.get(indicator.pk)
            if report.state == ReportState.RETURNED and row is not None:
                self.initial[name] = row.return_reason

    @staticmethod
    def reason_name(indicator):
        return f"ly_do_{indicator.pk}"

    def clean_han(self):
        deadline = self.cleaned_data["han"]
        if deadline < vietnam_today():
            raise ValidationError(
                _("Hạn nộp lại không được ở quá khứ."), code="past_deadline"
            )
        return deadline

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(self.reason_name(ind)) for ind in self.indicators):
            self.add_error(None, _("Cần ghi lý do trả lại cho ít nhất một chỉ tiêu."))
        return cleaned

    def reasons(self):
        return {
            ind.pk: self.cleaned_data.get(self.reason_name(ind), "")
            for ind in self.indicators
        }


class WorkListForm(forms.Form):
    """The work list's filters: name (without diacritics), kind, commune, state."""

    q = forms.CharField(
        label=_("Tên hoặc mã đơn vị"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Từ khóa dài quá %(limit_value)s ký tự.")},
    )
    loai = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả")), *UnitKind.choices],
        error_messages={"invalid_choice": _("Loại đơn vị không hợp lệ.")},
    )
    xa = forms.ChoiceField(
        label=_("Xã"),
        required=False,
        error_messages={"invalid_choice": _("Không có xã này.")},
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")},
    )

    def __init__(self, *args, communes, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["xa"].choices = [("", _("Tất cả")), *communes]
        self.fields["trang_thai"].choices = [("", _("Tất cả")), *states]
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "maxlength": 200,
                "placeholder": _("Gõ không dấu được: dong khe"),
            }
        )
        for name in ("loai", "xa", "trang_thai"):
            self.fields[name].widget.attrs["class"] = "form-select"
