"""What the demo's catalogue and registrations need beyond their data files.

The catalogue, the registrations and three quarters of progress (Q3/2016–Q1/2017)
are files in ``demo_data/``, in the contract's formats; ``portal.demo`` loads them
through the importer. Two facts of the demo district have no column in those
formats, so they are set here: the titles apply from 2016, the year the programme
started, and the district office has accepted (tiếp nhận) the registrations for
2017, through the same service as the staff's button. Later years stay submitted.

The catalogue follows the reference criteria; its Đông Sơn targets are plausible
values, not the official ones. The registrations reproduce the counts of the
district's Q1/2017 briefing (8 agencies, 2 communes, 50 villages and quarters;
8 preschools, 4 primary and 2 lower-secondary schools for 2017). The progress
file makes the village cultural house (18/50 met), the sports ground for workers
(3/8) and the village poverty rate (22/50) the criteria furthest behind in Q1/2017,
and moves every criterion between quarters. No figure is stored: they are always
computed by ``registrations.figures``.
"""

import csv
from pathlib import Path

from .models import Registration, RegistrationStatus, Title
from .services import accept_registration

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
TITLES_VALID_FROM = 2016
ACCEPTED_YEAR = 2017


def title_codes():
    """The codes of the titles in the demo's criteria file."""
    with (DATA_DIR / "criteria.csv").open(encoding="utf-8", newline="") as handle:
        return sorted({row["ma_danh_hieu"] for row in csv.DictReader(handle)})


def set_title_validity():
    """The demo's titles apply from 2016 (left alone once set)."""
    Title.objects.filter(code__in=title_codes(), valid_from_year__isnull=True).update(
        valid_from_year=TITLES_VALID_FROM
    )


def accept_registrations(*, by, stdout):
    """Accept the demo's registrations for 2017 that are still only submitted."""
    waiting = Registration.objects.filter(
        title__code__in=title_codes(),
        year=ACCEPTED_YEAR,
        status=RegistrationStatus.SUBMITTED,
    ).order_by("unit__code")
    accepted = 0
    for registration in waiting:
        accept_registration(registration=registration, by=by)
        accepted += 1
    stdout.write(f"Đăng ký năm {ACCEPTED_YEAR} được tiếp nhận: {accepted}.")
