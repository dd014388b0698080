from django import template

from polls.box import poll_box as poll_box_context

register = template.Library()


@register.inclusion_tag("includes/poll_box.html", takes_context=True)
def poll_box(context):
    """The sidebar poll: the form, or the results once this browser has voted."""
    request = context.get("request")
    data = poll_box_context(request)
    data["csrf_token"] = context.get("csrf_token")
    data["next"] = request.get_full_path() if request is not None else "/"
    return data
