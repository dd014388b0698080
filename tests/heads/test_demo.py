"""The demo's unit heads (through the importer) and its log of reminders."""

import csv
import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from heads.models import ReminderKind, SentReminder
from kieumau.dates import VIETNAM
from portal import demo as portal_demo
from units.models import Unit

pytestmark = pytest.mark.django_db

DEMO_MOMENT = datetime.datetime(2026, 11, 28, 9, tzinfo=VIETNAM)  # Q4/2026


def load(moment=DEMO_MOMENT):
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", "--users", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load()


def test_every_unit_in_force_has_a_head_with_an_address(demo):
    path = portal_demo.data_file("heads", "truong-don-vi.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    in_force = Unit.objects.filter(valid_to__isnull=True)
    assert {row["ma_don_vi"] for row in rows} == set(
        in_force.values_list("code", flat=True)
    )
    for unit in in_force.prefetch_related("heads"):
        assert [head.email for head in unit.heads.all()] != []
        assert all(head.email.endswith("@dongson.example") for head in unit.heads.all())
    assert "Trưởng đơn vị (truong-don-vi.csv): Đã tạo mới 112" in demo


def test_the_demo_accounts_are_the_files_heads(demo):
    User = get_user_model()
    dongkhe = User.objects.get(username="truong.dongkhe")
    assert dongkhe.has_usable_password()  # --users gave it the demo password
    assert list(Unit.objects.get(code="XA-DONG-KHE").heads.all()) == [dongkhe]
    assert dongkhe.head_profile.full_name == "Lê Văn Hùng"


def test_the_demo_heads_and_log_load_once(demo):
    User = get_user_model()
    counts = (User.objects.count(), SentReminder.objects.count())
    links = sorted(Unit.heads.through.objects.values_list("unit_id", "user_id"))
    out = load(DEMO_MOMENT + datetime.timedelta(days=1))
    assert "Đã tạo mới 0, cập nhật 0, giữ nguyên 112" in out
    assert (User.objects.count(), SentReminder.objects.count()) == counts
    assert sorted(Unit.heads.through.objects.values_list("unit_id", "user_id")) == links


def test_the_demo_has_a_log_of_reminders_before_the_last_lock(demo):
    # On 28/11/2026 the last locked quarter is Q3/2026 (locked 31/10 at 00:00):
    # its reminders went on 24/10 (7 days) and 29/10 (2 days).
    log = SentReminder.objects.filter(kind=ReminderKind.BEFORE_LOCK)
    assert set(log.values_list("year", "quarter")) == {(2026, 3)}
    assert set(log.values_list("reference", flat=True)) == {"7", "2"}
    days = {
        timestamp.astimezone(VIETNAM).date()
        for timestamp in log.values_list("sent_at", flat=True)
    }
    assert days == {datetime.date(2026, 10, 24), datetime.date(2026, 10, 29)}


def test_a_dry_run_on_the_demo_lists_what_goes_today_and_sends_nothing(demo):
    out = StringIO()
    with time_machine.travel(DEMO_MOMENT, tick=False):
        call_command("send_reminders", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Lời mời đặt mật khẩu → truong.ubndhuyen@dongson.example" in text
    assert "Báo cáo bị trả lại · XA-DONG-HOANG · Quý IV/2026" in text
    assert "Tổng hợp hằng ngày cho cán bộ → canbo@dongson.example" in text
    assert "Lời mời đặt mật khẩu → truong.dongkhe@" not in text  # has a password
    assert mail.outbox == []
