"""Units in the district office's back office."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import SafeInputMixin
from kieumau.admin_search import FoldedSearchMixin

from .models import Unit, UnitKind


class CommuneFilter(admin.SimpleListFilter):
    """Villages and schools by the commune they belong to."""

    title = _("xã trực thuộc")
    parameter_name = "xa"

    def lookups(self, request, model_admin):
        return [
            (str(pk), name)
            for pk, name in Unit.objects.filter(kind=UnitKind.XA)
            .vi_ordered()
            .values_list("pk", "name")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # isascii: "²" passes isdigit() but not int(); the length keeps the
        # number inside a bigint on PostgreSQL.
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return queryset.none()
        return queryset.filter(parent_id=int(value))


@admin.register(Unit)
class UnitAdmin(SafeInputMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind_label",
        "parent",
        "roadmap_year",
        "is_active",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "school_level", CommuneFilter, "roadmap_year", "is_active"]
    search_fields = ["code", "name"]
    folded_key_fields = ["search_name"]  # "dong khe" finds "Đông Khê"
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "successor"]
    # Not autocomplete: district staff may pick heads without seeing the user admin.
    filter_horizontal = ["heads"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "school_level", "parent"]}),
        (_("Lộ trình"), {"fields": ["roadmap_year"]}),
        (_("Trưởng đơn vị"), {"fields": ["heads"]}),
        (
            _("Hiệu lực và sáp nhập"),
            {"fields": ["is_active", "valid_from", "valid_to", "successor"]},
        ),
    ]

    @admin.display(description=_("loại"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label
