"""Sitemap of the progress dashboard: its front page and each year with registrations.

kieumau/urls.py lists it at /sitemap.xml with the other apps' sitemaps.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Registration


class DashboardSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        years = (
            Registration.objects.active()
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        )
        pages = [("registrations:dashboard", ())]
        pages += [("registrations:dashboard-year", (year,)) for year in years]
        return pages

    def location(self, item):
        name, args = item
        return reverse(name, args=args)
