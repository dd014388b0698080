"""Streaming read of an XLSX workbook's first sheet: its rows of cell values.

Hand-made because openpyxl fell short, measured (bench/import_scale.py): its
read-only mode took 15 s to read a 100,000-row progress sheet on the idle 2-core
machine and over 60 s when the machine was busy, against the admin's 60 s worker
timeout. It parses a sheet that has no ``<dimension>`` twice (openpyxl's own
write-only files have none: our exports, and the benchmark's files), and with
defusedxml it parses with the pure-Python XML parser. This module parses the
sheet once, with the C parser of the standard library, with 3 to 4 times less
CPU.

The values are those of openpyxl's ``iter_rows(values_only=True)`` with
``data_only=True``: numbers as int or float, dates as datetime when their cell
style says so (through openpyxl's own public helpers), booleans, text (shared,
inline, a formula's cached result), errors as their text (``#N/A``); a row
missing from the sheet comes as an empty tuple. The caller has refused any XML
declaration (``<!DOCTYPE``, ``<!ENTITY``) in the workbook before it gets here
(``imports.tables``), and expat limits entity expansion besides. Only the shared
strings are held in memory; the sheet is read a row at a time.
"""

import functools
import posixpath
from xml.etree.ElementTree import XMLPullParser, fromstring

from openpyxl.styles.numbers import (
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

WORKBOOK = "xl/workbook.xml"
RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
OFFICE_RELATIONSHIP_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
)
READ_BYTES = 64 * 1024


class UnreadableWorkbook(Exception):
    """Not the workbook this reader needs (no sheet, a broken part)."""


def local(tag):
    """'{namespace}row' -> 'row'."""
    return tag.rpartition("}")[2]


def _children(element, name):
    return [child for child in element if local(child.tag) == name]


def _text(element):
    """A string item's text: its <t>, or its runs' <t>s (not phonetic hints)."""
    parts = []
    for child in element:
        name = local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if local(t.tag) == "t")
    return "".join(parts)


@functools.cache
def _column_of_letters(letters):
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _column(reference):
    """'AB12' -> 28."""
    return _column_of_letters(reference.rstrip("0123456789"))


def _number(text):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class Workbook:
    """The first sheet of the workbook in ``archive`` (a zipfile.ZipFile)."""

    def __init__(self, archive):
        self.archive = archive
        workbook = fromstring(archive.read(WORKBOOK))
        relationships = self._relationships()
        sheets = [s for e in _children(workbook, "sheets") for s in e]
        if not sheets or sheets[0].get(OFFICE_RELATIONSHIP_ID) not in relationships:
            raise UnreadableWorkbook("no sheet")
        self.sheet = relationships[sheets[0].get(OFFICE_RELATIONSHIP_ID)][1]
        properties = _children(workbook, "workbookPr")
        date1904 = properties and properties[0].get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        parts = dict(relationships.values())
        self.shared = self._shared_strings(parts.get("sharedStrings"))
        self.dates, self.durations = self._date_styles(parts.get("styles"))

    def _relationships(self):
        """{id: (type, path in the archive)} of the workbook's parts."""
        found = {}
        for item in fromstring(self.archive.read(RELATIONSHIPS)):
            target = item.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join("xl", target))
            found[item.get("Id")] = (item.get("Type", "").rpartition("/")[2], path)
        return found

    def _shared_strings(self, path):
        strings = []
        if path is None:
            return strings
        for element in self._elements(path, "si"):
            strings.append(_text(element).replace("x005F_", ""))
        return strings

    def _date_styles(self, path):
        """The cell styles (their index) that show a number as a date, a duration."""
        if path is None:
            return set(), set()
        styles = fromstring(self.archive.read(path))
        custom = {
            int(f.get("numFmtId")): f.get("formatCode", "")
            for e in _children(styles, "numFmts")
            for f in e
        }
        dates, durations = set(), set()
        cells = [xf for e in _children(styles, "cellXfs") for xf in e]
        for index, xf in enumerate(cells):
            number_format = int(xf.get("numFmtId", 0))
            code = custom.get(number_format) or builtin_format_code(number_format)
            if code and is_date_format(code):
                dates.add(index)
            if code and is_timedelta_format(code):
                durations.add(index)
        return dates, durations

    def _elements(self, path, name):
        """Each finished element called ``name`` of part ``path``, then dropped."""
        parser = XMLPullParser(events=("start", "end"))
        parents = []
        with self.archive.open(path) as source:
            while chunk := source.read(READ_BYTES):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        parents.append(element)
                        continue
                    parents.pop()
                    if local(element.tag) == name:
                        yield element
                        if parents:  # forget it: memory stays one element deep
                            parents[-1].clear()
            parser.close()

    def rows(self):
        """Tuples of cell values, one per sheet row from row 1 (gaps as ())."""
        parser = XMLPullParser(events=("start", "end"))
        depth, sheet_data, expected = 0, None, 1
        with self.archive.open(self.sheet) as source:
            while chunk := source.read(READ_BYTES):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        if depth == 2:
                            sheet_data = element
                            self._tags(element.tag)
                        continue
                    depth -= 1
                    if depth != 2 or element.tag != self.row_tag:
                        continue
                    number = int(element.get("r") or expected)
                    while expected < number:
                        yield ()
                        expected += 1
                    yield self._values(element)
                    expected = number + 1
                    sheet_data.clear()  # memory stays one row deep
            parser.close()

    def _tags(self, tag):
        """The sheet's own names of the elements read (its XML namespace)."""
        namespace = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        self.row_tag = namespace + "row"
        self.value_tag = namespace + "v"
        self.inline_tag = namespace + "is"
        self.text_tag = namespace + "t"

    def _values(self, row):
        values = []
        for cell in row:
            reference = cell.get("r")
            if reference:
                column = _column(reference)
                if column > len(values) + 1:
                    values.extend([None] * (column - len(values) - 1))
            values.append(self._value(cell))
        return tuple(values)

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(self.inline_tag)
            if inline is None:
                return None
            if len(inline) == 1 and inline[0].tag == self.text_tag:  # no runs
                return inline[0].text or ""
            return _text(inline)
        text = cell.findtext(self.value_tag)
        if not text:
            return None
        if kind == "n":
            value = _number(text)
            style = cell.get("s")
            if style and int(style) in self.dates:
                try:
                    return from_excel(
                        value, self.epoch, timedelta=int(style) in self.durations
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"  # as openpyxl: a date out of range
            return value
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text), "e" (an error such as #N/A)
