"""What the evidence list shows about a file and the upload form's limits."""

from django import template
from django.conf import settings

from registrations.evidence import content

register = template.Library()

# content type → (CSS key, short word shown on the icon)
BADGES = {
    content.PDF.content_type: ("pdf", "PDF"),
    content.DOCX.content_type: ("word", "Word"),
    content.DOC.content_type: ("word", "Word"),
    content.XLSX.content_type: ("excel", "Excel"),
    content.XLS.content_type: ("excel", "Excel"),
}


def _badge(item):
    if not item.is_file:
        return "link", "Liên kết"
    if item.content_type.startswith("image/"):
        return "image", "Ảnh"
    return BADGES.get(item.content_type, ("file", "Tệp"))


@register.simple_tag
def evidence_accept():
    """The file input's ``accept``: the kinds the content check lets through."""
    return content.ACCEPT


@register.simple_tag
def evidence_max_bytes():
    return settings.EVIDENCE_MAX_BYTES


@register.simple_tag
def evidence_kinds():
    return content.ACCEPTED_LABEL


@register.filter
def evidence_badge(item):
    """A short word for the file's kind ('PDF', 'Word'; 'Ảnh' for images)."""
    return _badge(item)[1]


@register.filter
def evidence_kind(item):
    """The kind as a CSS class suffix: pdf, word, excel, image, link, file."""
    return _badge(item)[0]


@register.filter
def evidence_is_image(item):
    return item.is_file and item.content_type.startswith("image/")
