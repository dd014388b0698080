import axes.apps
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kieumau import pagecache


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from . import counter, header, roles, sidebar

        sidebar.register()
        user_logged_in.connect(
            header.remember_headed_units, dispatch_uid="portal.header"
        )
        pagecache.register_rider(counter.ride)
        post_migrate.connect(roles.create_roles, sender=self)


class AxesConfig(axes.apps.AppConfig):
    """django-axes (sign-in lockout) under a Vietnamese name, with Vietnamese rows.

    axes' models build their ``__str__`` from English f-strings, which no catalog
    can translate; the admin shows them in titles, breadcrumbs and confirmations.
    """

    default = False  # portal's own config stays PortalConfig
    verbose_name = _("Khóa đăng nhập sai")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _attempt_str
        AccessFailureLog.__str__ = _failure_str
        AccessLog.__str__ = _log_str


def _moment(value):
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _attempt_str(attempt):
    return gettext("Đăng nhập sai: %(username)s, %(time)s") % {
        "username": attempt.username,
        "time": _moment(attempt.attempt_time),
    }


def _failure_str(failure):
    return gettext("Đăng nhập sai: %(username)s, %(time)s, từ %(ip)s") % {
        "username": failure.username,
        "time": _moment(failure.attempt_time),
        "ip": failure.ip_address,
    }


def _log_str(log):
    return gettext("Đăng nhập: %(username)s, %(time)s") % {
        "username": log.username,
        "time": _moment(log.attempt_time),
    }
