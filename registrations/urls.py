from django.urls import path

from .views import public, reports, selfservice

app_name = "registrations"

urlpatterns = [
    path("dang-ky/", selfservice.home, name="home"),
    path("dang-ky/<str:code>/", selfservice.register, name="register"),
    path("tien-do/", public.dashboard, name="dashboard"),
    path("tien-do/<int:year>/", public.dashboard, name="dashboard-year"),
    path("tien-do/don-vi/<str:code>/", public.unit_detail, name="unit"),
    path("api/tong-hop/", public.summary_api, name="summary-api"),
    path("bao-cao/", reports.index, name="reports"),
    path("bao-cao/xuat/<slug:section>.xlsx", reports.export, name="report-export"),
    path("bao-cao/ban-tin/", reports.briefing, name="report-briefing"),
]
