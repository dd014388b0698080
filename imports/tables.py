"""Reading uploaded CSV and XLSX files as rows of cells, safely.

A file is read as a header (column key → position) and a stream of
``(row_number, values)`` where the row number is the spreadsheet's (header = 1).
Anything that is not a readable UTF-8 CSV or XLSX workbook raises ``FileRefused``
with Vietnamese ``row N: column: reason`` lines instead of a traceback.

``Limits`` bound the work a file can cause while it is read, never after: the
rows after the header are counted as they stream (blank ones too, so a sheet of
a million empty rows stops as soon as a full one would), and an XLSX's zip
members are checked first by their declared sizes and then by the bytes they
actually unpack to, read a megabyte at a time (and for an XML declaration that
could play entity tricks), before ``imports.xlsx`` reads the workbook. That
reader streams the sheet; it keeps only the shared strings (the text cells
Excel stores once) in memory, whence their own limit.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field

from kieumau.text import nfc

from .errors import FILE_COLUMN, RowError
from .xlsx import Workbook

ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
# Uncompressed workbook size limits: a real 50,000-row sheet is a few tens of MB.
MAX_UNCOMPRESSED_BYTES = 400 * MB
MAX_SHARED_STRINGS_BYTES = 32 * MB
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000
READ_CHUNK = MB
XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
BINARY_SIGNATURES = {
    b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG",
    b"GIF8": "ảnh GIF",
    b"%PDF": "tệp PDF",
    b"\xd0\xcf\x11\xe0": "tệp Excel/Word đời cũ (.xls/.doc)",
    b"\x1f\x8b": "tệp nén gzip",
    b"Rar!": "tệp nén RAR",
}


class FileRefused(Exception):
    """The file cannot be read at all; ``errors`` says why, as row errors."""

    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def refuse(reason, row=1, column=FILE_COLUMN):
    raise FileRefused([RowError(row, column, reason)])


@dataclass(frozen=True)
class Limits:
    """How much a file may make the reader do; ``rows`` None: any number of rows.

    ``advice`` ends the refusal of a file over the limits (where to import it).
    """

    rows: int | None = None
    unpacked_bytes: int = MAX_UNCOMPRESSED_BYTES
    advice: str = "hãy chia nhỏ tệp"


NO_ROW_LIMIT = Limits()


def thousands(n):
    """100000 -> '100.000' (Vietnamese digit grouping)."""
    return f"{n:,}".replace(",", ".")


def megabytes(n):
    """52428800 -> '50 MB', 1572864 -> '1,5 MB'."""
    return f"{n / MB:.1f}".removesuffix(".0").replace(".", ",") + " MB"


def _check_row_count(number, header_row, limits):
    if limits.rows is not None and number - header_row > limits.rows:
        refuse(
            f"tệp có hơn {thousands(limits.rows)} dòng sau dòng tiêu đề, quá giới "
            f"hạn; {limits.advice}",
            row=number,
        )


@dataclass
class Table:
    """A header and a one-shot iterator over data rows (row number, values)."""

    header: dict
    header_row: int
    rows: object
    duplicate_columns: list = field(default_factory=list)
    closer: object = None

    def close(self):
        if self.closer is not None:
            self.closer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def header_keys(values):
    """Map trimmed lower-case column keys to positions; report repeated keys."""
    header, duplicates = {}, []
    for index, value in enumerate(values):
        key = nfc(value if value is not None else "").lower()
        if not key:
            continue
        if key in header:
            duplicates.append(key)
            continue
        header[key] = index
    return header, duplicates


def is_blank(values):
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def open_table(content, filename="", limits=NO_ROW_LIMIT):
    """Open ``content`` (bytes) as a Table; CSV or XLSX decided by its bytes."""
    name = (filename or "").lower()
    if content.startswith(ZIP_MAGIC):
        return _open_xlsx(content, limits)
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        refuse(_not_workbook_reason(content))
    for signature, what in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            refuse(f"tệp không phải CSV hay XLSX mà là {what}")
    return _open_csv(content, limits)


def _not_workbook_reason(content):
    for signature, what in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            return f"tệp không phải bảng tính Excel (.xlsx) mà là {what}"
    return "tệp không phải bảng tính Excel (.xlsx) hợp lệ"


# --- CSV ---------------------------------------------------------------------


def _decode(content):
    """The file as text, decoded as it is read; its UTF-8 checked first, a
    megabyte at a time, so that the whole text is never held at once."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4096]:
        refuse(
            "tệp CSV phải lưu bằng mã UTF-8 (tệp này là UTF-16 hoặc tệp nhị phân); "
            "trong Excel chọn “CSV UTF-8”"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(content), READ_CHUNK):
        try:
            decoder.decode(content[start : start + READ_CHUNK])
        except UnicodeDecodeError as exc:
            row = content.count(b"\n", 0, start + exc.start) + 1
            refuse(
                "tệp CSV không đúng mã UTF-8 (có thể lưu bằng Windows-1258/Latin-1); "
                "trong Excel chọn “CSV UTF-8”",
                row=row,
            )
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        refuse(
            "tệp CSV không đúng mã UTF-8 (ký tự cuối tệp bị cắt dở); "
            "trong Excel chọn “CSV UTF-8”",
            row=content.count(b"\n") + 1,
        )
    return io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")


