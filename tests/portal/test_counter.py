"""The visit counter: what is counted, calendar boundaries, the API, concurrency."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection, connections
from django.http import HttpResponse, JsonResponse
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from portal import counter
from portal.models import DailyVisits, VisitCounterSettings

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
PAGE = "/binh-chon/"  # a public page owned by this app, with the sidebar

pytestmark = pytest.mark.django_db


def today_hits():
    """Today's count from the database (after folding Redis, when it is used)."""
    return counter.compute_stats()["hom_nay"]


@pytest.fixture
def visitor():
    return Client(HTTP_USER_AGENT=BROWSER_UA)


def test_a_page_view_by_a_person_is_counted(visitor):
    assert visitor.get(PAGE).status_code == 200
    visitor.get(PAGE)
    assert today_hits() == 2


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp)",
        "Baiduspider",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "Wget/1.21",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0",
        "",
    ],
)
def test_robots_and_automated_browsers_are_not_counted(agent):
    Client(HTTP_USER_AGENT=agent).get(PAGE)
    assert today_hits() == 0


def test_head_requests_are_not_counted(visitor):
    assert visitor.head(PAGE).status_code == 200
    assert today_hits() == 0


def test_admin_api_health_and_errors_are_not_counted(visitor):
    assert visitor.get(f"/{django_settings.ADMIN_PATH}/login/").status_code == 200
    assert visitor.get("/api/truy-cap/").status_code == 200
    assert visitor.get("/healthz").status_code == 200
    assert visitor.get("/khong-co-trang-nay/").status_code == 404
    visitor.post(PAGE)  # 405
    assert today_hits() == 0


def test_prefetches_are_not_counted(visitor):
    visitor.get(PAGE, HTTP_SEC_PURPOSE="prefetch")
    assert today_hits() == 0


@pytest.mark.parametrize(
    "path, counted",
    [
        ("/", True),
        ("/tin-tuc/bai-viet/", True),
        ("/static/css/site.css", False),
        ("/static/trang.html", False),
        ("/media/anh/tep.html", False),
        ("/api/truy-cap/", False),
        ("/api/tong-hop/", False),
        ("/healthz", False),
        (f"/{django_settings.ADMIN_PATH}/", False),
        (f"/{django_settings.ADMIN_PATH}", False),
    ],
)
def test_which_paths_count(path, counted):
    request = RequestFactory().get(path, HTTP_USER_AGENT=BROWSER_UA)
    assert counter.is_page_view(request, HttpResponse("<p>x</p>")) is counted


def test_only_html_answered_200_counts():
    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER_UA)
    assert not counter.is_page_view(request, JsonResponse({}))
    assert not counter.is_page_view(request, HttpResponse("x", status=302))
    assert not counter.is_page_view(
        request, HttpResponse("x", content_type="text/plain")
    )


def test_the_switch_turns_counting_off(visitor, settings):
    settings.VISIT_COUNTER_ENABLED = False
    visitor.get(PAGE)
    assert today_hits() == 0


def test_a_broken_counter_never_breaks_the_page(visitor, monkeypatch):
    def boom(now=None):
        raise RuntimeError("database down")

    monkeypatch.setattr(counter, "record_hit", boom)
    assert visitor.get(PAGE).status_code == 200


def test_no_cookie_is_set_for_counting(visitor):
    response = visitor.get("/dang-nhap/")
    assert response.status_code == 200
    assert not [c for c in response.cookies if "truy" in c.lower() or "visit" in c]


# -- calendar: days, weeks from Monday, months, in Asia/Ho_Chi_Minh on a UTC server --

