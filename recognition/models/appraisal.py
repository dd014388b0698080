"""The appraisal council of a year and a title, its members, appraisals and verdicts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords
from kieumau.validators import out_of_range_years
from registrations.evidence.storage import evidence_storage
from registrations.models import YEAR_MAX, YEAR_MIN

from .files import minutes_upload_to


class Council(models.Model):
    """The appraisal council (hội đồng thẩm định) of one year and one title."""

    year = models.PositiveSmallIntegerField(_("năm thẩm định"))
    title = models.ForeignKey(
        "registrations.Title",
        verbose_name=_("danh hiệu"),
        on_delete=models.PROTECT,
        related_name="councils",
    )
    name = models.CharField(_("tên hội đồng"), max_length=300, blank=True)
    meeting_date = models.DateField(_("ngày họp"), null=True, blank=True)
    minutes = models.FileField(
        _("biên bản họp"),
        upload_to=minutes_upload_to,
        storage=evidence_storage,
        blank=True,
        max_length=200,
    )
    minutes_name = models.CharField(_("tên tệp biên bản"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("lịch sử hội đồng"))

    class Meta:
        verbose_name = _("hội đồng thẩm định")
        verbose_name_plural = _("hội đồng thẩm định")
        ordering = ["-year", "title__code"]
        permissions = [
            ("run_appraisal", _("Thẩm định, lập và công bố quyết định công nhận")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "title"],
                name="one_council_per_year_title",
                violation_error_message=_(
                    "Năm này đã có hội đồng thẩm định cho danh hiệu này."
                ),
            ),
            models.CheckConstraint(
                name="council_year_range",
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
        ]

    def __str__(self):
        return self.name or f"Hội đồng thẩm định {self.title} năm {self.year}"

    def get_absolute_url(self):
        return reverse("recognition:council", args=[self.pk])

    def clean(self):
        errors = out_of_range_years(meeting_date=self.meeting_date)
        if errors:
            raise ValidationError(errors)


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch hội đồng")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Ủy viên")


class CouncilMember(models.Model):
    council = models.ForeignKey(
        Council,
        verbose_name=_("hội đồng"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=300)
    role = models.CharField(
        _("vai trò trong hội đồng"),
        max_length=12,
        choices=MemberRole.choices,
        default=MemberRole.MEMBER,
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # Who sat on a council is part of its record: a removal is kept, with who did it.
    history = HistoricalRecords(verbose_name=_("lịch sử thành viên hội đồng"))

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["council", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(role="chair"),
                name="one_chair_per_council",
                violation_error_message=_("Hội đồng chỉ có một Chủ tịch."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Outcome(models.TextChoices):
    PENDING = "", _("Chưa kết luận")
    RECOMMEND = "recommend", _("Đề nghị công nhận")
    NOT_ACHIEVED = "not_achieved", _("Chưa đạt")


class Appraisal(models.Model):
    """One registered unit before the council: its votes and its outcome."""

    council = models.ForeignKey(
        Council,
        verbose_name=_("hội đồng"),
        on_delete=models.CASCADE,
        related_name="appraisals",
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("đăng ký"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    # The quarter whose accepted values pre-filled the verdicts (None: no value).
    data_year = models.PositiveSmallIntegerField(_("năm của số liệu"), null=True)
    data_quarter = models.PositiveSmallIntegerField(_("quý của số liệu"), null=True)
    members_present = models.PositiveSmallIntegerField(
        _("số thành viên có mặt"), null=True, blank=True
    )
    members_in_favour = models.PositiveSmallIntegerField(
        _("số thành viên tán thành"), null=True, blank=True
    )
    outcome = models.CharField(
        _("kết luận"),
        max_length=15,
        choices=Outcome.choices,
        default=Outcome.PENDING,
        blank=True,
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử thẩm định"))

    class Meta:
        verbose_name = _("phiếu thẩm định")
        verbose_name_plural = _("phiếu thẩm định")
        ordering = ["council", "registration__unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "registration"],
                name="one_appraisal_per_council_registration",
            ),
            models.CheckConstraint(
                name="appraisal_favour_within_present",
                condition=Q(members_in_favour__isnull=True)
                | Q(members_present__isnull=True)
                | Q(members_in_favour__lte=F("members_present")),
                violation_error_message=_(
                    "Số thành viên tán thành không được lớn hơn số có mặt."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.registration.unit} — {self.council}"

    def get_absolute_url(self):
        return reverse("recognition:appraisal", args=[self.pk])

    @property
    def share_in_favour(self):
        """Members in favour over members present, 0–1; None before the vote."""
        if not self.members_present or self.members_in_favour is None:
            return None
        return self.members_in_favour / self.members_present


class Verdict(models.Model):
    """The council's verdict on one criterion of one appraisal."""

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("phiếu thẩm định"),
        on_delete=models.CASCADE,
        related_name="verdicts",
    )
    criterion = models.ForeignKey(
        "registrations.Criterion",
        verbose_name=_("tiêu chí"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # From the accepted values: every indicator of the criterion met.
    computed_met = models.BooleanField(_("đạt theo số liệu"))
    override_met = models.BooleanField(
        _("hội đồng kết luận đạt"), null=True, blank=True
    )
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử kết luận tiêu chí"))

    class Meta:
        verbose_name = _("kết luận tiêu chí")
        verbose_name_plural = _("kết luận tiêu chí")
        ordering = ["appraisal", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "criterion"],
                name="one_verdict_per_appraisal_criterion",
            ),
            models.CheckConstraint(
                name="verdict_override_has_reason",
                condition=Q(override_met__isnull=True) | ~Q(reason=""),
                violation_error_message=_("Điều chỉnh kết luận phải có lý do."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion} — {'đạt' if self.met else 'chưa đạt'}"

    @property
    def met(self):
        return self.computed_met if self.override_met is None else self.override_met

    @property
    def overridden(self):
        return self.override_met is not None
