"""CSRF secrets and masks from one read of the system's random source.

Every public page carries the poll form, so every first-time visitor gets a new
CSRF secret and every page a new mask (django.middleware.csrf.get_token). Django
draws each of those 32-character strings with ``get_random_string``: one
``secrets.choice`` per character, each a call into ``random.SystemRandom`` and a
``getrandom`` system call of its own, 64 per first visit. That was two thirds of
the Python work a cached page did beyond a bare view (measured by counting
interpreter instructions for both; see bench/load.py).

``new_csrf_string`` makes the same kind of string (CSRF_SECRET_LENGTH characters
of CSRF_ALLOWED_CHARS, uniformly and independently drawn from the operating
system's CSPRNG) from one ``secrets.token_bytes`` call: a byte below 248 (4 × 62)
picks ``byte % 62``, a byte of 248 or more is dropped (no modulo bias). Django's
token format, masking and checking are untouched; only where the characters come
from changes. ``install`` puts it in place of Django's private
``_get_new_csrf_string`` (portal.apps); tests/portal/test_csrf_strings.py fails if
a Django upgrade moves that function, so the speed-up cannot vanish unnoticed.
"""

import secrets

from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
_LIMIT = 256 - 256 % len(_CHARS)  # 248: every character has 4 byte values
# byte -> character, in C: bytes.translate maps and drops in one pass.
_TABLE = bytes(ord(_CHARS[b % len(_CHARS)]) for b in range(_LIMIT)).ljust(256, b"?")
_DROPPED = bytes(range(_LIMIT, 256))


def new_csrf_string(length=csrf.CSRF_SECRET_LENGTH):
    """``length`` characters of CSRF_ALLOWED_CHARS from the system's CSPRNG."""
    drawn = b""
    while len(drawn) < length:
        # 8 spare bytes: a draw drops 8/256 of its bytes on average.
        drawn += secrets.token_bytes(length + 8).translate(_TABLE, _DROPPED)
    return drawn[:length].decode("ascii")


def install():
    """Use ``new_csrf_string`` for Django's CSRF secrets and masks."""
    if not hasattr(csrf, "_get_new_csrf_string"):
        return False  # Django changed: keep its own (the tests say so)
    csrf._get_new_csrf_string = new_csrf_string
    return True
