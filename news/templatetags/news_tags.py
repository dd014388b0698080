"""Template filters of the news pages."""

from zoneinfo import ZoneInfo

from django import template

register = template.Library()

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@register.filter
def gmt7(value):
    """'21/03/2017 01:19:57 (GMT+7)' in Vietnam time, whatever the server's zone."""
    if not value:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S (GMT+7)")


@register.filter
def gmt7_date(value):
    """'21/03/2017' in Vietnam time."""
    if not value:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y")
