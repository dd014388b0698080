"""District staff and editors may set the counter's opening total in the admin."""

from django.db import migrations

CODENAMES = [
    "add_visitcountersettings", "change_visitcountersettings",
    "view_visitcountersettings", "view_dailyvisits",
]
GROUPS = ["Cán bộ huyện", "Biên tập viên"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("portal")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(
        Permission.objects.filter(content_type__app_label="portal", codename__in=CODENAMES)
    )
    if len(perms) != len(CODENAMES):
        raise RuntimeError("missing portal permissions")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0002_roles"),
        ("portal", "0002_visit_counter"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
