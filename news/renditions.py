"""Resized copies of article images (Pillow): covers when an article is saved, images
of the body when the editor uploads them (news/editor_views.py).

Each cover gets two widths (1200 px for the article page, 400 px for lists) in JPEG
and WebP, stored next to MEDIA as ``news/renditions/<original stem>-<width>.<ext>``.
The names are derived from the original's, so templates need no extra columns.
"""

import io
import logging
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (1200, 400)
FORMATS = {
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "webp": ("WEBP", {"quality": 80, "method": 4}),
}


def rendition_name(original_name, width, ext):
    stem = posixpath.splitext(posixpath.basename(original_name))[0]
    folder = posixpath.dirname(original_name)
    return posixpath.join("news", "renditions", folder, f"{stem}-{width}.{ext}")


def make_renditions(field_file):
    """Write every rendition of ``field_file``; returns the storage names written."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as source:
            image = ImageOps.exif_transpose(source)
            image.load()
    finally:
        field_file.close()
    return write_renditions(image, field_file.name)


def write_renditions(image, original_name):
    """Write every rendition of the Pillow ``image`` stored as ``original_name``."""
    written = []
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    for width in WIDTHS:
        resized = image
        if image.width > width:
            height = round(image.height * width / image.width)
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for ext, (fmt, options) in FORMATS.items():
            buffer = io.BytesIO()
            resized.save(buffer, fmt, **options)
            name = rendition_name(original_name, width, ext)
            if default_storage.exists(name):
                default_storage.delete(name)
            written.append(default_storage.save(name, ContentFile(buffer.getvalue())))
    return written


def delete_renditions(original_name):
    for width in WIDTHS:
        for ext in FORMATS:
            name = rendition_name(original_name, width, ext)
            if default_storage.exists(name):
                default_storage.delete(name)
