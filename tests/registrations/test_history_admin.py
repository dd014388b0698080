"""The admin's history screen ("Lịch sử") shows choice labels, not stored codes."""

import re

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import RegistrationStatus
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_registration_history_shows_status_labels_not_codes(client, superuser):
    registration = factories.make_registration(
        factories.make_unit(), factories.make_catalogue()
    )
    services.accept_registration(registration=registration, by=superuser)
    login(client, superuser)

    url = reverse("admin:registrations_registration_history", args=[registration.pk])
    html = client.get(url).content.decode()

    table = re.search(r'<table id="change-history".*?</table>', html, re.S).group(0)

    # The status column of each record, and the change between them.
    assert table.count(str(RegistrationStatus.SUBMITTED.label)) == 2
    assert table.count(str(RegistrationStatus.ACCEPTED.label)) == 2
    for code in (RegistrationStatus.SUBMITTED, RegistrationStatus.ACCEPTED):
        assert str(code.value) not in table
