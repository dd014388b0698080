"""The demo's unit heads and its log of reminders.

The heads are a file in the contract's format (``demo_data/truong-don-vi.csv``: one
head per unit in force, addresses at ``dongson.example``), imported by
``portal.demo`` through the importer with the invitations held: the accounts wait
for their invitation, which ``manage.py send_reminders --dry-run`` lists. The log
shows the reminders that went before the last locked quarter closed, as the daily
run made them on its two days (the messages themselves are not sent again).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from kieumau.dates import VIETNAM
from registrations import periods

from .models import SentReminder
from .services.reminders import before_lock

HEADS_FILE = "truong-don-vi.csv"
RUN_HOUR = 7  # the timer's hour, Vietnam time


def last_locked_quarter(now=None):
    year, quarter = periods.current(now)
    while not periods.is_locked(year, quarter, now):
        year, quarter = periods.previous(year, quarter)
    return year, quarter


def load_reminder_log(*, stdout, now=None):
    """Log the reminders before the last locked quarter's lock (once)."""
    year, quarter = last_locked_quarter(now)
    lock_day = periods.lock_moment(year, quarter).date()
    rows = []
    for step in settings.REMINDER_DAYS_BEFORE_LOCK:
        day = lock_day - datetime.timedelta(days=step)
        moment = datetime.datetime.combine(day, datetime.time(RUN_HOUR), tzinfo=VIETNAM)
        if moment > (now or timezone.now()):
            continue
        rows += [
            SentReminder(
                kind=mail.kind,
                reference=mail.reference,
                unit=mail.unit,
                year=mail.year,
                quarter=mail.quarter,
                recipient=mail.recipient,
                user=mail.user,
                subject=mail.subject,
                sent_at=moment,
            )
            for mail in before_lock(moment)
            if (mail.year, mail.quarter) == (year, quarter)
        ]
    SentReminder.objects.bulk_create(rows, ignore_conflicts=True)
    stdout.write(
        f"Thư nhắc đã gửi trước khi {periods.label(year, quarter)} khóa: {len(rows)}."
    )
