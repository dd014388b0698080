"""What the poll box and the poll pages show: the active poll and its results.

The active poll is read once and kept in the shared cache for a minute (or until it
closes, whichever is sooner), so the sidebar of every page costs no query for
visitors who have not voted. Counts are never cached: after voting a citizen sees
the results including their own vote (one query for the counts, one to check the
cookie's vote).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .models import Choice, Question, Vote, largest_remainder_percentages
from .voter import request_voter_key

ACTIVE_KEY = "polls:active:v1"
ACTIVE_TTL = 60
_MISSING = object()


@dataclass(frozen=True)
class ResultRow:
    text: str
    votes: int
    percent: int


def results(choices):
    """Rows (text, votes, percent) of ``choices`` and the total; percents sum to 100."""
    choices = list(choices)
    percents = largest_remainder_percentages(c.votes for c in choices)
    rows = [
        ResultRow(c.text, c.votes, p) for c, p in zip(choices, percents, strict=True)
    ]
    return rows, sum(r.votes for r in rows)


def active_poll(now=None):
    """The open poll shown in the sidebar, as a plain dict (cached), or None."""
    now = now or timezone.now()
    data = cache.get(ACTIVE_KEY, _MISSING)
    if data is _MISSING:
        question = (
            Question.objects.open(now)
            .order_by("-opens_at", "-pk")
            .prefetch_related("choices")
            .first()
        )
        ttl = ACTIVE_TTL
        data = None
        if question is not None:
            data = {
                "id": question.pk,
                "text": question.text,
                "url": question.get_absolute_url(),
                "closes_at": question.closes_at,
                "choices": [(c.pk, c.text) for c in question.choices.all()],
            }
            if question.closes_at is not None:
                left = (question.closes_at - now).total_seconds()
                ttl = max(1, min(ttl, int(left)))
        cache.set(ACTIVE_KEY, data, ttl)
    if data and data["closes_at"] is not None and data["closes_at"] <= now:
        return None
    return data


def forget_active_poll():
    cache.delete(ACTIVE_KEY)


def poll_box(request, now=None):
    """Context of the sidebar box for this request's browser."""
    poll = active_poll(now)
    if poll is None:
        return {"poll": None}
    key = request_voter_key(request) if request is not None else None
    has_voted = bool(
        key and Vote.objects.filter(question_id=poll["id"], voter_key=key).exists()
    )
    context = {"poll": poll, "has_voted": has_voted, "rows": None, "total": 0}
    if has_voted:
        context["rows"], context["total"] = results(
            Choice.objects.filter(question_id=poll["id"]).only("text", "votes")
        )
    return context


def voted_question_ids(request, question_ids):
    """Which of ``question_ids`` this browser has voted on (one query)."""
    key = request_voter_key(request)
    if not key or not question_ids:
        return set()
    return set(
        Vote.objects.filter(voter_key=key, question_id__in=question_ids).values_list(
            "question_id", flat=True
        )
    )


@dataclass
class PollCard:
    """A question as a page shows it: the form, or the results."""

    question: Question
    is_open: bool
    has_voted: bool
    rows: list
    total: int

    @property
    def show_results(self):
        return self.has_voted or not self.is_open


def poll_cards(request, questions, now=None):
    """Cards for ``questions`` (choices prefetched): results when voted or closed."""
    now = now or timezone.now()
    questions = list(questions)
    voted = voted_question_ids(request, [q.pk for q in questions])
    cards = []
    for question in questions:
        rows, total = results(question.choices.all())
        cards.append(
            PollCard(
                question=question,
                is_open=question.is_open(now),
                has_voted=question.pk in voted,
                rows=rows,
                total=total,
            )
        )
    return cards
