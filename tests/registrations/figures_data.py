"""Small hand-computed data sets for the figures, the API, reports and briefing.

The scenario (registrations for 2017, report on quarter I):

=========  ==========  =========================================  ============
unit       roadmap     values ≤ Q1/2017                           criteria met
=========  ==========  =========================================  ============
THON-A     —           house 1, poverty 3 (Q4/2016), income 40,   3/3
                       score 2.5
THON-B     2018        house 0 (1 in Q2/2017), poverty 2,         1/3
                       income 50, score 2.4
CQ-1       2017        no value                                   0/1
THON-C     2019        everything met, but the registration is    excluded
                       revoked
THON-D     2020        registered for 2018                        excluded
=========  ==========  =========================================  ============

Rates at Q1/2017: DH-CQ/TC-01 0/1; DH-THON/TC-01 1/2; DH-THON/TC-03 1/2;
DH-THON/TC-02 2/2.
"""

from django.contrib.auth import get_user_model

from kieumau.text import fold, vi_sort_key
from registrations.models import Progress, Registration, RegistrationStatus
from tests import factories as f
from units.models import Unit, UnitKind


def catalogue():
    village = f.make_title("DH-THON", kind=UnitKind.THON, name="Thôn kiểu mẫu")
    house = f.make_criterion(village, "TC-01", name="Nhà văn hóa thôn", order=1)
    poverty = f.make_criterion(village, "TC-02", name="Tỷ lệ hộ nghèo", order=2)
    income = f.make_criterion(village, "TC-03", name="Thu nhập", order=3)
    agency = f.make_title("DH-CQ", kind=UnitKind.CO_QUAN, name="Cơ quan kiểu mẫu")
    sport = f.make_criterion(agency, "TC-01", name="Khu thể thao", order=1)
    return {
        "village": village,
        "agency": agency,
        "house": f.make_indicator(house, "NVH"),
        "poverty": f.make_indicator(
            poverty, "HN", kind="ty_le", comparison="<=", target="3"
        ),
        "income": f.make_indicator(
            income, "TN", kind="so_luong", comparison=">=", target="40"
        ),
        "score": f.make_indicator(
            income, "TN2", kind="diem", comparison="=", target="2.5"
        ),
        "sport": f.make_indicator(sport, "KTT"),
    }


def scenario():
    c = catalogue()
    commune = f.make_unit("XA-DK", kind=UnitKind.XA, name="Xã Đông Khê")
    a = f.make_unit("THON-A", kind=UnitKind.THON, name="Thôn Ấp Ba", parent=commune)
    b = f.make_unit(
        "THON-B",
        kind=UnitKind.THON,
        name="Thôn An Hòa",
        parent=commune,
        roadmap_year=2018,
    )
    cq = f.make_unit("CQ-1", name="Bảo hiểm xã hội huyện", roadmap_year=2017)
    revoked = f.make_unit(
        "THON-C", kind=UnitKind.THON, name="Thôn Cầu", roadmap_year=2019
    )
    later = f.make_unit(
        "THON-D", kind=UnitKind.THON, name="Thôn Đình", roadmap_year=2020
    )
    for unit in (a, b):
        f.make_registration(unit, c["village"], 2017)
    f.make_registration(cq, c["agency"], 2017)
    f.make_registration(revoked, c["village"], 2017, status=RegistrationStatus.REVOKED)
    f.make_registration(later, c["village"], 2018)

    f.make_progress(a, c["house"], 2017, 1, 1)
    f.make_progress(a, c["poverty"], 2016, 4, "3")
    f.make_progress(a, c["income"], 2017, 1, "40")
    f.make_progress(a, c["score"], 2017, 1, "2.5")
    f.make_progress(b, c["house"], 2017, 1, 0)
    f.make_progress(b, c["house"], 2017, 2, 1)
    f.make_progress(b, c["poverty"], 2017, 1, "2")
    f.make_progress(b, c["income"], 2017, 1, "50")
    f.make_progress(b, c["score"], 2017, 1, "2.4")
    for key in ("house", "poverty", "income", "score"):
        f.make_progress(revoked, c[key], 2017, 1, 1 if key == "house" else 2.5)
        f.make_progress(later, c[key], 2017, 1, 1 if key == "house" else 2.5)
    return {**c, "commune": commune, "a": a, "b": b, "cq": cq}


def many_agencies(title, indicators, n, *, start=0, year=2017):
    """n more agencies registered for ``year`` with values for half of them (bulk)."""
    units = []
    for i in range(start, start + n):
        name = f"Cơ quan số {i:05d}"
        units.append(
            Unit(
                code=f"CQ-N{i:05d}",
                name=name,
                kind=UnitKind.CO_QUAN,
                roadmap_year=year + (i % 3),
                search_name=fold(name),
                name_sort_key=vi_sort_key(name),
            )
        )
    units = Unit.objects.bulk_create(units)
    Registration.objects.bulk_create(
        [Registration(unit=u, title=title, year=year) for u in units]
    )
    Progress.objects.bulk_create(
        [
            Progress(unit=u, indicator=ind, year=year, quarter=1, value=i % 2)
            for i, u in enumerate(units)
            for ind in indicators
            if i % 2 == 0
        ]
    )
    return units


def staff_user_with_article_rights():
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "canbo_bientap", password=f.PASSWORD, is_staff=True
    )
    user.groups.add(*Group.objects.filter(name__in=["Cán bộ huyện", "Biên tập viên"]))
    return user
