"""The shared page cache: fresh after every edit, nothing of one visitor in it."""

import re
from datetime import timedelta

import pytest
import time_machine
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


def token_of(visitor):
    """What poll.js does when a vote is sent from a cached page: ask for a token."""
    answer = visitor.get("/binh-chon/ma/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    return answer.json()["token"]


def test_cached_pages_carry_no_token_and_each_visitor_gets_their_own(client):
    from django.urls import reverse

    question = Question.objects.create(
        text="Bạn quan tâm chuyên mục nào?",
        opens_at=timezone.now() - timedelta(days=1),
    )
    choice = Choice.objects.create(question=question, text="Tin tức")
    make_article("Bài có hộp thăm dò")
    for url in ("/", "/tin-tuc/"):
        visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
        pages = [visitor.get(url) for visitor in visitors]
        for page in pages:
            html = page.content.decode()
            assert "data-poll-form" in html, "the poll form must be on the page"
            assert "csrfmiddlewaretoken" not in html
            assert "csrftoken" not in page.cookies  # no cookie minted per reader
        tokens = [token_of(visitor) for visitor in visitors]
        secrets = {v.cookies["csrftoken"].value for v in visitors}
        assert len(secrets) == 3 and len(set(tokens)) == 3
        vote = reverse("polls:vote", args=[question.pk])
        # Each visitor's token passes Django's CSRF check; another's does not.
        stranger = visitors[0].post(
            vote, {"choice": choice.pk, "csrfmiddlewaretoken": tokens[1]}
        )
        assert stranger.status_code == 403
        for visitor, token in zip(visitors, tokens, strict=True):
            answer = visitor.post(
                vote, {"choice": choice.pk, "csrfmiddlewaretoken": token}
            )
            assert answer.status_code != 403


def test_without_scripts_the_sidebar_form_opens_the_poll_page_with_the_choice_ticked(
    client,
):
    question = Question.objects.create(
        text="Bạn đọc chuyên mục nào nhiều nhất?",
        opens_at=timezone.now() - timedelta(days=1),
    )
    choice = Choice.objects.create(question=question, text="Tin tức", order=1)
    Choice.objects.create(question=question, text="Văn bản", order=2)
    html = client.get("/tin-tuc/").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" data-poll-form', html)
    assert form and form.group(1) == question.get_absolute_url()
    page = client.get(form.group(1), {"choice": choice.pk}).content.decode()
    assert f'value="{choice.pk}" checked required' in page
    assert "csrfmiddlewaretoken" in page  # the poll's own page posts the vote
    for odd in ("abc", "99999999999999999999", "١٢"):  # never a 500
        assert client.get(form.group(1), {"choice": odd}).status_code == 200


def test_a_shared_copy_with_a_csrf_token_is_refused(client, settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    # A sidebar someone gave a form with a token: every reader would get the same.
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "sidebar.html").write_text(
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="{{ csrf_token }}"></form>'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    make_article("Bài một")
    with pytest.raises(ImproperlyConfigured, match="CSRF token"):
        client.get("/tin-tuc/")


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


def test_voting_from_a_cached_page_works_and_shows_results(client):
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
    vote = reverse("polls:vote", args=[question.pk])
    assert (
        f'data-vote-url="{vote}"' in html and 'data-token-url="/binh-chon/ma/"' in html
    )
    response = voter.post(
        vote,
        {"choice": choice.pk, "csrfmiddlewaretoken": token_of(voter)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200 and "Tin tức" in response.json()["html"]
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


def test_an_edit_made_through_another_app_server_shows_at_once(client):
    from kieumau import versions
    from news.models import VERSION, Article

    article = make_article("Tiêu đề cũ")
    assert "Tiêu đề cũ" in client.get("/tin-tuc/").content.decode()
    # Another server saves the article: the row changes and its signal bumps the
    # shared version; nothing of this process is told.
    Article.objects.filter(pk=article.pk).update(title="Tiêu đề mới")
    assert "Tiêu đề cũ" in client.get("/tin-tuc/").content.decode()
    versions.bump(VERSION)
    html = client.get("/tin-tuc/").content.decode()
    assert "Tiêu đề mới" in html and "Tiêu đề cũ" not in html


def test_new_figures_show_at_once_on_the_cached_dashboard(client):
    from registrations import figures
    from registrations.models import Registration
    from tests.factories import make_title, make_unit

    unit, title = make_unit(name="Phòng Văn hóa mới"), make_title()
    assert client.get("/tien-do/2017/").status_code == 200
    # Saved with no signal, as if on another server: the cached page stays...
    Registration.objects.bulk_create([Registration(unit=unit, title=title, year=2017)])
    assert unit.name not in client.get("/tien-do/2017/").content.decode()
    figures.invalidate()  # ...until the figures version moves (the signals' job)
    assert unit.name in client.get("/tien-do/2017/").content.decode()


def test_versions_never_repeat_even_under_a_frozen_clock():
    from kieumau import versions

    with time_machine.travel(timezone.now(), tick=False):
        seen = set()
        for _ in range(3):
            versions.bump("news")
            seen.add(versions.get("news"))
            versions.bump("figures")
            seen.add(versions.get("figures"))
    assert len(seen) == 6


def test_a_new_release_of_any_app_renders_pages_anew(client, tmp_path):
    import os
    from pathlib import Path

    from kieumau import pagecache

    pagecache.release.cache_clear()
    stamp = pagecache.release()
    module = Path(__file__).resolve().parents[2] / "registrations" / "apps.py"
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
        pagecache.release.cache_clear()
        assert pagecache.release() != stamp
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
        pagecache.release.cache_clear()
    assert pagecache.release() == stamp
