"""Editors (Biên tập viên) manage polls in the admin."""

from django.db import migrations

CODENAMES = [
    "add_question", "change_question", "delete_question", "view_question",
    "add_choice", "change_choice", "delete_choice", "view_choice",
    "view_vote",
]


def grant_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    app_config = apps.get_app_config("polls")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Biên tập viên")
    perms = Permission.objects.filter(
        content_type__app_label="polls", codename__in=CODENAMES
    )
    missing = set(CODENAMES) - set(perms.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"missing polls permissions: {sorted(missing)}")
    group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0002_roles"),
        ("polls", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
