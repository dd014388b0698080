"""Writes of the polls app: casting a vote, recounting, the limit on new voters."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kieumau.ratelimit import SlidingWindow

from .models import Choice, Vote


def new_voter_limit():
    """Votes from browsers without the voter cookie, per client address.

    At most POLL_VOTES_PER_ADDRESS in any POLL_VOTE_WINDOW_SECONDS (a sliding
    window, kieumau.ratelimit): one client dropping its cookie casts no more than
    that. A browser that keeps its cookie is not counted (the database constraint
    already gives it one vote per poll); exempt addresses are not limited. The
    limit fails open when the cache is down: voting goes on.
    """
    return SlidingWindow(
        "polls.new-voter",
        limit=settings.POLL_VOTES_PER_ADDRESS,
        window=settings.POLL_VOTE_WINDOW_SECONDS,
    )


class VoteRefused(Exception):
    """A vote that is not counted; ``message`` is shown to the citizen."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@transaction.atomic
def choice_pk(text):
    """A choice's id as a form or a link sends it, or None if it is not one.

    ASCII digits only: int() would also accept "١" or " 1 "; 18 digits at most, so
    that it fits the database's integer.
    """
    text = str(text or "")
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def cast_vote(*, question, choice_id, voter_key, now=None):
    """Record one vote of ``voter_key`` for ``choice_id`` and count it, or refuse."""
    if not question.has_started(now):
        raise VoteRefused(_("Cuộc thăm dò này chưa mở."), status=404)
    if not question.is_open(now):
        raise VoteRefused(_("Cuộc thăm dò này đã kết thúc, không nhận thêm ý kiến."))
    pk = choice_pk(choice_id)
    choice = None if pk is None else question.choices.filter(pk=pk).first()
    if choice is None:
        raise VoteRefused(_("Vui lòng chọn một phương án trong danh sách."))
    try:
        # A savepoint, so that the duplicate insert leaves the outer transaction
        # usable; the constraint decides "already voted" even under a race.
        with transaction.atomic():
            Vote.objects.create(question=question, choice=choice, voter_key=voter_key)
    except IntegrityError:
        raise VoteRefused(
            _(
                "Bạn đã bình chọn cho câu hỏi này rồi. "
                "Mỗi trình duyệt chỉ được bình chọn một lần."
            ),
            status=409,
        ) from None
    # Same transaction as the Vote row: both happen or neither does. The row lock
    # taken by the UPDATE serialises concurrent voters without losing any.
    Choice.objects.filter(pk=choice.pk).update(votes=F("votes") + 1)
    return choice


@transaction.atomic
def recount_votes(*, question):
    """Set every choice's count from its Vote rows (repair after a manual fix)."""
    per_choice = (
        Vote.objects.filter(choice=OuterRef("pk"))
        .order_by()
        .values("choice")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Choice.objects.filter(question=question).update(
        votes=Coalesce(Subquery(per_choice), 0)
    )
