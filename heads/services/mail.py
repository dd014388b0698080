"""Sending one email and logging it once: the invitations' and reminders' common step.

Each message is sent inside its own transaction, after its ``SentReminder`` row
is written: the row's unique constraint makes a second run (or a concurrent one)
skip it, and a failure to send rolls the row back, so the next run tries again.
A failure is logged, never raised: the caller goes on with the next message, and
``send_all`` stops once the server looks down (``FAILURES_IN_A_ROW``).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import SentReminder

logger = logging.getLogger("heads.mail")

SENT, SKIPPED, FAILED, NOT_TRIED = "sent", "skipped", "failed", "not_tried"
# A mail server that fails this many messages in a row is taken to be down: the
# rest wait for the next run (each failure may cost EMAIL_TIMEOUT seconds).
FAILURES_IN_A_ROW = 3


def site_url(path_or_name, *args):
    """An absolute address on the portal for an email (no request to ask)."""
    path = (
        path_or_name
        if path_or_name.startswith("/")
        else reverse(path_or_name, args=args)
    )
    return settings.SITE_URL.rstrip("/") + path


def render(template, context):
    """(subject, body) from ``heads/email/<template>_subject.txt`` and ``.txt``."""
    context = {
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_AUTHORITY": settings.SITE_AUTHORITY,
        "login_url": site_url("login"),
        **context,
    }
    subject = render_to_string(f"heads/email/{template}_subject.txt", context)
    body = render_to_string(f"heads/email/{template}.txt", context)
    return " ".join(subject.split())[:255], body


@dataclass
class Mail:
    """One message to send, and the log row that says it went."""

    kind: str
    recipient: str
    subject: str
    body: str
    reference: str = ""
    unit: object = None
    year: int | None = None
    quarter: int | None = None
    user: object = None
    # Called inside the sending transaction, before the message goes (an
    # invitation stamps its moment there); returns the body to send, or None.
    prepare: object = field(default=None, repr=False)

    @property
    def key(self):
        return (
            self.kind,
            self.reference,
            self.unit.pk if self.unit is not None else None,
            self.year,
            self.quarter,
            self.recipient,
        )


def deliver(mail, *, connection=None):
    """Send ``mail`` once and log it: SENT, SKIPPED (already sent) or FAILED."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=mail.kind,
                reference=mail.reference,
                unit=mail.unit,
                year=mail.year,
                quarter=mail.quarter,
                recipient=mail.recipient,
                user=mail.user,
                subject=mail.subject,
            )
            body = mail.prepare() if mail.prepare is not None else mail.body
            EmailMessage(
                mail.subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [mail.recipient],
                connection=connection,
            ).send()
    except IntegrityError:
        return SKIPPED
    except Exception:  # SMTP refused, network down, bad address: try again later
        logger.exception(
            "could not send %s to user %s (%s); it will be tried again",
            mail.kind,
            getattr(mail.user, "pk", None),
            mail.recipient,
        )
        return FAILED
    return SENT


def send_all(mails, *, connection=None):
    """Send ``mails`` over one connection, each once; {outcome: count}."""
    outcomes = defaultdict(int)
    if not mails:
        return outcomes
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception:  # the server does not answer: everything waits
        logger.exception(
            "mail server unreachable; %s messages wait for the next run", len(mails)
        )
        outcomes[NOT_TRIED] += len(mails)
        return outcomes
    in_a_row = 0
    try:
        for done, mail in enumerate(mails, start=1):
            outcome = deliver(mail, connection=connection)
            outcomes[outcome] += 1
            in_a_row = in_a_row + 1 if outcome == FAILED else 0
            if in_a_row >= FAILURES_IN_A_ROW:
                outcomes[NOT_TRIED] += len(mails) - done
                logger.warning(
                    "%s failures in a row: %s messages wait for the next run",
                    in_a_row,
                    len(mails) - done,
                )
                break
    finally:
        connection.close()
    return outcomes
