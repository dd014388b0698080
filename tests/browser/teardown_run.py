"""Run by test_database_teardown.py in a pytest of its own (not collected otherwise).

The order of a whole run: a database test (the test database is set up before
Playwright starts), a browser journey (Playwright's event loop keeps running from
then on), then a test that reaches the database without the browser.
"""

import pytest
from django.contrib.auth import get_user_model


def test_the_database_first(db):
    assert get_user_model().objects.count() >= 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_in_the_browser(live_server, page):
    page.goto(live_server.url + "/healthz")
    assert page.content()


def test_the_database_afterwards(request):
    request.getfixturevalue("db")  # no db mark: ordered after the browser test
    assert get_user_model().objects.count() >= 0
