"""The district office's register of documents: filters, search without diacritics."""

from django import forms
from django.contrib import admin

from kieumau.admin_search import FoldedSearchMixin

from .models import ACCEPT, Document


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "number",
            "kind",
            "summary",
            "issuer",
            "issued_on",
            "effective_on",
            "file",
            "is_published",
            "slug",
        ]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPT})}


@admin.register(Document)
class DocumentAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = DocumentForm
    list_display = ["number", "kind", "issued_on", "issuer", "is_published"]
    list_filter = ["kind", "is_published", "issued_on", "issuer"]
    search_fields = ["number", "summary", "issuer"]
    folded_key_fields = ["search_text"]  # "quyet dinh" finds "Quyết định"
    readonly_fields = ["content_type", "file_size", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "summary", "issuer"]}),
        ("Ngày", {"fields": ["issued_on", "effective_on"]}),
        ("Tệp", {"fields": ["file", "content_type", "file_size"]}),
        ("Công khai", {"fields": ["is_published", "slug", "created_at", "updated_at"]}),
    ]
