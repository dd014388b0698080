"""The whole site map. Public paths are fixed by CONTRACT §3 (pinned in tests)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from doclibrary.sitemaps import DocumentSitemap, LibrarySitemap
from kieumau.signin import AdminSignInForm, SignInForm
from news import urls as news_urls
from news.sitemaps import ArticleSitemap, SectionSitemap, StaticSitemap
from portal import sitemap_views
from portal import views as portal_views
from registrations.sitemaps import DashboardSitemap

admin.site.site_header = f"Quản trị cổng thông tin kiểu mẫu — {settings.SITE_NAME}"
admin.site.site_title = "Quản trị cổng kiểu mẫu"
admin.site.index_title = "Quản trị"
admin.site.login_form = AdminSignInForm

# /sitemap.xml for search engines: each app's sitemap, their pages in this order. It
# keeps its name in the news namespace (news:sitemap, CONTRACT §3).
SITEMAPS = {
    "static": StaticSitemap,
    "dashboard": DashboardSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "library": LibrarySitemap,
    "documents": DocumentSitemap,
}
NEWS = [
    *news_urls.urlpatterns,
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Django tries the patterns in order: the public pages, visited most, come first.
# None of their paths can shadow a later one (pinned in tests/test_urls.py).
urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("", include("portal.urls")),
    path("", include((NEWS, news_urls.app_name))),
    path("", include("polls.urls")),
    path("", include("doclibrary.urls")),
    path("", include("registrations.urls")),
    path("", include("heads.urls")),
    path("", include("recognition.urls")),
    path("", include("recognition.urls_public")),
    path("", include("recognition.urls_maintenance")),
    path("so-do-trang/", sitemap_views.site_map, name="site-map"),
    path(f"{settings.ADMIN_PATH}/nhap-du-lieu/", include("imports.urls")),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
    path(
        "dang-nhap/",
        portal_views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email (unit heads and staff), at Vietnamese paths.
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(  # the admin's login page links here when this name exists
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/hoan-tat/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
