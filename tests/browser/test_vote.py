"""A citizen votes in the sidebar poll, sees the results, and cannot vote again."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from polls.models import Choice, Vote
from tests.polls.conftest import make_question

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_votes_in_the_sidebar_and_cannot_vote_again(live_server, page):
    question = make_question("Bạn quan tâm đến chuyên mục nào trên trang?", choices=0)
    for order, text in enumerate(
        ["Tin tức - Sự kiện", "Xây dựng kiểu mẫu", "Thông báo"], start=1
    ):
        Choice.objects.create(question=question, text=text, order=order)
    Choice.objects.filter(text="Tin tức - Sự kiện").update(votes=3)
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    box = page.locator("[data-poll-box]")
    expect(box).to_contain_text("Bạn quan tâm đến chuyên mục nào trên trang?")
    box.get_by_label("Xây dựng kiểu mẫu").check()
    box.get_by_role("button", name="Bình chọn").click()

    expect(box).to_contain_text("Cảm ơn bạn đã gửi ý kiến")
    expect(box.locator("progress")).to_have_count(3)
    expect(box).to_contain_text("25%")  # 1 of 4 votes
    expect(box).to_contain_text("75%")
    assert page.url.rstrip("/") == live_server.url  # no page change: fetch
    ARTIFACTS.mkdir(exist_ok=True)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "poll-voted.png"), full_page=True)

    page.reload()
    box = page.locator("[data-poll-box]")
    expect(box).to_contain_text("Bạn đã bình chọn câu hỏi này")
    expect(box.locator("form")).to_have_count(0)
    expect(box.locator("progress")).to_have_count(3)

    # Replaying the vote from the same browser changes nothing.
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    choice = Choice.objects.get(text="Thông báo")
    answer = page.request.post(
        f"{live_server.url}/binh-chon/{question.pk}/bieu-quyet/",
        form={"choice": str(choice.pk), "csrfmiddlewaretoken": csrf},
        headers={"Accept": "application/json", "Referer": live_server.url + "/"},
    )
    assert answer.status == 409
    assert "đã bình chọn" in answer.json()["message"]
    assert Vote.objects.count() == 1
    assert list(question.choices.values_list("votes", flat=True)) == [3, 1, 0]
    page.screenshot(path=str(ARTIFACTS / "poll-reloaded.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p], problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_plain_form_still_votes(live_server, browser):
    question = make_question("Câu hỏi không cần JavaScript", choices=2)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/binh-chon/{question.pk}/")
    card = page.locator("article")
    card.get_by_label("Phương án 2").check()
    card.get_by_role("button", name="Bình chọn").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã gửi ý kiến")
    expect(card.locator("progress")).to_have_count(2)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "poll-no-js-mobile.png"), full_page=True)
    context.close()
    assert list(question.choices.values_list("votes", flat=True)) == [0, 1]
