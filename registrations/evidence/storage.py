"""Where evidence files live: a private storage and random, sanitised names.

``EVIDENCE_ROOT`` lies outside ``MEDIA_ROOT`` on purpose: nginx serves
``MEDIA_ROOT`` to anyone, while evidence (minutes, photos of people, decisions)
is for the unit's heads and district staff only (CONTRACT §4).
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.text import get_valid_filename

from kieumau.text import fold

# Extensions kept on stored names; anything else is stored without one.
MAX_EXTENSION_LENGTH = 8


def evidence_storage():
    """The storage of evidence files (a callable, so tests may move the root)."""
    return FileSystemStorage(location=settings.EVIDENCE_ROOT, base_url=None)


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
