"""The site map for people (``/so-do-trang/``): every section and main page, in words.

``/sitemap.xml`` (the apps' sitemaps, listed in kieumau/urls.py) stays the map for
search engines.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from news.models import Section
from registrations import figures


@require_safe
def site_map(request):
    return render(
        request,
        "portal/site_map.html",
        {
            "sections": Section.objects.only("name", "slug", "description"),
            "years": figures.cached_registration_years(),
        },
    )
