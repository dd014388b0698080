"""Unit heads (trưởng đơn vị): their accounts, invitations, profile and reminders.

Responsible for the account of each person who heads a unit, made in bulk from
the district office's unit-heads file (CONTRACT §1.6, ``imports.services.heads``):
its stable key (``HeadProfile.key``, exported as ``ma_tai_khoan``), what the last
file said about the person (so that a head's own changes on the profile page are
not undone by the office's next, older file), the invitation to choose a password
(a one-time link valid ``INVITATION_VALID_DAYS``, ``heads.tokens``), and the
reminders sent by email to heads and the staff's daily digest, each logged once
(``SentReminder``). Which units a person heads stays ``Unit.heads`` (units app).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords


class HeadProfile(models.Model):
    """A unit head's account as the programme knows it: key, name, phone, invitation.

    The account's email is the user's own (``user.email``). ``file_name``,
    ``file_email`` and ``file_phone`` keep what the office's file last gave: an
    import changes a value only when the file's value changed since then, so a
    head who corrected their name or address keeps it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="head_profile",
    )
    key = models.UUIDField(
        _("mã tài khoản"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_(
            "Mã cố định của tài khoản (cột ma_tai_khoan của tệp trưởng đơn vị): "
            "đổi email không tạo tài khoản mới."
        ),
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    file_name = models.CharField(
        _("họ và tên theo tệp nhập gần nhất"), max_length=150, blank=True
    )
    file_email = models.EmailField(
        _("email theo tệp nhập gần nhất"), blank=True, db_index=True
    )
    file_phone = models.CharField(
        _("số điện thoại theo tệp nhập gần nhất"), max_length=20, blank=True
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    # The last invitation (by email or printed): a newer one voids older links.
    invited_at = models.DateTimeField(_("mời lúc"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi lời mời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_by_letter = models.BooleanField(_("mời bằng thư in"), default=False)
    activated_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử thông tin trưởng đơn vị"))

    class Meta:
        verbose_name = _("thông tin trưởng đơn vị")
        verbose_name_plural = _("thông tin trưởng đơn vị")
        ordering = ["full_name", "pk"]
        permissions = [
            ("invite_headprofile", _("Gửi lại hoặc in lời mời trưởng đơn vị")),
        ]

    def __str__(self):
        return self.full_name or self.user.get_username()


class ReminderKind(models.TextChoices):
    INVITATION = "invitation", _("Lời mời đặt mật khẩu")
    BEFORE_LOCK = "before_lock", _("Nhắc nộp báo cáo trước khi quý khóa")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    ACCEPTED = "accepted", _("Báo cáo đã được duyệt")
    DIGEST = "digest", _("Tổng hợp hằng ngày cho cán bộ")


class SentReminder(models.Model):
    """One email sent: what, about which unit and quarter, to whom.

    A row is written in the same transaction as the sending, so each reminder goes
    once (the unique constraints); a failed send leaves no row and is tried again
    on the next run. ``reference`` tells apart reminders of one kind: the days
    before the lock (``7``), the moment a report was returned or accepted, the
    digest's day.
    """

    kind = models.CharField(_("loại"), max_length=12, choices=ReminderKind.choices)
    reference = models.CharField(_("lần nhắc"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    recipient = models.EmailField(_("gửi tới"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("tiêu đề"), max_length=255)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thư nhắc đã gửi")
        verbose_name_plural = _("thư nhắc đã gửi")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference", "unit", "year", "quarter", "recipient"],
                condition=Q(unit__isnull=False),
                name="one_reminder_per_unit_period_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "reference", "recipient"],
                condition=Q(unit__isnull=True),
                name="one_reminder_without_unit_per_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter"], name="reminder_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
