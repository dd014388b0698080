"""The invitation link's token: choose a password once, within INVITATION_VALID_DAYS.

Django's password-reset token is made for people who forgot a password: its
reset form leaves out accounts without a usable password, and its tokens expire
after ``PASSWORD_RESET_TIMEOUT`` (a day here). An invitation goes to an account
that has no password yet and must wait for its head for a week. This generator
keeps Django's plumbing (the secret and its fallbacks, the algorithm) and its
token's shape, ``<seconds in base 36>-<HMAC>``, with a key salt of its own (a
reset token is no invitation, and the other way round) and its own validity.

The HMAC covers what changes once the link has been used or replaced: the
password (set through the link), the last sign-in, the email (a link sent to an
old address dies with it) and the moment of the latest invitation (a re-sent or
printed invitation voids the earlier links). Only public names of Django are used:
``make_token`` and ``check_token`` are written here in full.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

DAY = 24 * 3600


def _state(user):
    """What a used or replaced invitation changes on the account."""
    last_login = "" if user.last_login is None else int(user.last_login.timestamp())
    profile = getattr(user, "head_profile", None)
    invited = profile.invited_at if profile is not None else None
    invited = "" if invited is None else invited.isoformat()
    return f"{user.pk}|{user.password}|{last_login}|{user.email or ''}|{invited}"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "heads.tokens.InvitationTokenGenerator"

    def _signed(self, user, timestamp, secret):
        digest = salted_hmac(
            self.key_salt,
            f"{_state(user)}|{timestamp}",
            secret=secret,
            algorithm=self.algorithm,
        ).hexdigest()[::2]
        return f"{int_to_base36(timestamp)}-{digest}"

    def make_token(self, user):
        """A token for ``user``'s invitation, made now."""
        return self._signed(user, int(timezone.now().timestamp()), self.secret)

    def check_token(self, user, token):
        """Whether ``token`` is ``user``'s latest invitation, unused and in time."""
        if not (user and token) or not isinstance(token, str):
            return False
        stamp, _sep, _digest = token.partition("-")
        if not stamp or len(stamp) > 13:
            return False
        try:
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._signed(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = int(timezone.now().timestamp()) - timestamp
        return 0 <= age <= valid_seconds()


def valid_seconds():
    return settings.INVITATION_VALID_DAYS * DAY


invitation_token_generator = InvitationTokenGenerator()
