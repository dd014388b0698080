from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from polls.models import Question, Vote
from polls.voter import COOKIE_NAME

from .conftest import BROWSER_UA, make_question, vote_url, votes_of

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _first_choice(question):
    return question.choices.order_by("order").first()


def test_citizen_votes_once_and_sees_the_results(citizen, open_question):
    choice = _first_choice(open_question)
    response = citizen.post(
        vote_url(open_question), {"choice": choice.pk, "next": "/binh-chon/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/binh-chon/"
    assert "Cảm ơn" in _messages(response)[0]
    assert votes_of(open_question) == [1, 0, 0]
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    page = citizen.get(open_question.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bạn đã bình chọn câu hỏi này" in html
    assert '<progress class="poll-bar" max="100" value="100"' in html
    assert 'style="' not in html


def test_the_same_browser_cannot_vote_twice_even_for_another_choice(
    citizen, open_question
):
    first, second = open_question.choices.order_by("order")[:2]
    citizen.post(vote_url(open_question), {"choice": first.pk})
    response = citizen.post(vote_url(open_question), {"choice": second.pk})
    assert response.status_code == 302
    assert "đã bình chọn cho câu hỏi này rồi" in _messages(response)[-1]
    assert votes_of(open_question) == [1, 0, 0]
    assert Vote.objects.count() == 1


def test_a_replayed_request_with_the_same_cookie_is_refused(open_question):
    choice = _first_choice(open_question)
    browser = Client()
    browser.post(vote_url(open_question), {"choice": choice.pk})
    replay = Client()
    replay.cookies[COOKIE_NAME] = browser.cookies[COOKIE_NAME].value
    response = replay.post(
        vote_url(open_question), {"choice": choice.pk}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert "đã bình chọn" in response.json()["message"]
    assert votes_of(open_question) == [1, 0, 0]


def test_a_forged_voter_cookie_is_ignored_and_gets_a_fresh_id(citizen, open_question):
    citizen.cookies[COOKIE_NAME] = "gia-mao:khong-co-chu-ky"
    response = citizen.post(
        vote_url(open_question), {"choice": _first_choice(open_question).pk}
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME].value != "gia-mao:khong-co-chu-ky"
    assert votes_of(open_question) == [1, 0, 0]


def test_different_browsers_each_get_one_vote(open_question):
    choice = _first_choice(open_question)
    for _ in range(3):
        Client().post(vote_url(open_question), {"choice": choice.pk})
    assert votes_of(open_question) == [3, 0, 0]
    keys = set(Vote.objects.values_list("voter_key", flat=True))
    assert len(keys) == 3
    assert all(len(k) == 64 for k in keys)


@pytest.mark.parametrize(
    "bad", [None, "", "abc", "-1", "999999", "1.5", "1 OR 1=1", "9" * 30, "١"]
)
def test_a_missing_or_unknown_choice_is_refused_in_vietnamese(
    citizen, open_question, bad
):
    data = {} if bad is None else {"choice": bad}
    response = citizen.post(vote_url(open_question), data)
    assert response.status_code == 302
    assert "Vui lòng chọn một phương án" in _messages(response)[0]
    assert votes_of(open_question) == [0, 0, 0]
    assert not Vote.objects.exists()


def test_a_choice_of_another_question_is_refused(citizen, open_question):
    other = make_question("Câu hỏi khác")
    response = citizen.post(
        vote_url(open_question), {"choice": _first_choice(other).pk}
    )
    assert "Vui lòng chọn một phương án" in _messages(response)[0]
    assert votes_of(open_question) == [0, 0, 0]
    assert votes_of(other) == [0, 0, 0]


def test_a_closed_poll_refuses_votes(citizen, closed_question):
    response = citizen.post(
        vote_url(closed_question), {"choice": _first_choice(closed_question).pk}
    )
    assert response.status_code == 302
    assert "đã kết thúc" in _messages(response)[0]
    assert votes_of(closed_question) == [0, 0, 0]


def test_a_poll_that_has_not_opened_yet_is_not_found(citizen):
    later = make_question(opens_at=timezone.now() + timedelta(days=2))
    response = citizen.post(vote_url(later), {"choice": _first_choice(later).pk})
    assert "Không tìm thấy" in _messages(response)[0]
    assert votes_of(later) == [0, 0, 0]
    assert citizen.get(later.get_absolute_url()).status_code == 404


def test_an_unknown_question_gets_a_vietnamese_message_not_a_500(citizen, db):
    response = citizen.post("/binh-chon/987654/bieu-quyet/", {"choice": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/binh-chon/"
    assert "Không tìm thấy" in _messages(response)[0]
    json = citizen.post(
        "/binh-chon/987654/bieu-quyet/", {"choice": "1"}, HTTP_ACCEPT="application/json"
    )
    assert json.status_code == 404
    assert json.json()["ok"] is False


def test_a_huge_question_number_is_not_found_not_a_500(citizen, db):
    response = citizen.post(f"/binh-chon/{'9' * 30}/bieu-quyet/", {"choice": "1"})
    assert response.status_code == 302
    assert "Không tìm thấy" in _messages(response)[0]
    assert citizen.get(f"/binh-chon/{'9' * 30}/").status_code == 404


def test_voting_needs_post(citizen, open_question):
    assert citizen.get(vote_url(open_question)).status_code == 405


def test_voting_without_the_csrf_token_is_refused(open_question):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        vote_url(open_question), {"choice": _first_choice(open_question).pk}
    )
    assert response.status_code == 403
    assert votes_of(open_question) == [0, 0, 0]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "polls:list",  # a word: redirect() would look it up as a view name
        "abc",
        "²",
        "/binh-chon/\r\nSet-Cookie: x=1",  # no header injection, no 500
        "/\x00",
    ],
)
def test_an_offsite_or_odd_next_is_not_followed(citizen, open_question, target):
    response = citizen.post(
        vote_url(open_question),
        {"choice": _first_choice(open_question).pk, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == open_question.get_absolute_url()


def test_the_json_answer_carries_the_results_fragment(citizen, open_question):
    response = citizen.post(
        vote_url(open_question),
        {"choice": _first_choice(open_question).pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert "<progress" in data["html"]
    assert "100%" in data["html"]


# A page with the sidebar poll box (served from the page cache, holes filled per
# visitor); the poll pages themselves show the poll in their content instead.
SIDEBAR_PAGE = "/"


def test_results_are_hidden_before_voting_and_shown_when_closed(
    citizen, open_question, closed_question
):
    html = citizen.get("/binh-chon/").content.decode()
    open_part, closed_part = html.split("Câu hỏi đã kết thúc", 1)
    assert "<progress" not in open_part.split(open_question.text, 1)[1]
    assert "<progress" in closed_part
    assert 'name="choice"' in open_part


def test_the_sidebar_shows_the_form_then_the_results(citizen, open_question):
    page = citizen.get("/binh-chon/987654/")
    assert page.status_code == 404
    html = citizen.get(SIDEBAR_PAGE).content.decode()
    sidebar = html.split("data-poll-box", 1)[1].split("</section>", 1)[0]
    assert open_question.text in sidebar and "Bình chọn" in sidebar
    citizen.post(vote_url(open_question), {"choice": _first_choice(open_question).pk})
    html = citizen.get(SIDEBAR_PAGE).content.decode()
    sidebar = html.split("data-poll-box", 1)[1].split("</section>", 1)[0]
    assert "<form" not in sidebar
    assert "Bạn đã bình chọn câu hỏi này" in sidebar


def test_the_sidebar_shows_the_latest_open_poll_and_updates_when_edited(citizen, db):
    make_question("Câu hỏi cũ hơn", opens_at=timezone.now() - timedelta(days=5))
    newer = make_question("Câu hỏi mới nhất")
    html = citizen.get(SIDEBAR_PAGE).content.decode()
    assert "Câu hỏi mới nhất" in html.split("data-poll-box", 1)[1]
    newer.text = "Câu hỏi đã sửa"
    newer.save()  # the cached box is forgotten
    html = citizen.get(SIDEBAR_PAGE).content.decode()
    assert "Câu hỏi đã sửa" in html.split("data-poll-box", 1)[1]


def test_the_sidebar_says_when_no_poll_is_open(citizen, closed_question):
    html = citizen.get(SIDEBAR_PAGE).content.decode()
    assert "Hiện chưa có cuộc thăm dò nào đang mở" in html


def test_poll_pages_do_not_show_the_poll_again_in_the_sidebar(citizen, open_question):
    for url in ("/binh-chon/", f"/binh-chon/{open_question.pk}/"):
        html = citizen.get(url).content.decode()
        content, sidebar = html.split('aria-label="Thông tin bên lề"', 1)
        assert open_question.text in content
        assert "data-poll-box" not in sidebar and open_question.text not in sidebar
        assert "counter-box-title" in sidebar  # the visit counter stays


def test_the_poll_list_is_paginated_without_n_plus_one(
    citizen, db, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(15):
        make_question(
            f"Câu hỏi {n}",
            choices=4,
            opens_at=now - timedelta(days=30 + n),
            closes_at=now - timedelta(days=n + 1),
        )
    citizen.get("/binh-chon/")  # warm the sidebar caches
    with django_assert_max_num_queries(12):
        response = citizen.get("/binh-chon/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.num_pages == 2
    assert citizen.get("/binh-chon/?page=2").status_code == 200
    assert citizen.get("/binh-chon/?page=99").status_code == 404


def test_a_question_must_close_after_it_opens(db):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    question = Question(text="Sai thời gian", opens_at=now, closes_at=now)
    with pytest.raises(ValidationError):
        question.full_clean()


def test_a_choice_with_votes_cannot_be_deleted_alone_but_the_question_can(
    citizen, open_question
):
    from django.db.models import RestrictedError

    choice = _first_choice(open_question)
    citizen.post(vote_url(open_question), {"choice": choice.pk})
    with pytest.raises(RestrictedError):
        choice.delete()
    open_question.delete()
    assert not Vote.objects.exists()


def test_browser_user_agent_is_irrelevant_to_voting(open_question):
    browser = Client(HTTP_USER_AGENT=BROWSER_UA)
    browser.post(vote_url(open_question), {"choice": _first_choice(open_question).pk})
    assert votes_of(open_question) == [1, 0, 0]
