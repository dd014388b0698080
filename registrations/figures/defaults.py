"""Which year and quarter a page opens on when none is asked for.

The dashboard, ``/api/tong-hop/`` and the staff reports default to the year and
quarter these functions choose; they follow the calendar in Vietnam time.
"""

from django.db.models import Exists, OuterRef

from .. import periods
from ..models import Progress, Registration
from .rules import registrations


def latest_quarter_with_data(year):
    """The latest quarter of Y holding progress of units registered for Y, or None."""
    row = (
        Progress.objects.filter(
            year=year, unit__in=registrations(year).values("unit_id")
        )
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    return row


def default_quarter(year, now=None):
    """The quarter a report on Y shows when none is asked for.

    The latest quarter of Y with data; with no data yet, the current quarter for
    the current year, Q4 for a past year and Q1 for a future one (the figures are
    the same for every quarter then: nothing is met).
    """
    quarter = latest_quarter_with_data(year)
    if quarter:
        return quarter
    this_year, this_quarter = periods.current(now)
    if year == this_year:
        return this_quarter
    return 4 if year < this_year else 1


def registration_years():
    """The years that have registrations for them, ascending (one query)."""
    return list(
        Registration.objects.active()
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )


def latest_year_with_progress(until):
    """The latest year ≤ ``until`` holding values of units registered for it.

    Only accepted values are stored as progress (a unit's own report reaches it
    when staff accept it), so this is CONTRACT §3's "accepted values".
    """
    return (
        Registration.objects.active()
        .filter(
            Exists(
                Progress.objects.filter(
                    unit_id=OuterRef("unit_id"), year=OuterRef("year")
                )
            ),
            year__lte=until,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def dashboard_year(now=None):
    """The year ``/tien-do/``, ``/api/tong-hop/`` and ``/bao-cao/`` open on.

    CONTRACT §3: the latest year, not after the current one (Vietnam time), that
    has registrations for it and accepted values of those units in it (2017 in
    the demo). A year whose registrations have no value yet would show a page of
    zeros and hide the programme's figures, so it waits for its first accepted
    value. With no such year, the current year all the same: its page says that
    nothing is registered yet and links the years that have registrations.
    """
    year, _ = periods.current(now)
    return latest_year_with_progress(year) or year
