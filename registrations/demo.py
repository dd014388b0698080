"""Demo catalogue, registrations and three quarters of progress (Q3/2016–Q1/2017).

The catalogue follows reference/criteria.yaml; its Đông Sơn criteria are illustrative
(the provincial decision that defines them was not available), so targets here are
plausible values, not the official ones. Registrations reproduce the counts of the
district's Q1/2017 briefing (8 agencies, 2 communes, 50 villages and quarters; 8
preschools, 4 primary and 2 lower-secondary schools for 2017). Progress is generated
deterministically so that the village cultural house, the sports ground for workers
and the village poverty rate are the criteria furthest behind in Q1/2017, and every
criterion moves between quarters. The figures themselves are always computed by
``registrations.figures``; nothing here stores a result.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from simple_history.utils import bulk_create_with_history

from registrations.models import (
    Criterion,
    Indicator,
    Progress,
    Registration,
    RegistrationStatus,
    Title,
)
from units import demo as units_demo
from units.models import SchoolLevel, Unit, UnitKind

B, P, N, S = "co_khong", "ty_le", "so_luong", "diem"

# (title code, name, kind, criteria); criterion: (code, name, indicators);
# indicator: (code, name, kind, comparison, target, unit of measure)
CATALOGUE = [
    (
        "DS_KM_CO_QUAN",
        "Cơ quan, đơn vị kiểu mẫu",
        UnitKind.CO_QUAN,
        [
            (
                "DS_KM_CO_QUAN.CCHC",
                "Cải cách hành chính",
                [
                    (
                        "DS_KM_CO_QUAN.CCHC.1",
                        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
                        P,
                        ">=",
                        95,
                        "%",
                    ),
                    (
                        "DS_KM_CO_QUAN.CCHC.2",
                        "Mức độ hài lòng của người dân, tổ chức",
                        P,
                        ">=",
                        90,
                        "%",
                    ),
                ],
            ),
            (
                "DS_KM_CO_QUAN.KL",
                "Kỷ luật, kỷ cương hành chính",
                [
                    (
                        "DS_KM_CO_QUAN.KL.1",
                        "Số cán bộ, công chức bị kỷ luật trong năm",
                        N,
                        "=",
                        0,
                        "người",
                    ),
                ],
            ),
            (
                "DS_KM_CO_QUAN.TT",
                "Khu thể thao cho công nhân, viên chức, người lao động",
                [
                    (
                        "DS_KM_CO_QUAN.TT.1",
                        "Có khu thể thao cho công nhân, viên chức, người lao động",
                        B,
                        "",
                        None,
                        "",
                    ),
                ],
            ),
            (
                "DS_KM_CO_QUAN.VHCS",
                "Văn hóa công sở",
                [
                    (
                        "DS_KM_CO_QUAN.VHCS.1",
                        "Điểm đánh giá văn hóa công sở (thang điểm 10)",
                        S,
                        ">=",
                        8,
                        "điểm",
                    ),
                ],
            ),
        ],
    ),
    (
        "DS_KM_XA",
        "Xã kiểu mẫu",
        UnitKind.XA,
        [
            (
                "DS_KM_XA.GN",
                "Tỷ lệ hộ nghèo toàn xã",
                [
                    (
                        "DS_KM_XA.GN.1",
                        "Tỷ lệ hộ nghèo toàn xã (chuẩn nghèo đa chiều)",
                        P,
                        "<=",
                        3,
                        "%",
                    ),
                ],
            ),
            (
                "DS_KM_XA.NTM",
                "Nông thôn mới nâng cao",
                [
                    (
                        "DS_KM_XA.NTM.1",
                        "Đạt chuẩn nông thôn mới nâng cao",
                        B,
                        "",
                        None,
                        "",
                    ),
                ],
            ),
            (
                "DS_KM_XA.THON",
                "Thôn, khu phố kiểu mẫu trong xã",
                [
                    (
                        "DS_KM_XA.THON.1",
                        "Tỷ lệ thôn, khu phố đạt danh hiệu kiểu mẫu",
                        P,
                        ">=",
                        70,
                        "%",
                    ),
                ],
            ),
        ],
    ),
    (
        "DS_KM_THON",
        "Thôn, khu phố kiểu mẫu",
        UnitKind.THON,
        [
            (
                "DS_KM_THON.ANTT",
                "An ninh trật tự",
                [
                    (
                        "DS_KM_THON.ANTT.1",
                        "Số vụ việc phức tạp về an ninh trật tự trong năm",
                        N,
                        "=",
                        0,
                        "vụ",
                    ),
                ],
            ),
            (
                "DS_KM_THON.DS",
                "Đời sống văn hóa",
                [
                    (
                        "DS_KM_THON.DS.1",
                        "Tỷ lệ hộ đạt danh hiệu Gia đình văn hóa",
                        P,
                        ">=",
                        90,
                        "%",
                    ),
                    (
                        "DS_KM_THON.DS.2",
                        "Tỷ lệ hộ thực hiện nếp sống văn minh trong việc cưới, "
                        "việc tang, lễ hội",
                        P,
                        ">=",
                        95,
                        "%",
                    ),
                ],
            ),
            (
                "DS_KM_THON.GN",
                "Tỷ lệ hộ nghèo",
                [
                    (
                        "DS_KM_THON.GN.1",
                        "Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều)",
                        P,
                        "<=",
                        3,
                        "%",
                    ),
                ],
            ),
            (
                "DS_KM_THON.VH",
                "Nhà văn hóa thôn, khu phố",
                [
                    (
                        "DS_KM_THON.VH.1",
                        "Có nhà văn hóa thôn, khu phố đạt chuẩn",
                        B,
                        "",
                        None,
                        "",
                    ),
                ],
            ),
        ],
    ),
    (
        "DS_KM_TRUONG",
        "Trường học kiểu mẫu",
        UnitKind.TRUONG,
        [
            (
                "DS_KM_TRUONG.CL",
                "Chất lượng giáo dục",
                [
                    (
                        "DS_KM_TRUONG.CL.1",
                        "Tỷ lệ học sinh, trẻ hoàn thành chương trình năm học",
                        P,
                        ">=",
                        95,
                        "%",
                    ),
                ],
            ),
            (
                "DS_KM_TRUONG.CQG",
                "Trường đạt chuẩn quốc gia",
                [
                    (
                        "DS_KM_TRUONG.CQG.1",
                        "Được công nhận trường đạt chuẩn quốc gia (mức độ 1 trở lên)",
                        B,
                        "",
                        None,
                        "",
                    ),
                ],
            ),
            (
                "DS_KM_TRUONG.XSD",
                "Môi trường xanh, sạch, đẹp, an toàn",
                [
                    (
                        "DS_KM_TRUONG.XSD.1",
                        "Điểm đánh giá môi trường xanh, sạch, đẹp (thang điểm 10)",
                        S,
                        ">=",
                        8,
                        "điểm",
                    ),
                ],
            ),
        ],
    ),
]

QUARTERS = [(2016, 3), (2016, 4), (2017, 1)]
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# How many of the title's 2017 registrants (in code order) meet each criterion, by
# quarter. Q1/2017: village cultural house 18/50, sports ground 3/8, village poverty
# 22/50 are the laggards the briefing names.
MET_COUNTS = {
    "DS_KM_CO_QUAN.CCHC": (4, 5, 6),
    "DS_KM_CO_QUAN.KL": (7, 7, 7),
    "DS_KM_CO_QUAN.TT": (1, 2, 3),
    "DS_KM_CO_QUAN.VHCS": (4, 5, 6),
    "DS_KM_XA.GN": (0, 1, 1),
    "DS_KM_XA.NTM": (1, 2, 2),
    "DS_KM_XA.THON": (1, 1, 2),
    "DS_KM_THON.ANTT": (40, 43, 45),
    "DS_KM_THON.DS": (25, 30, 35),
    "DS_KM_THON.GN": (15, 19, 22),
    "DS_KM_THON.VH": (10, 14, 18),
    "DS_KM_TRUONG.CL": (11, 12, 13),
    "DS_KM_TRUONG.CQG": (6, 8, 9),
    "DS_KM_TRUONG.XSD": (9, 11, 12),
}


def registration_years():
    """Unit code → committed year, as the district's registry stood in March 2017."""
    years = {}
    agencies_2017 = [
        "UBND-HUYEN",
        "BHXH-HUYEN",
        "PHONG-GDDT",
        "PHONG-VHTT",
        "PHONG-TCKH",
        "PHONG-NOIVU",
        "PHONG-TNMT",
        "TTYT-HUYEN",
    ]
    for code, _name, roadmap in units_demo.AGENCIES:
        years[code] = 2017 if code in agencies_2017 else roadmap
    commune_years = {
        "DONG-KHE": 2017,
        "DONG-THINH": 2017,
        "RUNG-THONG": 2018,
        "DONG-HOA": 2018,
        "DONG-PHU": 2018,
        "DONG-TIEN": 2019,
    }
    for suffix, year in commune_years.items():
        years[units_demo.commune_code(suffix)] = year
    for suffix, _name, _roadmap, count in units_demo.COMMUNES:
        for number in range(1, count + 1):
            code = units_demo.village_code(suffix, number)
            early = (number <= 7 and suffix not in {"DONG-VAN", "DONG-QUANG"}) or (
                suffix == "DONG-VAN" or (suffix == "DONG-QUANG" and number <= 2)
            )
            years[code] = 2017 if early else 2018
    for level, rows, first in (
        (SchoolLevel.MAM_NON, units_demo.PRESCHOOLS, 8),
        (SchoolLevel.TIEU_HOC, units_demo.PRIMARY, 4),
        (SchoolLevel.THCS, units_demo.LOWER_SECONDARY, 2),
    ):
        for index, (suffix, roadmap) in enumerate(rows):
            years[units_demo.school_code(level, suffix)] = (
                2017 if index < first else roadmap
            )
    return years


