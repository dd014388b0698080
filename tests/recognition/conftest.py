"""Fixtures of the appraisal tests: a title, two units registered for 2017."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recognition.models import Council, CouncilMember, MemberRole
from registrations.models import Indicator
from tests import factories

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="quyet-dinh-da-ky.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def meet_everything(unit, indicators, year=2017, quarter=3):
    """Accepted values meeting every indicator of the demo catalogue."""
    values = {"CK": "1", "TL": "90", "SL": "2"}
    for indicator in indicators.values():
        suffix = indicator.code.rsplit("-", 1)[1]
        factories.make_progress(unit, indicator, year, quarter, values[suffix])


@pytest.fixture
def programme(db, unit_a, unit_b):
    """Units A and B registered for 2017 (accepted), a council of three members."""
    title = factories.make_catalogue(code="DH")
    indicators = {i.code: i for i in Indicator.objects.filter(criterion__title=title)}
    reg_a = factories.make_registration(unit_a, title, 2017, status="accepted")
    reg_b = factories.make_registration(unit_b, title, 2017, status="submitted")
    council = Council.objects.create(
        year=2017, title=title, meeting_date=datetime.date(2017, 12, 20)
    )
    for order, (name, role) in enumerate(
        [
            ("Nguyễn Đình Thông", MemberRole.CHAIR),
            ("Lê Thị Hoa", MemberRole.SECRETARY),
            ("Trần Văn Minh", MemberRole.MEMBER),
        ]
    ):
        CouncilMember.objects.create(
            council=council, name=name, position="UBND huyện", role=role, order=order
        )
    return {
        "title": title,
        "indicators": indicators,
        "reg_a": reg_a,
        "reg_b": reg_b,
        "council": council,
    }
