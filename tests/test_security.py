"""Safe by default: production settings, security headers, CSRF, error pages."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import login

ADMIN = f"/{settings.ADMIN_PATH}/"
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def _csp(response):
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response):
    """The headers every response must carry, HTML or JSON, 200 or 404."""
    csp = _csp(response)
    assert csp, f"no CSP on {response.request['PATH_INFO']}"
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in csp.get(directive, []), directive
        assert "'unsafe-eval'" not in csp.get(directive, []), directive
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
    # Sent only over https (the proxy says so), for a year, with subdomains.
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", response["X-Request-ID"])


class HttpsClient(Client):
    """Requests as they arrive through the TLS proxy (HSTS is sent only then)."""

    def generic(self, *args, secure=True, **kwargs):
        return super().generic(*args, secure=True, **kwargs)


@pytest.fixture
def https_client():
    return HttpsClient(raise_request_exception=False)


def test_public_page_carries_the_security_headers(https_client, db):
    response = https_client.get("/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_admin_login_and_index_carry_the_security_headers(https_client, superuser):
    response = https_client.get(f"{ADMIN}login/")
    assert response.status_code == 200
    assert_secure_headers(response)
    login(https_client, superuser)
    response = https_client.get(ADMIN)
    assert response.status_code == 200
    assert_secure_headers(response)


def test_admin_change_list_and_add_page_carry_the_security_headers(
    https_client, superuser
):
    login(https_client, superuser)
    for url in (f"{ADMIN}auth/user/", f"{ADMIN}auth/user/add/"):
        response = https_client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)


@pytest.mark.parametrize(
    "url", ["/api/tong-hop/?nam=2017&quy=1", "/api/tong-hop/?nam=abc", "/api/truy-cap/"]
)
def test_json_api_carries_the_security_headers(https_client, db, url):
    response = https_client.get(url)
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code in {200, 400}
    json.loads(response.content)
    assert_secure_headers(response)


def test_not_found_page_carries_the_security_headers_and_is_vietnamese(
    https_client, db
):
    response = https_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert_secure_headers(response)
    text = response.content.decode()
    assert "Không tìm thấy trang" in text
    assert 'lang="vi"' in text


def test_healthz_carries_the_security_headers(https_client, db):
    response = https_client.get("/healthz")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_incoming_request_id_is_echoed_only_when_well_formed(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.DEF_4"})
    assert response["X-Request-ID"] == "abc-123.DEF_4"
    forged = client.get("/healthz", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    assert (
        client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]
    )


def test_request_id_reaches_the_log_lines(client, db, caplog):
    from kieumau.middleware import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    client.get("/khong-co-trang-nay/", headers={"X-Request-ID": "req-42"})
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.getMessage(), r.request_id) for r in records] == [
        ("Not Found: /khong-co-trang-nay/", "req-42")
    ]


def test_unknown_host_is_refused_with_the_vietnamese_400_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert 'lang="vi"' in response.content.decode()


def test_post_without_csrf_token_is_refused_in_vietnamese(db, district_staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/dang-nhap/", {"username": "canbo", "password": "mat-khau-du-dai-2017"}
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Không thể gửi biểu mẫu" in text
    assert 'lang="vi"' in text


def test_server_error_page_is_vietnamese_and_hides_the_traceback(db, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret-internal-detail")

    class urls:  # a throwaway URLconf with a failing view
        urlpatterns = [path("hong/", boom)]
        handler500 = "portal.views.server_error"

    settings.ROOT_URLCONF = urls
    client = Client(raise_request_exception=False)
    response = client.get("/hong/", headers={"X-Request-ID": "loi-500"})
    assert response.status_code == 500
    text = response.content.decode()
    assert "Lỗi máy chủ" in text
    assert "loi-500" in text  # the incident id, to quote to the administrator
    assert "secret-internal-detail" not in text
    assert "Traceback" not in text


def test_anonymous_public_page_sets_no_session_cookie(client, db):
    response = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_templates_have_no_inline_scripts_or_styles():
    """CSP forbids them; the rule is checked on the source of every template.

    The print templates of recognition/documents/ are laid out by WeasyPrint into
    PDFs (their @font-face rules name the font files on the server) and are never
    served to a browser, so no CSP applies to them; they are checked for scripts
    only, which WeasyPrint would not run anyway.
    """
    offenders = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    print_templates = TEMPLATES_DIR / "recognition" / "documents"
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if path.is_relative_to(print_templates):
            if re.search(r"<script", text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: script")
            continue
        for match in inline_script.finditer(text):
            if 'type="application/json"' not in match.group(0):
                offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: inline script")
        if re.search(r"\sstyle\s*=", text, re.IGNORECASE):
            offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: style attribute")
        if re.search(r"<style[\s>]", text, re.IGNORECASE):
            offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: <style> element")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES_DIR)}: on* handler")
    assert offenders == []


def _production_settings(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "KIEUMAU_TESTING"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="p" * 60,
        ALLOWED_HOSTS="kieumau.example.vn",
        DATABASE_URL="postgres://kieumau:x@127.0.0.1:5432/kieumau",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_SETTINGS_MODULE="kieumau.settings",
    )
    for key in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.pop(key, None)
    env.update(extra)
    code = (
        "import json; from kieumau import settings as s\n"
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SECURE_SSL_REDIRECT','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY','SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_PROXY_SSL_HEADER',"
        "'SESSION_ENGINE','TRUSTED_PROXY_COUNT','SESSION_COOKIE_AGE',"
        "'PASSWORD_HASHERS']}"
        " | {'db': s.DATABASES['default'], 'cache': s.CACHES['default']['BACKEND'],"
        " 'static': s.STORAGES['staticfiles']['BACKEND']}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_are_safe_by_default():
    s = _production_settings()
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 15768000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # trust X-Forwarded-Proto only if told
    assert s["TRUSTED_PROXY_COUNT"] == 0
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600
    # Persistent, health-checked PostgreSQL connections (2.7x throughput).
    assert s["db"]["CONN_MAX_AGE"] >= 60
    assert s["db"]["CONN_HEALTH_CHECKS"] is True
    # Redis holds the cache and the sessions, shared by every app server.
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # The suite's fast hasher (TESTING) never reaches a server: Django's default.
    assert s["PASSWORD_HASHERS"] is None


def test_behind_a_proxy_the_forwarded_proto_and_address_are_trusted():
    s = _production_settings(BEHIND_PROXY="true")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["TRUSTED_PROXY_COUNT"] == 1
    s = _production_settings(BEHIND_PROXY="true", AXES_PROXY_COUNT="2")
    assert s["TRUSTED_PROXY_COUNT"] == 2


def test_without_redis_the_cache_is_shared_through_the_database():
    s = _production_settings(REDIS_URL="")
    assert s["cache"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize("url", ["/tien-do/don-vi/a%00b/", "/tim-kiem/?q=%00"])
def test_nul_characters_in_the_url_get_the_vietnamese_400_page(db, url):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == 400
    assert 'lang="vi"' in response.content.decode()


@pytest.mark.parametrize("url", ["/api/tong-hop/?nam=%00", "/tien-do/?nam=%00"])
def test_a_url_refused_for_its_nul_character_carries_the_security_headers(
    https_client, db, url
):
    response = https_client.get(url)
    assert response.status_code == 400
    assert_secure_headers(response)
