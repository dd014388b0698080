"""Every label of the project's models and admin forms is Vietnamese.

A field without ``verbose_name`` gets Django's label derived from its English name
("version", "search name"); the admin then shows "Version:" in a Vietnamese screen.
"""

import re

from django.apps import apps
from django.contrib.admin.utils import label_for_field
from django.forms.utils import pretty_name
from django.urls import reverse

from registrations.models import QuarterSheet, Registration
from tests import factories
from tests.conftest import login, model_admins

PROJECT_APPS = [
    "units",
    "registrations",
    "heads",
    "imports",
    "news",
    "polls",
    "portal",
]

# English words a label copied from a field name would contain. Words that are
# also Vietnamese written without diacritics ("an", "do", "in", "tin") are left
# out; a label equal to Django's default (the field name) is caught separately.
ENGLISH_WORDS = {
    "active", "article", "at", "body", "by", "change", "changed", "choice", "code",
    "count", "cover", "created", "date", "day", "decision", "expected", "field",
    "file", "historical", "history", "image", "indicator", "key", "kind", "level",
    "name", "note", "number", "of", "order", "published", "question", "reason",
    "renditions", "search", "section", "sort", "status", "text", "the", "time",
    "title", "type", "unit", "updated", "user", "value", "version", "visitor",
    "visits", "vote", "year",
}  # fmt: skip


def english(label, name):
    """Whether ``label`` (of the field ``name``) reads as English."""
    label = str(label).strip()
    if label == "ID":  # Django's label of every automatic primary key
        return False
    if label.lower() == name.replace("_", " ").strip().lower():
        return True
    return any(word in ENGLISH_WORDS for word in re.findall(r"\w+", label.lower()))


def test_the_detector_tells_english_from_vietnamese():
    assert english("version", "version")
    assert english("search name", "search_name")
    assert english("Expected version", "expected_version")
    assert english("historical đăng ký", "")
    assert not english("phiên bản", "version")
    assert not english("sapo", "lead")
    assert not english("tin bài", "article")
    assert not english("ID", "id")


def _project_models():
    """Historical models included; automatic many-to-many tables are not."""
    for app in PROJECT_APPS:
        yield from apps.get_app_config(app).get_models()


def test_every_model_field_has_a_vietnamese_label():
    english_labels = []
    for model in _project_models():
        opts = model._meta
        for name, label in [
            ("", opts.verbose_name),
            ("", opts.verbose_name_plural),
        ]:
            if english(label, name):
                english_labels.append(f"{opts.label}: {label}")
        for field in opts.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations have no label of their own
            label = field.verbose_name
            if english(label, field.name):
                english_labels.append(f"{opts.label}.{field.name}: {label}")
    assert english_labels == []


def _form_labels(form_class):
    for name, field in form_class.base_fields.items():
        yield name, field.label if field.label is not None else pretty_name(name)


def test_every_admin_form_label_is_vietnamese(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    english_labels = []
    for model, model_admin in model_admins():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for obj in (None, model()):  # the add form, then a change form
            labels = list(_form_labels(model_admin.get_form(request, obj)))
            labels += [
                (name, label_for_field(name, model, model_admin))
                for name in model_admin.get_readonly_fields(request, obj)
            ]
            for inline in model_admin.get_inline_instances(request, obj):
                labels += list(_form_labels(inline.get_formset(request, obj).form))
            english_labels += [
                f"{model._meta.label} form: {name}: {label}"
                for name, label in labels
                if english(label, name)
            ]
    assert english_labels == []


def test_the_version_fields_are_labelled_in_vietnamese():
    for model in (Registration, QuarterSheet, Registration.history.model):
        assert model._meta.get_field("version").verbose_name == "phiên bản"


def test_the_registration_change_page_shows_no_english_version_label(client, superuser):
    title = factories.make_catalogue()
    registration = factories.make_registration(factories.make_unit(), title)
    url = reverse("admin:registrations_registration_change", args=[registration.pk])

    html = login(client, superuser).get(url).content.decode()

    assert "<label>Phiên bản:</label>" in html
    assert ">Version:<" not in html
    assert "Expected version" not in html
