"""The portal's roles as auth groups, and the permissions each one holds.

A role spans apps (district staff enter units, registrations and the counter's
opening total), so it lives in the top layer. ``create_roles`` runs after every
``migrate`` and every test flush (Django sends ``post_migrate`` after both), so the
groups are always there; it only adds, so a permission the district office gave a
group in the admin stays. The data migrations that first made these groups
(registrations 0002, polls 0002, portal 0003) are kept as they landed.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

COUNTER = [
    "add_visitcountersettings",
    "change_visitcountersettings",
    "view_visitcountersettings",
    "view_dailyvisits",
]

# Group name → app label → permission codenames.
ROLES = {
    "Cán bộ huyện": {
        "units": ["add_unit", "change_unit", "view_unit"],
        "registrations": [
            "add_title", "change_title", "view_title",
            "add_criterion", "change_criterion", "view_criterion",
            "add_indicator", "change_indicator", "view_indicator",
            "add_registration", "change_registration", "view_registration",
            "add_progress", "change_progress", "view_progress",
            "add_quartersheet", "change_quartersheet", "view_quartersheet",
            "view_quarterreport", "review_quarterreport",
            "view_reportedvalue", "view_evidence",
            "view_reports",
        ],
        "heads": [
            "add_headprofile", "change_headprofile", "view_headprofile",
            "invite_headprofile", "view_sentreminder",
        ],
        "recognition": [
            "run_appraisal",
            "add_council", "change_council", "view_council",
            "view_councilmember", "view_appraisal", "view_verdict",
            "view_decision", "view_decisionentry",
        ],
        "doclibrary": ["add_document", "change_document", "view_document"],
        "portal": COUNTER,
    },
    "Giám sát tiến độ": {"registrations": ["change_locked_progress"]},
    "Biên tập viên": {
        "news": [
            "add_article", "change_article", "delete_article", "view_article",
            "publish_article",
            "add_section", "change_section", "view_section",
            "add_tag", "change_tag", "view_tag",
        ],
        "polls": [
            "add_question", "change_question", "delete_question", "view_question",
            "add_choice", "change_choice", "delete_choice", "view_choice",
            "view_vote",
        ],
        "doclibrary": [
            "add_document", "change_document", "delete_document", "view_document",
        ],
        "portal": COUNTER,
    },
    "Trưởng đơn vị": {},
}  # fmt: skip


def create_roles(*, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Create the role groups and add their permissions (idempotent).

    ``migrate`` passes the migrated state's ``apps``; ``flush`` passes none.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth not migrated yet
        return
    labels = {label for per_app in ROLES.values() for label in per_app}
    for label in sorted(labels):
        # Auth makes each app's permissions in that app's own post_migrate turn;
        # make sure they exist now, whatever the order of INSTALLED_APPS.
        create_permissions(
            global_apps.get_app_config(label),
            verbosity=0,
            using=using,
            apps=apps,
        )
    for name, per_app in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        for label, codenames in per_app.items():
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=label, codename__in=codenames
                )
            )
