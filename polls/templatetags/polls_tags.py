from django import template

from polls.box import poll_box as poll_box_context

register = template.Library()


@register.inclusion_tag("includes/poll_box.html", takes_context=True)
def poll_box(context):
    """The sidebar poll: the form, or the results once this browser has voted.

    The form carries no CSRF token, so that the box is the same for every visitor
    who has not voted and a cached page need not mint a token for each reader
    (issue #12): the poll script asks ``polls:token`` for one when the visitor
    votes; without scripts the form opens the poll's page, whose form has one.
    """
    return poll_box_context(context.get("request"))
