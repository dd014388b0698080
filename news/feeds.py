"""RSS 2.0 feed of the latest public articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description_template = None

    def title(self):
        return f"{settings.SITE_TITLE} — {settings.SITE_NAME}"

    def link(self):
        return reverse("portal:home")

    def description(self):
        return f"Tin mới nhất của {settings.SITE_AUTHORITY}."

    def items(self):
        return Article.objects.for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.section.name]

    def item_author_name(self, item):
        return item.credit or None
