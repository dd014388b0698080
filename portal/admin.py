from django.contrib import admin

from kieumau.admin_input import SafeInputMixin

from . import admin_contrib  # noqa: F401  (Vietnamese users, groups and axes screens)
from .models import DailyVisits, VisitCounterSettings


@admin.register(VisitCounterSettings)
class VisitCounterSettingsAdmin(admin.ModelAdmin):
    """One row: the opening total carried over from the old website."""

    list_display = ["__str__", "opening_total", "note"]
    fields = ["opening_total", "note"]

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not VisitCounterSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailyVisits)
class DailyVisitsAdmin(SafeInputMixin, admin.ModelAdmin):
    """Read-only: the daily counts are written by the counter alone."""

    list_display = ["day", "hits"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
