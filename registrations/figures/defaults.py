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


def latest_year_with_progress(before):
    """The latest year < ``before`` holding progress of units registered for it."""
    return (
        Registration.objects.active()
        .filter(
            Exists(
                Progress.objects.filter(
                    unit_id=OuterRef("unit_id"), year=OuterRef("year")
                )
            ),
            year__lt=before,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def dashboard_year(now=None):
    """The year ``/tien-do/``, ``/api/tong-hop/`` and ``/bao-cao/`` open on.

    CONTRACT §3 says the current year. When that year has neither registrations
    nor progress entries, a page of zeros would hide the programme's figures, so
    the latest earlier year holding progress of the units registered for it is
    shown (the year of the last quarterly report: 2017 in the demo); with none,
    the current year all the same (the page says nothing is registered yet and
    links the years that have registrations). A later year is never chosen.
    """
    year, _ = periods.current(now)
    if registrations(year).exists() or Progress.objects.filter(year=year).exists():
        return year
    return latest_year_with_progress(year) or year
