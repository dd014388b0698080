"""Settings of the kiểu mẫu portal.

One file, driven by environment variables (see README and .env.example). Every
variable is read through a helper that rejects bad values, so a typo fails loudly at
start instead of silently running with a default.
"""

import importlib.util
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kieumau import redisguard

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# pytest (8.2 and later) sets PYTEST_VERSION for the whole run.
TESTING = "PYTEST_VERSION" in os.environ or env_bool("KIEUMAU_TESTING", default=False)
RELAXED = DEBUG or TESTING  # plain http on 127.0.0.1: development and the test suite

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    # Development and tests only: never used with DEBUG off outside the test suite.
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if RELAXED else []
)

# The jurisdiction is configuration: since 2025 districts were merged, and the same
# portal must be able to serve a ward or a commune.
SITE_NAME = env_str("SITE_NAME", "huyện Đông Sơn")
SITE_TITLE = env_str(
    "SITE_TITLE", "Cổng thông tin xây dựng con người, cơ quan, đơn vị kiểu mẫu"
)
SITE_AUTHORITY = env_str("SITE_AUTHORITY", "Ủy ban nhân dân huyện Đông Sơn")
# Contacts in every page's footer and on /en/ (Decree 42/2022: the authority's
# address, phone and email, and who answers for the content), and the banner's image.
SITE_AUTHORITY_EN = env_str(
    "SITE_AUTHORITY_EN", "People's Committee of Đông Sơn District"
)
SITE_ADDRESS = env_str(
    "SITE_ADDRESS", "Thị trấn Rừng Thông, huyện Đông Sơn, tỉnh Thanh Hóa"
)
SITE_PHONE = env_str("SITE_PHONE", "0237 3 000 000")
SITE_EMAIL = env_str("SITE_EMAIL", "kieumau@dongson.example")
SITE_CONTENT_OFFICER = env_str("SITE_CONTENT_OFFICER", "Lê Thị Minh Hà")
SITE_CONTENT_OFFICER_TITLE = env_str(
    "SITE_CONTENT_OFFICER_TITLE", "Chánh Văn phòng HĐND và UBND huyện"
)
SITE_CONTENT_OFFICER_TITLE_EN = env_str(
    "SITE_CONTENT_OFFICER_TITLE_EN",
    "Chief of the Office of the District People's Council and People's Committee",
)
# A path under static/ (img/banner-demo.svg), a path the portal serves (/media/…),
# or empty for none. Never another site's URL: the CSP's img-src is the portal's own.
SITE_BANNER_PATH = env_str("SITE_BANNER_PATH", "img/banner-demo.svg")
if SITE_BANNER_PATH.startswith(("http://", "https://", "//")):
    raise ImproperlyConfigured(
        "SITE_BANNER_PATH must be a file the portal serves (a path under static/ "
        "or /media/…), not another site's URL: the CSP allows no outside image"
    )

# The decisions and certificates the portal drafts (recognition.documents): issuing
# body, superior line, place, signatory and emblem are configuration, never fetched.
DOCUMENT_AUTHORITY = env_str("DOCUMENT_AUTHORITY", SITE_AUTHORITY)
DOCUMENT_SUPERIOR = env_str("DOCUMENT_SUPERIOR", "")
DOCUMENT_PLACE = env_str("DOCUMENT_PLACE", "Đông Sơn")
DOCUMENT_SIGNATORY_NAME = env_str("DOCUMENT_SIGNATORY_NAME", "Nguyễn Văn A")
DOCUMENT_SIGNATORY_TITLE = env_str("DOCUMENT_SIGNATORY_TITLE", "CHỦ TỊCH")
DOCUMENT_SIGNATORY_ON_BEHALF = env_str(
    "DOCUMENT_SIGNATORY_ON_BEHALF", "TM. ỦY BAN NHÂN DÂN"
)
DOCUMENT_EMBLEM_PATH = env_str(
    "DOCUMENT_EMBLEM_PATH",
    str(BASE_DIR / "recognition/documents/assets/emblem-demo-placeholder.png"),
)
# "Căn cứ …" lines every decision cites, separated by "|".
DOCUMENT_BASIS = [
    line.strip()
    for line in env_str(
        "DOCUMENT_BASIS",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
        " | Căn cứ Quyết định số 488/2014/QĐ-UBND ngày 17 tháng 02 năm 2014 của"
        " Ủy ban nhân dân tỉnh Thanh Hóa ban hành quy định các tiêu chí kiểu mẫu",
    ).split("|")
    if line.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "portal.apps.AxesConfig",  # django-axes, named in Vietnamese
    "csp",
    "units",
    "registrations",
    "heads",
    "imports",
    "recognition",
    "doclibrary",
    "news",
    "polls",
    "portal",
]

