"""The sidebar of public pages (the poll box and the visit counter) as a page-cache
hole: cached pages are kept without it and get it filled in per visitor.

A visitor who has not voted sees the same sidebar as every other such visitor (its
vote form carries no CSRF token: poll.js asks for one when the vote is sent), so it
is rendered once and shared (kieumau.pagecache) until
the poll changes (version "polls") or closes, or the counter's numbers are
recomputed (version "counter", at most every ``counter.STATS_TTL`` seconds). A
visitor who has voted gets it rendered for them: it shows the results, their own
vote included.
"""

from django.template.loader import render_to_string

from kieumau import pagecache
from polls.box import active_poll
from polls.voter import voter_id

from . import counter

TEMPLATE = "includes/sidebar.html"


def render_sidebar(request):
    return render_to_string(TEMPLATE, request=request)


def has_not_voted(request):
    return voter_id(request) is None


def poll_closes(now):
    poll = active_poll(now)
    return poll["closes_at"] if poll else None


def register():
    pagecache.register_hole(
        "sidebar",
        render_sidebar,
        shared=has_not_voted,
        template=TEMPLATE,
        depends_on=("polls", counter.VERSION),
        max_seconds=counter.STATS_TTL,
        expires=poll_closes,
    )
