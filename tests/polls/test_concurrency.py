"""Concurrent voters: counts are incremented in the database, never lost.

Runs on PostgreSQL (CI's second run). SQLite is skipped: the suite's SQLite database
is in memory with a shared cache, where concurrent writers get "database table is
locked" at once (a table lock, which SQLite's busy timeout does not retry), so it
cannot have concurrent writers at all.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from polls.models import Vote

from .conftest import make_question, vote_url, votes_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite (in-memory test database) cannot have concurrent writers",
    ),
]

WORKERS = 16


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_votes_from_distinct_browsers_count_exactly_200(settings):
    settings.POLL_VOTES_PER_ADDRESS = 1000
    question = make_question(choices=3)
    choice_ids = list(question.choices.order_by("order").values_list("pk", flat=True))

    @_in_thread
    def vote(n):
        browser = Client(REMOTE_ADDR=f"10.1.{n // 200}.{n % 200 + 1}")
        response = browser.post(
            vote_url(question),
            {"choice": choice_ids[n % 3]},
            HTTP_ACCEPT="application/json",
        )
        return response.status_code

    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = list(pool.map(vote, range(200)))

    assert statuses == [200] * 200
    assert votes_of(question) == [67, 67, 66]
    assert Vote.objects.filter(question=question).count() == 200


@pytest.mark.django_db(transaction=True)
def test_one_browser_racing_itself_is_counted_once(settings):
    settings.POLL_VOTES_PER_ADDRESS = 1000
    question = make_question(choices=2)
    choice_id = question.choices.order_by("order").first().pk
    first = Client()
    first.post(vote_url(question), {"choice": choice_id})
    Vote.objects.all().delete()
    question.choices.update(votes=0)
    cookie = first.cookies["km_binh_chon"].value

    @_in_thread
    def vote(_n):
        browser = Client()
        browser.cookies["km_binh_chon"] = cookie
        return browser.post(
            vote_url(question), {"choice": choice_id}, HTTP_ACCEPT="application/json"
        ).status_code

    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = list(pool.map(vote, range(40)))

    assert sorted(statuses) == [200] + [409] * 39
    assert votes_of(question) == [1, 0]
