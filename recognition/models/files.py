"""Where the council's minutes and the signed decisions are stored: the private storage.

The same storage as the units' evidence (``registrations.evidence.storage``): never
under ``MEDIA_ROOT``; staff read the files, and the public only a published
decision's scan, through ``recognition.serving``.
"""

import secrets

from registrations.evidence.storage import safe_extension


def stored_name(folder, filename):
    """A random name under ``folder`` that keeps only a sanitised extension."""
    token = secrets.token_urlsafe(18)
    return f"{folder}/{token[:2]}/{token}{safe_extension(filename)}"


def minutes_upload_to(instance, filename):
    return stored_name("hoi-dong", filename)


def scan_upload_to(instance, filename):
    return stored_name("quyet-dinh", filename)
