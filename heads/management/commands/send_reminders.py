"""Send today's emails to unit heads and staff: invitations waiting, reminders, digest.

    python manage.py send_reminders --dry-run

Run daily (``deploy/kieumau-reminders.timer``, 07:00 Vietnam time). It sends the
invitations still waiting (``heads.services.invitations``), then every reminder
due today (``heads.services.reminders``: before the lock, returned, accepted, the
staff's digest). Each message goes once: it is logged (``SentReminder``, in the
admin) in the transaction that sends it, one transaction per message, so that a
message that fails to send is tried again on the next run while the others stay
sent. ``--dry-run`` lists what would go, writing and sending nothing. The exit
status is 1 when a message could not be sent.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heads.models import ReminderKind
from heads.services import due_reminders, send_reminders
from heads.services.invitations import invitation_mail, pending
from heads.services.mail import FAILED, NOT_TRIED, SENT, SKIPPED
from kieumau.dates import vietnam_now
from registrations import periods


def describe(mail):
    """One line per message, as staff read it."""
    parts = [str(ReminderKind(mail.kind).label)]
    if mail.kind == ReminderKind.BEFORE_LOCK:
        parts[0] += f" ({mail.reference} ngày)"
    if mail.unit is not None:
        parts.append(f"{mail.unit.code} · {periods.label(mail.year, mail.quarter)}")
    return f"{' · '.join(parts)} → {mail.recipient}"


class Command(BaseCommand):
    help = (
        "Gửi lời mời đang chờ, thư nhắc trưởng đơn vị và thư tổng hợp cho cán bộ "
        "(mỗi thư một lần)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ liệt kê các thư sẽ gửi hôm nay, không gửi, không ghi gì.",
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        mails = [invitation_mail(profile) for profile in pending()]
        mails += due_reminders(now)
        today = f"{vietnam_now(now):%d/%m/%Y}"
        if dry_run:
            for mail in mails:
                self.stdout.write(f"  {describe(mail)}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Chạy thử, chưa gửi gì: hôm nay ({today}) sẽ gửi {len(mails)} thư."
                )
            )
            return
        outcomes = send_reminders(mails)
        if options["verbosity"] >= 2:
            for mail in mails:
                self.stdout.write(f"  {describe(mail)}")
        message = (
            f"Ngày {today}: đã gửi {outcomes[SENT]} thư"
            + (
                f", {outcomes[SKIPPED]} thư đã gửi từ trước"
                if outcomes[SKIPPED]
                else ""
            )
            + "."
        )
        self.stdout.write(self.style.SUCCESS(message))
        waiting = outcomes[FAILED] + outcomes[NOT_TRIED]
        if waiting:
            raise CommandError(
                f"{waiting} thư chưa gửi được (xem nhật ký); lần chạy sau sẽ gửi lại.",
                returncode=1,
            )
