"""Import of quarterly progress, streamed in chunks so memory stays flat.

Rows are validated and written chunk by chunk inside the caller's transaction;
the first error stops writing and the caller rolls everything back, so a file is
still imported whole or not at all. A row equal to what is stored is skipped
(no history row); rows that change values are upserted with their history in
bulk (``imports.bulk``), and every quarter sheet (unit, year, quarter) they touch
has its version bumped so that a person holding a stale entry form gets a
conflict instead of overwriting.

A row that would change a value must also pass ``CHANGE_CHECKS`` (its indicator
belongs to the unit's registered title, its quarter is open to the importing
user, the unit's own report of that quarter is not awaiting review): add a rule
about which rows may be changed there, and load what it needs once in
``Catalogue``.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from registrations import periods
from registrations.models import (
    Indicator,
    IndicatorKind,
    Progress,
    QuarterReport,
    QuarterSheet,
    Registration,
)
from registrations.services import under_review_reason
from units.models import Unit

from .. import bulk, keyindex
from ..cells import YEAR_MAX, YEAR_MIN, Row
from ..errors import LOCKED_QUARTER, RowError
from ..keyindex import DictIndex, KeyIndex
from .base import changed_columns

COLUMNS = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri", "ghi_chu"]
REQUIRED = ["ma_don_vi", "nam", "quy", "ma_chi_tieu", "gia_tri"]
CHUNK_ROWS = 2000
BATCH_SIZE = 500
CHANGE_REASON = "nhập tệp"
PERIODS = (YEAR_MAX - YEAR_MIN + 1) * 4
KEY_COLUMNS = ("unit_id", "indicator_id", "year", "quarter")
WRITTEN_COLUMNS = (*KEY_COLUMNS, "value", "note", "updated_by_id", "updated_at")
LABEL = "tiến độ"
Stored = namedtuple("Stored", "pk value note")


@dataclass(slots=True)
class Entry:
    row: int
    unit_id: int
    indicator_id: int
    year: int
    quarter: int
    value: object
    note: str
    # For the change list: the row's key as the file writes it, the indicator's kind.
    unit_code: str
    indicator_code: str
    kind: str
    title_id: int
    # What CHANGE_CHECKS found: [(column, reason, error code)].
    deferred: tuple = ()

    @property
    def key(self):
        return (self.unit_id, self.indicator_id, self.year, self.quarter)

    def label_key(self):
        period = periods.label(self.year, self.quarter)
        return f"{self.unit_code} · {self.indicator_code} · {period}"


class Catalogue:
    """Everything a row is checked against, loaded once (sized by the database)."""

    def __init__(self, user):
        self.user = user
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.indicators = {
            code: (pk, kind, title_id)
            for code, pk, kind, title_id in Indicator.objects.values_list(
                "code", "pk", "kind", "criterion__title_id"
            )
        }
        self.titles = defaultdict(set)
        for unit_id, title_id in Registration.objects.active().values_list(
            "unit_id", "title_id"
        ):
            self.titles[unit_id].add(title_id)
        self._editable = {}
        # Units whose own report of a quarter awaits review: their rows are refused.
        self.under_review = set(
            QuarterReport.objects.under_review().values_list(
                "unit_id", "year", "quarter"
            )
        )
        # Dense, exact ints for the duplicate check (see imports.keyindex).
        self.indicator_span = max((v[0] for v in self.indicators.values()), default=0)
        self.indicator_span += 1
        largest_unit = max(self.units.values(), default=0)
        self.largest_key = self.key(largest_unit, self.indicator_span - 1, YEAR_MAX, 4)

    def new_index(self):
        """Where the duplicate check remembers the rows read so far."""
        return KeyIndex() if keyindex.fits(self.largest_key) else DictIndex()

    def key(self, unit_id, indicator_id, year, quarter):
        """(unit, indicator, year, quarter) as one int, exactly."""
        period = (year - YEAR_MIN) * 4 + quarter - 1  # 0 … 403
        return (unit_id * self.indicator_span + indicator_id) * PERIODS + period

    def can_edit(self, year, quarter):
        if (year, quarter) not in self._editable:
            self._editable[year, quarter] = periods.can_edit(self.user, year, quarter)
        return self._editable[year, quarter]


def _value(row, kind):
    if kind == IndicatorKind.CO_KHONG:
        return row.yes_no("gia_tri")
    value = row.decimal("gia_tri", required=True)
    if value is None:
        return None
    if kind == IndicatorKind.TY_LE and not 0 <= value <= 100:
        row.error("gia_tri", f"tỷ lệ phải trong khoảng 0–100 (nhận được {value:f})")
        return None
    if kind == IndicatorKind.SO_LUONG and value < 0:
        row.error("gia_tri", f"số lượng không được âm (nhận được {value:f})")
        return None
    return value


def _parse(row, catalogue):
    unit_code = row.text("ma_don_vi", required=True, max_length=50)
    year = row.year("nam", required=True)
    quarter = row.integer(
        "quy", required=True, low=1, high=4, reason="quý phải là 1, 2, 3 hoặc 4"
    )
    code = row.text("ma_chi_tieu", required=True, max_length=50)
    unit_id = catalogue.units.get(unit_code)
    if unit_code and unit_id is None:
        row.error("ma_don_vi", f"không tìm thấy đơn vị “{unit_code}”")
    indicator = catalogue.indicators.get(code)
    if code and indicator is None:
        row.error("ma_chi_tieu", f"không tìm thấy chỉ tiêu “{code}”")
    value = _value(row, indicator[1]) if indicator else None
    note = row.text("ghi_chu", max_length=500)
    if not row.ok:
        return None
    entry = Entry(
        row.number,
        unit_id,
        indicator[0],
        year,
        quarter,
        value,
        note,
        unit_code,
        code,
        indicator[1],
        indicator[2],
    )
    entry.deferred = tuple(
        problem
        for check in CHANGE_CHECKS
        if (problem := check(entry, catalogue)) is not None
    )
    return entry


# Rules about which rows may be changed, checked only for rows whose value would
# change (an exported file must re-import unchanged). Each takes the row's Entry and
# the Catalogue and returns None or (column, reason, error code).


def indicator_of_registered_title(entry, catalogue):
    if entry.title_id in catalogue.titles.get(entry.unit_id, ()):
        return None
    return (
        "ma_chi_tieu",
        f"chỉ tiêu “{entry.indicator_code}” không thuộc danh hiệu mà đơn vị "
        f"“{entry.unit_code}” đang đăng ký",
        "",
    )


def quarter_open(entry, catalogue):
    if catalogue.can_edit(entry.year, entry.quarter):
        return None
    return (
        "quy",
        f"{periods.label(entry.year, entry.quarter)} đã khóa; chỉ giám sát viên tiến "
        "độ mới được sửa số liệu quý đã khóa",
        LOCKED_QUARTER,
    )


def unit_report_not_under_review(entry, catalogue):
    if (entry.unit_id, entry.year, entry.quarter) not in catalogue.under_review:
        return None
    return ("ma_don_vi", under_review_reason(entry.year, entry.quarter), "")


CHANGE_CHECKS = (
    indicator_of_registered_title,
    quarter_open,
    unit_report_not_under_review,
)


def _shown(value, kind):
    """A co_khong value as the file writes it (dat / chua_dat); numbers as they are."""
    if kind == IndicatorKind.CO_KHONG and value is not None:
        return "dat" if value == 1 else "chua_dat"
    return value


def _diff(current, entry):
    return changed_columns(
        [
            (
                "gia_tri",
                _shown(current.value, entry.kind),
                _shown(entry.value, entry.kind),
            ),
            ("ghi_chu", current.note, entry.note),
        ]
    )


class ProgressImport:
    def __init__(self, report, *, user, dry_run):
        self.report = report
        self.user = user
        self.dry_run = dry_run
        self.catalogue = Catalogue(user)
        self.seen = self.catalogue.new_index()
        self.touched = set()
        self.now = timezone.now()

    def run(self, table):
        self.keep_notes = "ghi_chu" not in table.header
        chunk = []
        for number, values in table.rows:
            row = Row(number, values, table.header, self.report.errors)
            entry = _parse(row, self.catalogue)
            if entry is None:
                continue
            key = self.catalogue.key(*entry.key)
            first = self.seen.first_row(key)
            if first is not None:
                row.error(
                    "ma_chi_tieu",
                    f"trùng đơn vị, chỉ tiêu, năm và quý với dòng {first}",
                )
                continue
            self.seen.add(key, number)
            chunk.append(entry)
            if len(chunk) >= CHUNK_ROWS:
                self.flush(chunk)
                chunk = []
        self.flush(chunk)
        if self.report.ok and not self.dry_run:
            self.bump_sheets()

    def flush(self, chunk):
        if not chunk:
            return
        stored = {
            (unit_id, indicator_id, year, quarter): Stored(pk, value, note)
            for pk, unit_id, indicator_id, year, quarter, value, note in (
                Progress.objects.filter(
                    unit_id__in={e.unit_id for e in chunk},
                    indicator_id__in={e.indicator_id for e in chunk},
                    year__in={e.year for e in chunk},
                    quarter__in={e.quarter for e in chunk},
                ).values_list("pk", *KEY_COLUMNS, "value", "note")
            )
        }
        creates, updates = [], []
        for entry in chunk:
            current = stored.get(entry.key)
            if self.keep_notes:  # no ghi_chu column: notes stay as they are
                entry.note = current.note if current is not None else ""
            if current is not None and (current.value, current.note) == (
                entry.value,
                entry.note,
            ):
                self.report.count("unchanged")
                continue
            if entry.deferred:
                self.report.errors.extend(
                    RowError(entry.row, column, reason, code)
                    for column, reason, code in entry.deferred
                )
                continue
            if current is None:
                self.report.count("created")
                self.report.change("created", LABEL, entry.label_key)
                creates.append(entry)
            else:
                self.report.count("updated")
                self.report.change(
                    "updated",
                    LABEL,
                    entry.label_key,
                    lambda c=current, e=entry: _diff(c, e),
                )
                updates.append(entry)
            self.touched.add((entry.unit_id, entry.year, entry.quarter))
        if not self.report.errors and not self.dry_run:
            self.write(creates, updates)

    def write(self, creates, updates):
        """Upsert the chunk's changed rows, then copy them into their history."""
        user_id = self.user.pk if self.user is not None else None
        rows = [
            (*e.key, e.value, e.note, user_id, self.now) for e in (*creates, *updates)
        ]
        pks = {
            tuple(key): pk
            for pk, *key in bulk.upsert(
                Progress,
                rows,
                columns=WRITTEN_COLUMNS,
                unique=KEY_COLUMNS,
                returning=("id", *KEY_COLUMNS),
            )
        }
        for outcome, entries in (("created", creates), ("updated", updates)):
            bulk.copy_to_history(
                Progress,
                [pks[e.key] for e in entries],
                outcome=outcome,
                user=self.user,
                reason=CHANGE_REASON,
                date=self.now,
            )

    def bump_sheets(self):
        """Create missing sheets, then version = version + 1 on every touched one."""
        by_period = defaultdict(list)
        for unit_id, year, quarter in self.touched:
            by_period[year, quarter].append(unit_id)
        QuarterSheet.objects.bulk_create(
            [QuarterSheet(unit_id=u, year=y, quarter=q) for u, y, q in self.touched],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        for (year, quarter), unit_ids in by_period.items():
            for start in range(0, len(unit_ids), BATCH_SIZE):
                QuarterSheet.objects.filter(
                    year=year,
                    quarter=quarter,
                    unit_id__in=unit_ids[start : start + BATCH_SIZE],
                ).update(
                    version=F("version") + 1, updated_by=self.user, updated_at=self.now
                )


def run(table, *, report, user, dry_run):
    """Validate and (unless dry run or any error) write, chunk by chunk."""
    ProgressImport(report, user=user, dry_run=dry_run).run(table)
