from django import template

from portal import counter

register = template.Library()


@register.inclusion_tag("includes/counter_box.html")
def counter_box():
    """Truy cập — Hôm nay / Hôm qua / Tuần này / Tháng này / Tất cả."""
    return {"visits": counter.stats()}
