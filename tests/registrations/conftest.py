"""Fixtures of the registrations tests."""

import pytest

from registrations.models import Indicator
from tests import factories


@pytest.fixture
def selfreport(unit_a, unit_head, district_staff):
    """Unit A registered for 2026 with three indicators (see selfreport_steps)."""
    title = factories.make_catalogue(code="DH")
    factories.make_registration(unit_a, title, 2026)
    indicators = {ind.code: ind for ind in Indicator.objects.all()}
    return {
        "unit": unit_a,
        "head": unit_head,
        "staff": district_staff,
        "ck": indicators["DH-CK"],  # yes/no
        "tl": indicators["DH-TL"],  # percent ≥ 80
        "sl": indicators["DH-SL"],  # count ≤ 3
    }
