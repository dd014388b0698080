"""Poll helpers: an open question with three choices, a closed one, a voter client."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polls.models import Choice, Question

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def make_question(text="Bạn quan tâm đến chuyên mục nào?", *, choices=3, **extra):
    extra.setdefault("opens_at", timezone.now() - timedelta(days=1))
    question = Question.objects.create(text=text, **extra)
    for n in range(1, choices + 1):
        Choice.objects.create(question=question, text=f"Phương án {n}", order=n)
    return question


def vote_url(question):
    return f"/binh-chon/{question.pk}/bieu-quyet/"


def votes_of(question):
    return list(
        Choice.objects.filter(question=question)
        .order_by("order")
        .values_list("votes", flat=True)
    )


@pytest.fixture
def open_question(db):
    return make_question()


@pytest.fixture
def closed_question(db):
    now = timezone.now()
    return make_question(
        "Câu hỏi đã kết thúc",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
    )
