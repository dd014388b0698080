"""Add and remove a unit's evidence: one file or one link at a time.

Evidence may change while the unit may change its report
(``services.unit_edit_refusal``: a draft or a returned report, inside the
reporting window). The report row is locked while the evidence changes, so an
upload cannot slip in after the report was submitted. Adding evidence neither
moves the report's state nor bumps its version: a page open beside the upload
(each file goes in its own request) keeps saving its values.
"""

import io
import logging
import unicodedata
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from kieumau.text import nfc

from .. import services
from ..models import Evidence, QuarterReport, ReportedValue
from . import content
from .storage import thumbnail_name

logger = logging.getLogger(__name__)

MAX_PER_INDICATOR = 20  # pieces of evidence per indicator and quarter
MAX_NAME = 120  # characters of a shown file name
THUMBNAIL_SIZE = (480, 480)
# Characters never kept in a shown name: path separators, characters Windows
# refuses, and (below) control and format characters such as U+202E, which turns
# "hinh‮fdp.exe" into something that reads like "hinhexe.pdf".
UNSAFE_IN_NAME = set('/\\:*?"<>|')


def clean_display_name(name, kind=None):
    """The sent file name as people may read it: no folders, no tricks.

    'C:\\fakepath\\..\\Biên bản.PDF' → 'Biên bản.pdf'. With ``kind``, the extension
    is the kind's (a JPEG named .exe shows as .jpg).
    """
    name = nfc(str(name or "")).replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(
        " " if char in UNSAFE_IN_NAME else char
        for char in name
        if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if kind is not None:
        extension = (
            extension.lower()
            if f".{extension.lower()}" in kind.extensions
            else kind.extension[1:]
        )
    stem = stem.strip(" .")[: MAX_NAME - len(extension) - 1] or _("minh-chung")
    return f"{stem}.{extension}" if extension else stem


def _locked_report(*, unit, year, quarter, indicator, by):
    """The report, locked, if the unit may change it now; the indicator's row."""
    report = QuarterReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    refusal = services.unit_edit_refusal(
        unit=unit, year=year, quarter=quarter, report=report
    )
    if refusal:
        raise ValidationError(refusal, code="closed")
    if not services.indicators_for_unit(unit).filter(pk=indicator.pk).exists():
        raise ValidationError(
            _("Chỉ tiêu không thuộc danh hiệu đơn vị đã đăng ký."),
            code="foreign_indicator",
        )
    if report is None:
        report, _created = QuarterReport.objects.get_or_create(
            unit=unit, year=year, quarter=quarter, defaults={"updated_by": by}
        )
    report = QuarterReport.objects.select_for_update().get(pk=report.pk)
    # Checked again under the lock: a submission may have landed meanwhile.
    refusal = services.unit_edit_refusal(
        unit=unit, year=year, quarter=quarter, report=report
    )
    if refusal:
        raise ValidationError(refusal, code="closed")
    row, _created = ReportedValue.objects.get_or_create(
        report=report, indicator=indicator, defaults={"updated_by": by}
    )
    if row.evidence.count() >= MAX_PER_INDICATOR:
        raise ValidationError(
            _(
                "Mỗi chỉ tiêu có tối đa %(n)s minh chứng; hãy xóa bớt hoặc gộp các "
                "ảnh vào một tệp PDF."
            )
            % {"n": MAX_PER_INDICATOR},
            code="too_many",
        )
    return report, row


def check_link(link):
    """An http(s) address, as typed (trimmed); a Vietnamese refusal otherwise."""
    link = (link or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise ValidationError(
            _(
                "Đường dẫn không hợp lệ: cần một địa chỉ đầy đủ bắt đầu bằng "
                "http:// hoặc https://."
            ),
            code="link",
        ) from None
    if len(link) > Evidence._meta.get_field("link").max_length:
        raise ValidationError(_("Đường dẫn dài quá 1000 ký tự."), code="link")
    return link


def check_file(upload, *, max_bytes):
    """The upload's ``content.Kind``, or a Vietnamese refusal (size, kind)."""
    if upload.size > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="too_large")
    return content.identify(upload)


def too_large_message(max_bytes):
    return _(
        "Tệp lớn quá: mỗi tệp tối đa %(mb)s MB. Hãy chụp ảnh với độ phân giải thấp "
        "hơn, hoặc chia tệp PDF thành nhiều tệp nhỏ."
    ) % {"mb": f"{max_bytes / 1024 / 1024:.0f}"}


@transaction.atomic
def add_file_evidence(*, unit, year, quarter, indicator, upload, by, max_bytes):
    """Store one checked file as evidence of ``indicator`` in the unit's report."""
    kind = check_file(upload, max_bytes=max_bytes)
    report, row = _locked_report(
        unit=unit, year=year, quarter=quarter, indicator=indicator, by=by
    )
    name = clean_display_name(upload.name, kind)
    evidence = Evidence(
        reported_value=row,
        original_name=name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    upload.seek(0)
    evidence.file.save(name, upload, save=False)
    stored = [evidence.file.name]
    try:
        if kind.is_image:
            stored.append(_save_thumbnail(evidence.file.storage, evidence.file.name))
        evidence.save()
    except Exception:
        _remove_files(evidence.file.storage, stored)
        raise
    return evidence


@transaction.atomic
def add_link_evidence(*, unit, year, quarter, indicator, link, by):
    """Record one http(s) link as evidence of ``indicator`` in the unit's report."""
    link = check_link(link)
    report, row = _locked_report(
        unit=unit, year=year, quarter=quarter, indicator=indicator, by=by
    )
    return Evidence.objects.create(reported_value=row, link=link, uploaded_by=by)


@transaction.atomic
def delete_evidence(*, evidence, by):
    """Remove one piece of evidence (its file too) while the report is editable."""
    row = evidence.reported_value
    report = QuarterReport.objects.select_for_update().get(pk=row.report_id)
    refusal = services.unit_edit_refusal(
        unit=report.unit, year=report.year, quarter=report.quarter, report=report
    )
    if refusal:
        raise ValidationError(refusal, code="closed")
    storage = evidence.file.storage
    names = []
    if evidence.file:
        names.append(evidence.file.name)
        if evidence.content_type.startswith("image/"):
            names.append(thumbnail_name(evidence.file.name))
    evidence.delete()
    # Files go only once the row is surely gone.
    transaction.on_commit(lambda: _remove_files(storage, names))


def _save_thumbnail(storage, name):
    """A small JPEG preview of an image (phones on mobile data load these).

    None when Pillow cannot make one: the list then shows the image's icon.
    """
    try:
        with storage.open(name, "rb") as handle, Image.open(handle) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.warning("no thumbnail for evidence file %s", name, exc_info=True)
        return None
    return storage.save(thumbnail_name(name), ContentFile(buffer.getvalue()))


def _remove_files(storage, names):
    for name in filter(None, names):
        try:
            storage.delete(name)
        except OSError:  # a file already gone, a bucket that answered late
            logger.warning("could not delete evidence file %s", name)
