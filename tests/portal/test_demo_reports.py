"""The demo runs today's programme too: next year's registrations and the current
quarter's unit reports in every state, without touching the seed's 2017 figures."""

import datetime
from collections import Counter

import pytest
import time_machine

from registrations import periods
from registrations.demo import demo_pdf, demo_png
from registrations.models import Evidence, Progress, QuarterReport, Registration
from tests.portal.test_demo import DEMO_MOMENT, load_demo_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo_at()


def test_the_current_quarter_has_a_report_in_every_state(demo):
    reports = {
        r.unit.code: r
        for r in QuarterReport.objects.select_related("unit").filter(
            year=2026, quarter=4
        )
    }
    states = {code: r.state for code, r in reports.items()}
    assert states == {
        "XA-DONG-KHE": "draft",  # truong.dongkhe's commune
        "XA-DONG-YEN": "draft",
        "XA-DONG-VAN": "submitted",
        "XA-DONG-QUANG": "submitted",
        "XA-DONG-HOANG": "returned",
        "XA-DONG-NINH": "accepted",
    }
    next_year = set(
        Registration.objects.for_year(2027).values_list("unit__code", flat=True)
    )
    missing = next_year - set(states)
    assert missing == {"XA-DONG-MINH", "XA-DONG-NAM", "XA-DONG-THANH", "XA-DONG-XUAN"}

    returned = reports["XA-DONG-HOANG"]
    assert returned.return_deadline == datetime.date(2026, 12, 12)
    reasons = [v.return_reason for v in returned.values.all() if v.return_reason]
    assert len(reasons) == 2 and all(reason.endswith(".") for reason in reasons)
    accepted = Progress.objects.filter(unit__code="XA-DONG-NINH", year=2026, quarter=4)
    assert accepted.count() == 3
    assert (
        accepted.first()
        .history.first()
        .history_change_reason.startswith("duyệt báo cáo đơn vị")
    )


def test_submitted_reports_carry_generated_pdfs_and_images(demo):
    evidence = Evidence.objects.filter(
        reported_value__report__unit__code__in=["XA-DONG-VAN", "XA-DONG-QUANG"]
    )
    kinds = Counter(e.content_type or "link" for e in evidence)
    assert kinds == {"application/pdf": 3, "image/png": 2, "link": 1}
    pdf = evidence.filter(content_type="application/pdf").first()
    with pdf.file.open("rb") as handle:
        assert handle.read(8) == b"%PDF-1.4"
    assert pdf.original_name.endswith(".pdf") and pdf.size == pdf.file.size


def test_the_generated_files_are_a_readable_pdf_and_png():
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(demo_png("Xã Đông Khê", "Quý IV/2026")))
    assert (image.format, image.size) == ("PNG", (480, 320))
    pdf = demo_pdf("Xã Đông Khê (mẫu)")
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref") and pdf.endswith(b"%%EOF\n")
    assert b"(Xa Dong Khe \\(mau\\)) Tj" in pdf


def test_the_seeds_figures_stay_and_the_default_is_2017s_last_quarter(demo, client):
    with time_machine.travel(DEMO_MOMENT, tick=False):
        default = client.get("/api/tong-hop/").json()
    # The demo carries 2017 to its end: the default is its last quarter with
    # data; the seed's quarter keeps the seed's registrations and ahead units.
    assert (default["nam"], default["quy"]) == (2017, 4)
    seed = client.get("/api/tong-hop/", {"nam": 2017, "quy": 1}).json()
    assert (seed["nam"], seed["quy"]) == (2017, 1)
    assert seed["dang_ky"] == default["dang_ky"]
    assert seed["vuot_lo_trinh"] == default["vuot_lo_trinh"]


def test_next_years_dashboard_shows_the_accepted_report(demo, client):
    data = client.get("/api/tong-hop/", {"nam": 2027}).json()
    assert data["dang_ky"]["xa"] == 9
    progress = {row["ma_don_vi"]: row["tien_do"] for row in data["don_vi"]}
    assert progress["XA-DONG-NINH"] > 0
    # Submitted, returned and draft values change no figure.
    assert progress["XA-DONG-VAN"] == progress["XA-DONG-HOANG"] == 0
    assert periods.current(DEMO_MOMENT) == (2026, 4)
