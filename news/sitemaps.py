"""Sitemap: home, the news list, sections, public articles, the progress dashboard."""

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
        from registrations.models import Registration

        pages = [
            ("portal:home", ()),
            ("news:list", ()),
            ("registrations:dashboard", ()),
        ]
        years = (
            Registration.objects.active()
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        )
        pages += [("registrations:dashboard-year", (year,)) for year in years]
        return pages

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


SITEMAPS = {
    "static": StaticSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
}
