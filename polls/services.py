"""Writes of the polls app: casting a vote, recounting, the per-address rate limit."""

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .models import Choice, Vote

VOTE_RATE_WINDOW = 3600


def vote_rate_limit():
    """Attempts allowed per address per hour (setting POLL_VOTE_RATE_LIMIT).

    Generous by default: a whole office or school behind one NAT address votes from
    many browsers; the database constraint, not this limit, is what enforces one
    vote per browser.
    """
    return getattr(settings, "POLL_VOTE_RATE_LIMIT", 60)


class VoteRefused(Exception):
    """A vote that is not counted; ``message`` is shown to the citizen."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@transaction.atomic
def cast_vote(*, question, choice_id, voter_key, now=None):
    """Record one vote of ``voter_key`` for ``choice_id`` and count it, or refuse."""
    if not question.has_started(now):
        raise VoteRefused(_("Cuộc thăm dò này chưa mở."), status=404)
    if not question.is_open(now):
        raise VoteRefused(_("Cuộc thăm dò này đã kết thúc, không nhận thêm ý kiến."))
    choice_id = str(choice_id or "")
    # ASCII digits only: int() would also accept "١" or " 1 ".
    choice = None
    if choice_id.isascii() and choice_id.isdigit() and len(choice_id) <= 18:
        choice = question.choices.filter(pk=int(choice_id)).first()
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


def allow_vote_attempt(*, address, now=None):
    """Count one vote attempt from ``address``; False once over the hourly limit.

    The address is never stored: the cache key is an HMAC of it with the secret key
    and the day, so the key is useless the next day and cannot be reversed without
    the secret. The counter lives in the shared cache (Redis, or the database cache
    table), so every app process sees the same count. On the database cache
    ``incr`` is a read-then-write: two simultaneous attempts may count as one, which
    only makes the limit slightly lenient; votes themselves are never affected.
    """
    now = now or timezone.now()
    day = now.strftime("%Y-%m-%d")
    digest = salted_hmac("polls.rate", f"{day}|{address}", algorithm="sha256")
    key = f"polls:rate:{digest.hexdigest()[:32]}:{now.strftime('%H')}"
    cache.add(key, 0, VOTE_RATE_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, VOTE_RATE_WINDOW)
        attempts = 1
    return attempts <= vote_rate_limit()
