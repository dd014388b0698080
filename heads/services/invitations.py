"""Invitations: a one-time link to choose a password, by email or on a printed letter.

A new head's account has no usable password (nobody ever knows or sends one). Its
invitation carries a link valid ``INVITATION_VALID_DAYS`` (``heads.tokens``); the
latest invitation voids the earlier ones, and choosing a password voids it too.
The import sends the invitations of the accounts it made once its transaction
commits, at most ``SEND_AT_ONCE`` of them (a request must end within the app
server's timeout); the others, and any that could not be sent, go with the next
run of ``send_reminders``, or when staff press "Gửi lời mời đang chờ".
"""

import contextvars
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kieumau.dates import vietnam_now

from ..models import HeadProfile, ReminderKind
from ..tokens import invitation_token_generator, valid_seconds
from .accounts import is_protected
from .mail import FAILED, NOT_TRIED, SENT, Mail, deliver, render, send_all, site_url

SEND_AT_ONCE = 50
_held = contextvars.ContextVar("invitations_held", default=False)


@contextmanager
def invitations_held():
    """Imports made inside send no invitation (the demo's accounts wait for the
    daily run, which lists them with ``--dry-run``)."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def can_be_invited(user):
    """An active head's account that has no password yet and is not staff's."""
    return user.is_active and not user.has_usable_password() and not is_protected(user)


def pending():
    """Profiles whose account waits for its first invitation by email."""
    return (
        HeadProfile.objects.filter(
            invited_at__isnull=True,
            user__is_active=True,
            user__is_staff=False,
            user__is_superuser=False,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def activation_path(user, token):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("heads:activate", kwargs={"uidb64": uid, "token": token})


def valid_until(moment):
    """The last moment the link made at ``moment`` works, in Vietnam time."""
    return vietnam_now(moment + timedelta(seconds=valid_seconds()))


def _stamp(profile, *, by, letter):
    """Make ``profile``'s invitation the latest one; return its link."""
    now = timezone.now()
    profile.invited_at = now
    profile.invited_by = by
    profile.invited_by_letter = letter
    profile._history_user = by
    profile.save(update_fields=["invited_at", "invited_by", "invited_by_letter"])
    user = profile.user
    user.head_profile = profile  # the token covers this invitation's moment
    token = invitation_token_generator.make_token(user)
    return site_url(activation_path(user, token)), valid_until(now)


def _units(user):
    return ", ".join(
        user.headed_units.order_by("name_sort_key").values_list("name", flat=True)
    )


def invitation_mail(profile, *, by=None):
    """The invitation email of ``profile`` (its link is made when it is sent)."""
    user = profile.user
    context = {
        "full_name": profile.full_name or user.get_full_name(),
        "username": user.get_username(),
        "units": _units(user),
    }
    subject = render("invitation", {**context, "url": "", "valid_until": None})[0]

    def prepare():
        locked = (
            HeadProfile.objects.select_for_update()
            .select_related("user")
            .get(pk=profile.pk)
        )
        url, until = _stamp(locked, by=by, letter=False)
        return render("invitation", {**context, "url": url, "valid_until": until})[1]

    return Mail(
        kind=ReminderKind.INVITATION,
        recipient=user.email,
        subject=subject,
        body="",
        # One log row per invitation: the moment it is made tells them apart.
        reference=timezone.now().isoformat(timespec="microseconds"),
        user=user,
        prepare=prepare,
    )


def send_invitation(profile, *, by=None, connection=None):
    """Email ``profile`` a new invitation now; True when it went."""
    return deliver(invitation_mail(profile, by=by), connection=connection) == SENT


@transaction.atomic
def issue_letter(profile, *, by):
    """A new invitation to print and hand over: (link, valid until)."""
    profile = (
        HeadProfile.objects.select_for_update()
        .select_related("user")
        .get(pk=profile.pk)
    )
    return _stamp(profile, by=by, letter=True)


def send_pending(*, limit=None, connection=None, by=None):
    """Email the invitations still waiting; (sent, not sent)."""
    profiles = pending()
    if limit is not None:
        profiles = profiles[:limit]
    mails = [invitation_mail(profile, by=by) for profile in profiles]
    outcomes = send_all(mails, connection=connection)
    return outcomes[SENT], outcomes[FAILED] + outcomes[NOT_TRIED]


def invite_after_commit(user_ids, *, by=None):
    """Once the import has committed, email the invitations of ``user_ids``."""
    if _held.get() or not user_ids:
        return

    def send():
        profiles = pending().filter(user_id__in=user_ids)[:SEND_AT_ONCE]
        send_all([invitation_mail(profile, by=by) for profile in profiles])

    transaction.on_commit(send)


def invitation_state(profile, *, now=None):
    """(code, label) of an account's invitation, as staff read it."""
    now = now or timezone.now()
    user = profile.user
    if user.has_usable_password():
        return "active", _("Đã kích hoạt")
    if not user.is_active:
        return "inactive", _("Tài khoản bị khóa")
    if profile.invited_at is None:
        if not user.email:
            return "no_email", _("Chưa mời (không có email)")
        return "pending", _("Chờ gửi lời mời")
    if now - profile.invited_at > timedelta(seconds=valid_seconds()):
        return "expired", _("Lời mời đã hết hạn")
    return "invited", _("Đã mời, chờ đặt mật khẩu")
