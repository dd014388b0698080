"""The units' own quarterly reports in the back office: read-mostly.

Unit heads write their reports on their own page and staff review them on the
review screen, both through ``registrations.services``; the admin only lists and
shows reports, their values and evidence, with filters, search and history. It
adds, changes and deletes nothing, so no state can move outside the services.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kieumau.admin_search import FoldedSearchMixin
from kieumau.history_admin import SimpleHistoryAdmin

from . import services
from .models import Evidence, QuarterReport, ReportedValue


class ReadOnlyAdminMixin:
    """View only: staff hold the view permissions, and nothing more is offered."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportedValueInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportedValue
    fields = ["indicator", "value_shown", "explanation", "return_reason", "evidence_n"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator")
            .annotate(n_evidence=Count("evidence"))
        )

    @admin.display(description=_("giá trị báo cáo"))
    def value_shown(self, obj):
        return services.format_value(obj.indicator, obj.value)

    @admin.display(description=_("số minh chứng"))
    def evidence_n(self, obj):
        return obj.n_evidence


@admin.register(QuarterReport)
class QuarterReportAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "unit",
        "year",
        "quarter",
        "state",
        "submitted_at",
        "submitted_by",
        "return_deadline",
        "accepted_by",
        "updated_at",
    ]
    list_filter = ["state", "year", "quarter", "unit__kind"]
    search_fields = ["unit__code", "unit__name"]
    folded_key_fields = ["unit__search_name"]
    list_select_related = ["unit", "submitted_by", "accepted_by"]
    fieldsets = [
        (None, {"fields": ["unit", "year", "quarter", "state", "version"]}),
        (_("Nộp"), {"fields": ["submitted_at", "submitted_by"]}),
        (
            _("Trả lại"),
            {
                "fields": [
                    "returned_at",
                    "returned_by",
                    "return_deadline",
                    "return_note",
                ]
            },
        ),
        (_("Duyệt"), {"fields": ["accepted_at", "accepted_by"]}),
        (_("Cập nhật"), {"fields": ["created_at", "updated_at", "updated_by"]}),
    ]
    readonly_fields = [
        field for _title, options in fieldsets for field in options["fields"]
    ]
    inlines = [ReportedValueInline]
    history_list_display = ["state"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    """Who gave which evidence; the files open only through the portal's own view."""

    list_display = [
        "__str__",
        "unit",
        "indicator_code",
        "period",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = [
        "reported_value__report__state",
        "reported_value__report__year",
        "reported_value__report__quarter",
        "reported_value__report__unit__kind",
    ]
    search_fields = [
        "original_name",
        "link",
        "reported_value__report__unit__code",
        "reported_value__report__unit__name",
        "reported_value__indicator__code",
    ]
    folded_key_fields = ["reported_value__report__unit__search_name"]
    list_select_related = [
        "reported_value__report__unit",
        "reported_value__indicator",
        "uploaded_by",
    ]
    fields = [
        "reported_value",
        "original_name",
        "link",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    @admin.display(
        description=_("đơn vị"), ordering="reported_value__report__unit__name"
    )
    def unit(self, obj):
        return obj.reported_value.report.unit

    @admin.display(
        description=_("mã chỉ tiêu"), ordering="reported_value__indicator__code"
    )
    def indicator_code(self, obj):
        return obj.reported_value.indicator.code

    @admin.display(description=_("quý"))
    def period(self, obj):
        report = obj.reported_value.report
        return f"{report.quarter}/{report.year}"
