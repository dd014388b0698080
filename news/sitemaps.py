"""Sitemaps of the news pages: home and the news list, sections, public articles.

kieumau/urls.py lists them at /sitemap.xml with the other apps' sitemaps.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Section.objects.all()


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["portal:home", "news:list"]

    def location(self, item):
        return reverse(item)
