"""The People's Committee's decisions: recognition or revocation, with certificates."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kieumau.history import HistoricalRecords
from kieumau.validators import out_of_range_years
from registrations.evidence.storage import evidence_storage

from .appraisal import Council
from .files import scan_upload_to

# Decree 30/2020's "số/ký hiệu" of a decision: 123/QĐ-UBND, 15/2017/QĐ-UBND.
DECISION_NUMBER = re.compile(
    r"^[1-9]\d{0,5}(/(19|20)\d{2})?/QĐ-[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$"
)


def validate_decision_number(value):
    if not DECISION_NUMBER.match(value or ""):
        raise ValidationError(
            _(
                "Số quyết định phải có dạng “123/QĐ-UBND” (số, dấu “/”, "
                "ký hiệu “QĐ-” và tên viết tắt của cơ quan, chữ in hoa)."
            ),
            code="decision_number",
        )


class DecisionKind(models.TextChoices):
    RECOGNITION = "recognition", _("Quyết định công nhận")
    REVOCATION = "revocation", _("Quyết định thu hồi")


class DecisionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Decision(models.Model):
    """A decision of the People's Committee recognising units or revoking titles."""

    kind = models.CharField(
        _("loại quyết định"),
        max_length=12,
        choices=DecisionKind.choices,
        default=DecisionKind.RECOGNITION,
    )
    number = models.CharField(
        _("số, ký hiệu"), max_length=50, validators=[validate_decision_number]
    )
    signed_on = models.DateField(_("ngày ký"))
    year = models.PositiveSmallIntegerField(_("năm thẩm định"))
    title = models.ForeignKey(
        "registrations.Title",
        verbose_name=_("danh hiệu"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("hội đồng"),
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
    )
    registrations = models.ManyToManyField(
        "registrations.Registration",
        verbose_name=_("đăng ký"),
        through="DecisionEntry",
        related_name="decisions",
    )
    reason = models.TextField(_("lý do thu hồi"), blank=True)
    scan = models.FileField(
        _("bản quyết định đã ký (PDF)"),
        upload_to=scan_upload_to,
        storage=evidence_storage,
        blank=True,
        max_length=200,
    )
    published = models.BooleanField(_("đã công bố"), default=False)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử quyết định"))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "signed_on"],
                name="one_decision_per_number_date",
                violation_error_message=_("Đã có quyết định mang số này, ngày này."),
            ),
            models.CheckConstraint(
                name="revocation_has_reason",
                condition=~Q(kind="revocation") | ~Q(reason=""),
                violation_error_message=_("Quyết định thu hồi phải có lý do."),
            ),
            models.CheckConstraint(
                name="published_has_scan",
                condition=Q(published=False)
                | (~Q(scan="") & Q(published_at__isnull=False)),
                violation_error_message=_(
                    "Chỉ công bố được khi đã tải lên bản quyết định đã ký."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number}"

    def get_absolute_url(self):
        """The staff's page of the decision."""
        return reverse("recognition:decision", args=[self.pk])

    def clean(self):
        errors = out_of_range_years(signed_on=self.signed_on)
        if errors:
            raise ValidationError(errors)

    def get_public_url(self):
        """The signed scan, for anyone, once published (404 before)."""
        return reverse("recognition:decision-public", args=[self.pk])


class DecisionEntry(models.Model):
    """One registration named by a decision, with its certificate's number."""

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("đăng ký"),
        on_delete=models.PROTECT,
        related_name="decision_entries",
    )
    certificate_number = models.CharField(
        _("số giấy công nhận"), max_length=50, blank=True
    )

    class Meta:
        verbose_name = _("đơn vị trong quyết định")
        verbose_name_plural = _("đơn vị trong quyết định")
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "registration"],
                name="one_entry_per_decision_registration",
            ),
        ]

    def __str__(self):
        return f"{self.decision.number} — {self.registration.unit}"


class CertificateYear(models.Model):
    """A calendar year of signing whose certificates have been numbered: its row is
    the lock that numbers them one decision at a time.

    Numbers follow the year's highest certificate number
    (``services.decisions.next_certificate_numbers``). Two decisions drawn up at the
    same moment would both read the same highest number and give it twice; the
    second now waits on this row until the first's transaction ends.
    """

    year = models.PositiveSmallIntegerField(_("năm ký"), unique=True)

    class Meta:
        verbose_name = _("năm đánh số giấy công nhận")
        verbose_name_plural = _("năm đánh số giấy công nhận")

    def __str__(self):
        return str(self.year)
