"""Import of the catalogue: one row per indicator, with its criterion and title."""

from dataclasses import dataclass

from django.db import transaction

from registrations.models import (
    Criterion,
    Indicator,
    IndicatorKind,
    Progress,
    Registration,
    Title,
)
from units.models import SchoolLevel, UnitKind

from ..cells import Row
from .base import changed_columns, outcome

COLUMNS = [
    "ma_danh_hieu",
    "ten_danh_hieu",
    "loai",
    "cap_hoc",
    "ma_tieu_chi",
    "ten_tieu_chi",
    "ma_chi_tieu",
    "ten_chi_tieu",
    "kieu",
    "so_sanh",
    "muc_tieu",
    "don_vi_tinh",
]
REQUIRED = [c for c in COLUMNS if c not in ("cap_hoc", "so_sanh", "muc_tieu")]
REQUIRED.remove("don_vi_tinh")
LABELS = {"title": "danh hiệu", "criterion": "tiêu chí", "indicator": "chỉ tiêu"}
# Optional columns that, when left out of the file, keep what is stored.
KEPT_WHEN_ABSENT = ("cap_hoc", "don_vi_tinh")
# The file's columns of an indicator's fields, in the order of Line.indicator[1:].
INDICATOR_COLUMNS = ("ten_chi_tieu", "kieu", "so_sanh", "muc_tieu", "don_vi_tinh")
COMPARISONS = {">=": ">=", "<=": "<=", "=": "=", "≥": ">=", "≤": "<=", "==": "="}


@dataclass
class Line:
    row: int
    title: tuple  # (code, name, kind, level)
    criterion: tuple  # (code, name)
    indicator: tuple  # (code, name, kind, comparison, target, unit_of_measure)


def _parse_indicator(row):
    code = row.text("ma_chi_tieu", required=True, max_length=50)
    name = row.text("ten_chi_tieu", required=True, max_length=300)
    kind = row.choice("kieu", IndicatorKind.values, required=True)
    measure = row.text("don_vi_tinh", max_length=30)
    comparison, target = "", None
    if kind and kind != IndicatorKind.CO_KHONG:
        raw = row.raw("so_sanh")
        comparison = COMPARISONS.get(str(raw).strip()) if raw is not None else None
        if raw is None:
            row.error("so_sanh", "bắt buộc với chỉ tiêu dạng số (>=, <= hoặc =)")
        elif comparison is None:
            row.error("so_sanh", f"phép so sánh “{raw}” không hợp lệ (>=, <= hoặc =)")
        target = row.decimal("muc_tieu")
        if row.raw("muc_tieu") is None:
            row.error("muc_tieu", "bắt buộc với chỉ tiêu dạng số")
        elif target is not None and kind == IndicatorKind.TY_LE:
            if not 0 <= target <= 100:
                row.error("muc_tieu", "mục tiêu tỷ lệ phải trong khoảng 0–100")
        elif target is not None and kind == IndicatorKind.SO_LUONG and target < 0:
            row.error("muc_tieu", "mục tiêu số lượng không được âm")
    return (code, name, kind, comparison, target, measure)


def _parse(row):
    title_code = row.text("ma_danh_hieu", required=True, max_length=50)
    title_name = row.text("ten_danh_hieu", required=True, max_length=200)
    kind = row.choice("loai", UnitKind.values, required=True)
    level = row.choice("cap_hoc", SchoolLevel.values)
    if kind and kind != UnitKind.TRUONG and level:
        row.error("cap_hoc", "chỉ danh hiệu trường học mới có cấp học, hãy để trống")
    criterion = (
        row.text("ma_tieu_chi", required=True, max_length=50),
        row.text("ten_tieu_chi", required=True, max_length=300),
    )
    indicator = _parse_indicator(row)
    return Line(row.number, (title_code, title_name, kind, level), criterion, indicator)


def _same_as_before(row, columns, value, before):
    """Rows of one title (criterion) must agree on its name, kind and level."""
    first_row, first = before
    for column, mine, theirs in zip(columns, value, first, strict=True):
        if mine is not None and theirs is not None and mine != theirs:
            row.error(column, f"khác với dòng {first_row} (“{theirs}”)")


def validate(table, report):
    titles, criteria, indicators = {}, {}, {}
    for number, values in table.rows:
        row = Row(number, values, table.header, report.errors)
        line = _parse(row)
        t_code, c_code, i_code = line.title[0], line.criterion[0], line.indicator[0]
        if t_code in titles:
            _same_as_before(
                row,
                ("ten_danh_hieu", "loai", "cap_hoc"),
                line.title[1:],
                titles[t_code],
            )
        elif t_code:
            titles[t_code] = (row.number, line.title[1:])
        if t_code and c_code and (t_code, c_code) in criteria:
            _same_as_before(
                row, ("ten_tieu_chi",), line.criterion[1:], criteria[(t_code, c_code)]
            )
        elif t_code and c_code:
            criteria[(t_code, c_code)] = (row.number, line.criterion[1:])
        if i_code and i_code in indicators:
            row.error(
                "ma_chi_tieu", f"trùng mã “{i_code}” với dòng {indicators[i_code].row}"
            )
        elif i_code:
            indicators[i_code] = line
    keep = {column: column not in table.header for column in KEPT_WHEN_ABSENT}
    return _plan(titles, criteria, indicators, report, keep)


