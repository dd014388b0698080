"""Reporting quarters: labels, boundaries and locking (DHIS2's "expiry days").

A quarter closes ``settings.PROGRESS_LOCK_DAYS`` days after it ends, counted in
Asia/Ho_Chi_Minh whatever the server's zone; after that only a user with the
``registrations.change_locked_progress`` permission may change its values.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from kieumau.dates import VIETNAM, vietnam_today

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def label(year, quarter):
    """'Quý I/2017'."""
    return f"Quý {ROMAN[quarter]}/{year}"


def previous(year, quarter):
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def following(year, quarter):
    return (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def last_day(year, quarter):
    """The last calendar day of the quarter."""
    next_year, next_quarter = following(year, quarter)
    first_of_next = datetime.date(next_year, 3 * next_quarter - 2, 1)
    return first_of_next - datetime.timedelta(days=1)


def first_day(year, quarter):
    """The first calendar day of the quarter."""
    return datetime.date(year, 3 * quarter - 2, 1)


def start_moment(year, quarter):
    """The aware datetime at which the quarter begins (midnight, Vietnam time)."""
    return datetime.datetime.combine(
        first_day(year, quarter), datetime.time.min, tzinfo=VIETNAM
    )


def end_of_day(day):
    """The aware datetime at which ``day`` is over in Vietnam (a deadline's end)."""
    following_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(following_day, datetime.time.min, tzinfo=VIETNAM)


def lock_moment(year, quarter):
    """The aware datetime from which the quarter is locked (midnight, Vietnam time)."""
    closes_on = last_day(year, quarter) + datetime.timedelta(
        days=settings.PROGRESS_LOCK_DAYS + 1
    )
    return datetime.datetime.combine(closes_on, datetime.time.min, tzinfo=VIETNAM)


def is_locked(year, quarter, now=None):
    return (now or timezone.now()) >= lock_moment(year, quarter)


def can_edit(user, year, quarter, now=None):
    """Whether ``user`` may change values of this quarter now."""
    if not is_locked(year, quarter, now):
        return True
    return user is not None and user.has_perm("registrations.change_locked_progress")


def current(now=None):
    """The (year, quarter) containing ``now`` in Vietnam time."""
    today = vietnam_today(now)
    return today.year, (today.month - 1) // 3 + 1
