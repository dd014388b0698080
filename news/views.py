"""Public news pages: list, section, article, search, robots.txt.

Read-only pages are generic class-based views. For anonymous readers they are
served through the shared page cache (kieumau.pagecache), search excepted: its keys
are whatever people type, which would only fill the cache.
"""

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from kieumau.pagecache import cached_page

from .models import VERSION, Article, Section
from .search import SearchForm, excerpt, highlight, query_words, search_articles

PAGE_SIZE = 10
RELATED_COUNT = 4


def next_publication(now):
    return Article.objects.next_publication(now)


# Pages listing articles end no later than the next scheduled publication.
cached_news_page = method_decorator(
    cached_page(depends_on=[VERSION], expires=next_publication), name="get"
)


@cached_news_page
class ArticleListView(ListView):
    template_name = "news/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.for_listing()


@cached_news_page
class SectionDetailView(ListView):
    template_name = "news/section_detail.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.for_listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


def related_articles(article, count=RELATED_COUNT):
    """Newest public articles of the same section or sharing a tag."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    condition = Q(section_id=article.section_id)
    if tag_ids:
        condition |= Q(tags__in=tag_ids)
    return list(
        Article.objects.for_listing()
        .filter(condition)
        .exclude(pk=article.pk)
        .distinct()[:count]
    )


@cached_news_page
class ArticleDetailView(DetailView):
    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section")
            .prefetch_related("tags")
            .defer("search_text", "search_title")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related=related_articles(self.object),
            # The site's one public address, not the request's host: the page is
            # cached for every reader, whichever name or server it was asked by.
            share_url=settings.SITE_URL + self.object.get_absolute_url(),
            **kwargs,
        )


class SearchView(ListView):
    template_name = "news/search.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        self.words = []
        if self.form.is_bound and self.form.is_valid():
            self.words = query_words(self.form.cleaned_data["q"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.words:
            return Article.objects.none()
        data = self.form.cleaned_data
        return search_articles(
            self.words,
            section=data.get("chuyen_muc"),
            date_from=data.get("tu_ngay"),
            date_to=data.get("den_ngay"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for article in context["articles"]:
            article.title_marked = highlight(article.title, self.words)
            article.excerpt_marked = excerpt(article, self.words)
        query = self.request.GET.copy()
        query.pop("page", None)
        if "q" in query:
            query["q"] = query["q"][:200]
        context.update(
            form=self.form,
            words=self.words,
            query=self.form.cleaned_data.get("q", "") if self.form.is_bound else "",
            query_string=query.urlencode(),
            searched=bool(self.words),
        )
        return context


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}/",
        "Disallow: /dang-ky/",
        "Disallow: /bao-cao/",
        "Disallow: /dang-nhap/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('news:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
