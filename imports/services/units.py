"""Import of units (đơn vị): upsert by ``ma_don_vi``; parents may be in the file.

The validity columns (``hieu_luc_tu``, ``hieu_luc_den``, ``ma_don_vi_ke_tiep``) are
optional both ways: a file without them keeps what is stored, so older files keep
working. A unit written with an end date already passed is marked no longer active;
no file marks a unit active again (that is a decision made in the admin).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from kieumau.dates import vietnam_today
from kieumau.text import fold, vi_sort_key
from registrations.models import Registration
from units.models import SchoolLevel, Unit, UnitKind

from ..cells import Row
from .base import changed_columns, outcome

COLUMNS = [
    "ma_don_vi",
    "ten_don_vi",
    "loai",
    "ma_don_vi_cha",
    "cap_hoc",
    "nam_lo_trinh",
]
REQUIRED = ["ma_don_vi", "ten_don_vi", "loai"]
OPTIONAL = {
    "ma_don_vi_cha": "parent_code",
    "cap_hoc": "level",
    "nam_lo_trinh": "roadmap",
}
# Read when present; exported only when some unit has a value (imports.exports).
VALIDITY = {
    "hieu_luc_tu": "valid_from",
    "hieu_luc_den": "valid_to",
    "ma_don_vi_ke_tiep": "successor_code",
}
LABEL = "đơn vị"


@dataclass
class Item:
    row: int
    code: str
    name: str
    kind: str
    level: str
    parent_code: str
    roadmap: int | None
    ok: bool
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successor_code: str = ""


def _check_shape(item, error):
    """Kind, school level and parent agree (the model's check constraints)."""
    kind, level, parent_code = item.kind, item.level, item.parent_code
    if kind == UnitKind.TRUONG and level == "":
        error("cap_hoc", "trường học phải có cấp học (mam_non, tieu_hoc, thcs)")
    elif kind and kind != UnitKind.TRUONG and level:
        error("cap_hoc", "chỉ trường học mới có cấp học, hãy để trống")
    if kind == UnitKind.THON and parent_code == "":
        error("ma_don_vi_cha", "thôn, khu phố phải có mã xã trực thuộc")
    elif kind in (UnitKind.CO_QUAN, UnitKind.XA) and parent_code:
        error("ma_don_vi_cha", "cơ quan và xã không trực thuộc đơn vị khác")
    elif parent_code and parent_code == item.code:
        error("ma_don_vi_cha", "đơn vị không thể trực thuộc chính nó")


def _parse(row, seen, complete):
    item = Item(
        row.number,
        row.text("ma_don_vi", required=True, max_length=50),
        row.text("ten_don_vi", required=True, max_length=200),
        row.choice("loai", UnitKind.values, required=True),
        row.choice("cap_hoc", SchoolLevel.values),
        row.text("ma_don_vi_cha", max_length=50),
        row.year("nam_lo_trinh"),
        True,
        row.date("hieu_luc_tu"),
        row.date("hieu_luc_den"),
        row.text("ma_don_vi_ke_tiep", max_length=50),
    )
    if item.code and item.code in seen:
        row.error("ma_don_vi", f"trùng mã “{item.code}” với dòng {seen[item.code].row}")
        return None
    if complete:
        _check_shape(item, row.error)
    item.ok = row.ok
    return item if item.code is not None else None


def _keep_absent_columns(items, existing, header, report_error):
    """An optional column left out of the file keeps what is stored."""
    absent = [c for c in (*OPTIONAL, *VALIDITY) if c not in header]
    if not absent:
        return
    for item in items.values():
        unit = existing.get(item.code)
        for column in absent:
            setattr(item, {**OPTIONAL, **VALIDITY}[column], _stored(unit, column))
        if "cap_hoc" in absent or "ma_don_vi_cha" in absent:
            _check_shape(item, lambda c, r, item=item: report_error(item, c, r))


def _stored(unit, column):
    if column == "ma_don_vi_cha":
        return unit.parent.code if unit and unit.parent_id else ""
    if column == "ma_don_vi_ke_tiep":
        return unit.successor.code if unit and unit.successor_id else ""
    if column == "cap_hoc":
        return unit.school_level if unit else ""
    if column in VALIDITY:
        return getattr(unit, VALIDITY[column]) if unit else None
    return unit.roadmap_year if unit else None


def _check_validity(items, report_error):
    """Dates in order; a successor that exists (in the database or the file)."""
    wanted = {i.successor_code for i in items.values() if i.successor_code}
    known = set(
        Unit.objects.filter(code__in=wanted - items.keys()).values_list(
            "code", flat=True
        )
    )
    for item in items.values():
        if item.valid_from and item.valid_to and item.valid_to < item.valid_from:
            report_error(
                item,
                "hieu_luc_den",
                "ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực",
            )
        code = item.successor_code
        if not code:
            continue
        if code == item.code:
            report_error(item, "ma_don_vi_ke_tiep", "đơn vị không thể kế thừa chính nó")
        elif code not in items and code not in known:
            report_error(item, "ma_don_vi_ke_tiep", f"không tìm thấy đơn vị “{code}”")


def _check_parents(items, existing, report_error):
    """A parent is a commune in the database or in the file (the file wins)."""
    wanted = {i.parent_code for i in items.values() if i.parent_code}
    db_kinds = dict(
        Unit.objects.filter(code__in=wanted - items.keys()).values_list("code", "kind")
    )
    for item in items.values():
        if not item.parent_code or item.parent_code == item.code:
            continue
        in_file = items.get(item.parent_code)
        kind = in_file.kind if in_file else db_kinds.get(item.parent_code)
        if kind is None:
            report_error(
                item, "ma_don_vi_cha", f"không tìm thấy xã “{item.parent_code}”"
            )
        elif kind != UnitKind.XA:
            report_error(
                item, "ma_don_vi_cha", f"đơn vị “{item.parent_code}” không phải là xã"
            )


def _check_kind_changes(items, existing, report_error):
    """A commune with children stays a commune; a registered unit keeps its kind."""
    changed = [
        i
        for i in items.values()
        if i.code in existing
        and i.kind
        and (i.kind, i.level) != (existing[i.code].kind, existing[i.code].school_level)
    ]
    if not changed:
        return
    code_of = {existing[i.code].pk: i.code for i in changed}
    children = {}
    for child_code, parent_id in Unit.objects.filter(parent_id__in=code_of).values_list(
        "code", "parent_id"
    ):
        moved = items.get(child_code)
        if moved is not None and moved.parent_code != code_of[parent_id]:
            continue  # the file moves it to another commune
        children.setdefault(parent_id, []).append(child_code)
    registered = set(
        Registration.objects.active()
        .filter(unit_id__in=code_of)
        .values_list("unit_id", flat=True)
    )
    for item in changed:
        unit = existing[item.code]
        if (
            unit.kind == UnitKind.XA
            and item.kind != UnitKind.XA
            and unit.pk in children
        ):
            names = ", ".join(sorted(children[unit.pk])[:5])
            report_error(
                item, "loai", f"xã “{item.code}” còn đơn vị trực thuộc ({names})"
            )
        elif unit.pk in registered:
            report_error(
                item,
                "loai",
                "đơn vị đã có đăng ký danh hiệu, không đổi loại hay cấp học được",
            )


def _changed_columns(unit, item):
    """The file's columns whose value differs from the stored unit: old → new."""
    return changed_columns(
        [
            ("ten_don_vi", unit.name, item.name),
            ("loai", unit.kind, item.kind),
            ("cap_hoc", unit.school_level, item.level),
            (
                "ma_don_vi_cha",
                unit.parent.code if unit.parent_id else "",
                item.parent_code,
            ),
            ("nam_lo_trinh", unit.roadmap_year, item.roadmap),
            ("hieu_luc_tu", unit.valid_from, item.valid_from),
            ("hieu_luc_den", unit.valid_to, item.valid_to),
            (
                "ma_don_vi_ke_tiep",
                unit.successor.code if unit.successor_id else "",
                item.successor_code,
            ),
        ]
    )


def validate(table, report):
    """Parse every row and check it against the file and the database."""
    items = {}
    complete = all(column in table.header for column in OPTIONAL)
    for number, values in table.rows:
        row = Row(number, values, table.header, report.errors)
        item = _parse(row, items, complete)
        if item is not None:
            items[item.code] = item
    existing = {
        u.code: u
        for u in Unit.objects.filter(code__in=items.keys()).select_related(
            "parent", "successor"
        )
    }

    def report_error(item, column, reason):
        Row(item.row, (), {}, report.errors).error(column, reason)
        item.ok = False

    _keep_absent_columns(items, existing, table.header, report_error)
    _check_parents(items, existing, report_error)
    _check_validity(items, report_error)
    _check_kind_changes(items, existing, report_error)
    plan = []
    for item in items.values():
        unit = existing.get(item.code)
        columns = _changed_columns(unit, item) if unit is not None else []
        result = outcome(unit, columns)
        report.count(result)
        report.change(result, LABEL, item.code, columns)
        if result != "unchanged":
            plan.append((item, unit))
    return plan


# Columns an import writes (besides the derived search and sort keys).
WRITTEN = [
    "name",
    "kind",
    "school_level",
    "parent",
    "roadmap_year",
    "valid_from",
    "valid_to",
    "is_active",
    "search_name",
    "name_sort_key",
]
BATCH_SIZE = 500


def _fill(unit, item, today, by_code):
    unit.name = item.name
    unit.kind = item.kind
    unit.school_level = item.level
    unit.parent = by_code[item.parent_code] if item.parent_code else None
    unit.roadmap_year = item.roadmap
    unit.valid_from, unit.valid_to = item.valid_from, item.valid_to
    if item.valid_to and item.valid_to < today:
        unit.is_active = False
    # What Unit.save derives from the name (bulk writes do not call it).
    unit.search_name = fold(unit.name)
    unit.name_sort_key = vi_sort_key(unit.name)


@transaction.atomic
def write(plan, *, user):
    """Communes and top-level units first, so that children find their parent.

    In bulk, a wave at a time; successors are linked once every unit is saved.
    """
    linked = {i.parent_code for i, _unit in plan if i.parent_code}
    linked |= {i.successor_code for i, _unit in plan if i.successor_code}
    by_code = {}
    codes = sorted(linked)
    for start in range(0, len(codes), BATCH_SIZE):
        by_code.update(
            (u.code, u)
            for u in Unit.objects.filter(
                code__in=codes[start : start + BATCH_SIZE]
            ).only("pk", "code")
        )
    today = vietnam_today()
    for wave in (False, True):  # without a parent, then with one
        new, changed = [], []
        for item, unit in plan:
            if bool(item.parent_code) != wave:
                continue
            if unit is None:
                unit = Unit(code=item.code)
                new.append(unit)
            else:
                changed.append(unit)
            _fill(unit, item, today, by_code)
        Unit.objects.bulk_create(new, batch_size=BATCH_SIZE)
        Unit.objects.bulk_update(changed, WRITTEN, batch_size=BATCH_SIZE)
        by_code.update((u.code, u) for u in (*new, *changed))
    linking = []
    for item, unit in plan:
        unit = by_code[item.code]
        successor = by_code.get(item.successor_code) if item.successor_code else None
        if unit.successor_id != (successor.pk if successor else None):
            unit.successor = successor
            linking.append(unit)
    Unit.objects.bulk_update(linking, ["successor"], batch_size=BATCH_SIZE)