# 2025-11-30 is a Sunday and the last day of the month; 23:59:59 in Hanoi is
# 16:59:59 UTC and the next second is Monday 1 December 00:00:00.
LAST_SECOND = datetime(2025, 11, 30, 16, 59, 59, tzinfo=UTC)
FIRST_SECOND = LAST_SECOND + timedelta(seconds=1)


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Ho_Chi_Minh"])
def test_day_week_and_month_turn_at_midnight_vietnam_time(settings, server_zone):
    settings.TIME_ZONE = server_zone
    visitor = Client(HTTP_USER_AGENT=BROWSER_UA)
    DailyVisits.objects.create(day=date(2025, 11, 24), hits=10)  # Monday, same week
    DailyVisits.objects.create(day=date(2025, 11, 23), hits=100)  # Sunday before
    DailyVisits.objects.create(day=date(2025, 10, 31), hits=1000)  # previous month
    VisitCounterSettings.objects.create(opening_total=924631)

    with time_machine.travel(LAST_SECOND, tick=False):
        visitor.get(PAGE)
        assert counter.visit_day() == date(2025, 11, 30)
        before = counter.compute_stats()
    assert before == {
        "hom_nay": 1,
        "hom_qua": 0,
        "tuan_nay": 11,
        "thang_nay": 111,
        "tat_ca": 924631 + 1111,
    }

    with time_machine.travel(FIRST_SECOND, tick=False):
        visitor.get(PAGE)
        assert counter.visit_day() == date(2025, 12, 1)
        after = counter.compute_stats()
    assert after == {
        "hom_nay": 1,
        "hom_qua": 1,
        "tuan_nay": 1,
        "thang_nay": 1,
        "tat_ca": 924631 + 1112,
    }
    assert dict(DailyVisits.objects.values_list("day", "hits"))[date(2025, 12, 1)] == 1


def test_the_cached_numbers_do_not_survive_midnight(visitor):
    with time_machine.travel(LAST_SECOND, tick=False):
        assert counter.stats()["hom_nay"] == 0
        visitor.get(PAGE)
        assert counter.stats()["hom_nay"] == 0  # reused for up to STATS_TTL seconds
    with time_machine.travel(FIRST_SECOND, tick=False):
        assert counter.stats()["hom_nay"] == 0
        assert counter.stats()["hom_qua"] == 1


# -- the API and the widget --


def test_the_api_answers_the_contract_keys(client):
    VisitCounterSettings.objects.create(opening_total=924631)
    with time_machine.travel(FIRST_SECOND, tick=False):
        DailyVisits.objects.create(day=date(2025, 11, 30), hits=2206)
        DailyVisits.objects.create(day=date(2025, 12, 1), hits=566)
        response = client.get("/api/truy-cap/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "hom_nay": 566,
        "hom_qua": 2206,
        "tuan_nay": 566,
        "thang_nay": 566,
        "tat_ca": 924631 + 2206 + 566,
    }
    assert "max-age=30" in response["Cache-Control"]


def test_the_opening_total_is_edited_in_the_admin(client, superuser):
    from tests.conftest import login

    login(client, superuser)
    url = f"/{django_settings.ADMIN_PATH}/portal/visitcountersettings/add/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"opening_total": "924631", "note": "Trang cũ"})
    assert response.status_code == 302
    assert counter.stats()["tat_ca"] == 924631
    row = VisitCounterSettings.objects.get()
    row.opening_total = 1000
    row.save()  # forgets the cached numbers
    assert counter.stats()["tat_ca"] == 1000
    assert client.get(url).status_code == 403  # a single row


def test_the_widget_shows_the_five_numbers_on_every_page(visitor):
    VisitCounterSettings.objects.create(opening_total=924631)
    html = visitor.get(PAGE).content.decode()
    box = html.split('class="sidebar-box counter-box"', 1)[1].split("</section>", 1)[0]
    for label in ["Truy cập", "Hôm nay", "Hôm qua", "Tuần này", "Tháng này", "Tất cả"]:
        assert label in box
    assert "924.631" in box


def test_the_widgets_cost_a_small_constant_number_of_queries(rf, db):
    from datetime import timedelta as td

    from django.utils import timezone

    from polls.models import Choice, Question

    template = Template(
        "{% load polls_tags counter_tags %}{% poll_box %}{% counter_box %}"
    )

    def render_queries():
        request = rf.get("/")
        with CaptureQueriesContext(connection) as ctx:
            template.render(Context({"request": request, "csrf_token": "t"}))
        return len(ctx.captured_queries)

    cold_empty = render_queries()
    warm_empty = render_queries()
    now = timezone.now()
    for n in range(10):
        q = Question.objects.create(text=f"Câu {n}", opens_at=now - td(days=n + 1))
        Choice.objects.bulk_create(
            [Choice(question=q, text=f"P{i}", votes=i) for i in range(6)]
        )
    DailyVisits.objects.bulk_create(
        [DailyVisits(day=date(2025, 1, 1) + td(days=i), hits=i) for i in range(300)]
    )
    from django.core.cache import cache

    cache.clear()
    cold_full = render_queries()
    warm_full = render_queries()
    assert cold_full <= 4  # active poll + choices, counts + opening total
    assert cold_full - cold_empty <= 2  # independent of how many rows exist
    assert warm_empty == warm_full == 0 or connection.vendor != "sqlite"


