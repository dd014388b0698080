"""Every admin form with a date field refuses absurd dates in Vietnamese, never 500.

The forms are found from the admin's registered models: a new model admin with a date
or datetime field is swept without touching this file (its sample row is added to
SAMPLES, which fails loudly when one is missing).
"""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from portal.models import DailyVisits
from recognition.models import Council, Decision, DecisionKind
from tests import factories
from tests.conftest import login, model_admins
from tests.doclibrary.helpers import make_document
from tests.news.helpers import make_article
from tests.polls.conftest import make_question

HUGE = "9" * 5000

# (date part, time part): a DateField gets the date part only.
BAD_MOMENTS = {
    "year-1": ("01/01/0001", "00:00"),
    "year-9999": ("31/12/9999", "23:59"),
    "day-32-month-13": ("32/13/2017", "00:00"),
    "huge-year": (f"31/12/{HUGE}", "00:00"),
    "huge-string": (HUGE, HUGE),
}

SAMPLES = {
    "auth.User": lambda: factories.make_user(),
    "units.Unit": lambda: factories.make_unit(),
    "registrations.Registration": lambda: factories.make_registration(
        factories.make_unit(), factories.make_title()
    ),
    "news.Article": lambda: make_article(),
    "portal.DailyVisits": lambda: DailyVisits.objects.create(
        day=datetime.date(2017, 3, 1), hits=5
    ),
    "polls.Question": lambda: make_question(),
    "doclibrary.Document": lambda: make_document(),
    "recognition.Council": lambda: Council.objects.create(
        year=2017,
        title=factories.make_title(),
        meeting_date=datetime.date(2017, 12, 20),
    ),
    "recognition.Decision": lambda: Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number="3120/QĐ-UBND",
        signed_on=datetime.date(2017, 12, 29),
        year=2017,
        title=factories.make_title(),
    ),
}

DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def _date_forms():
    """(model, view, {field name: is split datetime}) for each admin form with dates.

    Permissions are checked in the test (they may need the database): a form the
    admin does not let a superuser post must answer 403, which is swept too.
    """
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)
    found = []
    for model, model_admin in model_admins():
        for view, obj in (("add", None), ("change", model())):
            form = model_admin.get_form(request, obj)
            fields = {
                name: isinstance(field, forms.SplitDateTimeField)
                for name, field in form.base_fields.items()
                if isinstance(field, DATE_FIELDS)
            }
            if fields:
                found.append((model, view, fields))
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1]))


DATE_FORMS = _date_forms()


class _FormValues(HTMLParser):
    """The values a browser would submit for the admin's main form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _values(response):
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.data


def test_the_sweep_finds_the_date_forms_of_the_admin():
    labels = {(model._meta.label, view) for model, view, _fields in DATE_FORMS}
    assert {
        ("auth.User", "change"),
        ("news.Article", "add"),
        ("polls.Question", "change"),
        ("registrations.Registration", "add"),
        ("units.Unit", "change"),
    } <= labels


@pytest.mark.parametrize(
    ("model", "view", "fields"),
    DATE_FORMS,
    ids=[f"{model._meta.label}-{view}" for model, view, _fields in DATE_FORMS],
)
def test_admin_date_field_refuses_absurd_dates_in_vietnamese(
    client, superuser, model, view, fields
):
    label = model._meta.label
    assert label in SAMPLES, f"add a sample {label} to SAMPLES"
    login(client, superuser)
    sample = SAMPLES[label]()
    opts = model._meta
    change_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[sample.pk]
    )
    data = _values(client.get(change_url))
    url = change_url
    if view == "add":
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        # The add page's own inline management forms, the sample's field values.
        own = {k: v for k, v in data.items() if "-" not in k}
        data = {**_values(client.get(url)), **own}
    request = RequestFactory().post(url)
    request.user = superuser
    model_admin = admin.site.get_model_admin(model)
    if not (
        model_admin.has_add_permission(request)
        if view == "add"
        else model_admin.has_change_permission(request, sample)
    ):
        assert client.post(url, data).status_code == 403
        return

    for moment, (day, time) in BAD_MOMENTS.items():
        for name, split in fields.items():
            if split:
                data[f"{name}_0"], data[f"{name}_1"] = [day], [time]
            else:
                data[name] = [day]

        response = client.post(url, data)

        assert response.status_code < 500, moment
        assert response.status_code == 200, f"{moment}: an absurd date was saved"
        form = response.context["adminform"].form
        html = response.content.decode()
        for name in fields:
            assert form.errors.get(name), f"{name}: no error for {moment}"
            for message in form.errors[name]:
                assert not message.isascii(), f"{name}: English error {message!r}"
                assert escape(message) in html
