"""Home page, sign-in, health check and error pages."""

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from kieumau.pagecache import cached_page
from news.models import VERSION as NEWS_VERSION
from news.models import Article, Section
from news.views import next_publication
from units.models import Unit

HOME_BRIEFINGS = 4
HOME_LATEST = 6


@cached_page(depends_on=[NEWS_VERSION], expires=next_publication)
def home(request):
    """Latest briefings, the featured article, the latest news and the sections.

    Anonymous visitors get it from the shared page cache; the poll and the counter
    are holes filled per visitor (kieumau.pagecache, portal.sidebar).
    """
    public = Article.objects.for_listing()
    featured = public.filter(is_featured=True).first()
    latest = public.exclude(is_briefing=True)
    if featured is not None:
        latest = latest.exclude(pk=featured.pk)
    context = {
        "featured": featured,
        "briefings": list(public.filter(is_briefing=True)[:HOME_BRIEFINGS]),
        "latest": list(latest[:HOME_LATEST]),
        "sections": list(Section.objects.all()),
    }
    return TemplateResponse(request, "portal/home.html", context)


def start_page(user):
    """Where a user lands after signing in without a ``next``: their own work.

    Unit heads register at /dang-ky/; the system administrator (superuser) goes
    to the admin; district staff (whoever may see the reports) to /bao-cao/;
    editors and other staff to the admin; anyone else to LOGIN_REDIRECT_URL
    (/dang-ky/, which tells them no unit is assigned to them).
    """
    if Unit.objects.headed_by(user).exists():
        return reverse("registrations:home")
    if user.is_superuser:
        return reverse("admin:index")
    if user.has_perm("registrations.view_reports"):
        return reverse("registrations:reports")
    if user.is_staff:
        return reverse("admin:index")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(LoginView):
    """``/dang-nhap/``: a safe ``next`` first (as Django does), else ``start_page``."""

    def get_default_redirect_url(self):
        if self.next_page:
            return resolve_url(self.next_page)
        return start_page(self.request.user)


@never_cache
def healthz(request):
    """200 "ok" when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
