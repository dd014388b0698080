"""What the demo's catalogue and registrations need beyond their data files.

The catalogue, the registrations and three quarters of progress (Q3/2016–Q1/2017)
are files in ``demo_data/``, in the contract's formats; ``portal.demo`` loads them
through the importer. Two facts of the demo district have no column in those
formats, so they are set here: the titles apply from 2016, the year the programme
started, and the district office has accepted (tiếp nhận) the registrations for
2017, through the same service as the staff's button. Later years stay submitted.

The catalogue follows the reference criteria; its Đông Sơn targets are plausible
values, not the official ones. The registrations reproduce the counts of the
district's Q1/2017 briefing (8 agencies, 2 communes, 50 villages and quarters;
8 preschools, 4 primary and 2 lower-secondary schools for 2017). The progress
file makes the village cultural house (18/50 met), the sports ground for workers
(3/8) and the village poverty rate (22/50) the criteria furthest behind in Q1/2017,
and moves every criterion between quarters. No figure is stored: they are always
computed by ``registrations.figures``.

The seed's quarters are long locked, so the demo also runs today's programme: the
communes not registered yet commit to next year (``next_year_registrations``, rows
in the registrations file's format, imported like the others), and
``load_self_reports`` gives the current quarter a unit report in every state from
``self_reports.csv``: xã Đông Khê (``truong.dongkhe``) and xã Đông Yên drafting,
Đông Văn and Đông Quang submitted with evidence, Đông Hoàng returned with
reasons, Đông Ninh accepted; Đông Minh, Đông Thanh, Đông Nam and Đông Xuân have
not started. The evidence files are small PDFs and PNGs made here at load time.
Each step goes through the services, as a unit head and the office would.
"""

import csv
import datetime
import io
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from kieumau.dates import vietnam_today

from . import periods
from .evidence import services as evidence_services
from .models import Indicator, QuarterReport, Registration, RegistrationStatus, Title
from .services import (
    accept_registration,
    accept_report,
    parse_value,
    return_report,
    save_report_draft,
    submit_report,
)

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
TITLES_VALID_FROM = 2016
ACCEPTED_YEAR = 2017


def title_codes():
    """The codes of the titles in the demo's criteria file."""
    with (DATA_DIR / "criteria.csv").open(encoding="utf-8", newline="") as handle:
        return sorted({row["ma_danh_hieu"] for row in csv.DictReader(handle)})


def set_title_validity():
    """The demo's titles apply from 2016 (left alone once set)."""
    Title.objects.filter(code__in=title_codes(), valid_from_year__isnull=True).update(
        valid_from_year=TITLES_VALID_FROM
    )


def accept_registrations(*, by, stdout):
    """Accept the demo's registrations for 2017 that are still only submitted."""
    waiting = Registration.objects.filter(
        title__code__in=title_codes(),
        year=ACCEPTED_YEAR,
        status=RegistrationStatus.SUBMITTED,
    ).order_by("unit__code")
    accepted = 0
    for registration in waiting:
        accept_registration(registration=registration, by=by)
        accepted += 1
    stdout.write(f"Đăng ký năm {ACCEPTED_YEAR} được tiếp nhận: {accepted}.")


# Communes without a registration in the seed commit to next year's title.
NEXT_YEAR_UNITS = [
    "XA-DONG-HOANG",
    "XA-DONG-MINH",
    "XA-DONG-NAM",
    "XA-DONG-NINH",
    "XA-DONG-QUANG",
    "XA-DONG-THANH",
    "XA-DONG-VAN",
    "XA-DONG-XUAN",
    "XA-DONG-YEN",
]
NEXT_YEAR_TITLE = "DS_KM_XA"
RETURN_DAYS = 14  # the deadline the office gives a returned report


def next_year_registrations():
    """Next year's registrations as a registrations file (CSV bytes, §1.4).

    Registered on the current quarter's first day: a second run in the same
    quarter finds the same rows and changes nothing.
    """
    year, quarter = periods.current()
    registered_on = periods.first_day(year, quarter).isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["ma_don_vi", "nam_dang_ky", "ngay_dang_ky", "ma_danh_hieu"])
    for code in NEXT_YEAR_UNITS:
        writer.writerow([code, year + 1, registered_on, NEXT_YEAR_TITLE])
    return buffer.getvalue().encode()


