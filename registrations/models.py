"""The programme itself: titles → criteria → indicators, registrations, progress.

Responsible for the criteria catalogue (danh hiệu, tiêu chí, chỉ tiêu) with versions
per period, each unit's registration of the year it commits to complete its title and
that registration's lifecycle, and the quarterly progress of every indicator. The
figures computed from them (CONTRACT §2) live in ``registrations.figures``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords
from kieumau.text import nfc
from kieumau.validators import out_of_range_years
from units.models import SchoolLevel, UnitKind

YEAR_MIN, YEAR_MAX = 2000, 2100


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
        roadmap = self.unit.roadmap_year
        return roadmap is not None and self.year < roadmap


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
