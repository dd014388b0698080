"""A unit's registration: the year it commits to complete its title, and its status.

The statuses follow the programme's lifecycle (registered, accepted, appraisal,
recognised or not, maintained, revoked); the changes themselves go through
``registrations.services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords
from kieumau.validators import out_of_range_years

from .catalogue import Title

YEAR_MIN, YEAR_MAX = 2000, 2100


class RoadmapPosition(models.TextChoices):
    """Where a committed year stands against the district's roadmap year."""

    AHEAD = "ahead", _("Sớm hơn lộ trình")
    ON = "on", _("Theo lộ trình")
    BEHIND = "behind", _("Chậm hơn lộ trình")


def roadmap_position(year, roadmap_year):
    """CONTRACT §2: ahead when ``year`` is before the roadmap year; None without one."""
    if year is None or roadmap_year is None:
        return None
    if year < roadmap_year:
        return RoadmapPosition.AHEAD
    if year == roadmap_year:
        return RoadmapPosition.ON
    return RoadmapPosition.BEHIND


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã đăng ký")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    APPRAISAL = "appraisal", _("Đang thẩm định")
    RECOGNISED = "recognised", _("Đã công nhận")
    NOT_ACHIEVED = "not_achieved", _("Chưa đạt")
    MAINTAINED = "maintained", _("Duy trì")
    REVOKED = "revoked", _("Thu hồi")


# A unit holds at most one registration per title in these states.
ACTIVE_STATUSES = [
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.ACCEPTED,
    RegistrationStatus.APPRAISAL,
    RegistrationStatus.RECOGNISED,
    RegistrationStatus.MAINTAINED,
]


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def for_year(self, year):
        """Active registrations whose committed year is ``year`` (CONTRACT §2)."""
        return self.active().filter(year=year)


class Registration(models.Model):
    """A unit's commitment to complete a title in a given year."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    title = models.ForeignKey(
        Title,
        verbose_name=_("danh hiệu"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    year = models.PositiveSmallIntegerField(_("năm đăng ký hoàn thành"))
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=15,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )
    decision_number = models.CharField(
        _("số quyết định công nhận"), max_length=50, blank=True
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử đăng ký"))

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký")
        verbose_name_plural = _("đăng ký")
        ordering = ["-year", "unit__code"]
        permissions = [
            ("view_reports", _("Xem báo cáo giao ban và xuất Excel")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_unit_title",
                violation_error_message=_(
                    "Đơn vị đã có một đăng ký đang hiệu lực cho danh hiệu này."
                ),
            ),
            models.CheckConstraint(
                name="registration_year_range",
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                violation_error_message=_("Năm đăng ký phải trong khoảng 2000–2100."),
            ),
            models.CheckConstraint(
                name="recognised_has_decision",
                condition=~Q(status=RegistrationStatus.RECOGNISED)
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                violation_error_message=_("Công nhận phải có số và ngày quyết định."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="registration_year_status"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.title} ({self.year})"

    def clean(self):
        # Only the fields the admin form edits: an error on a field the form does
        # not show cannot be displayed. The decision date comes from an action form.
        errors = out_of_range_years(registered_on=self.registered_on)
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_ahead_of_roadmap(self):
        """CONTRACT §2: the unit has a roadmap year and commits to an earlier year."""
        return self.roadmap_position == RoadmapPosition.AHEAD

    @property
    def roadmap_position(self):
        return roadmap_position(self.year, self.unit.roadmap_year)
