"""Document library (thư viện văn bản): the programme's decisions, plans, reports.

Decree 42/2022 asks a state portal to publish its documents with their type, issuing
body, number and symbol, dates, summary (trích yếu) and a downloadable file, with a
search. Responsible for those records, the check of their files (PDF or Word, read
from the content), the accent-free search key and the "documents" cache version.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kieumau.text import fold, nfc, slugify_vi
from kieumau.validators import out_of_range_years
from registrations.evidence import content
from registrations.evidence.storage import STORAGE as PRIVATE_STORAGE

# The kieumau.versions name bumped by every change of a document (doclibrary.signals);
# the library's pages and the home page's side column depend on it.
VERSION = "documents"

MAX_FILE_BYTES = 20 * 1024 * 1024
ACCEPTED_KINDS = {
    content.PDF.content_type: content.PDF,
    content.DOCX.content_type: content.DOCX,
}
ACCEPT = "application/pdf,.pdf," + content.DOCX.content_type + ",.docx"


class DocumentKind(models.TextChoices):
    QUYET_DINH = "quyet_dinh", _("Quyết định")
    KE_HOACH = "ke_hoach", _("Kế hoạch")
    BAO_CAO = "bao_cao", _("Báo cáo")
    HUONG_DAN = "huong_dan", _("Hướng dẫn")
    CONG_VAN = "cong_van", _("Công văn")
    THONG_BAO = "thong_bao", _("Thông báo")
    NGHI_QUYET = "nghi_quyet", _("Nghị quyết")
    CHI_THI = "chi_thi", _("Chỉ thị")
    DE_AN = "de_an", _("Đề án")
    KHAC = "khac", _("Văn bản khác")


def search_key(*parts):
    """Folded words, space-padded: '123/QĐ-UBND' → ' 123 qd ubnd '."""
    words = "".join(c if c.isalnum() else " " for c in fold(" ".join(parts))).split()
    return f" {' '.join(words)} " if words else ""


CHECK_MESSAGES_KEPT = {
    "empty",
    "macro",
    "broken_office",
    "pdf_active",
    "pdf_unreadable",
}


def check_file(upload):
    """The upload's ``Kind`` (PDF or Word .docx, told from its bytes), or a refusal."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("Tệp lớn hơn %(mb)s MB: hãy nén hoặc tách tệp.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="size",
        )
    try:
        kind = content.identify(upload)
    except ValidationError as error:
        # What is wrong inside a PDF or an Office file is said as the evidence
        # check says it; any other kind gets the library's own list of kinds.
        if error.code in CHECK_MESSAGES_KEPT:
            raise
        kind = None
    if kind is None or kind.content_type not in ACCEPTED_KINDS:
        raise ValidationError(
            _(
                "Chỉ nhận tệp PDF hoặc Word (.docx) không chứa mã chạy được; kiểu tệp "
                "được xét theo nội dung, không theo tên."
            ),
            code="type",
        )
    return kind


def document_upload_to(instance, filename):
    kind = ACCEPTED_KINDS.get(instance.content_type, content.PDF)
    return f"van-ban/{instance.issued_on:%Y}/{instance.slug}{kind.extension}"


def document_storage():
    """Where document files live: ``EVIDENCE_ROOT/van-ban/``, never under MEDIA_ROOT.

    nginx serves MEDIA_ROOT to anyone, so a file kept there would stay reachable
    after its document is unpublished; kept in the private folder (always on
    local disk, even when evidence uses an S3 bucket), a file goes out only
    through ``doclibrary:download``, which checks publication. Being inside
    EVIDENCE_ROOT, the files are backed up and restored with the evidence.
    """
    return PRIVATE_STORAGE


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_listing(self):
        """Public documents, newest first, without the search key."""
        return self.published().defer("search_text").order_by("-issued_on", "-id")

    def matching(self, query):
        """Documents with every word of ``query`` at a word's start, accents aside."""
        condition = Q()
        for word in search_key(query).split():
            condition &= Q(search_text__contains=f" {word}")
        return self.filter(condition)


class Document(models.Model):
    number = models.CharField(
        _("số, ký hiệu"), max_length=100, help_text=_("Ví dụ: 123/QĐ-UBND.")
    )
    slug = models.SlugField(_("đường dẫn"), max_length=140, unique=True, blank=True)
    kind = models.CharField(
        _("loại văn bản"), max_length=20, choices=DocumentKind.choices
    )
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    summary = models.TextField(_("trích yếu"), max_length=2000)
    file = models.FileField(
        _("tệp văn bản"),
        upload_to=document_upload_to,
        storage=document_storage,
        max_length=200,
        help_text=_("PDF hoặc Word (.docx), tối đa 20 MB."),
    )
    content_type = models.CharField(
        _("kiểu tệp"), max_length=100, editable=False, default=""
    )
    file_size = models.PositiveBigIntegerField(
        _("dung lượng (byte)"), editable=False, default=0
    )
    is_published = models.BooleanField(_("công khai"), default=True)
    search_text = models.TextField(
        _("nội dung để tìm (không dấu)"), editable=False, default=""
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["is_published", "issued_on"], name="document_public")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on"],
                name="document_number_date_unique",
                violation_error_message=_(
                    "Đã có văn bản cùng số, ký hiệu và ngày ban hành."
                ),
            )
        ]

    def __str__(self):
        return f"{self.number} — {self.summary[:80]}"

    def save(self, *args, **kwargs):
        self.number = nfc(self.number)
        self.issuer = nfc(self.issuer)
        self.summary = nfc(self.summary)
        if not self.slug:
            base = slugify_vi(f"{self.number} {self.issued_on:%Y}", 130) or "van-ban"
            slug, n = base, 2
            while Document.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        self.search_text = search_key(
            self.number, self.get_kind_display(), self.summary, self.issuer
        )
        super().save(*args, **kwargs)
        self.stored_file_name = self.file.name or None

    def get_absolute_url(self):
        return reverse("doclibrary:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = out_of_range_years(
            issued_on=self.issued_on, effective_on=self.effective_on
        )
        if (
            not errors
            and self.issued_on
            and self.effective_on
            and self.effective_on < self.issued_on
        ):
            errors["effective_on"] = _("Ngày hiệu lực không thể trước ngày ban hành.")
        if self.file and self.file.name != self.stored_file_name:
            try:
                kind = check_file(self.file)
            except ValidationError as error:
                errors["file"] = error.messages
            else:
                self.content_type = kind.content_type
                self.file_size = self.file.size
        if errors:
            raise ValidationError(errors)

    # The file's name as read from the database (Django's documented from_db hook):
    # a file whose name differs has just been uploaded and is checked in clean().
    stored_file_name = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "file" in field_names:
            instance.stored_file_name = values[field_names.index("file")]
        return instance

    def get_download_url(self):
        return reverse("doclibrary:download", kwargs={"slug": self.slug})

    @property
    def file_kind(self):
        return ACCEPTED_KINDS.get(self.content_type)

    @property
    def download_name(self):
        kind = self.file_kind
        return f"{self.slug}{kind.extension if kind else ''}"
