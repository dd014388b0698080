"""The drafted quarterly briefing article."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from news.models import Article, ArticleStatus
from registrations.briefing import SECTION_NAME, SECTION_SLUG, draft_briefing
from tests.conftest import login
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db

SEED = Path("/work/shared/seed")


@pytest.fixture
def data():
    return figures_data.scenario()


def test_draft_states_the_quarters_figures_and_names(data, district_staff):
    article = draft_briefing(year=2017, quarter=2, by=district_staff)
    assert article.title == "Giao ban tiến độ xây dựng kiểu mẫu quý II/2017"
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert article.is_briefing
    assert article.section.slug == SECTION_SLUG
    assert article.section.name == SECTION_NAME
    assert article.created_by == district_staff
    assert not Article.objects.published().filter(pk=article.pk).exists()
    body = article.body
    assert "<strong>3</strong> đơn vị" in body  # registrations for 2017
    assert "Thôn, khu phố: <strong>2</strong>" in body
    assert "Cơ quan, đơn vị: <strong>1</strong>" in body
    assert "mầm non 0, tiểu học 0, THCS 0" in body
    assert "<strong>Thôn An Hòa</strong>" in body  # ahead of the roadmap
    # The lowest criteria at Q2, with their rates: sport 0/1, income 1/2.
    lagging = body[body.index("<ol>") : body.index("</ol>")]
    assert lagging.index("Khu thể thao") < lagging.index("Thu nhập")
    assert "0/1 đơn vị đạt, tỷ lệ 0,0%" in lagging
    assert "1/2 đơn vị đạt, tỷ lệ 50,0%" in lagging
    assert "Nhà văn hóa thôn" not in lagging  # met by both at Q2
    # Comparison with Q1: 4 criteria met then, 5 now.
    assert "So với quý I/2017" in body
    assert "tăng từ 4 lên 5" in body
    for tag in ("<h2>", "<ul>", "<ol>", "<li>", "<p>"):
        assert tag in body  # the sanitiser kept the structure


def test_draft_reuses_an_existing_section(data, district_staff):
    from news.models import Section

    section = Section.objects.create(name="Kiểu mẫu", slug=SECTION_SLUG)
    article = draft_briefing(year=2017, quarter=1, by=district_staff)
    assert article.section == section


def test_draft_escapes_names(data, district_staff):
    data["b"].name = "<script>alert(1)</script> Thôn"
    data["b"].save()
    article = draft_briefing(year=2017, quarter=1, by=district_staff)
    assert "<script>" not in article.body


def test_draft_does_not_copy_the_seed_article(data, district_staff):
    article = draft_briefing(year=2017, quarter=1, by=district_staff)
    text = re.sub(r"<[^>]+>", " ", article.body + " " + article.lead)
    words = text.lower().split()
    seed_words = (
        " ".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.txt"))
        .lower()
        .split()
    )
    seed = " ".join(seed_words)
    for i in range(len(words) - 5):
        assert " ".join(words[i : i + 6]) not in seed


def test_staff_with_article_rights_land_on_the_admin_change_page(client, data):
    user = figures_data.staff_user_with_article_rights()
    login(client, user)
    response = client.post("/bao-cao/ban-tin/", {"nam": 2017, "quy": 1})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:news_article_change", args=[article.pk]
    )
    assert client.get(response["Location"]).status_code == 200


def test_district_staff_draft_and_return_to_the_report(client, district_staff, data):
    login(client, district_staff)
    response = client.post("/bao-cao/ban-tin/", {"nam": 2017, "quy": 1}, follow=True)
    assert response.redirect_chain[-1][0] == "/bao-cao/?nam=2017&quy=1"
    assert "Đã tạo bản nháp" in response.content.decode()
    assert Article.objects.get().status == ArticleStatus.DRAFT


def test_the_report_shows_the_draft_button_to_staff(client, district_staff, data):
    login(client, district_staff)
    html = client.get("/bao-cao/", {"nam": 2017, "quy": 1}).content.decode()
    assert 'action="/bao-cao/ban-tin/"' in html and "csrfmiddlewaretoken" in html


@pytest.mark.parametrize("persona", ["editor", "unit_head"])
def test_others_cannot_draft(client, data, persona, request):
    login(client, request.getfixturevalue(persona))
    response = client.post("/bao-cao/ban-tin/", {"nam": 2017, "quy": 1})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_cannot_draft(client, data):
    response = client.post("/bao-cao/ban-tin/", {"nam": 2017, "quy": 1})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert not Article.objects.exists()


def test_drafting_needs_a_post_and_a_valid_period(client, district_staff, data):
    login(client, district_staff)
    assert client.get("/bao-cao/ban-tin/").status_code == 405
    response = client.post("/bao-cao/ban-tin/", {"nam": "abc", "quy": 1})
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_drafting_is_csrf_protected(data, district_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, district_staff)
    response = client.post("/bao-cao/ban-tin/", {"nam": 2017, "quy": 1})
    assert response.status_code == 403
    assert not Article.objects.exists()
