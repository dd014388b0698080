"""A small roll: units recognised, revoked, pending, in two communes and years."""

import datetime

from django.utils import timezone

from recognition.models import Decision, DecisionEntry, DecisionKind
from registrations.models import RegistrationStatus
from tests import factories as f
from units.models import UnitKind

S = RegistrationStatus


def decision(title, year, number, signed_on, registrations, *, kind=None, published):
    made = Decision.objects.create(
        kind=kind or DecisionKind.RECOGNITION,
        number=number,
        signed_on=signed_on,
        year=year,
        title=title,
        reason="Không duy trì tiêu chí" if kind == DecisionKind.REVOCATION else "",
        scan="quyet-dinh/ab/ban-ky.pdf" if published else "",
        published=published,
        published_at=timezone.now() if published else None,
    )
    for registration in registrations:
        DecisionEntry.objects.create(decision=made, registration=registration)
    return made


def recognised(unit, title, year, number, day, status=S.RECOGNISED):
    return f.make_registration(
        unit,
        title,
        year,
        status=status,
        decision_number=number,
        decision_date=day,
    )


def scenario():
    village = f.make_title("DH-THON", kind=UnitKind.THON, name="Thôn kiểu mẫu")
    agency = f.make_title("DH-CQ", kind=UnitKind.CO_QUAN, name="Cơ quan kiểu mẫu")
    khe = f.make_unit("XA-DK", kind=UnitKind.XA, name="Xã Đông Khê")
    hoa = f.make_unit("XA-DH", kind=UnitKind.XA, name="Xã Đông Hòa")
    a = f.make_unit("THON-A", kind=UnitKind.THON, name="Thôn Ấp Ba", parent=khe)
    b = f.make_unit("THON-B", kind=UnitKind.THON, name="Thôn Hòa Bình", parent=hoa)
    c = f.make_unit("THON-C", kind=UnitKind.THON, name="Thôn Cầu", parent=khe)
    cq = f.make_unit("CQ-1", name="Bảo hiểm xã hội huyện")
    day_2017 = datetime.date(2017, 12, 20)
    reg_a = recognised(a, village, 2017, "123/QĐ-UBND", day_2017)
    reg_cq = recognised(cq, agency, 2017, "124/QĐ-UBND", day_2017, S.REVOKED)
    reg_b = recognised(b, village, 2018, "88/QĐ-UBND", datetime.date(2018, 12, 1))
    f.make_registration(c, village, 2017, status=S.APPRAISAL)
    published = decision(
        village, 2017, "123/QĐ-UBND", day_2017, [reg_a], published=True
    )
    decision(agency, 2017, "124/QĐ-UBND", day_2017, [reg_cq], published=True)
    revocation = decision(
        agency,
        2017,
        "45/QĐ-UBND",
        datetime.date(2019, 3, 1),
        [reg_cq],
        kind=DecisionKind.REVOCATION,
        published=True,
    )
    unpublished = decision(
        village,
        2018,
        "88/QĐ-UBND",
        datetime.date(2018, 12, 1),
        [reg_b],
        published=False,
    )
    return {
        "village": village,
        "agency": agency,
        "a": a,
        "b": b,
        "c": c,
        "cq": cq,
        "reg_a": reg_a,
        "reg_b": reg_b,
        "published": published,
        "revocation": revocation,
        "unpublished": unpublished,
    }
