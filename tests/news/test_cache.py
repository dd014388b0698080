"""The shared page cache: fresh after every edit, never mixing visitors' tokens."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
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


def _server(monkeypatch, copies):
    """Act as the app server whose process holds ``copies``."""
    from news import pagecache

    monkeypatch.setattr(pagecache, "local_copies", copies)


def test_a_process_serves_its_own_copy_without_reading_the_shared_body(client):
    from news import pagecache

    make_article("Bài gốc")
    assert "Bài gốc" in client.get("/tin-tuc/").content.decode()
    # Same versions, other bytes in the shared entry: the process's copy is used.
    key = pagecache._key("/tin-tuc/")
    versions, until, _ = cache.get(key)
    cache.set(key, (versions, until, b"<p>shared body</p>"), 60)
    html = client.get("/tin-tuc/").content.decode()
    assert "Bài gốc" in html and "shared body" not in html


def test_an_edit_through_another_server_shows_at_once_on_this_one(client, monkeypatch):
    from news.pagecache import _LocalCopies

    article = make_article("Tiêu đề cũ")
    this, other = _LocalCopies(2**20), _LocalCopies(2**20)
    _server(monkeypatch, this)
    assert "Tiêu đề cũ" in client.get("/tin-tuc/").content.decode()
    _server(monkeypatch, other)
    article.title = "Tiêu đề mới"
    article.save()  # the signal bumps the shared version
    assert "Tiêu đề mới" in client.get("/tin-tuc/").content.decode()
    _server(monkeypatch, this)  # still holds the page rendered before the edit
    html = client.get("/tin-tuc/").content.decode()
    assert "Tiêu đề mới" in html and "Tiêu đề cũ" not in html


def test_new_figures_show_at_once_on_a_server_holding_an_older_copy(client):
    from news import pagecache
    from registrations import figures

    client.get("/tien-do/2017/")
    # What a figures change on any server does: bump the shared figures version.
    old = cache.get(figures.VERSION_KEY)
    figures.invalidate()
    assert cache.get(figures.VERSION_KEY) != old
    key = pagecache._key("/tien-do/2017/")
    assert cache.get(key)[0][1] == old
    client.get("/tien-do/2017/")
    assert cache.get(key)[0][1] == cache.get(figures.VERSION_KEY)


def test_page_copies_are_bounded_and_the_least_recently_used_goes_first():
    from news.pagecache import _LocalCopies

    copies = _LocalCopies(max_bytes=30)
    until = timezone.now() + timedelta(minutes=5)
    now = timezone.now()
    copies.put("a", (1,), until, (b"xx", b"sidebar", b"x"))  # 10 bytes
    copies.put("b", (1,), until, (b"y" * 10,))
    copies.put("c", (1,), until, (b"z" * 10,))
    assert copies.get("a", (1,), now) == (b"xx", b"sidebar", b"x")
    copies.put("d", (1,), until, (b"w" * 10,))  # over 30 bytes: "b" goes
    assert copies.get("b", (1,), now) is None
    assert [copies.get(k, (1,), now) is not None for k in "acd"] == [True] * 3
    copies.put("e", (1,), until, (b"v" * 31,))  # larger than the bound: not kept
    assert copies.get("e", (1,), now) is None and len(copies) == 3


def test_a_page_copy_is_refused_under_other_versions_or_past_its_validity():
    from news.pagecache import _LocalCopies

    copies = _LocalCopies(max_bytes=100)
    now = timezone.now()
    page = (b"page",)
    copies.put("a", (1, 2), now + timedelta(seconds=5), page)
    assert copies.get("a", (1, 3), now) is None
    assert len(copies) == 0  # a stale copy is dropped when found stale
    copies.put("a", (1, 2), now + timedelta(seconds=5), page)
    assert copies.get("a", (1, 2), now + timedelta(seconds=5)) is None
    copies.put("a", (1, 2), now + timedelta(seconds=5), page)
    assert copies.get("a", (1, 2), now) == page


def test_a_page_is_kept_split_at_its_holes():
    from news.pagecache import _split

    body = b"<p>a</p><!--km-hole:messages--><main>b</main><!--km-hole:sidebar--><f>"
    assert _split(body) == (
        b"<p>a</p>",
        b"messages",
        b"<main>b</main>",
        b"sidebar",
        b"<f>",
    )
    assert _split(b"<p>no hole</p>") == (b"<p>no hole</p>",)


def test_versions_never_repeat_even_under_a_frozen_clock():
    from news import pagecache
    from registrations import figures

    with time_machine.travel(timezone.now(), tick=False):
        seen = set()
        for _ in range(3):
            pagecache.bump_version()
            seen.add(cache.get(pagecache.VERSION_KEY))
            figures.invalidate()
            seen.add(cache.get(figures.VERSION_KEY))
    assert len(seen) == 6
