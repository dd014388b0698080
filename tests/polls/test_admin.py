import csv
import io

import pytest
from django.conf import settings

from polls.admin import csv_safe
from polls.models import Choice, Question
from tests.conftest import login

from .conftest import make_question

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_PATH}/polls/question/"


def test_editors_may_manage_polls(client, editor):
    login(client, editor)
    assert client.get(ADMIN).status_code == 200
    assert client.get(f"{ADMIN}add/").status_code == 200
    for codename in [
        "add_question",
        "change_question",
        "delete_question",
        "add_choice",
    ]:
        assert editor.has_perm(f"polls.{codename}")


def test_an_editor_creates_a_question_with_choices_inline(client, editor):
    login(client, editor)
    data = {
        "text": "Bạn đọc tin trên thiết bị nào?",
        "opens_at_0": "01/11/2026",
        "opens_at_1": "08:00:00",
        "closes_at_0": "",
        "closes_at_1": "",
        "choices-TOTAL_FORMS": "3",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "Điện thoại",
        "choices-0-order": "1",
        "choices-1-text": "Máy tính",
        "choices-1-order": "2",
        "choices-2-text": "",
        "choices-2-order": "0",
    }
    response = client.post(f"{ADMIN}add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(text="Bạn đọc tin trên thiết bị nào?")
    assert list(question.choices.values_list("text", "votes")) == [
        ("Điện thoại", 0),
        ("Máy tính", 0),
    ]


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999"])
def test_a_poll_year_out_of_range_is_refused_in_vietnamese(client, editor, day):
    login(client, editor)
    data = {
        "text": "Bạn đọc tin trên thiết bị nào?",
        "opens_at_0": day,
        "opens_at_1": "00:00:00",
        "closes_at_0": "",
        "closes_at_1": "",
        "choices-TOTAL_FORMS": "1",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "Điện thoại",
        "choices-0-order": "1",
    }
    response = client.post(f"{ADMIN}add/", data)
    assert response.status_code == 200
    assert "Năm phải trong khoảng 1900–2100." in response.content.decode()
    assert not Question.objects.exists()


def test_citizens_cannot_reach_the_poll_admin(client, unit_head):
    assert client.get(ADMIN).status_code == 302
    login(client, unit_head)
    assert client.get(ADMIN).status_code in {302, 403}


def test_results_export_as_csv_with_formulas_neutralised(client, editor):
    question = make_question('=HYPERLINK("http://x")', choices=0)
    Choice.objects.create(question=question, text="+cmd", order=1, votes=2)
    Choice.objects.create(question=question, text="Bình thường", order=2, votes=1)
    login(client, editor)
    response = client.post(
        ADMIN,
        {"action": "export_results_csv", "_selected_action": [question.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "ma_cau_hoi",
        "cau_hoi",
        "phuong_an",
        "so_phieu",
        "ty_le_phan_tram",
    ]
    assert rows[1] == [str(question.pk), '\'=HYPERLINK("http://x")', "'+cmd", "2", "67"]
    assert rows[2][2:] == ["Bình thường", "1", "33"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("Có", "Có"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_vote_counts_are_read_only_in_the_admin(client, superuser):
    question = make_question()
    login(client, superuser)
    html = client.get(f"{ADMIN}{question.pk}/change/").content.decode()
    assert 'name="choices-0-votes"' not in html