def _sniff_delimiter(first_line):
    """`;` when Excel in a Vietnamese locale wrote the file; `,` otherwise."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _open_csv(content, limits):
    text = _decode(content)
    first_line = next((line for line in text if line.strip()), "")
    text.seek(0)
    reader = csv.reader(text, delimiter=_sniff_delimiter(first_line))
    numbered = enumerate(reader, start=1)
    try:
        for number, values in numbered:
            if not is_blank(values):
                header, duplicates = header_keys(values)
                rows = _data_rows(numbered, number, limits)
                return Table(header, number, rows, duplicates)
    except csv.Error as exc:
        refuse(f"tệp CSV hỏng ({exc})", row=reader.line_num)
    return Table({}, 1, iter(()))


def _data_rows(numbered, header_row, limits):
    number = header_row
    try:
        for number, values in numbered:
            _check_row_count(number, header_row, limits)
            if not is_blank(values):
                yield number, values
    except csv.Error as exc:
        refuse(f"tệp CSV hỏng ({exc})", row=number + 1)


# --- XLSX --------------------------------------------------------------------


def _check_zip(content, limits):
    """Refuse a bomb by its declared sizes, then by the bytes it unpacks to."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse("tệp .xlsx bị hỏng (không giải nén được)")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        refuse("tệp nén không phải bảng tính Excel (.xlsx)")
    if len(infos) > MAX_ZIP_MEMBERS:
        refuse("bảng tính có quá nhiều thành phần; hãy chia nhỏ tệp")
    for info in infos:
        compressed = max(info.compress_size, 1)
        if info.file_size > MB and info.file_size / compressed > MAX_COMPRESSION_RATIO:
            refuse("bảng tính có tỷ lệ nén bất thường (nghi tệp độc hại), bị từ chối")
        _check_unpacked(info.filename, info.file_size, 0, limits)
    _check_unpacked("", sum(info.file_size for info in infos), 0, limits)
    # The declared sizes may lie: count what each member really unpacks to.
    total = 0
    try:
        for info in infos:
            size, tail = 0, b""
            with archive.open(info) as member:
                while chunk := member.read(READ_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    _check_unpacked(info.filename, size, info.file_size, limits)
                    _check_unpacked("", total, 0, limits)
                    if info.filename.endswith((".xml", ".rels")):
                        _check_declarations(tail + chunk, first=size == len(chunk))
                        tail = chunk[-len(max(XML_DECLARATIONS, key=len)) :]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        refuse("tệp .xlsx bị hỏng (không giải nén được)")
    return archive


def _check_declarations(data, first):
    """No DTD in a workbook's XML: entity tricks never reach the parser.

    Excel writes its parts in UTF-8; one in UTF-16 could hide a DTD from this
    check, so it is refused as well.
    """
    if first and (data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:64]):
        refuse("không đọc được bảng tính: phần XML không lưu bằng mã UTF-8")
    if any(declaration in data for declaration in XML_DECLARATIONS):
        refuse("không đọc được bảng tính: có khai báo XML không an toàn, bị từ chối")


def _check_unpacked(name, size, declared, limits):
    """``size`` bytes of member ``name`` (of the whole workbook if ""): refuse if
    over its limit, or over the ``declared`` size (when given)."""
    if declared and size > declared:
        refuse("tệp .xlsx bị hỏng (thành phần giải nén ra lớn hơn khai báo)")
    if name.lower().endswith("sharedstrings.xml") and size > MAX_SHARED_STRINGS_BYTES:
        refuse(
            "bảng tính có quá nhiều chữ khác nhau (bảng chuỗi dùng chung quá "
            f"{megabytes(MAX_SHARED_STRINGS_BYTES)}); hãy chia nhỏ tệp"
        )
    if not name and size > limits.unpacked_bytes:
        refuse(
            f"bảng tính giải nén ra hơn {megabytes(limits.unpacked_bytes)}, quá giới "
            f"hạn; {limits.advice}"
        )


def _open_xlsx(content, limits):
    archive = _check_zip(content, limits)
    try:
        numbered = enumerate(Workbook(archive).rows(), start=1)
        for number, values in numbered:
            _check_row_count(number, 0, limits)  # blank rows before the header
            if not is_blank(values):
                header, duplicates = header_keys(values)
                return Table(
                    header,
                    number,
                    _xlsx_rows(numbered, number, limits),
                    duplicates,
                    closer=archive.close,
                )
    except FileRefused:
        archive.close()
        raise
    except Exception as exc:  # a broken part raises many types
        archive.close()
        refuse(_unreadable(exc))
    archive.close()
    return Table({}, 1, iter(()))


def _xlsx_rows(numbered, header_row, limits):
    number = header_row
    try:
        for number, values in numbered:
            _check_row_count(number, header_row, limits)
            if not is_blank(values):
                yield number, values
    except FileRefused:
        raise
    except Exception as exc:
        refuse(_unreadable(exc), row=number + 1)


def _unreadable(exc):
    return f"không đọc được bảng tính ({type(exc).__name__})"
