"""Sign-in protection: lockout, password rules, session expiry, admin path, reset."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from kieumau.middleware import client_ip
from tests import factories
from tests.conftest import login

LOGIN = "/dang-nhap/"
ADMIN_LOGIN = f"/{settings.ADMIN_PATH}/login/"
LIMIT = settings.SIGN_IN_FAILURE_LIMIT


def _fail(client, url, username, **headers):
    return client.post(
        url, {"username": username, "password": "sai-mat-khau-roi"}, headers=headers
    )


def _succeed(client, url, username):
    return client.post(url, {"username": username, "password": factories.PASSWORD})


def _assert_locked_out(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "Tài khoản tạm bị khóa đăng nhập" in text
    assert 'lang="vi"' in text


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_repeated_failures_lock_the_sign_in_with_a_vietnamese_page(
    client, district_staff, url
):
    for _ in range(LIMIT - 1):
        response = _fail(client, url, "canbo")
        assert response.status_code == 200
    _assert_locked_out(_fail(client, url, "canbo"))
    # Even the right password is refused while locked out.
    _assert_locked_out(_succeed(client, url, "canbo"))
    assert "_auth_user_id" not in client.session


def test_lockout_on_the_site_login_also_closes_the_admin_login(client, district_staff):
    for _ in range(LIMIT):
        _fail(client, LOGIN, "canbo")
    _assert_locked_out(_succeed(client, ADMIN_LOGIN, "canbo"))


def test_spoofed_forwarded_for_does_not_bypass_the_lockout_without_a_proxy(
    client, district_staff
):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(LIMIT - 1):
        response = _fail(client, LOGIN, "canbo", X_Forwarded_For=f"203.0.113.{n}")
        assert response.status_code == 200
    _assert_locked_out(_fail(client, LOGIN, "canbo", X_Forwarded_For="198.51.100.77"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_nginx_saw_is_used(client, district_staff):
    # The client prepends forged hops; nginx appends the real address last.
    for n in range(LIMIT - 1):
        response = _fail(
            client, LOGIN, "canbo", X_Forwarded_For=f"10.9.9.{n}, 203.0.113.5"
        )
        assert response.status_code == 200
    _assert_locked_out(
        _fail(client, LOGIN, "canbo", X_Forwarded_For="1.1.1.1, 203.0.113.5")
    )
    # Another visitor behind the same proxy can still sign in.
    other = client.__class__()
    response = other.post(
        LOGIN,
        {"username": "canbo", "password": factories.PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert response.status_code == 302


def test_client_ip_trusts_only_the_configured_number_of_proxies():
    rf = RequestFactory()
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.5"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "6.6.6.6"
    with override_settings(TRUSTED_PROXY_COUNT=3):  # fewer hops than proxies
        assert client_ip(request) == "127.0.0.1"
    garbage = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address")
    garbage.META["REMOTE_ADDR"] = "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(garbage) == "127.0.0.1"


def test_lockout_is_per_username_and_address(client, district_staff, editor):
    for _ in range(LIMIT):
        _fail(client, LOGIN, "canbo")
    response = _succeed(client, LOGIN, "bientap")
    assert response.status_code == 302


def test_successful_sign_in_resets_the_failure_count(client, district_staff):
    for _ in range(LIMIT - 1):
        _fail(client, LOGIN, "canbo")
    assert _succeed(client, LOGIN, "canbo").status_code == 302
    client.post("/dang-xuat/")
    for _ in range(LIMIT - 1):
        assert _fail(client, LOGIN, "canbo").status_code == 200
    assert _succeed(client, LOGIN, "canbo").status_code == 302


def test_lockout_ends_after_the_cooloff(client, district_staff):
    for _ in range(LIMIT):
        _fail(client, LOGIN, "canbo")
    _assert_locked_out(_succeed(client, LOGIN, "canbo"))
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert _succeed(client, LOGIN, "canbo").status_code == 302


@pytest.mark.parametrize(
    "password",
    [
        "Ngan-qua-1",  # shorter than 12
        "password1234",  # on the common-password list
        "qwertyuiop123",
        "839201746583920",  # digits only
    ],
)
def test_weak_passwords_are_rejected(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["mùa thu Đông Sơn 2017", "x" * 20 + "Đông-Khê-" + "9" * 35]
)
def test_long_passphrases_are_accepted(db, password):
    validate_password(password)


def test_staff_sessions_expire_after_eight_hours(client, district_staff):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert _succeed(client, LOGIN, "canbo").status_code == 302
    assert client.session.get_expiry_age() <= 8 * 3600
    assert client.session.get_expire_at_browser_close()
    admin_index = f"/{settings.ADMIN_PATH}/"
    assert client.get(admin_index).status_code == 200
    # The database row is the truth; time travel cannot move a Redis TTL, so the
    # clock test reads sessions from the database (the cache's TTL is checked below).
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db"):
        browser = client.__class__()  # a new handler reads the overridden engine
        browser.cookies = client.cookies
        with time_machine.travel(timezone.now() + timedelta(hours=7, minutes=50)):
            assert browser.get(admin_index).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
            response = browser.get(admin_index)
            assert response.status_code == 302
            assert "/login/" in response["Location"]


def test_cached_sessions_expire_from_redis_after_eight_hours(client, district_staff):
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        pytest.skip("needs REDIS_URL (sessions are cached in Redis in production)")
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        assert _succeed(client, LOGIN, "canbo").status_code == 302
        session = client.session
        ttl = cache.ttl(session.cache_key)  # django-redis's public ttl()
        assert 0 < ttl <= 8 * 3600


def test_session_key_changes_on_sign_in(client, district_staff):
    client.get(LOGIN)
    session = client.session
    session["marker"] = "before"
    session.save()
    before = session.session_key
    _succeed(client, LOGIN, "canbo")
    assert client.session.session_key != before


def _resolve_admin_with(admin_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="true", ADMIN_PATH=admin_path)
    code = (
        "import django; django.setup()\n"
        "from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n"
        "    resolve('/admin/'); print('admin-still-there')\n"
        "except Resolver404:\n"
        "    print('admin-gone')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "kieumau.settings"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return result.stdout.split()


def test_admin_lives_at_the_configured_path():
    assert _resolve_admin_with("quan-tri-7f3a") == ["/quan-tri-7f3a/", "admin-gone"]
    assert _resolve_admin_with("/bo-phan/quan-tri/") == [
        "/bo-phan/quan-tri/",
        "admin-gone",
    ]


def test_admin_login_page_offers_the_password_reset(client, db):
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 200
    assert 'href="/quen-mat-khau/"' in response.content.decode()


def test_login_page_is_vietnamese_and_links_the_password_reset(client, db):
    text = client.get(LOGIN).content.decode()
    assert "Đăng nhập" in text
    assert "Quên mật khẩu?" in text


@pytest.mark.parametrize("persona", ["unit_head", "district_staff"])
def test_password_reset_by_email_full_flow(client, request, persona):
    user = request.getfixturevalue(persona)
    user.email = f"{user.username}@dongson.example.vn"
    user.save()

    page = client.get("/quen-mat-khau/")
    assert page.status_code == 200
    assert "Quên mật khẩu" in page.content.decode()

    response = client.post("/quen-mat-khau/", {"email": user.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert "kiểm tra hộp thư" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Đặt lại mật khẩu" in message.subject
    assert "\n" not in message.subject
    link = re.search(r"https?://testserver(/dat-lai-mat-khau/\S+/)", message.body)
    assert link, message.body
    assert user.username in message.body

    response = client.get(link.group(1))
    assert response.status_code == 302  # Django hides the token from the page
    form_url = response["Location"]
    page = client.get(form_url)
    assert "Đặt mật khẩu mới" in page.content.decode()

    weak = client.post(
        form_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200
    assert "errorlist" in weak.content.decode() or "invalid-feedback" in (
        weak.content.decode()
    )

    new_password = "một mật khẩu mới thật dài 2026"
    done = client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert done["Location"] == "/dat-lai-mat-khau/hoan-tat/"
    assert "Đã đặt lại mật khẩu" in client.get(done["Location"]).content.decode()

    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "không còn hiệu lực" in again.content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post("/quen-mat-khau/", {"email": "ai-do@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == []


def test_password_reset_ignores_inactive_accounts(client, db):
    factories.make_user("nghi", email="nghi@example.vn", is_active=False)
    client.post("/quen-mat-khau/", {"email": "nghi@example.vn"})
    assert mail.outbox == []


def test_development_email_goes_to_the_console():
    # Tests swap in locmem; the configured backend is what `make run` uses.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)",
        ],
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"PYTEST_VERSION", "EMAIL_BACKEND"}
            },
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "kieumau.settings",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_user_model_is_the_default(db):
    # Password reset relies on the email field of Django's user.
    assert get_user_model()._meta.get_field("email")


def test_signed_in_unit_head_can_sign_out(client, unit_head):
    login(client, unit_head)
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Issue #14: an over-long username, and a password spray from one address.

LONG_USERNAME = "a" * 256


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_username_longer_than_the_model_allows_is_a_vietnamese_form_error(
    client, db, url
):
    from axes.models import AccessAttempt

    response = _fail(client, url, LONG_USERNAME)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "tối đa 150" in " ".join(errors["username"])
    # axes keeps at most what the model holds (its column is 255 characters: a
    # longer value answered 500 on PostgreSQL).
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [150]


@pytest.fixture
def password_hashes(monkeypatch):
    """How many passwords were hashed (the hasher the settings use)."""
    from django.contrib.auth.hashers import get_hasher

    hasher_class = type(get_hasher())
    calls = []
    encode = hasher_class.encode

    def counting(self, *args, **kwargs):
        calls.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(hasher_class, "encode", counting)
    return calls


def test_an_over_long_username_costs_no_password_hash(client, db, password_hashes):
    _fail(client, LOGIN, LONG_USERNAME)
    assert password_hashes == []
    _fail(client, LOGIN, "nguoi-la")  # an unknown short name is hashed, as Django does
    assert password_hashes != []


def test_over_long_usernames_count_towards_the_lockout(client, district_staff):
    for _ in range(LIMIT - 1):
        assert _fail(client, LOGIN, LONG_USERNAME).status_code == 200
    _assert_locked_out(_fail(client, LOGIN, LONG_USERNAME))


ADDRESS_LIMIT = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def _spray(client, url=LOGIN, *, usernames=40, guesses=4, **headers):
    """Guess a few passwords for many usernames; the statuses in order."""
    statuses = []
    for n in range(usernames):
        for _ in range(guesses):
            statuses.append(
                _fail(client, url, f"nguoi-dung-{n}", **headers).status_code
            )
    return statuses


def test_a_password_spray_from_one_address_is_locked_out(client, district_staff):
    assert 0 < ADDRESS_LIMIT < 40 * 4
    statuses = _spray(client)
    assert statuses[: ADDRESS_LIMIT - 1] == [200] * (ADDRESS_LIMIT - 1)
    assert set(statuses[ADDRESS_LIMIT - 1 :]) == {429}
    # Every username from that address, the right password too.
    _assert_locked_out(_succeed(client, LOGIN, "canbo"))
    _assert_locked_out(_succeed(client, ADMIN_LOGIN, "canbo"))
    # Another address is not affected.
    other = client.__class__(REMOTE_ADDR="198.51.100.20")
    assert _succeed(other, LOGIN, "canbo").status_code == 302


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_signing_in_forgives_only_the_accounts_own_failures(
    client, district_staff, url
):
    _spray(client, usernames=ADDRESS_LIMIT - LIMIT, guesses=1)
    for _ in range(LIMIT - 1):
        _fail(client, url, "canbo")
    assert _succeed(client, url, "canbo").status_code == 302
    client.post("/dang-xuat/")
    # The spray's failures are still counted against the address.
    for n in range(LIMIT - 1):
        assert _fail(client, LOGIN, f"khac-{n}").status_code == 200
    _assert_locked_out(_fail(client, LOGIN, "khac-cuoi"))


def test_the_address_lockout_ends_after_the_cooloff(client, district_staff):
    _spray(client, usernames=ADDRESS_LIMIT, guesses=1)
    _assert_locked_out(_succeed(client, LOGIN, "canbo"))
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert _succeed(client, LOGIN, "canbo").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_spray_behind_the_proxy_is_counted_by_the_address_nginx_saw(
    client, district_staff
):
    statuses = []
    for n in range(ADDRESS_LIMIT):
        forged = f"10.0.{n}.1, 203.0.113.5"  # the client writes the left part
        statuses.append(
            _fail(client, LOGIN, f"nguoi-dung-{n}", X_Forwarded_For=forged).status_code
        )
    assert statuses[-1] == 429
    neighbour = client.__class__()
    response = neighbour.post(
        LOGIN,
        {"username": "canbo", "password": factories.PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert response.status_code == 302


def test_an_exempt_address_meets_only_the_limit_per_username(
    client, district_staff, settings
):
    settings.RATE_LIMIT_EXEMPT_ADDRESSES = ["198.51.100.7", "127.0.0.0/8"]
    statuses = _spray(client, usernames=ADDRESS_LIMIT, guesses=LIMIT - 1)
    assert set(statuses) == {200}
    assert _succeed(client, LOGIN, "canbo").status_code == 302
    client.post("/dang-xuat/")
    # Guessing one account's password is still locked out after LIMIT failures.
    for _ in range(LIMIT - 1):
        _fail(client, LOGIN, "canbo")
    _assert_locked_out(_fail(client, LOGIN, "canbo"))


def test_the_limit_per_address_can_be_switched_off(client, district_staff, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 0
    statuses = _spray(client, usernames=ADDRESS_LIMIT + 5, guesses=2)
    assert set(statuses) == {200}


def test_the_lockout_list_shows_the_attempts_left_per_username(
    client, district_staff, superuser
):
    for _ in range(2):
        _fail(client, LOGIN, "canbo")
    admin = login(client.__class__(), superuser)
    page = admin.get(f"/{settings.ADMIN_PATH}/axes/accessattempt/")
    assert page.status_code == 200
    assert f"còn {LIMIT - 2} lần thử" in page.content.decode()
    for _ in range(LIMIT - 2):
        _fail(client, LOGIN, "canbo")
    locked = admin.get(f"/{settings.ADMIN_PATH}/axes/accessattempt/?locked_out=yes")
    assert "Đang bị khóa" in locked.content.decode()
    assert "canbo" in locked.content.decode()
