import io

import pytest

from polls import demo
from polls.models import Choice, Question, Vote
from portal import counter
from portal.models import DailyVisits, VisitCounterSettings

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_poll_and_fills_the_counter_idempotently():
    demo.load(stdout=io.StringIO())
    first = (
        Question.objects.count(),
        Choice.objects.count(),
        Vote.objects.count(),
        sorted(Choice.objects.values_list("text", "votes")),
        DailyVisits.objects.count(),
    )
    demo.load(stdout=io.StringIO())
    again = (
        Question.objects.count(),
        Choice.objects.count(),
        Vote.objects.count(),
        sorted(Choice.objects.values_list("text", "votes")),
        DailyVisits.objects.count(),
    )
    assert first == again
    open_poll = Question.objects.open().get()
    assert open_poll.text == "Bạn quan tâm đến chuyên mục nào trên trang?"
    assert list(open_poll.choices.values_list("text", flat=True)) == [
        "Tin tức - Sự kiện",
        "Xây dựng kiểu mẫu",
        "Thông báo",
    ]
    closed = Question.objects.closed().get()
    assert (
        sum(closed.choices.values_list("votes", flat=True))
        == Vote.objects.filter(question=closed).count()
    )
    assert VisitCounterSettings.objects.get().opening_total == 924631
    figures = counter.compute_stats()
    assert all(figures[k] > 0 for k in ("hom_nay", "hom_qua", "tuan_nay", "thang_nay"))
    assert figures["tat_ca"] > 924631


def test_the_demo_uses_the_news_sections_names_when_present():
    from news.models import Section

    Section.objects.create(name="Tin tức – Sự kiện", slug="tin-tuc-su-kien")
    demo.load(stdout=io.StringIO())
    open_poll = Question.objects.open().get()
    assert open_poll.choices.first().text == "Tin tức – Sự kiện"


def test_the_demo_leaves_real_counts_alone():
    today = counter.visit_day()
    DailyVisits.objects.create(day=today, hits=7)
    VisitCounterSettings.objects.create(opening_total=12)
    demo.load(stdout=io.StringIO())
    assert DailyVisits.objects.get(day=today).hits == 7
    assert VisitCounterSettings.objects.get().opening_total == 12
