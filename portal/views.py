"""Home page, sign-in, health check and error pages."""

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

from doclibrary.models import VERSION as DOCUMENTS_VERSION
from doclibrary.models import Document
from kieumau.pagecache import cached_page
from news.models import VERSION as NEWS_VERSION
from news.models import Article, Section
from news.views import next_publication
from units.models import Unit

HOME_BRIEFINGS = 4
HOME_LATEST = 6
HOME_DOCUMENTS = 5


@cached_page(depends_on=[NEWS_VERSION, DOCUMENTS_VERSION], expires=next_publication)
def home(request):
    """The featured article, the other latest briefings, the latest news, the
    sections; in the side column the latest documents and the citizen's links.

    Each article shows once: the featured one (often the newest briefing) is left
    out of the briefings and of the latest news.

    Anonymous visitors get it from the shared page cache; the poll and the counter
    are holes filled per visitor (kieumau.pagecache, portal.sidebar).
    """
    public = Article.objects.for_listing()
    featured = public.filter(is_featured=True).first()
    briefings = public.filter(is_briefing=True)
    latest = public.exclude(is_briefing=True)
    if featured is not None:
        briefings = briefings.exclude(pk=featured.pk)
        latest = latest.exclude(pk=featured.pk)
    context = {
        "featured": featured,
        "briefings": list(briefings[:HOME_BRIEFINGS]),
        "latest": list(latest[:HOME_LATEST]),
        "sections": list(Section.objects.all()),
        "documents": list(Document.objects.for_listing()[:HOME_DOCUMENTS]),
    }
    return TemplateResponse(request, "portal/home.html", context)


def english(request):
    """``/en/``: the organisation, its functions and contacts in English (Decree
    42/2022 asks this of every state portal); the page is ``lang="en"``."""
    return TemplateResponse(request, "portal/english.html")


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
    """Is the site able to work? For monitoring, a load balancer and the deploy.

    200 while the database answers, the body's first line ``ok`` or, with a part
    failing that the site can do without (the cache), ``degraded``; 503 with
    ``unavailable`` when the database does not answer. One line per part follows.
    ``/healthz?instance`` only says that this process answers (the rolling
    restart waits for it; a load balancer using it never pulls every instance at
    once because a shared part failed).
    """
    if "instance" in request.GET:
        return HttpResponse("ok\n", content_type="text/plain")
    database = _database_status()
    cache_status = _cache_status()
    if database != "ok":
        first, status = "unavailable", 503
    elif cache_status in ("ok", "database"):
        first, status = "ok", 200
    else:
        first, status = "degraded", 200
    body = f"{first}\ndatabase: {database}\ncache: {cache_status}\n"
    return HttpResponse(body, status=status, content_type="text/plain")


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return "unreachable"
    return "ok"


def _cache_status():
    """``ok``, ``database`` (the database cache) or ``unreachable`` (Redis down)."""
    if not isinstance(caches["default"], RedisCache):
        return "database" if isinstance(caches["default"], DatabaseCache) else "ok"
    try:
        get_redis_connection("default").ping()
    except Exception:  # refused, timed out, or left alone after a recent failure
        return "unreachable"
    return "ok"


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
