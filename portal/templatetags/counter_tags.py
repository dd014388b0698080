import logging

from django import template

from portal import counter

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("includes/counter_box.html")
def counter_box():
    """Truy cập — Hôm nay / Hôm qua / Tuần này / Tháng này / Tất cả."""
    try:
        visits = counter.stats()
    except Exception:  # the sidebar widget must never take the page down
        logger.exception("visit counter: could not read the numbers")
        visits = None
    return {"visits": visits}
