"""The bounds on reading an untrusted source file (sizes, rows, columns, cells, spans, time), in one place."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from dzshare_cli.errors import EXIT_INVALID, DzshareError

_MB = 1024 * 1024
_TOO_BIG = "a published task table is far smaller: is this the right file?"


@dataclass(frozen=True)
class Limit:
    """One bound: its name in messages and the README, its value, and what to do about it."""

    name: str
    value: int
    unit: str  # "bytes", "seconds" or "" (a count)
    hint: str

    @property
    def shown(self) -> str:
        if self.unit == "bytes":
            return f"{self.value // _MB} MB" if self.value >= _MB else f"{self.value:,} bytes"
        if self.unit == "seconds":
            return f"{self.value} s"
        return f"{self.value:,}"


# A real published table has at most a few thousand rows and a few dozen columns; each bound is
# far above that, and far below what would exhaust memory (reading the largest source the bounds
# allow stays under 300 MB).
MAX_SOURCE_BYTES = Limit("max-source-bytes", 20 * _MB, "bytes", _TOO_BIG)
MAX_ZIP_MEMBERS = Limit("max-zip-members", 5_000, "", "an office file holds a few dozen parts: is this the right file?")
MAX_UNPACKED_BYTES = Limit("max-unpacked-bytes", 100 * _MB, "bytes",
                           "the office file unpacks to far more than a table needs (a zip bomb?)")
#: One XML part (a sheet, shared strings, the Word body) is parsed whole by the office libraries.
MAX_PART_BYTES = Limit("max-part-bytes", 16 * _MB, "bytes",
                       "save only the table in a file of its own, or as .csv")
#: Elements of one XML part or HTML page: a Word body is held whole in memory at about 130 bytes
#: an element (16 MB of <w:p/> would take 400 MB), and each HTML tag costs the parser 6 µs; real
#: files have one element in 100 bytes or more.
MAX_ELEMENTS = Limit("max-elements", 1_000_000, "", "save only the table in a file of its own, or as .csv")
#: Separators on one line of a CSV file: the csv module builds a row's every field before a row
#: can be counted, so a line of ten million commas would take gigabytes.
MAX_LINE_SEPARATORS = Limit("max-line-separators", 1_000, "",
                            "a row of a task table has a few dozen cells: is this the right file?")
MAX_ROWS = Limit("max-rows", 10_000, "", "a published task table has a few thousand rows at most: "
                 "delete what is below the table, or is this the right file?")
MAX_COLUMNS = Limit("max-columns", 100, "", "a task table has a few dozen columns at most: delete the "
                    "columns right of the table, or save it as .csv")
#: Cells read, counting every copy a merged cell or a span makes of its text.
MAX_CELLS = Limit("max-cells", 500_000, "", _TOO_BIG)
MAX_CELL_CHARS = Limit("max-cell-chars", 100_000, "", "a task's text is a few hundred characters: "
                       "is this cell the right one?")
MAX_READ_SECONDS = Limit("max-read-seconds", 30, "seconds", "save only the table in a file of its own, or as .csv")
#: Spans beyond this are clipped like any other: the area read bounds them (a browser clips
#: colspan at 1,000 and rowspan at 65,534); the cap only keeps the number itself small.
MAX_SPAN = 1_000_000


class LimitError(DzshareError):
    """A source that goes over one of the bounds: one line naming the limit."""

    exit_code = EXIT_INVALID

    def __init__(self, source: str, what: str, limit: Limit) -> None:
        what = " ".join(what.split())  # a sheet's title may hold a line break: still one line
        super().__init__(f"{source}: {what} exceeds the limit of {limit.shown} ({limit.name}); {limit.hint}")
        self.limit = limit


def read_source(stream: BinaryIO, source: str) -> bytes:
    """A source's bytes, reading at most one byte past the size limit (a pipe or a device too)."""
    data = stream.read(MAX_SOURCE_BYTES.value + 1)
    if len(data) > MAX_SOURCE_BYTES.value:
        raise LimitError(source, "the size of the source", MAX_SOURCE_BYTES)
    return data


