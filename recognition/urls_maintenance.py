"""Staff's maintenance list of recognised units (under /bao-cao/)."""

from django.urls import path

from . import views_maintenance

app_name = "maintenance"

urlpatterns = [
    path("bao-cao/duy-tri/", views_maintenance.flag_list, name="list"),
    path("bao-cao/duy-tri/xuat.xlsx", views_maintenance.flag_export, name="export"),
]
