"""A unit's own quarterly report (tự đánh giá) with evidence, and its review.

One ``QuarterReport`` per unit and quarter holds one ``ReportedValue`` per
indicator of the titles the unit is actively registered for, each with its
``Evidence`` (files or links). Reported values never count by themselves: only
when staff accept the report are they written to ``Progress`` (through
``services.save_quarter``), and only ``Progress`` feeds the figures (CONTRACT §2).

States and transitions (every one through ``registrations.services.selfreport``;
``version`` is bumped by each, so a screen saved from a stale copy is refused):

- no row yet — "chưa nộp": nothing reported; the unit's first save creates it;
- ``draft`` — "đang soạn": the unit's heads save values, explanations and evidence
  any number of times (``save_report_draft``), from the quarter's first day until
  it locks (``periods.lock_moment``);
- draft → ``submitted`` — "đã nộp" (``submit_report``, heads, before the lock): every
  indicator needs a value, and an explanation when the value misses its target or
  has no evidence. Read-only for the unit. While submitted, staff's own entry and
  imports for that unit and quarter are refused (no silent overwrite);
- submitted → ``returned`` — "trả lại" (``return_report``, staff, also after the
  lock): a reason on each returned indicator and a deadline (``return_deadline``);
  the unit may change any value again until the end of that day. Returning a
  returned report again changes the reasons or moves the deadline;
- returned → submitted (``submit_report`` again, heads, by the deadline, also
  after the lock); the reasons of the last return stay for the reviewer to see;
- submitted → ``accepted`` — "đã duyệt" (``accept_report``, staff, also after the
  lock): the values become the quarter's progress; history records who reported
  and who accepted. Accepted is final for the unit; staff correct later values
  through the entry screen or an import, as for any accepted value.

After the lock, a report never submitted (no row, or a draft) is read-only: the
unit missed the quarter. "Late" (quá hạn) is a view of the data, not a state: a
returned report past its deadline, or no submission by the lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords

from ..evidence.storage import evidence_storage, evidence_upload_to
from .catalogue import Indicator
from .registration import YEAR_MAX, YEAR_MIN


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại")
    ACCEPTED = "accepted", _("Đã duyệt")


# States in which the unit's heads may change values and evidence.
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class QuarterReportQuerySet(models.QuerySet):
    def under_review(self):
        """Submitted and waiting for staff: nobody else may write the quarter."""
        return self.filter(state=ReportState.SUBMITTED)

    def for_quarter(self, year, quarter):
        return self.filter(year=year, quarter=quarter)


def _stamp(verbose_name):
    """A nullable 'who did it' link to a user, as on QuarterSheet."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class QuarterReport(models.Model):
    """One unit's self-report for one quarter: its state and who moved it."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="quarter_reports",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ReportState.choices,
        default=ReportState.DRAFT,
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = _stamp(_("người cập nhật"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = _stamp(_("người nộp"))
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = _stamp(_("người trả lại"))
    return_deadline = models.DateField(_("hạn nộp lại"), null=True, blank=True)
    return_note = models.TextField(_("nhận xét chung khi trả lại"), blank=True)
    accepted_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    accepted_by = _stamp(_("người duyệt"))
    history = HistoricalRecords(verbose_name=_("lịch sử báo cáo quý"))

    objects = QuarterReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo quý của đơn vị")
        verbose_name_plural = _("báo cáo quý của đơn vị")
        ordering = ["-year", "-quarter", "unit__code"]
        permissions = [
            (
                "review_quarterreport",
                _("Duyệt hoặc trả lại báo cáo quý của đơn vị"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                name="one_report_per_unit_quarter",
                violation_error_message=_("Đơn vị đã có báo cáo cho quý này."),
            ),
            models.CheckConstraint(
                name="report_quarter_range",
                condition=Q(quarter__gte=1, quarter__lte=4),
            ),
            models.CheckConstraint(
                name="report_year_range",
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
            ),
            models.CheckConstraint(
                name="returned_report_has_deadline",
                condition=~Q(state=ReportState.RETURNED)
                | Q(return_deadline__isnull=False),
                violation_error_message=_("Trả lại báo cáo phải có hạn nộp lại."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "state"], name="report_period"),
        ]

    def __str__(self):
        return f"{self.unit} — quý {self.quarter}/{self.year}"


class ReportedValue(models.Model):
    """The value a unit reports for one indicator, its explanation and review."""

    report = models.ForeignKey(
        QuarterReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.PROTECT,
        related_name="reported_values",
    )
    # As Progress.value: 1/0 for yes/no indicators, the number otherwise; empty
    # while the unit has not typed it (evidence may come first).
    value = models.DecimalField(
        _("giá trị báo cáo"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    explanation = models.TextField(_("giải trình"), blank=True)
    # Staff's reason at the report's last return (empty: not sent back).
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = _stamp(_("người cập nhật"))
    history = HistoricalRecords(verbose_name=_("lịch sử giá trị báo cáo"))

    class Meta:
        verbose_name = _("giá trị đơn vị báo cáo")
        verbose_name_plural = _("giá trị đơn vị báo cáo")
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="one_reported_value_per_indicator",
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.indicator.code}"

    @property
    def is_returned(self):
        """Staff gave this indicator a reason at the report's last return."""
        return bool(self.return_reason)


class Evidence(models.Model):
    """One piece of evidence (minh chứng) for a reported value: a file or a link."""

    reported_value = models.ForeignKey(
        ReportedValue,
        verbose_name=_("giá trị báo cáo"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        _("tệp"),
        storage=evidence_storage,
        upload_to=evidence_upload_to,
        max_length=255,
        blank=True,
    )
    link = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    uploaded_by = _stamp(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["reported_value", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_file_xor_link",
                condition=(Q(link="") & ~Q(file="")) | (~Q(link="") & Q(file="")),
                violation_error_message=_(
                    "Minh chứng là một tệp hoặc một đường dẫn, không phải cả hai."
                ),
            ),
        ]

    def __str__(self):
        return self.original_name or self.link or str(self.file)

    @property
    def is_file(self):
        return bool(self.file)
