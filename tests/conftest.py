"""Personas (healthchecks' alice/bob/charlie) and browser settings for all tests."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.contrib import admin

from tests import factories

# pytest-playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from live_server tests are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (it is shared through the database)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _evidence_root(settings, tmp_path_factory):
    """Evidence files a test writes land in a temporary folder, not the checkout."""
    settings.EVIDENCE_ROOT = tmp_path_factory.getbasetemp() / "evidence"


@pytest.fixture
def citizen(client):
    """An anonymous visitor."""
    return client


@pytest.fixture
def unit_a(db):
    return factories.make_unit("UNIT-A", name="Cơ quan A")


@pytest.fixture
def unit_b(db):
    return factories.make_unit("UNIT-B", name="Cơ quan B")


@pytest.fixture
def unit_head(db, unit_a):
    user = factories.make_user("truong_a", groups=["Trưởng đơn vị"])
    unit_a.heads.add(user)
    return user


@pytest.fixture
def other_unit_head(db, unit_b):
    user = factories.make_user("truong_b", groups=["Trưởng đơn vị"])
    unit_b.heads.add(user)
    return user


@pytest.fixture
def district_staff(db):
    return factories.make_user("canbo", groups=["Cán bộ huyện"], is_staff=True)


@pytest.fixture
def supervisor(db):
    return factories.make_user(
        "giamsat", groups=["Cán bộ huyện", "Giám sát tiến độ"], is_staff=True
    )


@pytest.fixture
def editor(db):
    return factories.make_user("bientap", groups=["Biên tập viên"], is_staff=True)


@pytest.fixture
def superuser(db):
    return factories.make_user("quantri", is_staff=True, is_superuser=True)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def model_admins():
    """(model, ModelAdmin) for every model registered in the admin, by label."""
    return [
        (model, admin.site.get_model_admin(model))
        for model in sorted(apps.get_models(), key=lambda model: model._meta.label)
        if admin.site.is_registered(model)
    ]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright on Debian's chromium (it cannot download its own browser here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_configure(config):
    """In CI the browser journeys must run: a missing chromium is an error."""
    if os.environ.get("CI", "").lower() == "true" and not os.access(CHROMIUM, os.X_OK):
        raise pytest.UsageError(
            f"CI=true but chromium is missing at {CHROMIUM}: the browser journeys "
            "cannot run (apt-get install chromium)"
        )
    _own_redis_database_per_worker()


def _own_redis_database_per_worker():
    """With pytest-xdist (``make test`` runs a process per core) each worker clears
    the cache before every test, which on Redis empties the whole database: worker
    gwN uses the database N below REDIS_URL's (15, 14, … for redis://…/15). The
    cache is not connected yet when conftest loads, so changing its LOCATION here
    takes effect for the whole run.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if not worker.startswith("gw") or "redis" not in cache["BACKEND"].lower():
        return
    parts = urlsplit(cache["LOCATION"])
    database = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    cache["LOCATION"] = urlunsplit(parts._replace(path=f"/{database % 16}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Save a screenshot of the page when a browser test fails."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    if item.get_closest_marker("browser") is None:
        return  # another test may name a parameter "page" (a page number)
    page = getattr(item, "funcargs", {}).get("page")
    if page is None or page.is_closed():
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    path = ARTIFACTS / f"FAILED-{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # the page may have crashed: report, do not mask
        report.sections.append(("screenshot", f"could not save: {exc}"))
    else:
        report.sections.append(("screenshot", f"saved {path}"))
