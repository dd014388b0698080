"""The browser's anonymous voter id: a random token in a signed cookie.

The cookie holds only a random id (no address, no account). The database stores
``voter_key(id)``, an HMAC with the secret key, so a copy of the votes table cannot
be matched to a browser's cookie without the secret. Clearing cookies makes a new
voter: the per-address rate limit bounds what that can do.
"""

import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

COOKIE_NAME = "km_binh_chon"
COOKIE_SALT = "polls.voter"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def voter_id(request):
    """The id from a valid signed cookie, or None (missing, forged or malformed)."""
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    if value and _TOKEN.match(value):
        return value
    return None


def new_voter_id():
    return secrets.token_urlsafe(24)


def voter_key(vid):
    """What the database stores for a voter id (64 hex characters)."""
    return salted_hmac("polls.voter-key", vid, algorithm="sha256").hexdigest()


def request_voter_key(request):
    vid = voter_id(request)
    return voter_key(vid) if vid else None


def remember_voter(response, vid):
    response.set_signed_cookie(
        COOKIE_NAME,
        vid,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
