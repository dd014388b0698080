"""Demo units of huyện Đông Sơn in 2017 for `manage.py load_demo` (idempotent).

Commune names are the real communes of the district in 2017 (reference/domain.md
§e.5); village, agency and school lists are plausible, not an official register.
Roadmap years are chosen so that the units the Q1/2017 briefing named as registering
ahead of the district's roadmap are ahead: the district People's Committee office,
the social insurance agency, xã Đông Khê and the preschools Đông Hòa, Đông Phú,
Đông Thịnh and Đông Xuân.
"""

import datetime

from units.models import SchoolLevel, Unit, UnitKind

# (code, name, roadmap year)
AGENCIES = [
    ("UBND-HUYEN", "Văn phòng HĐND - UBND huyện", 2018),
    ("BHXH-HUYEN", "Bảo hiểm xã hội huyện", 2018),
    ("PHONG-GDDT", "Phòng Giáo dục và Đào tạo", 2017),
    ("PHONG-VHTT", "Phòng Văn hóa và Thông tin", 2017),
    ("PHONG-TCKH", "Phòng Tài chính - Kế hoạch", 2017),
    ("PHONG-NOIVU", "Phòng Nội vụ", 2017),
    ("PHONG-TNMT", "Phòng Tài nguyên và Môi trường", 2017),
    ("TTYT-HUYEN", "Trung tâm Y tế huyện", 2017),
    ("PHONG-NNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", 2018),
    ("KBNN-HUYEN", "Kho bạc Nhà nước huyện", 2018),
    ("CCTHUE-HUYEN", "Chi cục Thuế huyện", 2019),
    ("TTVHTT-HUYEN", "Trung tâm Văn hóa - Thể thao huyện", 2019),
]

# (code suffix, name, roadmap year, number of villages / quarters)
COMMUNES = [
    ("RUNG-THONG", "Thị trấn Rừng Thông", 2018, 9),
    ("DONG-KHE", "Xã Đông Khê", 2018, 9),
    ("DONG-THINH", "Xã Đông Thịnh", 2017, 8),
    ("DONG-HOA", "Xã Đông Hòa", 2018, 7),
    ("DONG-PHU", "Xã Đông Phú", 2018, 7),
    ("DONG-TIEN", "Xã Đông Tiến", 2019, 7),
    ("DONG-VAN", "Xã Đông Văn", 2019, 6),
    ("DONG-QUANG", "Xã Đông Quang", 2019, 6),
    ("DONG-XUAN", "Xã Đông Xuân", 2019, 0),
    ("DONG-HOANG", "Xã Đông Hoàng", 2019, 0),
    ("DONG-NINH", "Xã Đông Ninh", 2020, 0),
    ("DONG-ANH", "Xã Đông Anh", 2020, 0),
    ("DONG-YEN", "Xã Đông Yên", 2020, 0),
    ("DONG-MINH", "Xã Đông Minh", 2020, 0),
    ("DONG-THANH", "Xã Đông Thanh", 2020, 0),
    ("DONG-NAM", "Xã Đông Nam", 2020, 0),
]
VILLAGE_PREFIX = {
    "RUNG-THONG": "RT",
    "DONG-KHE": "DK",
    "DONG-THINH": "DT",
    "DONG-HOA": "DH",
    "DONG-PHU": "DP",
    "DONG-TIEN": "DTI",
    "DONG-VAN": "DV",
    "DONG-QUANG": "DQ",
}

