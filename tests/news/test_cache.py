"""The shared page cache: fresh after every edit, never mixing visitors' tokens."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.middleware.csrf import _does_token_match
from django.test import Client
from django.utils import timezone

from news.models import ArticleStatus, Section
from polls.models import Choice, Question
from tests.conftest import login
from tests.news.helpers import make_article, make_section

pytestmark = pytest.mark.django_db


def test_publishing_or_editing_an_article_shows_at_once(client):
    first = make_article("Bài đầu tiên")
    assert "Bài đầu tiên" in client.get("/tin-tuc/").content.decode()
    draft = make_article("Bài mới toanh", status=ArticleStatus.DRAFT)
    assert "Bài mới toanh" not in client.get("/tin-tuc/").content.decode()
    draft.status = ArticleStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert "Bài mới toanh" in client.get("/tin-tuc/").content.decode()
    assert "Bài mới toanh" in client.get("/").content.decode()
    first.title = "Tiêu đề đã sửa"
    first.save()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Tiêu đề đã sửa" in page
    first.delete()
    assert "Tiêu đề đã sửa" not in client.get("/tin-tuc/").content.decode()


def test_renaming_a_section_shows_at_once(client):
    section = make_section("Tên cũ")
    make_article(section=section)
    assert "Tên cũ" in client.get("/").content.decode()
    Section.objects.filter(pk=section.pk).update(name="x")  # no signal: stays cached
    assert "Tên cũ" in client.get("/").content.decode()
    section.name = "Tên mới"
    section.save()
    assert "Tên mới" in client.get("/").content.decode()


def test_a_scheduled_article_appears_on_cached_pages_at_its_time(client):
    make_article("Đã đăng từ trước")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        make_article(
            "Bài hẹn giờ",
            status=ArticleStatus.SCHEDULED,
            published_at=start + timedelta(seconds=90),
        )
        assert "Bài hẹn giờ" not in client.get("/tin-tuc/").content.decode()
        traveller.shift(timedelta(seconds=91))
        assert "Bài hẹn giờ" in client.get("/tin-tuc/").content.decode()


def test_signed_in_staff_never_get_cached_pages(client, editor):
    article = make_article("Bài công khai")
    client.get("/tin-tuc/")
    login(client, editor)
    html = client.get("/tin-tuc/").content.decode()
    assert "Đăng xuất" in html and "Bài công khai" in html
    assert "Đăng xuất" not in Client().get("/tin-tuc/").content.decode()
    assert article.title in Client().get("/tin-tuc/").content.decode()


def test_a_signed_out_visitor_with_a_session_cookie_gets_the_cached_page(
    client, editor, django_assert_max_num_queries
):
    make_article("Bài công khai")
    Client().get("/tin-tuc/")  # cached by an anonymous visitor
    login(client, editor)
    client.post("/dang-xuat/")  # the session cookie stays, emptied or stale
    client.cookies["sessionid"] = "stale-or-forged-session-key"
    with django_assert_max_num_queries(1):  # the session lookup, nothing more
        html = client.get("/tin-tuc/").content.decode()
    assert "Bài công khai" in html and "Đăng xuất" not in html


def test_cached_pages_give_each_visitor_their_own_csrf_token(client):
    question = Question.objects.create(
        text="Bạn quan tâm chuyên mục nào?",
        opens_at=timezone.now() - timedelta(days=1),
    )
    Choice.objects.create(question=question, text="Tin tức")
    make_article("Bài có hộp thăm dò")
    for url in ("/", "/tin-tuc/"):
        visitors = [Client(), Client(), Client()]
        for visitor in visitors:
            response = visitor.get(url)
            html = response.content.decode()
            tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            assert tokens, "the poll form must be on the page"
            secret = visitor.cookies["csrftoken"].value
            assert all(_does_token_match(token, secret) for token in tokens)
        secrets = {v.cookies["csrftoken"].value for v in visitors}
        assert len(secrets) == 3


def test_flash_messages_reach_the_visitor_on_a_cached_page(client):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    make_article("Bài một")
    Client().get("/tin-tuc/")  # another visitor fills the cache
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "Cảm ơn bạn đã bình chọn.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    html = client.get("/tin-tuc/").content.decode()
    assert "Cảm ơn bạn đã bình chọn." in html
    assert "Cảm ơn bạn đã bình chọn." not in Client().get("/tin-tuc/").content.decode()
    assert "<!--km-hole" not in html


def article_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q for q in captured.captured_queries if "news_article" in q["sql"]]


def test_unknown_query_parameters_are_served_fresh_not_cached(client):
    make_article("Bài một")
    for _ in range(2):
        assert article_queries(client, "/tin-tuc/?utm_source=zalo")
    article_queries(client, "/tin-tuc/?page=1")
    assert not article_queries(client, "/tin-tuc/?page=1")


def test_voting_with_the_token_of_a_cached_page_works_and_shows_results(client):
    from django.urls import reverse

    question = Question.objects.create(
        text="Bạn đọc chuyên mục nào nhiều nhất?",
        opens_at=timezone.now() - timedelta(days=1),
    )
    choice = Choice.objects.create(question=question, text="Tin tức")
    make_article("Bài một")
    Client().get("/tin-tuc/?page=1")  # another visitor fills both caches
    voter = Client(enforce_csrf_checks=True)
    html = voter.get("/tin-tuc/?page=1").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert 'name="next" value="/tin-tuc/?page=1"' in html
    response = voter.post(
        reverse("polls:vote", args=[question.pk]),
        {"choice": choice.pk, "csrfmiddlewaretoken": token, "next": "/tin-tuc/"},
    )
    assert response.status_code in (200, 302)
    choice.refresh_from_db()
    assert choice.votes == 1
    for url in ("/tin-tuc/?page=1", "/"):
        sidebar = voter.get(url).content.decode().split("data-poll-box", 1)[1]
        assert "<form" not in sidebar.split("</section>", 1)[0]
        other = Client().get(url).content.decode().split("data-poll-box", 1)[1]
        assert "<form" in other.split("</section>", 1)[0]


def test_poll_edits_and_new_counter_numbers_show_on_cached_pages(client):
    from portal import counter

    question = Question.objects.create(
        text="Câu hỏi ban đầu", opens_at=timezone.now() - timedelta(days=1)
    )
    Choice.objects.create(question=question, text="Có")
    make_article("Bài một")
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}
    for _ in range(3):
        Client().get("/tin-tuc/", **browser)
    question.text = "Câu hỏi đã sửa"
    question.save()
    html = Client().get("/tin-tuc/").content.decode()
    assert "Câu hỏi đã sửa" in html and "Câu hỏi ban đầu" not in html
    counter.forget_stats()
    shown = counter.stats()["hom_nay"]
    assert shown >= 3
    box = Client().get("/tin-tuc/").content.decode().split("counter-box-title", 1)[1]
    assert f">{shown}</dd>" in box
