"""The invitation: a one-time link to choose a password, 7 days; re-send, print."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from heads import services
from heads.models import HeadProfile, ReminderKind, SentReminder
from heads.tokens import invitation_token_generator
from kieumau.dates import VIETNAM
from tests.conftest import login

from .conftest import account, run

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)
PASSWORD = "mot-mat-khau-du-dai-2026"


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def head(units):
    with at(T0):
        assert run(["XA-KHE", "Lê Văn Hùng", "hung.le@dongson.example", ""]).ok
    return account("hung.le@dongson.example")


def invite(head, by=None):
    assert services.send_invitation(head.head_profile, by=by)
    return link_in(mail.outbox[-1].body)


def link_in(text):
    return re.search(r"https?://\S+(/kich-hoat/\S+/)", text).group(1)


def choose_password(client, link, password=PASSWORD):
    """Open the link, then post the password as a browser would."""
    response = client.get(link, follow=True)
    if "new_password1" not in response.content.decode():
        return response
    return client.post(
        response.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_invitation_sets_a_password_that_signs_in(client, head):
    with at(T0):
        link = invite(head)
        response = client.get(link, follow=True)
        assert "hung.le" in response.content.decode()  # the username is shown
        response = choose_password(client, link)
    assert "Đã đặt mật khẩu" in response.content.decode()
    head.refresh_from_db()
    assert head.has_usable_password()
    assert head.head_profile.activated_at is not None
    client.logout()
    response = sign_in(client, "hung.le")
    assert response.status_code == 302
    assert client.get("/tai-khoan/").status_code == 200


def test_the_link_works_once(client, head):
    with at(T0):
        link = invite(head)
        choose_password(client, link)
        client.logout()
        response = client.get(link, follow=True)
    assert "Liên kết không còn dùng được" in response.content.decode()
    assert "new_password1" not in response.content.decode()


@pytest.mark.parametrize(
    ("later", "valid"),
    [
        (datetime.timedelta(days=6, hours=23), True),
        (datetime.timedelta(days=7), True),
        (datetime.timedelta(days=7, minutes=1), False),
        (datetime.timedelta(days=30), False),
    ],
)
def test_the_link_expires_after_seven_days(client, head, later, valid):
    with at(T0):
        link = invite(head)
    with at(T0 + later):
        response = client.get(link, follow=True)
    assert ("new_password1" in response.content.decode()) is valid


def test_the_validity_is_a_setting(client, head, settings):
    settings.INVITATION_VALID_DAYS = 2
    with at(T0):
        link = invite(head)
    with at(T0 + datetime.timedelta(days=2, minutes=1)):
        response = client.get(link, follow=True)
    assert "new_password1" not in response.content.decode()


def test_a_new_invitation_voids_the_earlier_link(client, head):
    with at(T0):
        first = invite(head)
    with at(T0 + datetime.timedelta(minutes=5)):
        second = invite(head)
        assert "new_password1" not in client.get(first, follow=True).content.decode()
        assert "new_password1" in client.get(second, follow=True).content.decode()


def test_a_password_reset_token_is_no_invitation_and_the_other_way_round(head):
    head.refresh_from_db()
    assert not invitation_token_generator.check_token(
        head, default_token_generator.make_token(head)
    )
    assert not default_token_generator.check_token(
        head, invitation_token_generator.make_token(head)
    )


@pytest.mark.parametrize(
    "token", ["", "abc", "zzzzzzzzzzzzzzzzzz-1", "1-2-3", "x" * 500]
)
def test_malformed_tokens_are_refused(head, token):
    assert not invitation_token_generator.check_token(head, token)


def test_each_invitation_is_logged(head):
    with at(T0):
        invite(head)
    log = SentReminder.objects.get(kind=ReminderKind.INVITATION)
    assert log.recipient == "hung.le@dongson.example"
    assert log.user == head


# --- staff: re-send and print ---------------------------------------------------


def resend_url(user):
    return reverse("heads:resend", args=[user.pk])


def letter_url(user):
    return reverse("heads:letter", args=[user.pk])


def test_staff_confirm_then_resend_an_invitation(client, head, district_staff):
    login(client, district_staff)
    with at(T0):
        first = invite(head)
    with at(T0 + datetime.timedelta(days=8)):  # the first one expired
        page = client.get(resend_url(head))
        assert page.status_code == 200
        assert "liên kết trong lời mời trước" in page.content.decode().lower()
        assert len(mail.outbox) == 1  # nothing sent before the confirmation
        response = client.post(resend_url(head), follow=True)
        assert "Đã gửi lời mời tới hung.le@dongson.example" in response.content.decode()
        assert len(mail.outbox) == 2
        second = link_in(mail.outbox[-1].body)
        client.logout()
        assert "new_password1" not in client.get(first, follow=True).content.decode()
        assert "new_password1" in client.get(second, follow=True).content.decode()
    profile = HeadProfile.objects.get(user=head)
    assert profile.invited_by == district_staff


def test_staff_print_an_invitation_for_a_head_without_email(
    client, head, district_staff
):
    login(client, district_staff)
    with at(T0):
        emailed = invite(head)
        assert client.get(letter_url(head)).status_code == 200
        response = client.post(letter_url(head), follow=True)
        # Reloading the letter prints the same one: no new invitation.
        again = client.get(response.redirect_chain[-1][0])
    assert response.redirect_chain[-1][0] == reverse(
        "heads:letter-print", args=[head.pk]
    )
    html = response.content.decode()
    links = re.findall(r"/kich-hoat/[^<\s]+/", html)
    assert re.findall(r"/kich-hoat/[^<\s]+/", again.content.decode()) == links
    assert response.status_code == 200
    assert "Thư mời sử dụng tài khoản trưởng đơn vị" in html
    assert "hung.le" in html
    printed = re.search(r"(/kich-hoat/[^<\s]+/)", html).group(1)
    assert "09:00 ngày 17/02/2026" in html  # 7 days after T0, Vietnam time
    assert "mật khẩu:" not in html.lower().replace("chọn mật khẩu", "")
    client.logout()
    assert "new_password1" not in client.get(emailed, follow=True).content.decode()
    with at(T0 + datetime.timedelta(days=1)):
        assert "new_password1" in client.get(printed, follow=True).content.decode()
    assert HeadProfile.objects.get(user=head).invited_by_letter


def test_an_activated_account_gets_no_new_invitation(client, head, district_staff):
    head.set_password(PASSWORD)
    head.save()
    login(client, district_staff)
    response = client.post(resend_url(head), follow=True)
    assert "đã kích hoạt" in response.content.decode()
    assert mail.outbox == []
    assert client.post(letter_url(head), follow=True).status_code == 200
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, messages):
        raise OSError("Connection refused")


def test_a_failed_send_says_so_and_changes_nothing(
    client, head, district_staff, settings
):
    settings.EMAIL_BACKEND = "tests.heads.test_invitation.FailingBackend"
    login(client, district_staff)
    response = client.post(resend_url(head), follow=True)
    assert response.status_code == 200
    assert "Chưa gửi được thư" in response.content.decode()
    profile = HeadProfile.objects.get(user=head)
    assert profile.invited_at is None
    assert not SentReminder.objects.exists()


@pytest.mark.parametrize("view", [resend_url, letter_url])
def test_only_staff_may_resend_or_print(client, head, unit_head, editor, view):
    url = view(head)
    assert client.get(url).status_code == 302
    assert login(client, unit_head).get(url).status_code == 403
    assert login(client, editor).get(url).status_code == 403
    assert login(client, head).post(url).status_code == 403


def test_staff_accounts_and_unknown_ids_are_not_found(
    client, district_staff, supervisor
):
    login(client, district_staff)
    assert client.get(resend_url(supervisor)).status_code == 404
    assert client.get(reverse("heads:resend", args=[999999])).status_code == 404


def test_staff_send_the_waiting_invitations(
    client, units, district_staff, django_capture_on_commit_callbacks
):
    with services.invitations_held():
        assert run(
            ["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", ""],
            ["CQ-2", "Trần Văn Bình", "binh@dongson.example", ""],
        ).ok
    assert mail.outbox == []
    login(client, district_staff)
    page = client.get(reverse("heads:list"))
    assert "2 tài khoản chờ gửi lời mời" in page.content.decode()
    assert client.get(reverse("heads:send-waiting")).status_code == 200
    response = client.post(reverse("heads:send-waiting"), follow=True)
    assert "Đã gửi 2 lời mời." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "binh@dongson.example",
        "lan.pham@dongson.example",
    ]


def test_the_printed_letter_is_made_by_a_post_only(client, head, district_staff):
    login(client, district_staff)
    url = reverse("heads:letter-print", args=[head.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == letter_url(head)
    assert HeadProfile.objects.get(user=head).invited_at is None


def test_the_invitation_pages_make_few_queries(
    client, head, district_staff, django_assert_max_num_queries
):
    with at(T0):
        link = invite(head)
        # Two requests: the link, then the form it redirects to (session writes).
        # (the session row's insert counts 4 with its existence check and savepoint)
        with django_assert_max_num_queries(9):
            response = client.get(link, follow=True)
        assert "new_password1" in response.content.decode()
        login(client, district_staff)
        client.get(resend_url(head))
        for url in (resend_url(head), letter_url(head)):
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200
