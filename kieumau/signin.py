"""Sign-in forms and the lockout rules django-axes applies (``AXES_*`` settings).

Two limits, both counted by django-axes in its table (shared by every app server,
and kept when Redis is down), within ``AXES_COOLOFF_TIME`` of the last failure:

- ``SIGN_IN_FAILURE_LIMIT`` failures of one username from one address lock that
  username there (guessing one account's password);
- ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures from one address, whatever the
  usernames, lock every sign-in from it (a password spray: a few guesses at many
  accounts). Addresses in ``RATE_LIMIT_EXEMPT_ADDRESSES`` are exempt from this one.

axes compares the largest count among its ``AXES_LOCKOUT_PARAMETERS`` with one
``AXES_FAILURE_LIMIT``; both settings are callables here so that each count meets
its own limit (``lockout_parameters``, ``failure_limit``).

A successful sign-in forgives that username's failures from that address only
(``AXES_RESET_ON_SUCCESS`` is off: axes would reset by every lockout parameter,
the address alone too, so one good sign-in would wipe a spray's count).

A username longer than the User model allows (150) is refused by the forms with a
Vietnamese message before any password is hashed, and still counts as a failure;
axes never sees more than 150 characters of one (``axes_username``): its column
holds 255, and a longer value answered 500 on PostgreSQL.
"""

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.validators import MaxLengthValidator
from django.db.models import Sum

from kieumau.middleware import client_ip
from kieumau.ratelimit import is_exempt_address


def username_max_length():
    model = get_user_model()
    return model._meta.get_field(model.USERNAME_FIELD).max_length


def axes_username(request, credentials):
    """AXES_USERNAME_CALLABLE: the username tried, cut to what the model holds."""
    field = get_user_model().USERNAME_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "POST", {}).get(field)
    if value is None:
        return None
    return str(value)[: username_max_length()]


def _address(request_or_attempt):
    return getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )


def _limits_the_address(ip):
    return settings.SIGN_IN_ADDRESS_FAILURE_LIMIT > 0 and not is_exempt_address(ip)


def lockout_parameters(request_or_attempt, credentials=None):
    """AXES_LOCKOUT_PARAMETERS: username and address together, and the address
    alone unless it is exempt (or the limit per address is switched off)."""
    if _limits_the_address(_address(request_or_attempt)):
        return [["username", "ip_address"], "ip_address"]
    return [["username", "ip_address"]]


def failure_limit(request, credentials=None):
    """AXES_FAILURE_LIMIT: the limit the largest of the two counts must stay under.

    axes locks when max(failures of username+address, failures of the address)
    reaches this number. The address count is never the smaller one, so: once the
    username+address count has reached its own limit, that limit; else the
    address's.
    """
    per_username = settings.SIGN_IN_FAILURE_LIMIT
    ip = _address(request)
    if not _limits_the_address(ip):
        return per_username
    username = get_client_username(request, credentials)
    failures = AccessAttempt.objects.filter(
        username=username,
        ip_address=ip,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(n=Sum("failures_since_start"))["n"]
    if (failures or 0) >= per_username:
        return per_username
    return settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


class SignInFormMixin:
    """Refuse a username longer than the model's before authenticating; forgive
    the username's own failures from this address once it signs in.

    Django's AuthenticationForm sets ``max_length`` on the field after it was
    built, which only sets the HTML attribute: no validator checks it.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(username_max_length()))

    def clean(self):
        raw = self.data.get("username", "")
        if "username" in self.errors and len(raw) > username_max_length():
            if self.data.get("password"):
                # A failed sign-in all the same: counted towards the lockout (as
                # authenticate() would), without the cost of a password hash.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": raw[: username_max_length()]},
                    request=self.request,
                )
            return self.cleaned_data
        cleaned = super().clean()  # raises unless the user may sign in
        if self.user_cache is not None:
            reset(ip=client_ip(self.request), username=self.user_cache.get_username())
        return cleaned


class SignInForm(SignInFormMixin, AuthenticationForm):
    """/dang-nhap/."""


class AdminSignInForm(SignInFormMixin, AdminAuthenticationForm):
    """The admin's login page."""
