"""The editor's two requests: an image uploaded into an article's body, a preview.

Both are for people who may write articles (registered in news/admin.py through the
admin's ``admin_view``: staff only, CSRF checked) and both answer every input without
a 500: a file that is not an image, too large, or without its alt text is refused
with a Vietnamese message in JSON.
"""

import io
import logging
import posixpath
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps

from kieumau.text import nfc

from .renditions import WIDTHS, rendition_name, write_renditions
from .sanitize import sanitize_html

logger = logging.getLogger(__name__)

# A phone's photo is 3–8 MB; a scan of a printed page can be larger.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
# 40 megapixels: beyond any camera an office uses, and well below the pixel count
# at which decoding one image would take a worker's memory.
MAX_IMAGE_PIXELS = 40_000_000
ALT_MAX_LENGTH = 300
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# The width an image of the body is shown at (the article page's rendition).
BODY_WIDTH = WIDTHS[0]


def may_write_articles(user):
    return user.has_perm("news.add_article") or user.has_perm("news.change_article")


def refuse(message, status=400):
    return JsonResponse({"error": message}, status=status)


@require_POST
def upload_body_image(request):
    """Store an image of an article's body and its renditions; answer its URL."""
    if not may_write_articles(request.user):
        raise PermissionDenied
    alt = " ".join(nfc(request.POST.get("alt", "")).split())
    upload = request.FILES.get("image")
    if not alt:
        return refuse("Hãy nhập mô tả ảnh (alt) cho người khiếm thị.")
    if len(alt) > ALT_MAX_LENGTH:
        return refuse(f"Mô tả ảnh dài quá {ALT_MAX_LENGTH} ký tự.")
    if upload is None:
        return refuse("Hãy chọn một tệp ảnh.")
    if upload.size > MAX_IMAGE_BYTES:
        return refuse("Ảnh lớn quá 10 MB; hãy chọn ảnh nhỏ hơn.")
    data = upload.read()
    image = read_image(data)
    if image is None:
        return refuse("Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF.")
    if image.width * image.height > MAX_IMAGE_PIXELS:
        return refuse("Ảnh có quá nhiều điểm ảnh (tối đa 40 megapixel).")
    name = posixpath.join(
        "news",
        "body",
        timezone.now().strftime("%Y/%m"),
        f"{uuid.uuid4().hex}.{FORMATS[image.format]}",
    )
    image = ImageOps.exif_transpose(image)  # a phone's portrait photo stands up
    try:
        name = default_storage.save(name, ContentFile(data))
        write_renditions(image, name)
    except (OSError, ValueError):
        logger.exception("body image %s could not be stored", name)
        return refuse("Không lưu được ảnh; hãy thử lại sau ít phút.", status=503)
    width = min(image.width, BODY_WIDTH)
    return JsonResponse(
        {
            "src": default_storage.url(rendition_name(name, BODY_WIDTH, "jpg")),
            "alt": alt,
            "width": width,
            "height": round(image.height * width / image.width),
        }
    )


def read_image(data):
    """The decoded image if ``data`` is one of FORMATS (Pillow decides), else None."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            return None
        if image.width * image.height <= MAX_IMAGE_PIXELS:
            image.load()
        return image
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


@require_POST
def preview_body(request):
    """The body as the public article page shows it, after the same sanitiser."""
    if not may_write_articles(request.user):
        raise PermissionDenied
    context = {
        "title": nfc(request.POST.get("title", "")).strip(),
        "lead": nfc(request.POST.get("lead", "")).strip(),
        "body": sanitize_html(nfc(request.POST.get("body", ""))),
    }
    response = render(request, "news/admin/body_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
