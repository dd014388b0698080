"""Unit heads' profiles and the log of reminders sent, in the back office.

Both are read-only here: accounts come from the unit-heads file (or the user
admin), names and phones from the heads themselves; invitations are re-sent or
printed from /bao-cao/truong-don-vi/, where the rules are.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import SafeInputMixin
from kieumau.history_admin import SimpleHistoryAdmin
from units.models import Unit

from .models import HeadProfile, SentReminder
from .services import invitation_state


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HeadProfile)
class HeadProfileAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "username",
        "email",
        "phone",
        "units",
        "invitation",
        "activated_at",
    ]
    list_select_related = ["user"]
    search_fields = ["full_name", "user__username", "user__email", "phone"]
    list_filter = ["activated_at", "invited_by_letter"]
    fields = [
        "user",
        "key",
        "full_name",
        "phone",
        "file_name",
        "file_email",
        "file_phone",
        "created_at",
        "invited_at",
        "invited_by",
        "invited_by_letter",
        "activated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        units = Unit.objects.order_by("code").only("code", "name")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("user__headed_units", queryset=units))
        )

    @admin.display(description=_("tên đăng nhập"), ordering="user__username")
    def username(self, obj):
        return obj.user.get_username()

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("đơn vị"))
    def units(self, obj):
        return ", ".join(unit.code for unit in obj.user.headed_units.all())

    @admin.display(description=_("lời mời"))
    def invitation(self, obj):
        return invitation_state(obj)[1]


@admin.register(SentReminder)
class SentReminderAdmin(SafeInputMixin, ReadOnlyAdmin):
    """What ``send_reminders`` and the invitations sent: each message once."""

    list_display = [
        "sent_at",
        "kind",
        "recipient",
        "unit",
        "period",
        "subject",
    ]
    list_filter = ["kind", "year", "quarter"]
    list_select_related = ["unit"]
    search_fields = ["recipient", "unit__code", "unit__name", "subject"]
    date_hierarchy = "sent_at"
    fields = [
        "kind",
        "reference",
        "unit",
        "year",
        "quarter",
        "recipient",
        "user",
        "subject",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("quý"), ordering="year")
    def period(self, obj):
        if obj.year is None or obj.quarter is None:
            return "—"
        return f"{obj.quarter}/{obj.year}"
