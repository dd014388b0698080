"""Addresses of the evidence pages, in the registrations namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "dang-ky/<str:code>/tien-do/<int:year>/<int:quarter>/minh-chung/<int:indicator_id>/",
        views.upload,
        name="evidence-upload",
    ),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("minh-chung/<int:pk>/anh-nho/", views.thumbnail, name="evidence-thumbnail"),
    path("minh-chung/<int:pk>/xoa/", views.delete, name="evidence-delete"),
]
