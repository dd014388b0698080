"""The district office's register of documents: filters, search without diacritics."""

from pathlib import PurePosixPath

from django import forms
from django.contrib import admin
from django.urls import reverse

from kieumau.admin_search import FoldedSearchMixin

from .models import ACCEPT, Document


class StoredFile:
    """A kept file as the admin's file widget shows it: its name, linked to the
    download view (the private storage has no URL of its own)."""

    def __init__(self, field_file):
        self.name = PurePosixPath(field_file.name).name
        self.url = reverse("doclibrary:download", args=[field_file.instance.slug])

    def __str__(self):
        return self.name


class PrivateFileInput(forms.ClearableFileInput):
    def is_initial(self, value):
        # The stock check reads ``value.url``, which private storage refuses.
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        if self.is_initial(value):
            return StoredFile(value)
        return None


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
        widgets = {"file": PrivateFileInput(attrs={"accept": ACCEPT})}


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
