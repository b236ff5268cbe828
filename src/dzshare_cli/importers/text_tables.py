"""Readers of text sources: the pipe-delimited dump of a table, CSV, and HTML tables."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from dzshare_cli.importers.columns import SourceRow, SourceTable, iter_lines
from dzshare_cli.limits import ReadBudget, span_value

#: In a pipe dump, a row starts with a | at the start of a line; cells inside it are indented.
_ROW_START = re.compile(r"^\|", re.MULTILINE)


def read_pipe_dump(text: str, budget: ReadBudget) -> SourceTable:
    """`| 1 | 成立… | 市行政审批局 | … |`, rows starting at the left edge, cells over several lines."""
    rows = []
    line, counted_to = 1, 0
    starts = (match.start() for match in _ROW_START.finditer(text))
    start = next(starts, None)
    while start is not None:
        end = next(starts, None)
        chunk = text[start:len(text) if end is None else end].rstrip()
        line += text.count("\n", counted_to, start)  # counted on from the row before: linear
        counted_to = start
        where = f"line {line}"
        budget.add_rows(1, where)  # a row of nothing (|) too: ten million of them are no table
        budget.check_columns(chunk.count("|") - 1, where)  # before splitting a row of a million |
        cells = [_cell(cell) for cell in chunk.split("|")[1:]]
        while cells and not cells[-1]:
            cells.pop()  # the text after the closing |, and the empty cells of a merged row
        if cells:
            budget.add_cells(len(cells), where)
            for cell in cells:
                budget.check_text(cell, where)
            rows.append(SourceRow(cells, where))
        start = end
    return SourceTable([], rows)


def _cell(raw: str) -> str:
    """A cell's lines, each stripped, blank ones dropped (line breaks separate units)."""
    return "\n".join(line.strip() for line in raw.splitlines() if line.strip())


def read_csv(text: str, budget: ReadBudget) -> SourceTable:
    rows = []
    for number, cells in enumerate(csv.reader(_counted_lines(text.lstrip("\ufeff"), budget)), start=1):
        where = f"row {number}"
        budget.check_columns(len(cells), where)
        row = SourceRow([_cell(cell) for cell in cells], where)
        budget.add_row(row.cells, where)
        if any(row.cells):
            rows.append(row)
    return SourceTable([], rows)


def _counted_lines(text: str, budget: ReadBudget) -> Iterator[str]:
    """The lines of a CSV text, each refused before the csv module splits it if it holds more
    separators than any table row could."""
    for number, line in enumerate(iter_lines(text), start=1):
        budget.check_separators(line.count(","), f"line {number}")
        yield line


class _HtmlTables(HTMLParser):
    """Collects the body text before the first table, and every table's cells with their spans;
    tables nested in a layout table are tables of their own."""

    def __init__(self, budget: ReadBudget) -> None:
        super().__init__(convert_charrefs=True)
        self.preamble: list[str] = []
        self.tables: list[list[list[_HtmlCell]]] = []
        self._budget = budget
        self._open: list[int] = []  # indexes in self.tables of the tables being read, innermost last
        self._cells: list[list[str] | None] = []  # the cell being read in each open table
        self._spans: list[tuple[int, int]] = []
        self._skip = 0

    def _where(self) -> str:
        table = self._open[-1]
        return f"table {table + 1} row {len(self.tables[table])}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._budget.add_elements(1, f"a <{tag[:20]}> tag at line {self.getpos()[0]}")
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
            self._budget.add_rows(1, self._where())
        elif tag in ("td", "th"):
            self._cells[-1] = []
            self._spans[-1] = (span_value(values.get("rowspan")), span_value(values.get("colspan")))
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
                where = self._where()
                self._budget.check_columns(len(table[-1]) + 1, where)
                self._budget.add_cells(1, where)
                text = "".join(self._cells[-1])
                self._budget.check_text(text, where)
                table[-1].append(_HtmlCell(text, *self._spans[-1]))
            self._cells[-1] = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._open and self._cells[-1] is not None:
            self._cells[-1].append(data)
        elif not self.tables and data.strip():
            self.preamble.append(data.strip())


@dataclass(frozen=True)
class _HtmlCell:
    text: str
    rowspan: int
    colspan: int


def read_html(text: str, budget: ReadBudget) -> SourceTable:
    """The first table with a header row (merged cells are repeated into every row they span)."""
    from dzshare_cli.importers.columns import header_columns

    parser = _HtmlTables(budget)
    parser.feed(text)
    grids = [_expand(table, budget, number) for number, table in enumerate(parser.tables, start=1)]
    chosen = next((grid for grid in grids if any(header_columns(row) for row, _ in grid)),
                  grids[0] if grids else [])
    rows = [SourceRow([_cell(cell) for cell in cells], f"table row {number}", carried)
            for number, (cells, carried) in enumerate(chosen, start=1)]
    return SourceTable(parser.preamble, rows)


def _expand(table: list[list[_HtmlCell]], budget: ReadBudget, number: int) -> list[tuple[list[str], frozenset[int]]]:
    """Rows with rowspan/colspan cells copied into every place they cover, clipped to the rows of
    the table (as browsers do) and to the columns some cell starts in: a span reaching past
    them covers nothing there, so `rowspan=100000 colspan=100000` costs one cell, not 10^10.
    Each row comes with the columns a rowspan carried down into it from the row above."""
    height = len(table)
    placed: list[tuple[int, int, _HtmlCell]] = []  # (row, column, cell)
    from_above: list[tuple[int, int, int]] = []  # (first column, end column, last row) of rowspans
    for row_index, cells in enumerate(table):
        from_above = [span for span in from_above if span[2] >= row_index]
        taken = sorted((start, end) for start, end, _ in from_above)
        column = next_taken = 0
        for cell in cells:
            while next_taken < len(taken) and taken[next_taken][0] <= column:
                column = max(column, taken[next_taken][1])  # a cell from a row above is here
                next_taken += 1
            budget.check_columns(column + 1, f"table {number} row {row_index + 1}")
            placed.append((row_index, column, cell))
            rowspan = min(cell.rowspan, height - row_index)
            if rowspan > 1:
                from_above.append((column, column + cell.colspan, row_index + rowspan - 1))
            column += cell.colspan
    width = max((column for _, column, _ in placed), default=-1) + 1
    grid: list[dict[int, str]] = [{} for _ in range(height)]
    carried: list[set[int]] = [set() for _ in range(height)]
    for row_index, column, cell in placed:
        rowspan, colspan = min(cell.rowspan, height - row_index), min(cell.colspan, width - column)
        budget.add_cells(rowspan * colspan - 1, f"table {number} row {row_index + 1}")  # the copies
        for row in grid[row_index:row_index + rowspan]:
            row.update(dict.fromkeys(range(column, column + colspan), cell.text))
        for below in carried[row_index + 1:row_index + rowspan]:
            below.update(range(column, column + colspan))
    return [([row.get(column, "") for column in range(max(row, default=-1) + 1)], frozenset(spanned))
            for row, spanned in zip(grid, carried)]