def test_a_public_page_costs_the_same_queries_however_much_data(visitor, db):
    from datetime import timedelta as td

    from django.core.cache import cache
    from django.utils import timezone

    from polls.models import Choice, Question

    def page_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert visitor.get("/").status_code == 200
        return len(ctx.captured_queries)

    now = timezone.now()
    Question.objects.create(text="Đang mở", opens_at=now - td(hours=1))
    before = page_queries()
    for n in range(10):
        q = Question.objects.create(text=f"Câu {n}", opens_at=now - td(days=n + 1))
        Choice.objects.bulk_create(
            [Choice(question=q, text=f"P{i}", votes=i) for i in range(6)]
        )
    DailyVisits.objects.bulk_create(
        [DailyVisits(day=date(2025, 1, 1) + td(days=i), hits=i) for i in range(300)]
    )
    assert page_queries() == before


# -- concurrency: several threads (each its own connection) behave like processes --


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite (in-memory test database) cannot have concurrent writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_page_views_are_all_counted(settings):
    settings.COUNTER_CLIENT_LIMIT = 0  # all from one address
    n = 120

    @_in_thread
    def view(_i):
        return Client(HTTP_USER_AGENT=BROWSER_UA).get(PAGE).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(view, range(n)))
    assert statuses == [200] * n
    assert today_hits() == n
    assert DailyVisits.objects.get(day=counter.visit_day()).hits == n
    assert counter.fold_pending() == 0  # nothing left behind in Redis


def _uses_redis():
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    return isinstance(caches["default"], RedisCache)


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
def test_with_redis_a_view_is_one_incr_and_folds_into_the_database(visitor):
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            counter.record_hit()
    assert ctx.captured_queries == []  # no database write on the request path
    assert not DailyVisits.objects.exists()
    assert counter.fold_pending() == 5
    assert counter.fold_pending() == 0
    assert DailyVisits.objects.get().hits == 5


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
def test_with_redis_a_failed_fold_puts_the_counts_back(monkeypatch):
    for _ in range(3):
        counter.record_hit()

    def refuse(day, hits):
        raise RuntimeError("database refused")

    monkeypatch.setattr(counter, "_db_add", refuse)
    with pytest.raises(RuntimeError):
        counter.fold_pending()
    monkeypatch.undo()
    assert counter.fold_pending() == 3
    assert DailyVisits.objects.get().hits == 3


def test_without_redis_the_first_view_of_a_day_creates_the_row(db):
    if _uses_redis():
        pytest.skip("the database path is used without REDIS_URL")
    counter.record_hit()
    counter.record_hit()
    assert DailyVisits.objects.get().hits == 2


def test_a_failing_counter_store_hides_the_numbers_not_the_page(visitor, monkeypatch):
    def down(now=None):
        raise ConnectionError("redis down")

    monkeypatch.setattr(counter, "stats", down)
    response = visitor.get(PAGE)
    assert response.status_code == 200
    assert "Số liệu truy cập tạm thời chưa hiển thị được" in response.content.decode()


def test_district_staff_and_editors_may_set_the_opening_total(
    client, district_staff, editor
):
    from tests.conftest import login

    VisitCounterSettings.objects.create(opening_total=5)
    url = f"/{django_settings.ADMIN_PATH}/portal/visitcountersettings/1/change/"
    for user in (district_staff, editor):
        login(client, user)
        assert client.get(url).status_code == 200
    daily = f"/{django_settings.ADMIN_PATH}/portal/dailyvisits/"
    assert client.get(daily).status_code == 200


@pytest.mark.parametrize("url", ["/", "/tin-tuc/", "/tien-do/"])
def test_cached_pages_are_counted_exactly_once_per_view(visitor, url):
    # Served from the page cache or not: one view, one count.
    for _ in range(3):  # a miss, then hits
        assert visitor.get(url).status_code == 200
    visitor.head(url)
    Client(HTTP_USER_AGENT="Googlebot/2.1").get(url)
    assert today_hits() == 3


