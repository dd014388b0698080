"""Reminders by email (send_reminders): the right days, once, never after submitting."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse

from heads.models import ReminderKind, SentReminder
from kieumau.dates import VIETNAM
from registrations.models import ReportedValue, ReportState
from tests import factories
from tests.conftest import login
from units.models import UnitKind

pytestmark = pytest.mark.django_db

S = ReportState
# Q1/2026 ends on 31 March and locks on 1 May 2026 at 00:00 (30 days later):
# with REMINDER_DAYS_BEFORE_LOCK = 7, 2 the reminders go on 24 and 29 April.


def on(day, hour=7):
    return time_machine.travel(
        datetime.datetime(2026, *day, hour, 0, tzinfo=VIETNAM), tick=False
    )


def send(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def sent_to():
    addresses = sorted(m.to[0] for m in mail.outbox)
    mail.outbox.clear()
    return addresses


@pytest.fixture
def world(db):
    """Four communes registered for 2026, each with a head; reports of Q1/2026."""
    with on((3, 1)):
        title = factories.make_catalogue(kind=UnitKind.XA, code="XA")
        indicator = title.criteria.first().indicators.first()
        units = {}
        for key in ("none", "draft", "submitted", "accepted"):
            unit = factories.make_unit(
                f"XA-{key.upper()}", kind=UnitKind.XA, name=f"Xã {key}"
            )
            factories.make_registration(unit, title, 2026)
            head = factories.make_user(
                f"truong.{key}",
                email=f"{key}@dongson.example",
                groups=["Trưởng đơn vị"],
            )
            unit.heads.add(head)
            units[key] = unit
        # A head without an address gets nothing (they were given a letter).
        units["none"].heads.add(factories.make_user("khong.email"))
        factories.make_report(units["draft"], 2026, 1, S.DRAFT)
        factories.make_report(units["submitted"], 2026, 1, S.SUBMITTED)
        factories.make_report(units["accepted"], 2026, 1, S.ACCEPTED)
    return {"units": units, "indicator": indicator}


def test_reminders_go_on_the_stated_days_before_the_lock_and_once(world):
    with on((4, 23)):
        send()
        assert sent_to() == []
    with on((4, 24)):
        send()
        assert sent_to() == ["draft@dongson.example", "none@dongson.example"]
    with on((4, 25)):
        send()
        assert sent_to() == []  # the 7-day reminder went already
    with on((4, 29)):
        send()
        assert all("(còn 2 ngày)" in m.subject for m in mail.outbox)
        assert sent_to() == ["draft@dongson.example", "none@dongson.example"]
    with on((4, 30)):
        send()
        assert sent_to() == []
    with on((5, 1)):  # locked: too late to remind
        send()
        assert sent_to() == []
    steps = sorted(
        SentReminder.objects.filter(kind=ReminderKind.BEFORE_LOCK).values_list(
            "reference", "recipient"
        )
    )
    assert steps == [
        ("2", "draft@dongson.example"),
        ("2", "none@dongson.example"),
        ("7", "draft@dongson.example"),
        ("7", "none@dongson.example"),
    ]


def test_the_reminder_says_what_to_do_and_by_when(world):
    with on((4, 24)):
        send()
    message = next(m for m in mail.outbox if m.to == ["none@dongson.example"])
    assert message.subject == "Nhắc nộp báo cáo Quý I/2026 — Xã none (còn 7 ngày)"
    assert "hết ngày 30/04/2026" in message.body
    assert "/dang-ky/XA-NONE/tien-do/2026/1/" in message.body


def test_a_missed_day_is_caught_up_but_only_the_nearest_step(world):
    with on((4, 27)):  # the run of the 24th did not happen
        send()
        assert sent_to() == ["draft@dongson.example", "none@dongson.example"]
    with on((4, 30)):  # both steps due by now: only the 2-day one goes
        send()
        assert sent_to() == ["draft@dongson.example", "none@dongson.example"]
    assert SentReminder.objects.filter(reference="2").count() == 2


def test_units_that_submitted_are_never_reminded(world):
    with on((4, 24)):
        send()
    recipients = set(SentReminder.objects.values_list("recipient", flat=True))
    assert "submitted@dongson.example" not in recipients
    assert "accepted@dongson.example" not in recipients


def test_the_days_are_a_setting(world, settings):
    settings.REMINDER_DAYS_BEFORE_LOCK = [3]
    with on((4, 24)):
        send()
        assert sent_to() == []
    with on((4, 28)):
        send()
        assert len(sent_to()) == 2


def returned(world, *, at, deadline, reason="Thiếu biên bản họp thôn."):
    report = world["units"]["submitted"].quarter_reports.get()
    report.state = S.RETURNED
    report.returned_at = at
    report.return_deadline = deadline
    report.save()
    ReportedValue.objects.update_or_create(
        report=report, indicator=world["indicator"], defaults={"return_reason": reason}
    )
    return report


def test_a_returned_report_is_told_once_with_reasons_and_deadline(world):
    moment = datetime.datetime(2026, 4, 10, 15, 0, tzinfo=VIETNAM)
    returned(world, at=moment, deadline=datetime.date(2026, 4, 20))
    with on((4, 11)):
        send()
    message = next(m for m in mail.outbox if m.to == ["submitted@dongson.example"])
    assert "bị trả lại" in message.subject and "20/04/2026" in message.subject
    assert "Thiếu biên bản họp thôn." in message.body
    assert "hết ngày 20/04/2026" in message.body
    mail.outbox.clear()
    with on((4, 12)):
        send()
    assert "submitted@dongson.example" not in sent_to()
    # Returned again (new reasons, a later deadline): told again.
    returned(
        world,
        at=moment + datetime.timedelta(days=3),
        deadline=datetime.date(2026, 4, 25),
        reason="Ảnh chưa rõ.",
    )
    with on((4, 14)):
        send()
    assert "submitted@dongson.example" in sent_to()


def test_a_returned_report_past_its_deadline_is_not_told(world):
    returned(
        world,
        at=datetime.datetime(2026, 4, 1, 9, 0, tzinfo=VIETNAM),
        deadline=datetime.date(2026, 4, 5),
    )
    with on((4, 6)):
        send()
    assert "submitted@dongson.example" not in sent_to()


def test_an_accepted_report_is_told_once_while_recent(world):
    report = world["units"]["accepted"].quarter_reports.get()
    report.accepted_at = datetime.datetime(2026, 4, 10, 9, 0, tzinfo=VIETNAM)
    report.save()
    with on((4, 11)):
        send()
        assert "accepted@dongson.example" in sent_to()
        send()
        assert "accepted@dongson.example" not in sent_to()
    report.accepted_at = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=VIETNAM)
    report.save()
    with on((4, 11)):
        send()
    assert "accepted@dongson.example" not in sent_to()


def test_the_staff_digest_lists_what_waits_once_a_day(world, district_staff, editor):
    district_staff.email = "canbo@dongson.example"
    district_staff.save()
    editor.email = "bientap@dongson.example"
    editor.save()
    report = world["units"]["submitted"].quarter_reports.get()
    report.submitted_at = datetime.datetime(2026, 4, 8, 9, 0, tzinfo=VIETNAM)
    report.save()
    with on((4, 11)):
        send()
        send()
    digests = [m for m in mail.outbox if m.to == ["canbo@dongson.example"]]
    assert len(digests) == 1
    assert digests[0].subject == "1 báo cáo của đơn vị đang chờ duyệt — 11/04/2026"
    assert "Xã submitted (XA-SUBMITTED): nộp ngày 08/04/2026, đã chờ 3 ngày" in (
        digests[0].body
    )
    assert "/bao-cao/tien-do/2026/1/?trang_thai=da-nop" in digests[0].body
    assert "bientap@dongson.example" not in [m.to[0] for m in mail.outbox]
    mail.outbox.clear()
    with on((4, 12)):
        send()
    assert "canbo@dongson.example" in sent_to()  # a new day, a new digest


def test_no_digest_when_nothing_waits(world, district_staff):
    district_staff.email = "canbo@dongson.example"
    district_staff.save()
    world["units"]["submitted"].quarter_reports.update(state=S.ACCEPTED)
    with on((4, 11)):
        send()
    assert "canbo@dongson.example" not in sent_to()


def test_a_dry_run_lists_what_would_go_and_sends_nothing(world, district_staff):
    district_staff.email = "canbo@dongson.example"
    district_staff.save()
    with on((4, 24)):
        out = send("--dry-run")
    assert (
        "Nhắc nộp báo cáo trước khi quý khóa (7 ngày) · XA-NONE · Quý I/2026 → " in out
    )
    assert "Tổng hợp hằng ngày cho cán bộ → canbo@dongson.example" in out
    assert "sẽ gửi 3 thư" in out
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("Connection refused")


def test_a_failure_is_logged_and_tried_again_the_next_day(world, settings, caplog):
    settings.EMAIL_BACKEND = "tests.heads.test_reminders.FailingBackend"
    with on((4, 24)), pytest.raises(CommandError) as error:
        send()
    assert error.value.returncode == 1
    assert "could not send before_lock" in caplog.text
    assert not SentReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with on((4, 25)):
        send()
    assert sent_to() == ["draft@dongson.example", "none@dongson.example"]


def test_staff_see_the_log_in_the_admin(client, world, district_staff):
    with on((4, 24)):
        send()
    login(client, district_staff)
    url = reverse("admin:heads_sentreminder_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "none@dongson.example" in response.content.decode()
    assert client.get(url, {"kind": "before_lock", "year": "2026"}).status_code == 200


def test_the_log_admin_makes_few_queries(
    client, world, district_staff, django_assert_max_num_queries
):
    with on((4, 24)):
        send()
    with on((4, 29)):
        send()
    login(client, district_staff)
    url = reverse("admin:heads_sentreminder_changelist")
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)


class UnreachableBackend(BaseEmailBackend):
    def open(self):
        raise TimeoutError("timed out")

    def send_messages(self, messages):
        raise AssertionError("never reached")


def test_an_unreachable_server_leaves_everything_for_the_next_run(world, settings):
    settings.EMAIL_BACKEND = "tests.heads.test_reminders.UnreachableBackend"
    with on((4, 24)), pytest.raises(CommandError) as error:
        send()
    assert "2 thư chưa gửi được" in str(error.value)
    assert not SentReminder.objects.exists()


def test_a_server_failing_in_a_row_is_left_alone_until_the_next_run(
    world, settings, caplog
):
    from heads.services.mail import FAILED, NOT_TRIED, Mail, send_all

    settings.EMAIL_BACKEND = "tests.heads.test_reminders.FailingBackend"
    mails = [
        Mail(
            kind=ReminderKind.DIGEST,
            reference=str(n),
            recipient=f"{n}@x.vn",
            subject="s",
            body="b",
        )
        for n in range(10)
    ]
    outcomes = send_all(mails)
    assert (outcomes[FAILED], outcomes[NOT_TRIED]) == (3, 7)
    assert "3 failures in a row: 7 messages wait" in caplog.text