# Preschools ahead of the roadmap have roadmap year 2018 and register for 2017.
PRESCHOOLS = [
    ("DONG-HOA", 2018),
    ("DONG-PHU", 2018),
    ("DONG-THINH", 2018),
    ("DONG-XUAN", 2018),
    ("DONG-KHE", 2017),
    ("RUNG-THONG", 2017),
    ("DONG-TIEN", 2017),
    ("DONG-VAN", 2017),
    ("DONG-QUANG", 2018),
    ("DONG-HOANG", 2019),
    ("DONG-NINH", 2019),
    ("DONG-YEN", 2019),
]
PRIMARY = [
    ("DONG-KHE", 2017),
    ("DONG-THINH", 2017),
    ("RUNG-THONG", 2017),
    ("DONG-HOA", 2017),
    ("DONG-PHU", 2018),
    ("DONG-TIEN", 2018),
    ("DONG-VAN", 2019),
    ("DONG-QUANG", 2019),
]
LOWER_SECONDARY = [
    ("RUNG-THONG", 2017),
    ("DONG-KHE", 2017),
    ("DONG-THINH", 2018),
    ("DONG-HOA", 2018),
    ("DONG-PHU", 2019),
    ("DONG-TIEN", 2019),
]
LEVEL_PREFIX = {
    SchoolLevel.MAM_NON: ("MN", "Trường Mầm non"),
    SchoolLevel.TIEU_HOC: ("TH", "Trường Tiểu học"),
    SchoolLevel.THCS: ("THCS", "Trường THCS"),
}


def commune_code(suffix):
    return ("TT-" if suffix == "RUNG-THONG" else "XA-") + suffix


def village_code(suffix, number):
    return f"THON-{VILLAGE_PREFIX[suffix]}-{number:02d}"


def school_code(level, suffix):
    return f"{LEVEL_PREFIX[level][0]}-{suffix}"


def _upsert(code, **fields):
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    changed = unit.pk is None
    for name, value in fields.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            changed = True
    if changed:
        unit.save()
    return unit


def load(*, stdout):
    """Create or update the demo units (agencies, communes, villages, schools)."""
    for code, name, roadmap in AGENCIES:
        _upsert(
            code, name=name, kind=UnitKind.CO_QUAN, roadmap_year=roadmap, parent=None
        )

    communes = {}
    for suffix, name, roadmap, _villages in COMMUNES:
        communes[suffix] = _upsert(
            commune_code(suffix),
            name=name,
            kind=UnitKind.XA,
            roadmap_year=roadmap,
            parent=None,
        )
    # Đông Anh merged into Đông Khê on 1 December 2019 (NQ 786/NQ-UBTVQH14): the old
    # unit stays, closed, with its successor, so its history is kept.
    _upsert(
        commune_code("DONG-ANH"),
        is_active=False,
        valid_to=datetime.date(2019, 11, 30),
        successor=communes["DONG-KHE"],
    )

    villages = 0
    for suffix, name, _roadmap, count in COMMUNES:
        is_town = suffix == "RUNG-THONG"
        place = name.replace("Xã ", "xã ").replace("Thị trấn ", "thị trấn ")
        for number in range(1, count + 1):
            label = "Khu phố" if is_town else "Thôn"
            _upsert(
                village_code(suffix, number),
                name=f"{label} {number}, {place}",
                kind=UnitKind.THON,
                parent=communes[suffix],
                roadmap_year=2017 if number <= 7 else 2018,
            )
            villages += 1

    schools = 0
    for level, rows in (
        (SchoolLevel.MAM_NON, PRESCHOOLS),
        (SchoolLevel.TIEU_HOC, PRIMARY),
        (SchoolLevel.THCS, LOWER_SECONDARY),
    ):
        for suffix, roadmap in rows:
            commune = communes[suffix]
            place = commune.name.replace("Xã ", "").replace("Thị trấn ", "")
            _upsert(
                school_code(level, suffix),
                name=f"{LEVEL_PREFIX[level][1]} {place}",
                kind=UnitKind.TRUONG,
                school_level=level,
                parent=commune,
                roadmap_year=roadmap,
            )
            schools += 1
    stdout.write(
        f"Đơn vị: {len(AGENCIES)} cơ quan, {len(COMMUNES)} xã, thị trấn, "
        f"{villages} thôn, khu phố, {schools} trường."
    )
