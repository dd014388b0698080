"""Row errors in the contract's shape: ``row N: column: reason``."""

from dataclasses import dataclass, field

# The pseudo-column of problems with the file as a whole (encoding, format).
FILE_COLUMN = "file"
MISSING = "missing"
# Codes of errors that the command and the admin explain each in their own way.
LOCKED_QUARTER = "locked_quarter"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str
    code: str = field(default="", compare=False)

    def __str__(self):
        return f"row {self.row}: {self.column}: {self.reason}"
