"""Unit heads' pages: the invitation, the profile, the staff's list of heads."""

from django.urls import path

from . import staff_views, views

app_name = "heads"

urlpatterns = [
    path(
        "kich-hoat/<uidb64>/<token>/",
        views.ActivateView.as_view(),
        name="activate",
    ),
    path("tai-khoan/", views.profile, name="profile"),
    path(
        "tai-khoan/doi-mat-khau/",
        views.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path("bao-cao/truong-don-vi/", staff_views.head_list, name="list"),
    path(
        "bao-cao/truong-don-vi/gui-loi-moi-dang-cho/",
        staff_views.send_waiting,
        name="send-waiting",
    ),
    path(
        "bao-cao/truong-don-vi/<int:pk>/gui-loi-moi/", staff_views.resend, name="resend"
    ),
    path("bao-cao/truong-don-vi/<int:pk>/thu-moi/", staff_views.letter, name="letter"),
    path(
        "bao-cao/truong-don-vi/<int:pk>/thu-moi/in/",
        staff_views.letter_print,
        name="letter-print",
    ),
]