def load_catalogue():
    titles = {}
    for title_code, title_name, kind, criteria in CATALOGUE:
        title, _ = Title.objects.update_or_create(
            code=title_code,
            defaults={
                "name": title_name,
                "kind": kind,
                "school_level": "",
                "valid_from_year": 2016,
            },
        )
        titles[kind] = title
        for c_order, (c_code, c_name, indicators) in enumerate(criteria, start=1):
            criterion, _ = Criterion.objects.update_or_create(
                title=title, code=c_code, defaults={"name": c_name, "order": c_order}
            )
            for i_order, (i_code, i_name, i_kind, cmp, target, uom) in enumerate(
                indicators, start=1
            ):
                Indicator.objects.update_or_create(
                    code=i_code,
                    defaults={
                        "criterion": criterion,
                        "name": i_name,
                        "kind": i_kind,
                        "comparison": cmp,
                        "target": None if target is None else Decimal(target),
                        "unit_of_measure": uom,
                        "order": i_order,
                    },
                )
    return titles


def load_registrations(titles):
    units = {u.code: u for u in Unit.objects.filter(code__in=registration_years())}
    registrations = []
    for index, (code, year) in enumerate(sorted(registration_years().items())):
        unit = units[code]
        title = titles[unit.kind]
        registered_on = datetime.date(2016, 10, 3) + datetime.timedelta(days=index % 90)
        status = (
            RegistrationStatus.ACCEPTED
            if year == 2017
            else RegistrationStatus.SUBMITTED
        )
        reg = Registration.objects.active().filter(unit=unit, title=title).first()
        if reg is None:
            reg = Registration(unit=unit, title=title)
        fields = {"year": year, "registered_on": registered_on, "status": status}
        if reg.pk is None or any(getattr(reg, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(reg, name, value)
            reg.save()
        registrations.append(reg)
    return registrations


def _value(indicator, met, position):
    """A plausible stored value that is met (or not) for the indicator."""
    if indicator.kind == B:
        return Decimal(1 if met else 0)
    target = indicator.target
    wiggle = Decimal(position % 4) / 2  # 0, 0.5, 1, 1.5
    if indicator.comparison == "=":
        return target if met else target + 1 + position % 2
    if indicator.comparison == "<=":
        return (target - wiggle / 2 - Decimal("0.2")) if met else (target + 1 + wiggle)
    if indicator.kind == S:
        return min(Decimal(10), target + wiggle / 2) if met else target - 1 - wiggle / 2
    value = target + wiggle if met else target - 3 - wiggle * 2
    return max(Decimal(0), min(Decimal(100), value))


def load_progress(registrations):
    by_title = {}
    for reg in registrations:
        if reg.year == 2017:
            by_title.setdefault(reg.title_id, []).append(reg.unit)
    existing = {
        (p.unit_id, p.indicator_id, p.year, p.quarter): p
        for p in Progress.objects.filter(year__in=[2016, 2017])
    }
    to_create = []
    indicators = Indicator.objects.select_related("criterion").order_by("code")
    for indicator in indicators:
        units = sorted(
            by_title.get(indicator.criterion.title_id, []), key=lambda u: u.code
        )
        counts = MET_COUNTS[indicator.criterion.code]
        for (year, quarter), met_count in zip(QUARTERS, counts, strict=True):
            for position, unit in enumerate(units):
                met = position < met_count
                # Some units have not reported every indicator: no value is "not met".
                if not met and (position + quarter + len(indicator.code)) % 5 == 0:
                    continue
                value = _value(indicator, met, position).quantize(Decimal("0.0001"))
                key = (unit.pk, indicator.pk, year, quarter)
                row = existing.get(key)
                if row is None:
                    to_create.append(
                        Progress(
                            unit=unit,
                            indicator=indicator,
                            year=year,
                            quarter=quarter,
                            value=value,
                        )
                    )
                elif row.value != value:
                    row.value = value
                    row.save(update_fields=["value", "updated_at"])
    if to_create:
        bulk_create_with_history(to_create, Progress, batch_size=500)
    return len(to_create)


def load(*, stdout):
    """Create or update the demo catalogue, registrations and progress."""
    titles = load_catalogue()
    registrations = load_registrations(titles)
    created = load_progress(registrations)
    stdout.write(
        f"Danh hiệu: {len(titles)}; đăng ký: {len(registrations)}; "
        f"giá trị tiến độ mới: {created}."
    )


BRIEFING_PUBLISHED_AT = (2017, 3, 21, 1, 19, 57)  # the seed page's publication time


def publish_briefing(*, stdout):
    """Draft the Q1/2017 briefing with the report action and publish it (once).

    The demo's editor account has no usable password: it only stands for the person
    who finished and published the draft.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from news.models import Article
    from news.services import publish_article
    from registrations.briefing import draft_briefing

    if Article.objects.filter(is_briefing=True, title__endswith="quý I/2017").exists():
        return
    editor, created = get_user_model().objects.get_or_create(
        username="bientap.demo",
        defaults={"first_name": "Biên tập", "last_name": "(demo)"},
    )
    if created:
        editor.set_unusable_password()
        editor.save()
    editor.groups.add(Group.objects.get(name="Biên tập viên"))
    article = draft_briefing(year=2017, quarter=1, by=editor)
    # The editor's finishing touch: the draft's reminder note goes, a credit comes.
    article.body = re.sub(r"<p><em>Bản nháp.*?</em></p>", "", article.body)
    article.credit = "Minh Ánh, Mạnh Cường"
    article.is_featured = True
    when = datetime.datetime(*BRIEFING_PUBLISHED_AT, tzinfo=VN)
    publish_article(
        article=article, by=get_user_model().objects.get(pk=editor.pk), at=when
    )
    stdout.write(f"Tin giao ban: {article.title}")
