"""Unit-head accounts: made from the office's file, changed by the head.

How the import finds a row's account (CONTRACT §1.6, ``imports.services.heads``):

1. ``ma_tai_khoan``, when the file has that column and the cell is filled: the
   account with that key (an exported file carries it, so an address changed in
   the file moves with its person);
2. else the account whose email is the row's address, or to which an earlier file
   gave that address (a head who changed their address on the profile page is
   still found by the office's older file, and keeps the new address);
3. else a head of the row's unit with the same name, letters compared without
   diacritics or case: the office wrote a new address for a head it already has;
4. else a new account, invited to choose a password.

An account of district staff (``is_staff`` or a superuser) is only ever linked
to a unit by a file: the file never changes its name, address or password, so
that a file cannot take over a staff account.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kieumau.text import fold, nfc

from ..models import HeadProfile

HEAD_GROUP = "Trưởng đơn vị"
USERNAME_MAX = 30


def split_name(full_name):
    """'Lê Văn Hùng' → ('Lê', 'Văn Hùng'): get_full_name() gives it back whole."""
    first, _sep, last = nfc(full_name).partition(" ")
    return first[:150], last.strip()[:150]


def name_key(full_name):
    """Names compared without diacritics, case or extra spaces."""
    return fold(full_name)


def is_protected(user):
    """Staff accounts: a file may link them to a unit, never change them."""
    return user.is_staff or user.is_superuser


def username_stem(email):
    """'Lan.Pham@dongson.vn' → 'lan.pham': the address's local part, in ASCII."""
    local = fold(email.partition("@")[0]).replace(" ", "")
    stem = re.sub(r"[^a-z0-9._-]+", "", local).strip("._-")[:USERNAME_MAX]
    return stem or "truong"


def new_usernames(emails):
    """{email: a free username} for new accounts, in one query."""
    User = get_user_model()
    if not emails:
        return {}
    taken = set(User.objects.values_list(Lower("username"), flat=True))
    names = {}
    for email in emails:
        stem = candidate = username_stem(email)
        n = 1
        while candidate in taken:
            n += 1
            suffix = str(n)
            candidate = stem[: USERNAME_MAX - len(suffix)] + suffix
        taken.add(candidate)
        names[email] = candidate
    return names


def email_in_use(email, *, exclude=None):
    """Whether another account has ``email``, or had it from the office's file."""
    User = get_user_model()
    email = email.strip().lower()
    users = User.objects.annotate(address=Lower("email")).filter(address=email)
    profiles = HeadProfile.objects.filter(file_email=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
        profiles = profiles.exclude(user=exclude)
    return users.exists() or profiles.exists()


def head_group():
    return Group.objects.get_or_create(name=HEAD_GROUP)[0]


@transaction.atomic
def create_head_accounts(people, *, by=None):
    """New accounts without a usable password, each with its profile; {email: user}.

    ``people``: dicts with ``name``, ``email`` and ``phone``, as the file gives
    them (they become the profile's ``file_*`` values too).
    """
    User = get_user_model()
    if not people:
        return {}
    usernames = new_usernames([p["email"] for p in people])
    users = []
    for person in people:
        first, last = split_name(person["name"])
        user = User(
            username=usernames[person["email"]],
            email=person["email"],
            first_name=first,
            last_name=last,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    # Read back by username: every database gives the new ids that way.
    users = {
        user.email: user
        for user in User.objects.filter(username__in=usernames.values())
    }
    group = head_group()
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=user.pk, group_id=group.pk)
            for user in users.values()
        ]
    )
    now = timezone.now()
    profiles = []
    for person in people:
        profiles.append(
            HeadProfile(
                user=users[person["email"]],
                full_name=person["name"],
                phone=person["phone"] or "",
                file_name=person["name"],
                file_email=person["email"],
                file_phone=person["phone"] or "",
                created_at=now,
            )
        )
    save_profiles(profiles, by=by, created=True)
    return users


def save_profiles(profiles, *, by, created=False, fields=()):
    """Profiles written in bulk, each with its history row (who: ``by``)."""
    if not profiles:
        return
    history = {"default_user": by, "default_change_reason": "nhập tệp"}
    if created:
        bulk_create_with_history(profiles, HeadProfile, batch_size=500, **history)
    else:
        bulk_update_with_history(
            profiles, HeadProfile, list(fields), batch_size=500, **history
        )


@transaction.atomic
def update_profile(*, user, full_name, email, phone):
    """A head changes their own name, address and phone (the profile page)."""
    User = get_user_model()
    profile = HeadProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = HeadProfile(user=user)
    profile.full_name = nfc(full_name)
    profile.phone = nfc(phone or "")
    profile._history_user = user
    profile.save()
    first, last = split_name(full_name)
    User.objects.filter(pk=user.pk).update(
        first_name=first, last_name=last, email=email
    )
    user.first_name, user.last_name, user.email = first, last, email
    return profile


@transaction.atomic
def ensure_profile(user):
    """The head's profile, made from the account for one linked in the admin."""
    profile, _created = HeadProfile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name()}
    )
    return profile


@transaction.atomic
def activate_account(user):
    """The head chose a password through the invitation: note when."""
    HeadProfile.objects.filter(user=user, activated_at__isnull=True).update(
        activated_at=timezone.now()
    )