def _plan(titles, criteria, indicators, report, keep):
    def error(row, column, reason):
        Row(row, (), {}, report.errors).error(column, reason)

    db_titles = {t.code: t for t in Title.objects.filter(code__in=titles)}
    db_criteria = {
        (c.title.code, c.code): c
        for c in Criterion.objects.filter(title__code__in=titles).select_related(
            "title"
        )
    }
    db_indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=indicators).select_related(
            "criterion__title"
        )
    }
    registered = set(
        Registration.objects.filter(title__in=db_titles.values()).values_list(
            "title__code", flat=True
        )
    )
    measured = set(
        Progress.objects.filter(indicator__in=db_indicators.values()).values_list(
            "indicator__code", flat=True
        )
    )
    plan = {"title": [], "criterion": [], "indicator": []}
    for code, (row, (name, kind, level)) in titles.items():
        title = db_titles.get(code)
        if keep["cap_hoc"] and title is not None and kind == UnitKind.TRUONG:
            level = title.school_level  # column left out: keep
        if title and (title.kind, title.school_level) != (kind, level):
            if code in registered:
                error(row, "loai", "danh hiệu đã có đăng ký, không đổi loại được")
        columns = title and changed_columns(
            [
                ("ten_danh_hieu", title.name, name),
                ("loai", title.kind, kind),
                ("cap_hoc", title.school_level, level),
            ]
        )
        result = outcome(title, columns)
        report.change(result, LABELS["title"], code, columns or ())
        plan["title"].append((result, code, title, (name, kind, level)))
    for key, (_row, (name,)) in criteria.items():
        criterion = db_criteria.get(key)
        columns = criterion and changed_columns(
            [("ten_tieu_chi", criterion.name, name)]
        )
        result = outcome(criterion, columns)
        report.change(result, LABELS["criterion"], " · ".join(key), columns or ())
        plan["criterion"].append((result, key, criterion, name))
    for code, line in indicators.items():
        indicator = db_indicators.get(code)
        fields = line.indicator[1:]
        if keep["don_vi_tinh"] and indicator is not None:
            fields = (*fields[:-1], indicator.unit_of_measure)
        if indicator is not None:
            owner = (indicator.criterion.title.code, indicator.criterion.code)
            if owner != (line.title[0], line.criterion[0]):
                error(
                    line.row,
                    "ma_chi_tieu",
                    f"chỉ tiêu “{code}” đã thuộc tiêu chí “{owner[1]}” "
                    f"của danh hiệu “{owner[0]}”",
                )
            elif indicator.kind != fields[1] and code in measured:
                error(
                    line.row,
                    "kieu",
                    "chỉ tiêu đã có số liệu tiến độ, không đổi kiểu được",
                )
        columns = indicator and changed_columns(
            zip(
                INDICATOR_COLUMNS,
                (
                    indicator.name,
                    indicator.kind,
                    indicator.comparison,
                    indicator.target,
                    indicator.unit_of_measure,
                ),
                fields,
                strict=True,
            )
        )
        result = outcome(indicator, columns)
        report.change(result, LABELS["indicator"], code, columns or ())
        plan["indicator"].append(
            (result, (line.title[0], line.criterion[0]), indicator, code, fields)
        )
    for model, entries in plan.items():
        counts = [sum(1 for e in entries if e[0] == o) for o in _OUTCOMES]
        report.details.append([LABELS[model], *counts])
        for name, n in zip(_OUTCOMES, counts, strict=True):
            report.count(name, n)
    return plan


_OUTCOMES = ("created", "updated", "unchanged")


@transaction.atomic
def write(plan, *, user):
    """Titles, then criteria, then indicators; new ones ordered as in the file."""
    titles = {}
    for result, code, title, (name, kind, level) in plan["title"]:
        if result != "unchanged":
            title = title or Title(code=code)
            title.name, title.kind, title.school_level = name, kind, level
            title.save()
        titles[code] = title
    criteria = {}
    for position, (result, key, criterion, name) in enumerate(plan["criterion"], 1):
        if result != "unchanged":
            if criterion is None:
                criterion = Criterion(title=titles[key[0]], code=key[1], order=position)
            criterion.name = name
            criterion.save()
        criteria[key] = criterion
    for position, entry in enumerate(plan["indicator"], 1):
        result, key, indicator, code, fields = entry
        if result == "unchanged":
            continue
        if indicator is None:
            indicator = Indicator(criterion=criteria[key], code=code, order=position)
        (
            indicator.name,
            indicator.kind,
            indicator.comparison,
            indicator.target,
            indicator.unit_of_measure,
        ) = fields
        indicator.save()
