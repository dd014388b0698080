"""The criteria catalogue: titles (danh hiệu) → criteria (tiêu chí) → indicators.

One catalogue version per period: a revised set of criteria is a new title with
its own years of validity. An indicator says how its value is judged (CONTRACT §1
``kieu``, ``so_sanh``, ``muc_tieu``).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.text import nfc
from units.models import SchoolLevel, UnitKind


class TitleQuerySet(models.QuerySet):
    def valid_in(self, year):
        """Catalogue versions in force in ``year``."""
        return self.filter(
            Q(valid_from_year__isnull=True) | Q(valid_from_year__lte=year),
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year),
        )

    def for_unit(self, unit, year=None):
        """Titles that apply to the unit's kind (and school level)."""
        qs = self.filter(kind=unit.kind).filter(
            Q(school_level="") | Q(school_level=unit.school_level)
        )
        return qs.valid_in(year) if year else qs


class Title(models.Model):
    """A model title (danh hiệu) for one unit kind; one catalogue version per period."""

    code = models.CharField(_("mã danh hiệu"), max_length=50, unique=True)
    name = models.CharField(_("tên danh hiệu"), max_length=200)
    kind = models.CharField(_("loại đơn vị"), max_length=10, choices=UnitKind.choices)
    school_level = models.CharField(
        _("cấp học"), max_length=10, choices=SchoolLevel.choices, blank=True
    )
    valid_from_year = models.PositiveSmallIntegerField(
        _("áp dụng từ năm"), null=True, blank=True
    )
    valid_to_year = models.PositiveSmallIntegerField(
        _("áp dụng đến năm"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống nếu còn hiệu lực. Bộ tiêu chí sửa đổi là một danh hiệu mới."
        ),
    )

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="title_level_only_for_schools",
                condition=Q(kind=UnitKind.TRUONG) | Q(school_level=""),
                violation_error_message=_("Chỉ danh hiệu trường học mới có cấp học."),
            ),
            models.CheckConstraint(
                name="title_validity_ordered",
                condition=Q(valid_from_year__isnull=True)
                | Q(valid_to_year__isnull=True)
                | Q(valid_to_year__gte=models.F("valid_from_year")),
                violation_error_message=_("Năm kết thúc phải sau năm bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class Criterion(models.Model):
    title = models.ForeignKey(
        Title,
        verbose_name=_("danh hiệu"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    code = models.CharField(_("mã tiêu chí"), max_length=50)
    name = models.CharField(_("tên tiêu chí"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["title", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "code"],
                name="criterion_code_unique_in_title",
                violation_error_message=_("Mã tiêu chí đã có trong danh hiệu này."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class IndicatorKind(models.TextChoices):
    CO_KHONG = "co_khong", _("Có/không (đạt, chưa đạt)")
    TY_LE = "ty_le", _("Tỷ lệ (%)")
    SO_LUONG = "so_luong", _("Số lượng")
    DIEM = "diem", _("Điểm")


class Comparison(models.TextChoices):
    GTE = ">=", "≥"
    LTE = "<=", "≤"
    EQ = "=", "="


class Indicator(models.Model):
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("tiêu chí"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=50, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    kind = models.CharField(_("kiểu"), max_length=10, choices=IndicatorKind.choices)
    comparison = models.CharField(
        _("so sánh"), max_length=2, choices=Comparison.choices, blank=True
    )
    target = models.DecimalField(
        _("mục tiêu"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion", "order", "code"]
        constraints = [
            models.CheckConstraint(
                name="indicator_numeric_has_target",
                condition=Q(kind=IndicatorKind.CO_KHONG)
                | (~Q(comparison="") & Q(target__isnull=False)),
                violation_error_message=_(
                    "Chỉ tiêu dạng số phải có phép so sánh và mục tiêu."
                ),
            ),
            models.CheckConstraint(
                name="indicator_percent_target_range",
                condition=~Q(kind=IndicatorKind.TY_LE)
                | Q(target__gte=0, target__lte=100),
                violation_error_message=_("Mục tiêu tỷ lệ phải trong khoảng 0–100."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if self.kind == IndicatorKind.CO_KHONG:
            self.comparison, self.target = "", None
        super().save(*args, **kwargs)

    def is_met(self, value):
        """Whether a stored value meets this indicator (CONTRACT §2); None: not met."""
        if value is None:
            return False
        value = Decimal(value)
        if self.kind == IndicatorKind.CO_KHONG:
            return value == 1
        if self.comparison == Comparison.GTE:
            return value >= self.target
        if self.comparison == Comparison.LTE:
            return value <= self.target
        return value == self.target

    @property
    def target_display(self):
        if self.kind == IndicatorKind.CO_KHONG:
            return _("Đạt")
        target = f"{self.target.normalize():f}".replace(".", ",")
        unit = f" {self.unit_of_measure}" if self.unit_of_measure else ""
        return f"{self.get_comparison_display()} {target}{unit}"
