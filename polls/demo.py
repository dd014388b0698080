"""Demo data of this app for `manage.py load_demo` (idempotent).

The open sidebar poll (its choices are the site's sections), one closed earlier poll
with results, and the visit counter's opening total with plausible recent days.
"""

import hashlib
from datetime import timedelta

from django.utils import timezone

from portal.counter import forget_stats, visit_day
from portal.models import DailyVisits, VisitCounterSettings

from .models import Choice, Question, Vote
from .services import recount_votes
from .voter import voter_key

OPEN_QUESTION = "Bạn quan tâm đến chuyên mục nào trên trang?"
# The news demo creates these sections; their names are used when present.
SECTIONS = [
    ("tin-tuc-su-kien", "Tin tức - Sự kiện"),
    ("xay-dung-kieu-mau", "Xây dựng kiểu mẫu"),
    ("thong-bao", "Thông báo"),
]
OPEN_RESULTS = [46, 29, 17]
CLOSED_QUESTION = "Bạn thấy thông tin về tiến độ xây dựng kiểu mẫu trên cổng thế nào?"
CLOSED_RESULTS = [
    ("Đầy đủ, dễ theo dõi", 184),
    ("Khá đầy đủ, cần cập nhật thường xuyên hơn", 121),
    ("Còn thiếu, cần thêm số liệu từng thôn, đơn vị", 57),
    ("Ý kiến khác", 13),
]
OPENING_TOTAL = 924631
DEMO_DAYS = 45


def _section_names():
    try:
        from news.models import Section
    except ImportError:  # pragma: no cover - the news app is part of the portal
        return [name for _slug, name in SECTIONS]
    found = dict(
        Section.objects.filter(slug__in=[s for s, _n in SECTIONS]).values_list(
            "slug", "name"
        )
    )
    return [found.get(slug, name) for slug, name in SECTIONS]


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


def _plausible_hits(day):
    """A stable, plausible number of page views for ``day`` (weekdays busier)."""
    noise = int(hashlib.sha256(day.isoformat().encode()).hexdigest()[:6], 16) % 900
    return (1700 if day.weekday() < 5 else 950) + noise


def _counter(now):
    settings_row = VisitCounterSettings.load()
    if not settings_row.opening_total:
        settings_row.opening_total = OPENING_TOTAL
        settings_row.note = (
            "Tổng lượt truy cập của trang web cũ khi chuyển sang cổng này."
        )
        settings_row.save()
    today = visit_day(now)
    rows = [
        DailyVisits(
            day=today - timedelta(days=n),
            hits=_plausible_hits(today - timedelta(days=n)),
        )
        for n in range(1, DEMO_DAYS + 1)
    ]
    # Today so far: a share of a day, so the widget is not empty on first start.
    rows.append(DailyVisits(day=today, hits=_plausible_hits(today) // 4))
    # Existing days (real counts) are left alone.
    DailyVisits.objects.bulk_create(rows, ignore_conflicts=True)
    forget_stats(now)


def load(*, stdout):
    """Create or update this app's demo rows."""
    now = timezone.now()
    open_question = _question(OPEN_QUESTION, opens_at=now - timedelta(days=20))
    _demo_votes(open_question, list(zip(_section_names(), OPEN_RESULTS, strict=True)))
    closed = _question(
        CLOSED_QUESTION,
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=30),
    )
    _demo_votes(closed, CLOSED_RESULTS)
    _counter(now)
    stdout.write(
        f"Thăm dò: 2 câu hỏi; bộ đếm truy cập: tổng ban đầu {OPENING_TOTAL:,}.".replace(
            ",", "."
        )
    )
