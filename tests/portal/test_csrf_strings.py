"""kieumau.csrf: Django's CSRF tokens, with their characters drawn in one read."""

import secrets
from collections import Counter

import pytest
from django.middleware import csrf
from django.test import Client, RequestFactory

from kieumau.csrf import new_csrf_string


def test_django_uses_the_one_read_strings():
    # If a Django upgrade renames the private function, install() leaves Django's
    # own in place; this test then fails so that somebody looks again.
    assert csrf._get_new_csrf_string is new_csrf_string


def test_the_strings_have_djangos_length_and_alphabet():
    for _ in range(200):
        value = new_csrf_string()
        assert len(value) == csrf.CSRF_SECRET_LENGTH == 32
        assert set(value) <= set(csrf.CSRF_ALLOWED_CHARS)
    assert len(new_csrf_string(100)) == 100  # longer than one draw can give


def test_the_strings_do_not_repeat():
    values = {new_csrf_string() for _ in range(10_000)}
    assert len(values) == 10_000


def test_every_character_is_equally_likely():
    counts = Counter("".join(new_csrf_string() for _ in range(20_000)))
    expected = 20_000 * 32 / 62  # 10,322 of each; one standard deviation is ~100
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    assert all(abs(n - expected) < 0.05 * expected for n in counts.values())


def test_a_first_visit_token_reads_the_random_source_twice(monkeypatch):
    reads = []
    real = secrets.token_bytes
    monkeypatch.setattr(secrets, "token_bytes", lambda n: reads.append(n) or real(n))
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    assert len(reads) == 2  # the secret, then the mask
    csrf._check_token_format(token)
    assert csrf._does_token_match(token, request.META["CSRF_COOKIE"])


@pytest.mark.django_db
def test_a_form_post_with_the_pages_token_passes_djangos_check():
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/dang-nhap/")
    token = page.context["csrf_token"]
    assert csrf._does_token_match(str(token), visitor.cookies["csrftoken"].value)
    response = visitor.post(
        "/dang-nhap/",
        {"username": "x", "password": "y", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 200  # the form, with its error: not a 403
    refused = Client(enforce_csrf_checks=True).post(
        "/dang-nhap/", {"username": "x", "password": "y"}
    )
    assert refused.status_code == 403
