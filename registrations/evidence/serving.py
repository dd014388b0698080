"""Answers that hand an evidence file to a browser that may see it.

Three ways, the same headers: behind nginx (``EVIDENCE_ACCEL_REDIRECT``) the
app answers ``X-Accel-Redirect`` to nginx's internal ``/_minh-chung/`` location,
which sends the file from ``EVIDENCE_ROOT`` and adds the headers itself
(deploy/nginx.conf); without nginx the app streams the file; with an S3 bucket
(a storage without local paths) the app redirects to a URL the storage signs,
valid ``EVIDENCE_URL_EXPIRY`` seconds. Never a ``/media/`` address.

Every file goes out with its checked type, ``nosniff`` and a ``sandbox`` CSP:
even a file that slipped past the checks cannot run script on the portal's
origin. Images and PDF open in the browser, Office files download. (Chromium
156 shows a PDF or an image opened in a tab under this CSP; it refuses only a PDF
framed in a sandboxed iframe, which the site's own CSP forbids anyway.)
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from . import content
from .services import clean_display_name

ACCEL_PREFIX = "/_minh-chung/"
# The same value as deploy/nginx.conf's internal location (a test compares them).
SANDBOX_CSP = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'"
)
FALLBACK = content.Kind("other", "application/octet-stream", ("",), "", inline=False)


def file_response(evidence, *, stored_name=None, kind=None):
    """The answer that delivers ``evidence``'s file (or ``stored_name``, a preview)."""
    kind = kind or content.BY_CONTENT_TYPE.get(evidence.content_type, FALLBACK)
    storage = evidence.file.storage
    name = stored_name or evidence.file.name
    filename = clean_display_name(
        evidence.original_name, kind if kind.key != "other" else None
    )
    disposition = content_disposition_header(not kind.inline, filename)
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is None:
        response = HttpResponseRedirect(
            storage.url(
                name,
                parameters={
                    "ResponseContentType": kind.content_type,
                    "ResponseContentDisposition": disposition,
                    "ResponseCacheControl": "private, no-store",
                },
                expire=settings.EVIDENCE_URL_EXPIRY,
            )
        )
    elif settings.EVIDENCE_ACCEL_REDIRECT:
        response = HttpResponse(content_type=kind.content_type)
        response["X-Accel-Redirect"] = ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = disposition
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=kind.content_type)
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response
