"""The public pages of recognition: the roll of model units (CONTRACT §3)."""

from django.urls import path

from . import views_public

app_name = "roll"

urlpatterns = [
    path("don-vi-kieu-mau/", views_public.RollView.as_view(), name="index"),
]