def _ascii(text):
    """'Xã Đông Khê' → 'Xa Dong Khe': what the built-in fonts below can show."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.encode("ascii", "replace").decode()


def _pdf_text(text):
    """ASCII for the PDF's built-in font, with its delimiters escaped."""
    ascii_text = _ascii(text)
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(*lines):
    """A small valid one-page PDF showing ``lines`` (no script, nothing embedded)."""
    text = " ".join(f"({_pdf_text(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 14 Tf 18 TL 56 780 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_png(*lines):
    """A small PNG "photo": a coloured card with ``lines`` written on it."""
    image = Image.new("RGB", (480, 320), (36, 110, 84))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 463, 303), outline=(244, 208, 63), width=4)
    for row, line in enumerate(lines):
        draw.text((36, 40 + 28 * row), _ascii(line), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _read_self_reports():
    """The demo's reports: unit code → (state, rows), in the file's order."""
    reports = {}
    path = DATA_DIR / "self_reports.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            state, rows = reports.setdefault(row["ma_don_vi"], (row["trang_thai"], []))
            rows.append(row)
    return reports


def _add_evidence(*, unit, year, quarter, indicator, spec, by):
    kind, _sep, name = spec.partition(":")
    if kind == "link":
        evidence_services.add_link_evidence(
            unit=unit, year=year, quarter=quarter, indicator=indicator, link=name, by=by
        )
        return
    label = periods.label(year, quarter)
    lines = [unit.name, indicator.name, label, "Tài liệu mẫu của cổng thông tin."]
    if kind == "pdf":
        upload = SimpleUploadedFile(name, demo_pdf(*lines), "application/pdf")
    else:
        upload = SimpleUploadedFile(name, demo_png(*lines), "image/png")
    evidence_services.add_file_evidence(
        unit=unit,
        year=year,
        quarter=quarter,
        indicator=indicator,
        upload=upload,
        by=by,
        max_bytes=settings.EVIDENCE_MAX_BYTES,
    )


def _load_report(*, unit, state, rows, year, quarter, head, office):
    indicators = {
        ind.code: ind
        for ind in Indicator.objects.filter(code__in=[r["ma_chi_tieu"] for r in rows])
    }
    values = {
        indicators[r["ma_chi_tieu"]]: parse_value(
            indicators[r["ma_chi_tieu"]], r["gia_tri"]
        )
        for r in rows
        if r["gia_tri"]
    }
    explanations = {
        indicators[r["ma_chi_tieu"]]: r["giai_trinh"] for r in rows if r["giai_trinh"]
    }
    report = save_report_draft(
        unit=unit,
        year=year,
        quarter=quarter,
        values=values,
        explanations=explanations,
        expected_version=0,
        by=head,
    )
    for row in rows:
        if row["minh_chung"]:
            _add_evidence(
                unit=unit,
                year=year,
                quarter=quarter,
                indicator=indicators[row["ma_chi_tieu"]],
                spec=row["minh_chung"],
                by=head,
            )
    if state == "draft":
        return report
    report = submit_report(report=report, expected_version=report.version, by=head)
    if state == "returned":
        reasons = {
            indicators[r["ma_chi_tieu"]]: r["ly_do_tra_lai"]
            for r in rows
            if r["ly_do_tra_lai"]
        }
        deadline = vietnam_today() + datetime.timedelta(days=RETURN_DAYS)
        return return_report(
            report=report,
            reasons=reasons,
            deadline=deadline,
            expected_version=report.version,
            by=office,
        )
    if state == "accepted":
        return accept_report(report=report, expected_version=report.version, by=office)
    return report


def load_self_reports(*, head, office, stdout):
    """This quarter's unit reports in every state (units that have one are skipped)."""
    year, quarter = periods.current()
    units = {
        reg.unit.code: reg.unit
        for reg in Registration.objects.active().select_related("unit")
    }
    made = []
    for code, (state, rows) in _read_self_reports().items():
        unit = units[code]
        if QuarterReport.objects.filter(unit=unit, year=year, quarter=quarter).exists():
            continue
        _load_report(
            unit=unit,
            state=state,
            rows=rows,
            year=year,
            quarter=quarter,
            head=head,
            office=office,
        )
        made.append(code)
    label = periods.label(year, quarter)
    stdout.write(f"Báo cáo đơn vị {label}: {len(made)} báo cáo mẫu.")
