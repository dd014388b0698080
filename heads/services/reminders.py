"""Reminders by email: what is due today, each sent once (``send_reminders``, daily).

To the heads of a unit (those with an address, whose account is active):

- **before the lock**: ``REMINDER_DAYS_BEFORE_LOCK`` days (7 and 2 by default)
  before the quarter locks, when the unit has not submitted its report (none yet,
  or a draft). Each step goes once; a run that missed a step's day sends it the
  next day, unless a nearer step is due by then (only the nearest is sent);
- **returned**: a report sent back, with the reasons and the deadline, while the
  deadline has not passed (once per return: a second return is a new reminder);
- **accepted**: a report accepted in the last ``RECENT_DAYS`` days.

To district staff who review reports (``registrations.review_quarterreport``, by
their group or their own permissions; superusers only if given it): a **daily
digest** of the reports waiting for review, when there are any.

A unit that has submitted gets no reminder to submit; nothing is sent twice (the
``SentReminder`` log, unique per kind, unit, quarter and recipient); a message
that cannot be sent is logged and tried again on the next run.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from kieumau.dates import vietnam_today
from registrations import periods
from registrations.models import QuarterReport, ReportState
from registrations.worklist import expected_units
from units.models import Unit

from ..models import ReminderKind, SentReminder
from .mail import Mail, render, send_all, site_url

S = ReportState
RECENT_DAYS = 7
REVIEW_PERMISSION = "registrations.review_quarterreport"


def open_quarters(now=None):
    """The quarters units may still report now, newest first (not yet locked)."""
    year, quarter = periods.current(now)
    found = []
    while not periods.is_locked(year, quarter, now) and len(found) < 8:
        found.append((year, quarter))
        year, quarter = periods.previous(year, quarter)
    return found


def due_step(year, quarter, now=None):
    """The reminder step due for the quarter today (days before its lock), or None."""
    today = vietnam_today(now)
    days_left = (periods.lock_moment(year, quarter).date() - today).days
    steps = [n for n in settings.REMINDER_DAYS_BEFORE_LOCK if days_left <= n]
    return min(steps) if steps else None


def _heads(units):
    """{unit id: [active heads with an address]}, in one query."""
    through = Unit.heads.through
    links = (
        through.objects.filter(unit__in=units, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    heads = defaultdict(list)
    for link in links:
        heads[link.unit_id].append(link.user)
    return heads


def _deadline_text(day):
    return f"{day:%d/%m/%Y}"


def before_lock(now=None):
    """Reminders to submit, for the quarters whose step is due today."""
    mails = []
    for year, quarter in open_quarters(now):
        step = due_step(year, quarter, now)
        if step is None:
            continue
        lock = periods.lock_moment(year, quarter)
        units = list(
            expected_units(year, quarter)
            .filter(Q(report_state__isnull=True) | Q(report_state=S.DRAFT))
            .order_by("code")
        )
        heads = _heads(units)
        for unit in units:
            context = {
                "unit": unit,
                "quarter_label": periods.label(year, quarter),
                "days": (lock.date() - vietnam_today(now)).days,
                "last_day": _deadline_text(lock.date() - timedelta(days=1)),
                "drafting": unit.report_state == S.DRAFT,
                "url": site_url("registrations:selfreport", unit.code, year, quarter),
            }
            subject, body = render("before_lock", context)
            mails += [
                Mail(
                    kind=ReminderKind.BEFORE_LOCK,
                    reference=str(step),
                    unit=unit,
                    year=year,
                    quarter=quarter,
                    recipient=head.email,
                    user=head,
                    subject=subject,
                    body=body,
                )
                for head in heads[unit.pk]
            ]
    return mails


def _stamp(moment):
    return moment.isoformat(timespec="seconds")


def returned(now=None):
    """Reports sent back whose deadline has not passed: the reasons, the deadline."""
    reports = list(
        QuarterReport.objects.filter(
            state=S.RETURNED, return_deadline__gte=vietnam_today(now)
        )
        .select_related("unit")
        .prefetch_related("values__indicator")
        .order_by("year", "quarter", "unit__code")
    )
    heads = _heads([r.unit for r in reports])
    mails = []
    for report in reports:
        reasons = [
            (value.indicator, value.return_reason)
            for value in sorted(report.values.all(), key=lambda v: v.indicator.code)
            if value.return_reason
        ]
        context = {
            "unit": report.unit,
            "quarter_label": periods.label(report.year, report.quarter),
            "reasons": reasons,
            "note": report.return_note,
            "deadline": _deadline_text(report.return_deadline),
            "url": site_url(
                "registrations:selfreport",
                report.unit.code,
                report.year,
                report.quarter,
            ),
        }
        subject, body = render("returned", context)
        mails += [
            Mail(
                kind=ReminderKind.RETURNED,
                reference=_stamp(report.returned_at or report.updated_at),
                unit=report.unit,
                year=report.year,
                quarter=report.quarter,
                recipient=head.email,
                user=head,
                subject=subject,
                body=body,
            )
            for head in heads[report.unit_id]
        ]
    return mails


def accepted(now=None):
    """Reports accepted in the last RECENT_DAYS days."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    reports = list(
        QuarterReport.objects.filter(state=S.ACCEPTED, accepted_at__gte=since)
        .select_related("unit")
        .order_by("year", "quarter", "unit__code")
    )
    heads = _heads([r.unit for r in reports])
    mails = []
    for report in reports:
        context = {
            "unit": report.unit,
            "quarter_label": periods.label(report.year, report.quarter),
            "url": site_url(
                "registrations:selfreport",
                report.unit.code,
                report.year,
                report.quarter,
            ),
        }
        subject, body = render("accepted", context)
        mails += [
            Mail(
                kind=ReminderKind.ACCEPTED,
                reference=_stamp(report.accepted_at),
                unit=report.unit,
                year=report.year,
                quarter=report.quarter,
                recipient=head.email,
                user=head,
                subject=subject,
                body=body,
            )
            for head in heads[report.unit_id]
        ]
    return mails


