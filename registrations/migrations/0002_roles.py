"""Roles as groups: district staff, supervisors, editors, unit heads."""

from django.db import migrations

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
            "view_reports",
        ],
    },
    "Giám sát tiến độ": {"registrations": ["change_locked_progress"]},
    "Biên tập viên": {
        "news": [
            "add_article", "change_article", "delete_article", "view_article",
            "publish_article",
            "add_section", "change_section", "view_section",
            "add_tag", "change_tag", "view_tag",
        ],
    },
    "Trưởng đơn vị": {},
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, per_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in per_app.items():
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(perms.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("units", "0001_initial"),
        ("registrations", "0001_initial"),
        ("news", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
