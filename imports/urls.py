"""The admin's import and export screen, at ``<ADMIN_PATH>/nhap-du-lieu/``."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", admin.site.admin_view(views.index), name="index"),
    path("<int:pk>/", admin.site.admin_view(views.batch_detail), name="batch"),
    path("<int:pk>/xac-nhan/", admin.site.admin_view(views.confirm), name="confirm"),
    path(
        "xuat/<str:kind>.<str:fmt>",
        admin.site.admin_view(views.export),
        name="export",
    ),
]
