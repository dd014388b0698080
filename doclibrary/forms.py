"""The library's search and filters: a keyword, a type and a year of issue."""

from django import forms

from .models import DocumentKind

MAX_QUERY_LENGTH = 200


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, strip=True)
    loai = forms.ChoiceField(
        label="Loại văn bản",
        required=False,
        choices=[("", "Tất cả loại"), *DocumentKind.choices],
        error_messages={"invalid_choice": "Loại văn bản không tồn tại."},
    )
    nam = forms.TypedChoiceField(
        label="Năm ban hành",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Năm này không có văn bản."},
    )

    def __init__(self, data=None, *, years=(), **kwargs):
        if data is not None:
            data = data.copy()
            data["q"] = (data.get("q") or "")[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)
        self.fields["nam"].choices = [("", "Tất cả các năm")] + [
            (str(year), str(year)) for year in years
        ]

    def filter(self, queryset):
        """``queryset`` narrowed by the valid fields (an invalid one is ignored)."""
        self.is_valid()
        cleaned = self.cleaned_data
        if cleaned.get("q"):
            queryset = queryset.matching(cleaned["q"])
        if cleaned.get("loai"):
            queryset = queryset.filter(kind=cleaned["loai"])
        if cleaned.get("nam"):
            queryset = queryset.filter(issued_on__year=cleaned["nam"])
        return queryset

    @property
    def searched(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)
