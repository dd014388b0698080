"""Sending one email and logging it once: the invitations' and reminders' common step.

Each message is sent inside its own transaction, after its ``SentReminder`` row
is written: the row's unique constraint makes a second run (or a concurrent one)
skip it, and a failure to send rolls the row back, so the next run tries again.
A failure is logged, never raised: the caller goes on with the next message.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import SentReminder

logger = logging.getLogger("heads.mail")

SENT, SKIPPED, FAILED = "sent", "skipped", "failed"


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
