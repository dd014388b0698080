"""Sitemap of the library: its list and every public document."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Document


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Document.objects.published().only("slug", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at


class LibrarySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["doclibrary:list"]

    def location(self, item):
        return reverse(item)
