"""What every kind of import shares: the report and the column check."""

from dataclasses import dataclass, field

from ..errors import MISSING, RowError


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

    @property
    def ok(self):
        return not self.errors

    def count(self, outcome, n=1):
        setattr(self, outcome, getattr(self, outcome) + n)

    def discard_counts(self):
        self.created = self.updated = self.unchanged = 0
        self.details = []

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

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "details": self.details,
            "errors": self.error_lines(),
        }


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
