"""The role groups exist after every migrate and every flush, with their permissions."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from portal.roles import ROLES, create_roles


def granted():
    """Each group's permissions as ``app_label.codename``."""
    groups = Group.objects.prefetch_related("permissions__content_type")
    return {
        group.name: {
            f"{perm.content_type.app_label}.{perm.codename}"
            for perm in group.permissions.all()
        }
        for group in groups
    }


# Permissions of models added after the groups moved to portal.roles (granted by
# its post_migrate handler, with no data migration of their own).
GRANTED_SINCE = {
    "Cán bộ huyện": {
        "registrations.view_quarterreport",
        "registrations.review_quarterreport",
        "registrations.view_reportedvalue",
        "registrations.view_evidence",
        "heads.add_headprofile",
        "heads.change_headprofile",
        "heads.view_headprofile",
        "heads.invite_headprofile",
        "heads.view_sentreminder",
        "doclibrary.add_document",
        "doclibrary.change_document",
        "doclibrary.view_document",
        "recognition.run_appraisal",
        "recognition.add_council",
        "recognition.change_council",
        "recognition.view_council",
        "recognition.view_councilmember",
        "recognition.view_appraisal",
        "recognition.view_verdict",
        "recognition.view_decision",
        "recognition.view_decisionentry",
    },
    "Biên tập viên": {
        "doclibrary.add_document",
        "doclibrary.change_document",
        "doclibrary.delete_document",
        "doclibrary.view_document",
    },
}


def given_by_the_data_migrations():
    """What the data migrations that first made the groups granted, read from them."""
    roles = importlib.import_module("registrations.migrations.0002_roles")
    editors = importlib.import_module("polls.migrations.0002_editor_permissions")
    counter = importlib.import_module("portal.migrations.0003_counter_permissions")
    expected = {
        name: {
            f"{label}.{codename}"
            for label, names in per_app.items()
            for codename in names
        }
        for name, per_app in roles.ROLES.items()
    }
    expected["Biên tập viên"] |= {f"polls.{codename}" for codename in editors.CODENAMES}
    for name in counter.GROUPS:
        expected[name] |= {f"portal.{codename}" for codename in counter.CODENAMES}
    for name, names in GRANTED_SINCE.items():
        expected[name] |= names
    return expected


def test_the_roles_grant_what_the_data_migrations_granted():
    declared = {
        name: {
            f"{label}.{codename}"
            for label, names in per_app.items()
            for codename in names
        }
        for name, per_app in ROLES.items()
    }
    assert declared == given_by_the_data_migrations()


@pytest.mark.django_db
def test_a_migrated_database_has_every_role_with_its_permissions():
    assert granted() == given_by_the_data_migrations()


@pytest.mark.django_db(transaction=True)
def test_a_flush_is_followed_by_the_role_groups_and_their_permissions():
    call_command("flush", interactive=False, verbosity=0)
    assert granted() == given_by_the_data_migrations()


@pytest.mark.django_db
def test_migrate_puts_back_a_deleted_role_and_a_removed_permission():
    Group.objects.filter(name="Giám sát tiến độ").delete()
    Group.objects.get(name="Cán bộ huyện").permissions.remove(
        Permission.objects.get(codename="view_reports")
    )
    call_command("migrate", verbosity=0)
    assert granted() == given_by_the_data_migrations()


@pytest.mark.django_db
def test_the_role_set_up_run_twice_changes_nothing_and_keeps_added_permissions():
    staff = Group.objects.get(name="Cán bộ huyện")
    staff.permissions.add(Permission.objects.get(codename="delete_unit"))
    before = granted()
    assert "units.delete_unit" in before["Cán bộ huyện"]
    create_roles()
    create_roles()
    assert granted() == before
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)
