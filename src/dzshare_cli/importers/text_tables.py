"""Readers of text sources: the pipe-delimited dump of a table, CSV, and HTML tables."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

from dzshare_cli.importers.columns import SourceRow, SourceTable

#: In a pipe dump, a row starts with a | at the start of a line; cells inside it are indented.
_ROW_START = re.compile(r"^\|", re.MULTILINE)


def read_pipe_dump(text: str) -> SourceTable:
    """`| 1 | 成立… | 市行政审批局 | … |`, rows starting at the left edge, cells over several lines."""
    starts = [match.start() for match in _ROW_START.finditer(text)]
    rows = []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(text)]), start=1):
        chunk = text[start:end].rstrip()
        line = text.count("\n", 0, start) + 1
        cells = [_cell(cell) for cell in chunk.split("|")[1:]]
        while cells and not cells[-1]:
            cells.pop()  # the text after the closing |, and the empty cells of a merged row
        if cells:
            rows.append(SourceRow(cells, f"line {line}"))
    return SourceTable([], rows)


def _cell(raw: str) -> str:
    """A cell's lines, each stripped, blank ones dropped (line breaks separate units)."""
    return "\n".join(line.strip() for line in raw.splitlines() if line.strip())


def read_csv(text: str) -> SourceTable:
    rows = [SourceRow([_cell(cell) for cell in cells], f"row {number}")
            for number, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)]
    return SourceTable([], [row for row in rows if any(row.cells)])


class _HtmlTables(HTMLParser):
    """Collects the body text before the first table, and every table's cells with their spans;
    tables nested in a layout table are tables of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.preamble: list[str] = []
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._open: list[int] = []  # indexes in self.tables of the tables being read, innermost last
        self._cells: list[list[str] | None] = []  # the cell being read in each open table
        self._spans: list[tuple[int, int]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
            self._open.append(len(self.tables) - 1)
            self._cells.append(None)
            self._spans.append((1, 1))
        elif not self._open:
            return
        elif tag == "tr":
            self.tables[self._open[-1]].append([])
        elif tag in ("td", "th"):
            self._cells[-1] = []
            self._spans[-1] = (_span(values.get("rowspan")), _span(values.get("colspan")))
        elif tag in ("br", "p", "div") and self._cells[-1] is not None:
            self._cells[-1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._open:
            self._open.pop()
            self._cells.pop()
            self._spans.pop()
        elif tag in ("td", "th") and self._open and self._cells[-1] is not None:
            table = self.tables[self._open[-1]]
            if table:
                table[-1].append(("".join(self._cells[-1]), *self._spans[-1]))
            self._cells[-1] = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._open and self._cells[-1] is not None:
            self._cells[-1].append(data)
        elif not self.tables and data.strip():
            self.preamble.append(data.strip())


def _span(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def read_html(text: str) -> SourceTable:
    """The first table with a header row (merged cells are repeated into every row they span)."""
    from dzshare_cli.importers.columns import header_columns

    parser = _HtmlTables()
    parser.feed(text)
    grids = [_expand(table) for table in parser.tables]
    chosen = next((grid for grid in grids if any(header_columns(row) for row in grid)),
                  grids[0] if grids else [])
    rows = [SourceRow([_cell(cell) for cell in cells], f"table row {number}")
            for number, cells in enumerate(chosen, start=1)]
    return SourceTable(parser.preamble, rows)


def _expand(table: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows with rowspan/colspan cells copied into every place they cover."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for row_index, cells in enumerate(table):
        row: list[str] = []
        column = 0
        queue = list(cells)
        while queue or (row_index, column) in pending:
            if (row_index, column) in pending:
                row.append(pending.pop((row_index, column)))
                column += 1
                continue
            text, rowspan, colspan = queue.pop(0)
            for extra_row in range(rowspan):
                for extra_column in range(colspan):
                    if extra_row or extra_column:
                        pending[(row_index + extra_row, column + extra_column)] = text
            row.append(text)
            column += 1
        grid.append(row)
    return grid
