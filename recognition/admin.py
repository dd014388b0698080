"""The back office's view of councils, appraisals and decisions.

Councils and their members are edited here as well as on the staff's screens;
appraisals and decisions are read here only: their verdicts, votes, outcomes and
publication go through ``recognition.services`` from the screens under
/bao-cao/tham-dinh/, so no admin form can skip a rule or the lifecycle.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kieumau.history_admin import SimpleHistoryAdmin

from .models import (
    Appraisal,
    Council,
    CouncilMember,
    Decision,
    DecisionEntry,
    MemberRole,
    Verdict,
)


class MemberFormSet(BaseInlineFormSet):
    """One chair among the rows saved together: the database's constraint checks
    each row against the saved ones only, so two new chairs would reach it (a 500)."""

    def clean(self):
        super().clean()
        chairs = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == MemberRole.CHAIR
        ]
        if len(chairs) > 1:
            raise ValidationError(_("Hội đồng chỉ có một Chủ tịch."))


class MemberInline(admin.TabularInline):
    model = CouncilMember
    formset = MemberFormSet
    extra = 1


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "title", "meeting_date"]
    list_filter = ["year", "title"]
    list_select_related = ["title"]
    fields = ["year", "title", "name", "meeting_date"]
    inlines = [MemberInline]


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VerdictInline(ReadOnlyMixin, admin.TabularInline):
    model = Verdict
    fields = ["criterion", "computed_met", "override_met", "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "registration",
        "council",
        "members_present",
        "members_in_favour",
        "outcome",
    ]
    list_filter = ["outcome", "council__year"]
    list_select_related = [
        "registration__unit",
        "registration__title",
        "council__title",
    ]
    search_fields = ["registration__unit__name", "registration__unit__code"]
    inlines = [VerdictInline]


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = DecisionEntry
    fields = ["registration", "certificate_number"]
    readonly_fields = fields
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    # The signed scan lives in the private storage, which has no URL: the
    # staff's decision page serves it.
    fields = [
        "kind",
        "number",
        "signed_on",
        "year",
        "title",
        "council",
        "reason",
        "published",
        "published_at",
        "staff_page",
    ]
    readonly_fields = ["staff_page"]
    list_display = ["number", "kind", "signed_on", "year", "title", "published"]
    list_filter = ["kind", "published", "year"]
    list_select_related = ["title"]
    search_fields = ["number"]
    inlines = [EntryInline]

    @admin.display(description=_("trang quyết định"))
    def staff_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.number)
