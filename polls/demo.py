"""Demo data of this app for `manage.py load_demo` (idempotent).

The open sidebar poll, whose choices are the site's sections (``portal.demo``
passes their names), and one closed earlier poll with results.
"""

from datetime import timedelta

from django.utils import timezone

from .models import Choice, Question, Vote
from .services import recount_votes
from .voter import voter_key

OPEN_QUESTION = "Bạn quan tâm đến chuyên mục nào trên trang?"
# The open poll's choices when no other names are given.
OPEN_CHOICES = ["Tin tức - Sự kiện", "Xây dựng kiểu mẫu", "Thông báo"]
OPEN_RESULTS = [46, 29, 17]
CLOSED_QUESTION = "Bạn thấy thông tin về tiến độ xây dựng kiểu mẫu trên cổng thế nào?"
CLOSED_RESULTS = [
    ("Đầy đủ, dễ theo dõi", 184),
    ("Khá đầy đủ, cần cập nhật thường xuyên hơn", 121),
    ("Còn thiếu, cần thêm số liệu từng thôn, đơn vị", 57),
    ("Ý kiến khác", 13),
]


def _question(text, *, opens_at, closes_at=None):
    question = Question.objects.filter(text=text).first()
    if question is None:
        question = Question.objects.create(
            text=text, opens_at=opens_at, closes_at=closes_at
        )
    return question


def _choices(question, texts):
    choices = []
    for order, text in enumerate(texts, start=1):
        choice, _created = Choice.objects.get_or_create(
            question=question, text=text, defaults={"order": order}
        )
        choices.append(choice)
    return choices


def _demo_votes(question, results):
    """Vote rows (demo voter keys) for the closed poll, then counts from them."""
    choices = _choices(question, [text for text, _n in results])
    votes = []
    for choice, (_text, count) in zip(choices, results, strict=True):
        votes += [
            Vote(
                question=question,
                choice=choice,
                voter_key=voter_key(f"demo-{question.pk}-{choice.pk}-{n:05d}"),
            )
            for n in range(count)
        ]
    Vote.objects.bulk_create(votes, ignore_conflicts=True, batch_size=500)
    recount_votes(question=question)


def load(*, stdout, open_choices=None):
    """Create or update this app's demo rows."""
    now = timezone.now()
    open_question = _question(OPEN_QUESTION, opens_at=now - timedelta(days=20))
    choices = open_choices or OPEN_CHOICES
    _demo_votes(open_question, list(zip(choices, OPEN_RESULTS, strict=True)))
    closed = _question(
        CLOSED_QUESTION,
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=30),
    )
    _demo_votes(closed, CLOSED_RESULTS)
    stdout.write("Thăm dò: 2 câu hỏi.")
