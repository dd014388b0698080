from django.urls import include, path

from .evidence import urls as evidence_urls
from .views import (
    public,
    report_sections,
    reports,
    review,
    selfreport,
    selfservice,
    worklist,
)

app_name = "registrations"

urlpatterns = [
    path("dang-ky/", selfservice.home, name="home"),
    path("dang-ky/<str:code>/", selfservice.register, name="register"),
    path(
        "dang-ky/<str:code>/tien-do/<int:year>/<int:quarter>/",
        selfreport.report,
        name="selfreport",
    ),
    path(
        "dang-ky/<str:code>/tien-do/<int:year>/<int:quarter>/nop/",
        selfreport.submit,
        name="selfreport-submit",
    ),
    path("", include(evidence_urls)),
    path("tien-do/", public.dashboard, name="dashboard"),
    path("tien-do/<int:year>/", public.dashboard, name="dashboard-year"),
    path("tien-do/don-vi/<str:code>/", public.unit_detail, name="unit"),
    path("api/tong-hop/", public.summary_api, name="summary-api"),
    path("bao-cao/", reports.index, name="reports"),
    path("bao-cao/xuat/<slug:section>.xlsx", reports.export, name="report-export"),
    path("bao-cao/ban-tin/", reports.briefing, name="report-briefing"),
    path(
        "bao-cao/muc/chua-dat/<int:criterion_id>/",
        report_sections.not_met,
        name="report-not-met",
    ),
    path(
        "bao-cao/muc/<slug:section>/",
        report_sections.section,
        name="report-section",
    ),
    path("bao-cao/tien-do/", worklist.current_worklist, name="review-current"),
    path(
        "bao-cao/tien-do/<int:year>/<int:quarter>/",
        worklist.worklist_view,
        name="review-list",
    ),
    path(
        "bao-cao/tien-do/<int:year>/<int:quarter>/day-du.xlsx",
        worklist.worklist_export,
        name="review-export",
    ),
    path(
        "bao-cao/tien-do/<int:year>/<int:quarter>/<str:code>/",
        review.review,
        name="review",
    ),
]
