"""On PostgreSQL, a run with browser journeys drops its test database at its end.

The run is a pytest of its own on a database of its own (``<name>_teardown``),
running teardown_run.py: a database test, a browser journey, and a later test
using the database.
"""

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="dropping a database in use is PostgreSQL's refusal",
    ),
]


def _databases(cursor):
    cursor.execute("SELECT datname FROM pg_database")
    return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)  # DROP DATABASE cannot run in a transaction
def test_a_run_with_browser_journeys_drops_its_test_database():
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/')}_teardown"
    left_behind = f"test_{name}"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly"]
        + ["--browser", "chromium", "tests/browser/teardown_run.py"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    with connection.cursor() as cursor:
        remaining = _databases(cursor)
        if left_behind in remaining:
            cursor.execute(f'DROP DATABASE "{left_behind}" WITH (FORCE)')
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout, run.stdout
    assert "being accessed by other users" not in run.stdout + run.stderr
    assert left_behind not in remaining
