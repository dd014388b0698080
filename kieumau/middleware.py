"""Site-wide middleware: request ids for the logs, security headers, NUL bytes in
URLs; and the client's address as the site's proxies vouch for it."""

import contextvars
import ipaddress
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.utils.log import log_response
from django.utils.translation import gettext

_request_id = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request):
    """The visitor's address, as far as our own proxies can vouch for it.

    nginx appends the address it saw to X-Forwarded-For; with TRUSTED_PROXY_COUNT
    proxies in front, the visitor is that many entries from the right. Entries
    further left were written by the client and may be forged, so they are never
    used. Without a proxy the header is ignored entirely (REMOTE_ADDR).
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID (when well formed) or make one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs some 4xx answers only after the middleware chain
                # returns, when the id is gone; log them here with it (once).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NullBytesInURL(SuspiciousOperation):
    """A NUL character in the path or query string (Django answers 400)."""


# Where Django logs the SuspiciousOperation it turns into a 400 page.
security_logger = logging.getLogger(f"django.security.{NullBytesInURL.__name__}")


class RejectNullBytesMiddleware:
    """Refuse URLs carrying NUL characters before any view sees them.

    PostgreSQL cannot store or compare text containing NUL, so a lookup such as
    /tien-do/don-vi/a%00b/ would fail with a 500; no real link contains one.
    Pages get the Vietnamese 400 page; the JSON API answers in JSON, as it does
    any other bad parameter (CONTRACT §3: ``{"loi": "…"}``).
    """

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path_info.startswith(self.API_PREFIX):
                security_logger.warning(
                    "NUL character in the URL", extra={"request": request}
                )
                return JsonResponse(
                    {"loi": gettext("Tham số không hợp lệ.")},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            raise NullBytesInURL("NUL character in the URL")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself (CSP comes from django-csp)."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
