"""Polls (ý kiến thăm dò): questions, choices and anonymous votes.

Responsible for the sidebar poll of every public page and the results at
/binh-chon/. Citizens are anonymous: a browser is identified only by a random voter
id kept in a signed cookie, and the database stores a keyed hash of it
(``Vote.voter_key``), never an address. "One vote per browser per question" is a
database constraint; counts are incremented in the database (see services.py).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.text import nfc
from kieumau.validators import out_of_range_years


def largest_remainder_percentages(counts):
    """Whole percentages of ``counts`` that add up to exactly 100 (0s when no votes).

    Hamilton's method: floor every share, then give the missing points to the
    largest remainders (earlier entries first on ties), so "33 / 33 / 33" becomes
    "34 / 33 / 33" instead of summing to 99.
    """
    counts = [int(c) for c in counts]
    total = sum(counts)
    if total <= 0:
        return [0] * len(counts)
    floors = [c * 100 // total for c in counts]
    missing = 100 - sum(floors)
    by_remainder = sorted(
        range(len(counts)), key=lambda i: (-(counts[i] * 100 % total), i)
    )
    for i in by_remainder[:missing]:
        floors[i] += 1
    return floors


class QuestionQuerySet(models.QuerySet):
    def started(self, now=None):
        """Questions the public may see: opened already (open or closed)."""
        return self.filter(opens_at__lte=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Question(models.Model):
    text = models.CharField(_("câu hỏi"), max_length=300)
    opens_at = models.DateTimeField(_("mở từ"), default=timezone.now)
    closes_at = models.DateTimeField(
        _("đóng lúc"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu cuộc thăm dò chưa có hạn kết thúc."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi thăm dò")
        verbose_name_plural = _("câu hỏi thăm dò")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_it_opens",
                violation_error_message=_("Thời điểm đóng phải sau thời điểm mở."),
            )
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = nfc(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("polls:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = out_of_range_years(opens_at=self.opens_at, closes_at=self.closes_at)
        if errors:
            raise ValidationError(errors)

    def has_started(self, now=None):
        return self.opens_at <= (now or timezone.now())

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def is_closed(self, now=None):
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("câu hỏi"),
    )
    text = models.CharField(_("phương án"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # Only ever changed by ``F("votes") + 1`` in services.cast_vote (or a recount
    # from the Vote rows), never edited by hand.
    votes = models.PositiveIntegerField(_("số phiếu"), default=0, editable=False)

    class Meta:
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = nfc(self.text)
        super().save(*args, **kwargs)


class Vote(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("câu hỏi")
    )
    # RESTRICT: a choice that received votes cannot be deleted on its own (its
    # count would silently vanish), but deleting the whole question still works.
    choice = models.ForeignKey(
        Choice, on_delete=models.RESTRICT, related_name="+", verbose_name=_("phương án")
    )
    # HMAC of the browser's random voter id (see polls.voter); not a person's data.
    voter_key = models.CharField(_("mã người bình chọn"), max_length=64)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu bình chọn")
        verbose_name_plural = _("phiếu bình chọn")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "voter_key"], name="one_vote_per_voter_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id}"
