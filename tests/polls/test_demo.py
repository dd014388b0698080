import io

import pytest

from polls import demo
from polls.models import Choice, Question, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_poll_idempotently():
    demo.load(stdout=io.StringIO())
    first = (
        Question.objects.count(),
        Choice.objects.count(),
        Vote.objects.count(),
        sorted(Choice.objects.values_list("text", "votes")),
    )
    demo.load(stdout=io.StringIO())
    again = (
        Question.objects.count(),
        Choice.objects.count(),
        Vote.objects.count(),
        sorted(Choice.objects.values_list("text", "votes")),
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


def test_the_demo_names_the_open_polls_choices_as_told():
    demo.load(stdout=io.StringIO(), open_choices=["Một", "Hai", "Ba"])
    open_poll = Question.objects.open().get()
    assert list(open_poll.choices.values_list("text", flat=True)) == [
        "Một",
        "Hai",
        "Ba",
    ]
