"""The staff's forms: a council, its members, an appraisal sheet, a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import is_usable_key
from kieumau.text import nfc
from kieumau.validators import out_of_range_years
from registrations.models import Title

from .models import Council, CouncilMember, Outcome, validate_decision_number

CHOICE_OVERRIDE = [
    ("", _("Theo số liệu")),
    ("1", _("Đạt")),
    ("0", _("Chưa đạt")),
]


class CouncilForm(forms.ModelForm):
    """A new council: its year and title (one per year and title)."""

    year = forms.IntegerField(label=_("Năm thẩm định"), min_value=2000, max_value=2100)

    class Meta:
        model = Council
        fields = ["year", "title", "name", "meeting_date"]
        widgets = {
            "meeting_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = Title.objects.order_by("code")


class CouncilDetailsForm(forms.ModelForm):
    """The council's name, meeting date and minutes file."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Council
        fields = ["name", "meeting_date"]
        widgets = {
            "meeting_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
        }

    minutes_file = forms.FileField(label=_("Biên bản họp (PDF)"), required=False)

    def clean_meeting_date(self):
        value = self.cleaned_data.get("meeting_date")
        errors = out_of_range_years(meeting_date=value)
        if errors:
            raise forms.ValidationError(errors["meeting_date"])
        return value


class MemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["name", "position", "role", "order"]


class AppraisalForm(forms.Form):
    """Votes and outcome; one override and reason field per criterion, added below."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    members_present = forms.IntegerField(
        label=_("Số thành viên có mặt"), min_value=0, max_value=200, required=False
    )
    members_in_favour = forms.IntegerField(
        label=_("Số thành viên tán thành"), min_value=0, max_value=200, required=False
    )
    outcome = forms.ChoiceField(
        label=_("Kết luận của hội đồng"), choices=Outcome.choices, required=False
    )

    def __init__(self, *args, verdicts, **kwargs):
        super().__init__(*args, **kwargs)
        self.verdicts = verdicts
        for verdict in verdicts:
            key = verdict.criterion_id
            self.fields[f"override_{key}"] = forms.ChoiceField(
                label=_("Kết luận của hội đồng"),
                choices=CHOICE_OVERRIDE,
                required=False,
                initial=""
                if verdict.override_met is None
                else ("1" if verdict.override_met else "0"),
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("Lý do điều chỉnh"),
                required=False,
                max_length=2000,
                initial=verdict.reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(verdict, override field, reason field) for the template."""
        return [
            (v, self[f"override_{v.criterion_id}"], self[f"reason_{v.criterion_id}"])
            for v in self.verdicts
        ]

    def overrides(self):
        choice = {"": None, "1": True, "0": False}
        return {
            v.criterion_id: (
                choice[self.cleaned_data.get(f"override_{v.criterion_id}") or ""],
                self.cleaned_data.get(f"reason_{v.criterion_id}", ""),
            )
            for v in self.verdicts
        }


class RegistrationsField(forms.ModelMultipleChoiceField):
    """Refuses ids no database column could hold (SQLite would raise, a 500)."""

    def clean(self, value):
        pk = self.queryset.model._meta.pk
        if value and not all(is_usable_key(pk, item) for item in value):
            raise forms.ValidationError(
                _("Có lựa chọn không hợp lệ."), code="invalid_choice"
            )
        return super().clean(value)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu quyết định"), max_length=50)
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    registrations = RegistrationsField(
        label=_("Đơn vị"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cần chọn ít nhất một đơn vị.")},
    )
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, eligible, revocation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = eligible
        self.fields["registrations"].label_from_instance = lambda r: str(r.unit)
        if not revocation:
            del self.fields["reason"]

    def clean_number(self):
        number = nfc(self.cleaned_data.get("number", "")).strip()
        validate_decision_number(number)
        return number

    def clean_signed_on(self):
        value = self.cleaned_data.get("signed_on")
        errors = out_of_range_years(signed_on=value)
        if errors:
            raise forms.ValidationError(errors["signed_on"])
        return value


class RevocationScopeForm(forms.Form):
    title = forms.ModelChoiceField(
        label=_("Danh hiệu"), queryset=Title.objects.order_by("code")
    )
    year = forms.IntegerField(label=_("Năm đăng ký"), min_value=2000, max_value=2100)


class ScanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    scan = forms.FileField(label=_("Bản quyết định đã ký (PDF)"))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