def test_a_request_that_is_not_a_page_view_is_not_counted(visitor):
    # A 404 found by the view, or a redirect, is no page view.
    assert visitor.get("/tin-tuc/khong-co-bai-nay/").status_code == 404
    assert visitor.get("/tin-tuc/?page=999").status_code in (200, 404)
    expected = 1 if visitor.get("/tin-tuc/?page=999").status_code == 200 else 0
    assert today_hits() == 2 * expected


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
def test_with_redis_unreachable_a_view_is_counted_in_the_database(visitor, monkeypatch):
    class Unreachable:
        def incr(self, key):
            raise ConnectionError("redis down")

    monkeypatch.setattr(counter, "_redis", Unreachable)
    counter.record_hit()
    assert DailyVisits.objects.get(day=counter.visit_day()).hits == 1


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
@pytest.mark.parametrize("url", ["/", "/tin-tuc/"])
def test_with_redis_a_cached_page_view_is_one_round_trip(visitor, monkeypatch, url):
    # The page-cache read carries the counter's INCR (kieumau.pagecache riders).
    from redis.connection import AbstractConnection

    for _ in range(2):  # fill the page cache and the sidebar's numbers
        assert visitor.get(url).status_code == 200
    sent = []
    real_send = AbstractConnection.send_packed_command

    def send(self, command, check_health=True):
        sent.append(command)
        return real_send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", send)
    before = today_hits()
    sent.clear()
    assert visitor.get(url).status_code == 200
    assert len(sent) == 1
    monkeypatch.undo()
    assert today_hits() == before + 1


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
def test_with_redis_a_view_counted_early_is_taken_back_when_not_a_page(visitor):
    # Counted with the cache read, then the view answered 404: taken back.
    assert visitor.get("/tin-tuc/?page=999").status_code == 404
    assert visitor.get("/tin-tuc/khong-co-bai-nay/").status_code == 404
    assert today_hits() == 0


@pytest.mark.skipif(not _uses_redis(), reason="needs REDIS_URL")
def test_with_redis_unreachable_a_cached_page_is_rendered_and_counted(
    visitor, monkeypatch
):
    from redis.client import Pipeline

    def down(self, *args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(Pipeline, "execute", down)
    monkeypatch.setattr(counter, "_redis", lambda: None)  # INCR falls back too
    assert visitor.get("/").status_code == 200
    monkeypatch.undo()
    assert DailyVisits.objects.get(day=counter.visit_day()).hits == 1


def test_a_view_whose_reply_timed_out_is_not_counted_again_in_the_database(
    db, monkeypatch
):
    # Sent to a frozen Redis, which applies it when it resumes (kieumau.redisguard);
    # counting it in the database as well would count it twice.
    from redis.exceptions import TimeoutError as RedisTimeoutError

    class Frozen:
        def incr(self, key):
            raise RedisTimeoutError("Timeout reading from socket")

    monkeypatch.setattr(counter, "_redis", Frozen)
    counter.record_hit()
    assert not DailyVisits.objects.exists()


def test_a_view_that_could_not_be_sent_is_counted_in_the_database(db, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    class Refusing:
        def incr(self, key):
            raise RedisConnectionError("cannot connect to Redis: refused")

    monkeypatch.setattr(counter, "_redis", Refusing)
    counter.record_hit()
    assert DailyVisits.objects.get(day=counter.visit_day()).hits == 1


@pytest.mark.skipif(not _uses_redis(), reason="the limit per client needs Redis")
@pytest.mark.parametrize("url", ["/", "/?utm_source=zalo"])  # cached, and not
def test_one_client_counts_at_most_the_limit_per_minute(visitor, settings, url):
    settings.COUNTER_CLIENT_LIMIT = 3
    for _ in range(5):
        assert visitor.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert visitor.get(url, REMOTE_ADDR="203.0.113.10").status_code == 200
    assert today_hits() == 4  # three from the first address, one from the other


@pytest.mark.skipif(not _uses_redis(), reason="the limit per client needs Redis")
def test_the_limit_per_client_keeps_no_address_in_redis(visitor, settings):
    from django_redis import get_redis_connection

    settings.COUNTER_CLIENT_LIMIT = 3
    visitor.get("/", REMOTE_ADDR="203.0.113.9")
    keys = [k.decode() for k in get_redis_connection("default").keys("*")]
    assert any("visits:client:" in k for k in keys)
    assert not any("203.0.113" in k for k in keys)


@pytest.mark.skipif(not _uses_redis(), reason="the limit per client needs Redis")
def test_exempt_addresses_and_a_zero_limit_count_every_view(visitor, settings):
    settings.COUNTER_CLIENT_LIMIT = 2
    settings.RATE_LIMIT_EXEMPT_ADDRESSES = ["198.51.100.0/24"]
    for _ in range(4):
        visitor.get("/", REMOTE_ADDR="198.51.100.7")
    settings.COUNTER_CLIENT_LIMIT = 0
    for _ in range(4):
        visitor.get("/", REMOTE_ADDR="203.0.113.9")
    assert today_hits() == 8
