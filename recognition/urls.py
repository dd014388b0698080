"""Staff's appraisal and decision screens (under /bao-cao/tham-dinh/) and the
public address of a published decision's signed scan."""

from django.urls import path

from . import decision_views, staff_views

app_name = "recognition"

STAFF = "bao-cao/tham-dinh/"

urlpatterns = [
    path(f"{STAFF}", staff_views.council_list, name="councils"),
    path(f"{STAFF}hoi-dong/<int:pk>/", staff_views.council_detail, name="council"),
    path(
        f"{STAFF}hoi-dong/<int:pk>/lap-phieu/",
        staff_views.council_open,
        name="council-open",
    ),
    path(
        f"{STAFF}hoi-dong/<int:pk>/bien-ban/",
        staff_views.council_minutes,
        name="council-minutes",
    ),
    path(
        f"{STAFF}hoi-dong/<int:pk>/thanh-vien/<int:member_pk>/xoa/",
        staff_views.member_delete,
        name="member-delete",
    ),
    path(
        f"{STAFF}hoi-dong/<int:pk>/quyet-dinh/",
        decision_views.decision_create,
        name="decision-create",
    ),
    path(f"{STAFF}phieu/<int:pk>/", staff_views.appraisal_detail, name="appraisal"),
    path(
        f"{STAFF}thu-hoi/", decision_views.revocation_create, name="revocation-create"
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/", decision_views.decision_detail, name="decision"
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/cong-bo/",
        decision_views.decision_publish,
        name="decision-publish",
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/huy/",
        decision_views.decision_discard,
        name="decision-discard",
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/tai-ve.<str:fmt>",
        decision_views.decision_file,
        name="decision-file",
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/giay-cong-nhan.pdf",
        decision_views.certificates_file,
        name="certificates",
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/giay-cong-nhan/<int:entry_pk>.docx",
        decision_views.certificate_file,
        name="certificate",
    ),
    path(
        f"{STAFF}quyet-dinh/<int:pk>/ban-ky.pdf",
        decision_views.decision_scan,
        name="decision-scan",
    ),
    path(
        "quyet-dinh/<int:pk>/", decision_views.decision_public, name="decision-public"
    ),
]