MIDDLEWARE = [
    # Outermost: it sees the final response (Content-Length set) and drops its body.
    "kieumau.head_requests.HeadWithoutBodyMiddleware",
    "kieumau.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kieumau.middleware.SecurityHeadersMiddleware",
    # Inside the header middlewares, so that its 400 answers carry them too.
    "kieumau.middleware.RejectNullBytesMiddleware",
    "portal.middleware.VisitCounterMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kieumau.urls"
WSGI_APPLICATION = "kieumau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default so a newcomer needs nothing installed.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not valid: {exc}") from None
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:/// or postgres://")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# A Redis that is down or frozen must not hold a worker for long: connection
# attempts and replies are bounded, a failed cache call answers as a miss (the
# page is rendered, slower) instead of raising, and after a failure each process
# leaves Redis alone for a few seconds (kieumau.redisguard). Sessions stay in the
# database (cached_db), so a Redis restart signs no one out.
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
    "IGNORE_EXCEPTIONS": True,
}
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "REDIS_URL must start with redis://, rediss:// or unix://"
        )
    REDIS_CACHE_OPTIONS["CONNECTION_POOL_KWARGS"] = {
        "connection_class": redisguard.connection_class(REDIS_URL)
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kieumau"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif TESTING:
    # The suite runs in one process; a per-test clear keeps tests independent.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by every process on the machine through the database, so that two app
    # servers never disagree about cached pages, rate limits or counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kieumau_cache",
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # A deliberately slow hash (PBKDF2, ~0.5 s here) for every test user would be
    # most of the suite's time; the suite tests the site, not the hash.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registrations:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
# One language: dates and numbers are always formatted the Vietnamese way, whatever
# the browser asks for.
LANGUAGES = [("vi", _("Tiếng Việt"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's vi locale has no DATE_INPUT_FORMATS: without this module "05/03/2017"
# would be read as 3 May. See kieumau/formats/vi/formats.py.
FORMAT_MODULE_PATH = ["kieumau.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence of the units' self-reports: private, never under MEDIA_ROOT (which the
# web server publishes); served only through a view that checks the user.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(BASE_DIR / "private" / "evidence")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if RELAXED
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development and tests serve static files straight from static/ (no collectstatic).
WHITENOISE_USE_FINDERS = RELAXED
WHITENOISE_AUTOREFRESH = RELAXED

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cong-thong-tin@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive")
# A mail server that does not answer must not hold a request or the daily run.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Unit heads' invitations (a one-time link to choose a password) stay valid this
# many days (heads/tokens.py); password-reset links keep PASSWORD_RESET_TIMEOUT.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
if INVITATION_VALID_DAYS < 1:
    raise ImproperlyConfigured("INVITATION_VALID_DAYS must be 1 or more")
# Days before a quarter locks on which heads of units that have not submitted
# are reminded by email (heads/services/reminders.py), e.g. 7,2.
_reminder_days = env_list("REMINDER_DAYS_BEFORE_LOCK", ["7", "2"])
try:
    REMINDER_DAYS_BEFORE_LOCK = sorted({int(day) for day in _reminder_days})
except ValueError:
    raise ImproperlyConfigured(
        f"REMINDER_DAYS_BEFORE_LOCK must be whole numbers, not {_reminder_days!r}"
    ) from None
if any(day < 1 for day in REMINDER_DAYS_BEFORE_LOCK):
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE_LOCK must be 1 or more")

# Admin lives at a configurable path (not guessable by scanners).
ADMIN_PATH = env_str("ADMIN_PATH", "admin").strip("/") or "admin"

# Quarterly progress closes this many days after the quarter ends (DHIS2's expiry
# days); after that only a supervisor may change its values.
PROGRESS_LOCK_DAYS = env_int("PROGRESS_LOCK_DAYS", 30)

# The visit counter can be switched off (the load benchmark measures its cost).
VISIT_COUNTER_ENABLED = env_bool("VISIT_COUNTER_ENABLED", default=True)
# Page views counted per client address (an IPv6 /64 as one) and minute, with
# Redis; 0 = no limit (the benchmarks). RATE_LIMIT_EXEMPT_ADDRESSES are exempt.
COUNTER_CLIENT_LIMIT = env_int("COUNTER_CLIENT_LIMIT", 60)
if COUNTER_CLIENT_LIMIT < 0:
    raise ImproperlyConfigured("COUNTER_CLIENT_LIMIT must be 0 or more")

# Uploads: imports are small files; refuse anything large before parsing it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Rows the admin's import reads from one file: preview and confirmation each run in
# one request, within gunicorn's timeout; manage.py import_data has no such limit.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 120_000)

# Security: safe by default; development relaxes only what plain http needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not RELAXED)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not RELAXED)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not RELAXED)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not RELAXED)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions expire after 8 hours (ASVS 3.3.2), and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A load balancer may probe the app servers directly over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Password reset links (sent by email) work once, for a day.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600)
# Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto; see README.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's one public address, in emails (invitations, reminders), which have
# no request to take it from, and in an article's canonical and share links (its
# page is cached for every reader, whatever host they asked): by default the first
# CSRF trusted origin, else https://<first allowed host>; http://127.0.0.1:8000 in
# development.
SITE_URL = env_str("SITE_URL").rstrip("/") or (
    "http://127.0.0.1:8000"
    if RELAXED
    else (CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "")
    or (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "")
)

# Evidence files of the self-reports (registrations/evidence). The largest file:
# nginx refuses bodies over client_max_body_size (21m in deploy/nginx.conf) before
# the app sees them, so this stays below it, with room for the form's fields.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
if EVIDENCE_MAX_BYTES < 1:
    raise ImproperlyConfigured("EVIDENCE_MAX_BYTES must be 1 or more")
# nginx in front sends the file itself: the app answers X-Accel-Redirect to the
# internal location /_minh-chung/ (deploy/nginx.conf), which adds nosniff and a
# sandbox CSP. Off: the app streams the file with the same headers.
EVIDENCE_ACCEL_REDIRECT = env_bool("EVIDENCE_ACCEL_REDIRECT", default=BEHIND_PROXY)
# App servers on several machines keep evidence in a private S3-compatible bucket
# (django-storages, README "Evidence on S3"); the app then redirects to a signed
# URL valid this many seconds.
EVIDENCE_URL_EXPIRY = env_int("EVIDENCE_URL_EXPIRY", 300)
EVIDENCE_S3_BUCKET = env_str("EVIDENCE_S3_BUCKET")
if EVIDENCE_S3_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "EVIDENCE_S3_BUCKET needs django-storages: "
            ".venv/bin/pip install 'django-storages[s3]'"
        )
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("EVIDENCE_S3_REGION") or None,
            "location": "minh-chung",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": EVIDENCE_URL_EXPIRY,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Limits per client address (README, "Abuse limits"): the office's addresses or
# networks, comma-separated (203.0.113.7,198.51.100.0/24), are exempt from them.
RATE_LIMIT_EXEMPT_ADDRESSES = env_list("RATE_LIMIT_EXEMPT_ADDRESSES")
for _entry in RATE_LIMIT_EXEMPT_ADDRESSES:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"RATE_LIMIT_EXEMPT_ADDRESSES: {_entry!r} is not an IP address or network"
        ) from None

# Poll votes from browsers without the voter cookie, per address (an IPv6 /64) in
# any POLL_VOTE_WINDOW_SECONDS; 0 switches the limit off (polls/services.py).
POLL_VOTES_PER_ADDRESS = env_int("POLL_VOTES_PER_ADDRESS", 20)
POLL_VOTE_WINDOW_SECONDS = env_int("POLL_VOTE_WINDOW_SECONDS", 3600)
if POLL_VOTES_PER_ADDRESS < 0 or POLL_VOTE_WINDOW_SECONDS <= 0:
    raise ImproperlyConfigured(
        "POLL_VOTES_PER_ADDRESS must be 0 or more, POLL_VOTE_WINDOW_SECONDS above 0"
    )

# django-axes locks, for AXES_COOLOFF_TIME after the last failure, a username from
# one address after SIGN_IN_FAILURE_LIMIT failures, and every sign-in from one
# address after SIGN_IN_ADDRESS_FAILURE_LIMIT failures whatever the usernames (0:
# no limit per address); the rules are in kieumau/signin.py.
SIGN_IN_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
if SIGN_IN_FAILURE_LIMIT < 1 or SIGN_IN_ADDRESS_FAILURE_LIMIT < 0:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT must be 1 or more, AXES_ADDRESS_FAILURE_LIMIT 0 or more"
    )
AXES_FAILURE_LIMIT = "kieumau.signin.failure_limit"
AXES_LOCKOUT_PARAMETERS = "kieumau.signin.lockout_parameters"
AXES_USERNAME_CALLABLE = "kieumau.signin.axes_username"
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = False  # the sign-in forms reset the username's own count
# The client address is taken from the right of X-Forwarded-For, skipping only the
# proxies we run (nginx appends the address it saw): whatever a client writes in
# that header itself is ignored. Without a proxy, REMOTE_ADDR alone is trusted.
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "kieumau.middleware.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kieumau.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # one line per step of a PDF
    },
}
AXES_VERBOSE = False  # no banner on every manage.py command
