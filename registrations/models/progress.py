"""Quarterly progress: each unit's value of each indicator, quarter by quarter.

Values are saved a sheet (one unit, one quarter) at a time, with their history;
the figures (``registrations.figures``) read the latest value of each indicator.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords

from .catalogue import Indicator
from .registration import YEAR_MAX, YEAR_MIN


class QuarterSheet(models.Model):
    """One unit's progress sheet for one quarter: the unit of saving and of locking.

    ``version`` is bumped by every save of the sheet (screen or import), so that a
    second editor working from a stale copy is refused instead of overwriting.
    """

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phiếu tiến độ quý")
        verbose_name_plural = _("phiếu tiến độ quý")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"], name="one_sheet_per_unit_quarter"
            ),
            models.CheckConstraint(
                name="sheet_quarter_range", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]

    def __str__(self):
        return f"{self.unit} — quý {self.quarter}/{self.year}"


class Progress(models.Model):
    """The value of one indicator for one unit in one quarter."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    # 1/0 for yes/no indicators; the number otherwise.
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=4)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử tiến độ"))

    class Meta:
        verbose_name = _("tiến độ chỉ tiêu")
        verbose_name_plural = _("tiến độ chỉ tiêu")
        ordering = ["unit", "indicator", "year", "quarter"]
        permissions = [
            (
                "change_locked_progress",
                _("Sửa tiến độ của quý đã khóa (giám sát viên)"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "year", "quarter"],
                name="one_value_per_unit_indicator_quarter",
            ),
            models.CheckConstraint(
                name="progress_quarter_range",
                condition=Q(quarter__gte=1, quarter__lte=4),
            ),
            models.CheckConstraint(
                name="progress_year_range",
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter"], name="progress_period"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator.code} · {self.quarter}/{self.year}"