def reviewers():
    """Active staff who review reports and have an address."""
    return (
        get_user_model()
        .objects.with_perm(
            REVIEW_PERMISSION,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
        .exclude(email="")
        .order_by("username")
    )


def digest(now=None):
    """One message per reviewer listing the reports waiting, when there are any."""
    waiting = list(
        QuarterReport.objects.filter(state=S.SUBMITTED)
        .select_related("unit")
        .order_by("year", "quarter", "submitted_at", "unit__code")
    )
    if not waiting:
        return []
    today = vietnam_today(now)
    quarters = defaultdict(list)
    for report in waiting:
        submitted = vietnam_today(report.submitted_at) if report.submitted_at else today
        quarters[(report.year, report.quarter)].append(
            {
                "unit": report.unit,
                "submitted": _deadline_text(submitted),
                "days": (today - submitted).days,
            }
        )
    context = {
        "count": len(waiting),
        "today": _deadline_text(today),
        "quarters": [
            {
                "label": periods.label(year, quarter),
                "reports": reports,
                "url": site_url("registrations:review-list", year, quarter)
                + "?trang_thai=da-nop",
            }
            for (year, quarter), reports in quarters.items()
        ],
    }
    subject, body = render("digest", context)
    year, quarter = periods.current(now)
    return [
        Mail(
            kind=ReminderKind.DIGEST,
            reference=today.isoformat(),
            year=year,
            quarter=quarter,
            recipient=user.email,
            user=user,
            subject=subject,
            body=body,
        )
        for user in reviewers()
    ]


def _not_sent(mails):
    """``mails`` without those the log says went already (one query)."""
    if not mails:
        return []
    kinds = {m.kind for m in mails}
    recipients = {m.recipient for m in mails}
    sent = set(
        SentReminder.objects.filter(
            kind__in=kinds, recipient__in=recipients
        ).values_list("kind", "reference", "unit_id", "year", "quarter", "recipient")
    )
    return [m for m in mails if m.key not in sent]


def due_reminders(now=None):
    """Every reminder due now and not sent yet, in the order they go."""
    return _not_sent([*before_lock(now), *returned(now), *accepted(now), *digest(now)])


def send_reminders(mails, *, connection=None):
    """Send each of ``mails`` once; {outcome: count}."""
    return send_all(mails, connection=connection)
