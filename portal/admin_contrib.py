"""The admin screens of Django's users and groups and of django-axes, in Vietnamese.

Their labels and messages come from the project catalog (``locale/vi``); what no
catalog can reach is here: permission names (stored in English in the database),
axes' status column and clean-up action (its message is not translatable and the
action itself answered 500), the year check of the users' dates
(``kieumau.validators``) and a date hierarchy that refuses impossible dates
(``kieumau.admin_input``).
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import SafeInputMixin
from kieumau.validators import YearRangeFormMixin

PERMISSION_ACTIONS = {
    "add": _("Thêm"),
    "change": _("Sửa"),
    "delete": _("Xóa"),
    "view": _("Xem"),
}


def permission_label(permission):
    """'Đơn vị | đơn vị | Thêm đơn vị' instead of 'Đơn vị | đơn vị | Can add đơn vị'."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.partition("_")[0]
    name = permission.name
    if (
        model is not None
        and action in PERMISSION_ACTIONS
        and permission.codename == f"{action}_{model._meta.model_name}"
    ):
        name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name}"
    return f"{content_type} | {name}"


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            queryset = kwargs.get("queryset", db_field.remote_field.model.objects)
            kwargs["queryset"] = queryset.select_related("content_type")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class UserChangeForm(YearRangeFormMixin, auth_forms.UserChangeForm):
    pass


class UserAdmin(SafeInputMixin, PermissionLabelsMixin, auth_admin.UserAdmin):
    form = UserChangeForm


class GroupAdmin(SafeInputMixin, PermissionLabelsMixin, auth_admin.GroupAdmin):
    pass


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    """axes' filter, against the limit per username and address: axes compares
    with AXES_FAILURE_LIMIT, a callable here (kieumau.signin)."""

    def queryset(self, request, queryset):
        limit = settings.SIGN_IN_FAILURE_LIMIT
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=limit)
        if self.value() == "no":
            return queryset.filter(failures_since_start__lt=limit)
        return queryset


class AccessAttemptAdmin(SafeInputMixin, axes_admin.AccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]
    # axes shows the status column and filter only for a whole-number
    # AXES_FAILURE_LIMIT; this one is a callable, so they are added here.
    list_display = [*axes_admin.AccessAttemptAdmin.list_display, "status"]
    list_filter = [*axes_admin.AccessAttemptAdmin.list_filter, LockedOutFilter]

    @admin.action(description=_("Xóa các lượt đăng nhập sai đã hết hạn"))
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads the time of the sign-in attempt from the request, which it
        # sets on sign-in requests only: without it axes' own action answers 500.
        if not hasattr(request, "axes_attempt_time"):
            request.axes_attempt_time = None
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            gettext("Đã xóa %(count)s lượt đăng nhập sai đã hết hạn.")
            % {"count": count},
        )

    @admin.display(description=_("Trạng thái"))
    def status(self, obj):
        # The limit per username and address; the row of one username cannot
        # show the address's own count across usernames (kieumau.signin).
        limit = settings.SIGN_IN_FAILURE_LIMIT
        if obj.failures_since_start < limit:
            return gettext("còn %(left)s lần thử") % {
                "left": limit - obj.failures_since_start
            }
        return gettext("Đang bị khóa")

    @admin.display(description=_("Hết hạn lúc"))
    def expiration(self, obj):
        return super().expiration(obj)


class AccessLogAdmin(SafeInputMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(SafeInputMixin, axes_admin.AccessFailureLogAdmin):
    pass


for model, model_admin in [
    (User, UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