def span_value(text: str | None) -> int:
    """A rowspan, colspan or gridSpan attribute as a number from 1 to MAX_SPAN (1 when unreadable)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_SPAN)):  # no int() of a 5,000-digit number
        return MAX_SPAN
    return max(1, min(int(text), MAX_SPAN))


class ReadBudget:
    """What one import has read so far, against the limits; every reader reports to it."""

    def __init__(self, source: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.rows_read = 0
        self.cells_read = 0
        self.elements_read = 0
        self._clock = clock
        self._started = clock()

    def refuse(self, what: str, limit: Limit) -> LimitError:
        return LimitError(self.source, what, limit)

    def check_archive(self, archive: zipfile.ZipFile) -> None:
        """An office file's parts, by the sizes its directory declares (zipfile never unpacks
        more than a member declares, so these bound the work) before any part is parsed."""
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS.value:
            raise self.refuse("the number of parts in the zip file", MAX_ZIP_MEMBERS)
        # Pictures and the like are kept as bytes, never parsed; XML parts are parsed whole.
        parts = [member for member in members if member.filename.endswith((".xml", ".rels"))]
        for part in parts:
            if part.file_size > MAX_PART_BYTES.value:
                raise self.refuse(f"the unpacked size of {part.filename}", MAX_PART_BYTES)
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES.value:
            raise self.refuse("the unpacked size of the zip file", MAX_UNPACKED_BYTES)
        for part in parts:
            xml = archive.read(part)  # at most MAX_PART_BYTES, one part at a time
            # Start tags, counted in C: every < that opens neither an end tag, a comment nor a declaration.
            elements = xml.count(b"<") - xml.count(b"</") - xml.count(b"<!") - xml.count(b"<?")
            if elements > MAX_ELEMENTS.value:
                raise self.refuse(f"the number of XML elements in {part.filename}", MAX_ELEMENTS)
            self.check_time()

    def add_elements(self, count: int, where: str) -> None:
        """`count` more tags of an HTML page parsed."""
        self.elements_read += count
        if self.elements_read > MAX_ELEMENTS.value:
            raise self.refuse(f"the number of elements read ({where})", MAX_ELEMENTS)
        self.check_time()

    def check_separators(self, count: int, where: str) -> None:
        if count > MAX_LINE_SEPARATORS.value:
            raise self.refuse(f"the number of separators on a line ({where})", MAX_LINE_SEPARATORS)

    def check_columns(self, columns: int, where: str) -> None:
        if columns > MAX_COLUMNS.value:
            raise self.refuse(f"the number of columns ({where})", MAX_COLUMNS)

    def add_rows(self, count: int, where: str) -> None:
        self.rows_read += count
        if self.rows_read > MAX_ROWS.value:
            raise self.refuse(f"the number of rows read ({where})", MAX_ROWS)
        self.check_time()

    def add_cells(self, count: int, where: str) -> None:
        """`count` more cells read, or copied from a merged cell or a span."""
        self.cells_read += count
        if self.cells_read > MAX_CELLS.value:
            raise self.refuse(f"the number of cells read ({where})", MAX_CELLS)
        self.check_time()

    def add_row(self, cells: list[str], where: str) -> None:
        """One row of cells, as a reader found it."""
        self.check_columns(len(cells), where)
        self.add_rows(1, where)
        self.add_cells(len(cells), where)
        for cell in cells:
            self.check_text(cell, where)

    def check_text(self, text: str, where: str) -> None:
        if len(text) > MAX_CELL_CHARS.value:
            raise self.refuse(f"the length of a cell ({where})", MAX_CELL_CHARS)

    def check_time(self) -> None:
        if self._clock() - self._started > MAX_READ_SECONDS.value:
            raise self.refuse("the time spent reading", MAX_READ_SECONDS)
