"""Units (đơn vị) of the jurisdiction: agencies, communes, villages/quarters, schools.

Responsible for who takes part in the programme, the district's roadmap year for each
unit, the unit heads who may act for a unit, and the history of merged units
(validity dates and a successor link, e.g. Đông Anh merged into Đông Khê in 2019).
"""

import datetime

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kieumau.text import fold, nfc, vi_sort_key
from kieumau.validators import out_of_range_years


class UnitKind(models.TextChoices):
    CO_QUAN = "co_quan", _("Cơ quan, đơn vị")
    XA = "xa", _("Xã")
    THON = "thon", _("Thôn, khu phố")
    TRUONG = "truong", _("Trường học")


class SchoolLevel(models.TextChoices):
    MAM_NON = "mam_non", _("Mầm non")
    TIEU_HOC = "tieu_hoc", _("Tiểu học")
    THCS = "thcs", _("THCS")


def valid_during(year):
    """Q: units in force on at least one day of ``year`` (validity dates inclusive).

    By dates, not ``is_active``: a merged commune (Đông Anh, until 30/11/2019)
    belongs to the reports of the years it existed.
    """
    return (
        Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31))
    ) & (Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)))


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def vi_ordered(self):
        """Units by name in Vietnamese alphabetical order."""
        if connection.vendor == "postgresql":
            return self.order_by(Collate("name", "vi-x-icu"), "code")
        return self.order_by("name_sort_key", "code")

    def headed_by(self, user):
        """Units the user may act for as unit head (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(heads=user)

    def search(self, text):
        """Accent-insensitive search on name and code."""
        key = fold(text)
        return self.filter(
            Q(search_name__contains=key) | Q(code__icontains=text.strip())
        )


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=50, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=UnitKind.choices)
    school_level = models.CharField(
        _("cấp học"), max_length=10, choices=SchoolLevel.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("xã trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": UnitKind.XA},
        help_text=_("Bắt buộc với thôn, khu phố; không bắt buộc với trường học."),
    )
    roadmap_year = models.PositiveSmallIntegerField(
        _("năm lộ trình"),
        null=True,
        blank=True,
        help_text=_("Năm huyện dự kiến đơn vị đạt danh hiệu theo lộ trình."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("Đơn vị tiếp nhận khi sáp nhập (giữ nguyên lịch sử)."),
    )
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đơn vị"),
        blank=True,
        related_name="headed_units",
    )
    # Derived from name on save: accent-free search key and Vietnamese sort key.
    search_name = models.CharField(
        _("tên để tìm (không dấu)"), max_length=200, editable=False, db_index=True
    )
    name_sort_key = models.CharField(
        _("khóa sắp xếp theo tên"), max_length=255, editable=False, db_index=True
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name_sort_key", "code"]
        constraints = [
            models.CheckConstraint(
                name="unit_school_level_iff_school",
                condition=(Q(kind=UnitKind.TRUONG) & ~Q(school_level=""))
                | (~Q(kind=UnitKind.TRUONG) & Q(school_level="")),
                violation_error_message=_(
                    "Trường học phải có cấp học; đơn vị khác thì không."
                ),
            ),
            models.CheckConstraint(
                name="unit_village_has_commune",
                condition=~Q(kind=UnitKind.THON) | Q(parent__isnull=False),
                violation_error_message=_("Thôn, khu phố phải thuộc một xã."),
            ),
            models.CheckConstraint(
                name="unit_top_level_has_no_parent",
                condition=~Q(kind__in=[UnitKind.CO_QUAN, UnitKind.XA])
                | Q(parent__isnull=True),
                violation_error_message=_("Cơ quan và xã không trực thuộc xã khác."),
            ),
            models.CheckConstraint(
                name="unit_roadmap_year_range",
                condition=Q(roadmap_year__isnull=True)
                | Q(roadmap_year__gte=2000, roadmap_year__lte=2100),
                violation_error_message=_("Năm lộ trình phải trong khoảng 2000–2100."),
            ),
            models.CheckConstraint(
                name="unit_validity_ordered",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                name="unit_not_own_successor",
                condition=~Q(successor=models.F("pk")),
                violation_error_message=_("Đơn vị không thể kế thừa chính nó."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "school_level"], name="unit_kind_level")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.code = (self.code or "").strip()
        self.search_name = fold(self.name)
        self.name_sort_key = vi_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name", "name_sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registrations:unit", kwargs={"code": self.code})

    def clean(self):
        from django.core.exceptions import ValidationError

        self.name = nfc(self.name)
        errors = out_of_range_years(valid_from=self.valid_from, valid_to=self.valid_to)
        if errors:
            raise ValidationError(errors)
        if self.parent_id and self.parent.kind != UnitKind.XA:
            raise ValidationError({"parent": _("Đơn vị cha phải là một xã.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError(
                {"successor": _("Đơn vị không thể kế thừa chính nó.")}
            )

    @property
    def kind_label(self):
        if self.kind == UnitKind.TRUONG and self.school_level:
            return (
                f"{self.get_kind_display()} {self.get_school_level_display().lower()}"
            )
        return self.get_kind_display()
