from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Uploaded files, read-only: imports go through the import screen only."""

    list_display = ["filename", "kind", "status", "uploaded_by", "uploaded_at", "size"]
    list_filter = ["kind", "status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["filename"]
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "filename",
        "size",
        "status",
        "report",
        "uploaded_by",
        "uploaded_at",
        "imported_at",
        "content_purged_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
