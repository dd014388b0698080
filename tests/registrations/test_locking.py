"""A quarter locks PROGRESS_LOCK_DAYS after it ends; then only supervisors may edit."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from registrations import services
from registrations.models import Indicator, Progress
from tests import factories
from tests.conftest import login

# 2017 Q1 ends 31/03; with 30 lock days it locks at 00:00 on 01/05/2017 (Vietnam).
BEFORE_LOCK = "2017-04-30 23:59 +07:00"
AFTER_LOCK = "2017-05-01 00:00 +07:00"


@pytest.fixture
def setup(unit_a):
    title = factories.make_catalogue(code="CQKM")
    factories.make_registration(unit_a, title, year=2017)
    indicator = Indicator.objects.get(code="CQKM-TL")
    url = reverse("admin:registrations_progress_entry", args=["UNIT-A", 2017, 1])
    return unit_a, indicator, url


@time_machine.travel(BEFORE_LOCK, tick=False)
def test_staff_may_edit_until_the_last_minute(client, district_staff, setup):
    unit, indicator, url = setup
    response = login(client, district_staff).get(url)
    assert "đã khóa" not in response.content.decode()

    client.post(url, {"version": 0, f"ct_{indicator.pk}": "90"})

    assert Progress.objects.get(indicator=indicator).value == 90


@time_machine.travel(AFTER_LOCK, tick=False)
def test_locked_quarter_is_refused_for_staff_with_banner(client, district_staff, setup):
    unit, indicator, url = setup
    login(client, district_staff)

    page = client.get(url).content.decode()
    response = client.post(url, {"version": 0, f"ct_{indicator.pk}": "90"})

    assert "Quý I/2017 đã khóa từ 00:00 ngày 01/05/2017" in page
    assert "Bạn chỉ xem được số liệu." in page
    assert 'type="submit" class="default"' not in page
    assert response.status_code == 200
    assert "đã khóa" in response.content.decode()
    assert not Progress.objects.exists()


@time_machine.travel(AFTER_LOCK, tick=False)
def test_service_refuses_locked_quarter_for_staff(district_staff, setup):
    unit, indicator, _url = setup
    with pytest.raises(ValidationError) as exc:
        services.save_quarter(
            unit=unit,
            year=2017,
            quarter=1,
            values={indicator.pk: "90"},
            expected_version=0,
            by=district_staff,
        )
    assert exc.value.code == "locked"
    assert not Progress.objects.exists()


@time_machine.travel(AFTER_LOCK, tick=False)
def test_supervisor_may_edit_a_locked_quarter(client, supervisor, setup):
    unit, indicator, url = setup
    login(client, supervisor)

    page = client.get(url).content.decode()
    client.post(url, {"version": 0, f"ct_{indicator.pk}": "90"})

    assert "Bạn có quyền giám sát tiến độ" in page
    saved = Progress.objects.get(indicator=indicator)
    assert saved.value == 90
    assert saved.history.get().history_user == supervisor


@time_machine.travel(AFTER_LOCK, tick=False)
def test_current_quarter_stays_open_while_past_one_is_locked(
    client, district_staff, setup
):
    unit, indicator, _url = setup
    url = reverse("admin:registrations_progress_entry", args=["UNIT-A", 2017, 2])
    login(client, district_staff).post(url, {"version": 0, f"ct_{indicator.pk}": "1"})
    assert Progress.objects.get(indicator=indicator).quarter == 2
