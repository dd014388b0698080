"""The programme's calendar: Vietnam time, whatever the server's clock zone."""

from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_now(now=None):
    """``now`` (default: the current time) as an aware datetime in Vietnam."""
    return timezone.localtime(now or timezone.now(), VIETNAM)


def vietnam_today(now=None):
    """The calendar day in Vietnam at ``now``."""
    return vietnam_now(now).date()
