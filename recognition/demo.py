"""The demo's end of 2017: a council per title, its appraisals and the decisions.

Run by ``portal.demo`` after the 2017 values (Q1 to Q4, through the importer):
each title's council meets on 20/12/2017, every registration for 2017 is appraised
from its accepted values of Q4/2017, the units that meet every criterion are
recommended unanimously and recognised by a decision signed on 29/12/2017, whose
certificates are numbered in it. The signed scan of each decision stands in as the
PDF the package draws (the office would upload the scan of the signed paper); where
WeasyPrint cannot draw it, the decision stays drawn up but unpublished and the
output says what to install. Idempotent: a title whose 2017 council exists is left.
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Q

from registrations.models import Title

from .documents import PdfUnavailable, decision_pdf
from .models import Appraisal, Council, CouncilMember, DecisionKind, MemberRole, Outcome
from .paperwork import decision_document
from .services import (
    attach_scan,
    create_decision,
    open_appraisals,
    publish_decision,
    save_appraisal,
)

YEAR = 2017
MEETING = datetime.date(2017, 12, 20)
SIGNED = datetime.date(2017, 12, 29)
# One decision number per title (the office's register for December 2017).
NUMBERS = {
    "DS_KM_CO_QUAN": "3120/QĐ-UBND",
    "DS_KM_XA": "3121/QĐ-UBND",
    "DS_KM_THON": "3122/QĐ-UBND",
    "DS_KM_TRUONG": "3123/QĐ-UBND",
}
MEMBERS = [
    ("Nguyễn Đình Thông", "Phó Chủ tịch UBND huyện", MemberRole.CHAIR),
    ("Lê Văn Hùng", "Trưởng phòng Nội vụ", MemberRole.VICE_CHAIR),
    ("Trịnh Thị Lan", "Chuyên viên Phòng Nội vụ", MemberRole.SECRETARY),
    ("Hoàng Văn Nam", "Trưởng phòng Văn hóa và Thông tin", MemberRole.MEMBER),
    ("Phạm Thị Thu", "Trưởng phòng Giáo dục và Đào tạo", MemberRole.MEMBER),
    ("Đỗ Văn Tuấn", "Chủ tịch Ủy ban MTTQ Việt Nam huyện", MemberRole.MEMBER),
    ("Vũ Thị Mai", "Chủ tịch Hội Liên hiệp Phụ nữ huyện", MemberRole.MEMBER),
]
MET = Q(verdicts__override_met=True) | Q(
    verdicts__override_met__isnull=True, verdicts__computed_met=True
)


def council_for(title, by):
    council = Council.objects.create(
        year=YEAR,
        title=title,
        name=f"Hội đồng thẩm định danh hiệu “{title.name}” năm {YEAR}",
        meeting_date=MEETING,
    )
    CouncilMember.objects.bulk_create(
        CouncilMember(council=council, name=n, position=p, role=r, order=i)
        for i, (n, p, r) in enumerate(MEMBERS)
    )
    open_appraisals(council=council, by=by)
    return council


def conclude(council, by):
    """Recommend the units meeting every criterion; the others are not achieved."""
    present = len(MEMBERS)
    appraisals = council.appraisals.annotate(
        n=Count("verdicts", distinct=True),
        met=Count("verdicts", filter=MET, distinct=True),
    )
    recommended = []
    for appraisal in appraisals:
        achieved = appraisal.n == appraisal.met
        save_appraisal(
            appraisal=appraisal,
            overrides={},
            members_present=present,
            members_in_favour=present if achieved else 0,
            outcome=Outcome.RECOMMEND if achieved else Outcome.NOT_ACHIEVED,
            by=by,
        )
        if achieved:
            recommended.append(appraisal.registration)
    return recommended


def document_settings():
    """The settings a drawn document depends on, as a hashable key."""
    return repr(
        sorted(
            (name, getattr(settings, name))
            for name in dir(settings)
            if name.startswith("DOCUMENT_") or name == "SITE_AUTHORITY"
        )
    )


@lru_cache(maxsize=8)
def drawn_scan(document, settings_key):
    """The decision's PDF, drawn once per process for the same text and settings.

    Drawing a decision takes WeasyPrint seconds, and the test suite loads the demo
    dozens of times in one process with the same four decisions; the bytes depend
    only on the document and the settings named in ``settings_key``.
    """
    return decision_pdf(document)


def decide(council, registrations, by, stdout):
    decision = create_decision(
        kind=DecisionKind.RECOGNITION,
        number=NUMBERS.get(council.title.code, f"{3130 + council.pk}/QĐ-UBND"),
        signed_on=SIGNED,
        title=council.title,
        year=YEAR,
        council=council,
        registrations=registrations,
        by=by,
    )
    try:
        scan = drawn_scan(decision_document(decision), document_settings())
    except PdfUnavailable as error:
        stdout.write(f"{decision}: chưa công bố ({error})")
        return decision
    upload = ContentFile(scan, name=f"quyet-dinh-{decision.pk}.pdf")
    attach_scan(decision=decision, upload=upload, by=by)
    publish_decision(decision=decision, by=by)
    return decision


def load(*, stdout, office):
    """Appraise 2017 and recognise the units that met every criterion (once)."""
    titles = Title.objects.filter(registrations__year=YEAR).distinct().order_by("code")
    for title in titles:
        if Council.objects.filter(year=YEAR, title=title).exists():
            continue
        council = council_for(title, office)
        recommended = conclude(council, office)
        total = Appraisal.objects.filter(council=council).count()
        if not recommended:
            stdout.write(f"{council}: {total} đơn vị, không đơn vị nào đạt.")
            continue
        decision = decide(council, recommended, office, stdout)
        stdout.write(
            f"{council}: {total} đơn vị thẩm định, {len(recommended)} được công nhận "
            f"({decision})."
        )
