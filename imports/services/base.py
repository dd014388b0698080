"""What every kind of import shares: the report, its change list, the column check."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import MISSING, RowError

# Records listed one by one in a report; the rest are only counted.
CHANGES_SHOWN = 200
ACTIONS = {"created": "tạo mới", "updated": "cập nhật"}
EMPTY = "(trống)"


@dataclass
class Report:
    """The outcome of one import (or dry run): counts per kind of row and errors."""

    kind: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    # Per model for files that touch several (criteria): [label, created, ...].
    details: list = field(default_factory=list)
    # The first CHANGES_SHOWN created or updated records (see ``change``).
    changes: list = field(default_factory=list)
    more_changes: int = 0

    @property
    def ok(self):
        return not self.errors

    def count(self, outcome, n=1):
        setattr(self, outcome, getattr(self, outcome) + n)

    def change(self, outcome, label, key, columns=()):
        """List one created or updated record: its key and, if updated, old → new.

        ``key`` and ``columns`` may be functions, called only while the list has
        room (a progress file may change a hundred thousand rows).
        """
        if outcome not in ACTIONS:
            return
        if len(self.changes) >= CHANGES_SHOWN:
            self.more_changes += 1
            return
        key = key() if callable(key) else key
        columns = columns() if callable(columns) else columns
        self.changes.append(
            {
                "action": outcome,
                "label": label,
                "key": key,
                "columns": [list(column) for column in columns],
            }
        )

    def discard_counts(self):
        self.created = self.updated = self.unchanged = 0
        self.details = []
        self.changes = []
        self.more_changes = 0

    def sorted_errors(self):
        return sorted(self.errors, key=lambda e: e.row)

    def error_lines(self):
        return [str(e) for e in self.sorted_errors()]

    def summary(self):
        """One Vietnamese line: what was (or would be) done."""
        verb = "Sẽ tạo mới" if self.dry_run else "Đã tạo mới"
        return (
            f"{verb} {self.created}, cập nhật {self.updated}, "
            f"giữ nguyên {self.unchanged} bản ghi."
        )

    def change_lines(self):
        """The change list for a terminal, one Vietnamese line per record."""
        lines = []
        for change in self.changes:
            line = f"{ACTIONS[change['action']]} {change['label']} {change['key']}"
            if change["columns"]:
                line += ": " + "; ".join(
                    f"{column}: {_quoted(old)} → {_quoted(new)}"
                    for column, old, new in change["columns"]
                )
            lines.append(line)
        if self.more_changes:
            lines.append(f"… và {self.more_changes} thay đổi khác")
        return lines

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "details": self.details,
            "changes": self.changes,
            "more_changes": self.more_changes,
            "errors": self.error_lines(),
        }


def _quoted(text):
    return f"“{text}”" if text else EMPTY


def shown_value(value):
    """A stored or parsed value as the file writes it, for the change list."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def changed_columns(columns):
    """[(column, old, new)] -> the ones whose values differ, as text for people."""
    return [
        (column, shown_value(old), shown_value(new))
        for column, old, new in columns
        if old != new
    ]


def check_columns(table, required):
    """Errors for repeated header keys and for required keys that are absent."""
    errors = [
        RowError(table.header_row, key, "cột bị lặp lại trong dòng tiêu đề")
        for key in table.duplicate_columns
    ]
    errors += [
        RowError(table.header_row, key, MISSING)
        for key in required
        if key not in table.header
    ]
    return errors


def outcome(existing, changed):
    if existing is None:
        return "created"
    return "updated" if changed else "unchanged"
