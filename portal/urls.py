from django.urls import path

from . import counter_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("api/truy-cap/", counter_views.visits_api, name="visits-api"),
    path("en/", views.english, name="english"),
]
