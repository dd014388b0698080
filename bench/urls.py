"""kieumau.urls plus /__bench__/ceiling/: fixed HTML, no template, no database."""

from django.http import HttpResponse
from django.urls import path

from kieumau.urls import *  # noqa: F403
from kieumau.urls import urlpatterns as site_urlpatterns

_MAX_BYTES = 1_000_000


def ceiling(request):
    """A bare Django view answering ``?bytes=N`` bytes of HTML (the ceiling)."""
    try:
        size = min(max(int(request.GET.get("bytes", "20000")), 64), _MAX_BYTES)
    except ValueError:
        size = 20000
    head = b"<!doctype html><html lang=vi><title>bench</title><body><p>"
    tail = b"</p></body></html>"
    body = head + b"x" * max(size - len(head) - len(tail), 0) + tail
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/ceiling/", ceiling), *site_urlpatterns]
