"""Portal-wide data: the visit counter (truy cập).

Only aggregate numbers are stored: one row per calendar day (Asia/Ho_Chi_Minh)
with the number of page views, and one settings row with the total carried over
from the district's previous website. No address, cookie or user agent is kept.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DailyVisits(models.Model):
    day = models.DateField(_("ngày"), unique=True)
    hits = models.PositiveBigIntegerField(_("lượt truy cập"), default=0)

    class Meta:
        verbose_name = _("lượt truy cập trong ngày")
        verbose_name_plural = _("lượt truy cập theo ngày")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.hits}"


class VisitCounterSettings(models.Model):
    """The single settings row (pk 1) of the visit counter, edited by staff."""

    opening_total = models.PositiveBigIntegerField(
        _("tổng truy cập ban đầu"),
        default=0,
        help_text=_(
            "Số lượt truy cập đã có trước khi dùng cổng này (ví dụ từ trang web cũ); "
            "“Tất cả” = số này + mọi lượt đếm được từ đó đến nay."
        ),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cài đặt bộ đếm truy cập")
        verbose_name_plural = _("cài đặt bộ đếm truy cập")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="visit_settings_single_row")
        ]

    def __str__(self):
        return str(_("Cài đặt bộ đếm truy cập"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        from portal.counter import forget_stats

        forget_stats()

    @classmethod
    def load(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)
