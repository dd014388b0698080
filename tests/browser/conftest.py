"""Browser journeys: Playwright's session ends with this thread's connections closed."""

import pytest
from django.db import connections


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's session; the main thread's connections close before it ends.

    Playwright's sync API keeps an asyncio event loop running in the main thread
    from the first browser test to the end of the session. While a loop runs,
    Django (asgiref's Local) keeps the thread's connections in a context-local
    storage, not the thread-local one that the test database's teardown closes: the
    connection the later tests used stayed open, and on PostgreSQL dropping
    test_<name> failed with "database is being accessed by other users". Closed
    here, while the loop still runs.
    """
    yield playwright
    connections.close_all()
