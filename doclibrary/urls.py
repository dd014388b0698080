from django.urls import path

from . import views

app_name = "doclibrary"

urlpatterns = [
    path("van-ban/", views.DocumentListView.as_view(), name="list"),
    path("van-ban/<slug:slug>/", views.DocumentDetailView.as_view(), name="detail"),
    path("van-ban/<slug:slug>/tai-ve/", views.download, name="download"),
]
