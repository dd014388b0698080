from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("tin-tuc/", views.ArticleListView.as_view(), name="list"),
    path("tin-tuc/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("chuyen-muc/<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("rss/", LatestArticlesFeed(), name="rss"),
    path("robots.txt", views.robots_txt, name="robots"),
]
