"""Where evidence files live: a private storage and random, sanitised names.

``EVIDENCE_ROOT`` lies outside ``MEDIA_ROOT`` on purpose: nginx serves
``MEDIA_ROOT`` to anyone, while evidence (minutes, photos of people, decisions)
is for the unit's heads and district staff only (CONTRACT §4). App servers on
several machines share an S3-compatible bucket instead: ``STORAGES["evidence"]``
(settings, from ``EVIDENCE_S3_BUCKET``), private, reached through signed URLs.
"""

import os
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.text import get_valid_filename

from kieumau.text import fold

# Extensions kept on stored names; anything else is stored without one.
MAX_EXTENSION_LENGTH = 8


class EvidenceStorage(FileSystemStorage):
    """Files under ``settings.EVIDENCE_ROOT``, read at each use; no public URL.

    A stock FileSystemStorage given a location fixes it when the models load, and
    falls back to ``MEDIA_URL`` for ``url()``: here the root follows the setting
    (tests move it) and ``url()`` raises, as no address may reach these files.
    """

    @property
    def base_location(self):
        return settings.EVIDENCE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


STORAGE = EvidenceStorage()


def evidence_storage():
    """The storage of evidence files (``Evidence.file``'s ``storage=``).

    ``STORAGES["evidence"]`` when the settings define it (an S3 bucket), else the
    private folder ``EVIDENCE_ROOT``.
    """
    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return STORAGE


def safe_extension(filename):
    """'Biên bản.PDF' → '.pdf'; '' for a name without a plain short extension."""
    suffix = PurePosixPath(str(filename).replace("\\", "/")).suffix.lower()
    suffix = get_valid_filename(fold(suffix)) if suffix else ""
    if not suffix.startswith(".") or not suffix[1:].isalnum():
        return ""
    return suffix if len(suffix) <= MAX_EXTENSION_LENGTH + 1 else ""


def evidence_upload_to(instance, filename):
    """A random path that keeps only a sanitised extension of the sent name.

    The person's file name is kept in ``Evidence.original_name`` for display;
    nothing of it but the extension reaches the disk, so no path traversal,
    no collision and no guessable address.
    """
    token = secrets.token_urlsafe(18)
    return f"{token[:2]}/{token}{safe_extension(filename)}"


def thumbnail_name(name):
    """Where the small preview of the image stored as ``name`` is kept.

    Stored names are random tokens without dots, so ``<token>.thumb.jpg`` can
    never be another upload's name.
    """
    stem = str(name).rsplit(".", 1)[0] if "." in PurePosixPath(name).name else name
    return f"{stem}.thumb.jpg"
