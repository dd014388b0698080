"""File import and export of the programme's data files (CONTRACT §1).

Responsible for reading and writing the units, criteria, registrations and
progress files (``imports.services``, ``imports.exports``), the ``import_data`` and
``export_data`` commands, and the admin's upload → preview → confirm screen. An
uploaded file is kept in the database (``ImportBatch``), not on one server's disk,
so that the preview and the confirmation may be served by different app servers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    UNITS = "units", _("Đơn vị")
    CRITERIA = "criteria", _("Danh hiệu, tiêu chí, chỉ tiêu")
    REGISTRATIONS = "registrations", _("Đăng ký")
    PROGRESS = "progress", _("Tiến độ theo quý")
    HEADS = "heads", _("Trưởng đơn vị")


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Đã kiểm tra, chờ xác nhận")
    REJECTED = "rejected", _("Có lỗi, không nhập")
    IMPORTED = "imported", _("Đã nhập")


class ImportBatch(models.Model):
    """One uploaded file, its dry-run report and, once confirmed, its import report."""

    kind = models.CharField(
        _("loại dữ liệu"), max_length=15, choices=ImportKind.choices
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"))
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=BatchStatus.choices,
        default=BatchStatus.PREVIEWED,
    )
    report = models.JSONField(_("kết quả"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    # The row stays as the audit trail of who imported what; only the bytes go
    # (``purge_import_batches``), so the database does not grow with every upload.
    content_purged_at = models.DateTimeField(
        _("xóa nội dung tệp lúc"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.filename}"

    @property
    def can_confirm(self):
        return self.status == BatchStatus.PREVIEWED and self.content_purged_at is None

    @property
    def content_purged(self):
        return self.content_purged_at is not None
