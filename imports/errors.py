"""Row errors in the contract's shape: ``row N: column: reason``."""

from dataclasses import dataclass

# The pseudo-column of problems with the file as a whole (encoding, format).
FILE_COLUMN = "file"
MISSING = "missing"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        return f"row {self.row}: {self.column}: {self.reason}"
