"""Readers of office files: Excel sheets (openpyxl, streamed) and Word tables (python-docx), bounded by limits.py."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

from dzshare_cli.importers.columns import SourceRow, SourceTable, header_columns
from dzshare_cli.limits import MAX_COLUMNS, ReadBudget, span_value


def _open_archive(data: bytes, budget: ReadBudget) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    budget.check_archive(archive)  # before a library unpacks and parses any part
    return archive


def read_xlsx(data: bytes, budget: ReadBudget) -> SourceTable:
    """The first sheet with a header row; a merged range's value fills every cell it covers."""
    from openpyxl import load_workbook

    archive = _open_archive(data, budget)
    # Read-only mode streams a sheet's rows instead of building every cell (and every cell of
    # every merged range) in memory first; it skips the merged ranges, which _merged_ranges reads.
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            grid = _sheet_grid(sheet, budget)
            carried = _fill_merged_ranges(grid, _merged_ranges(archive, sheet, budget), sheet.title, budget)
            rows = [SourceRow(cells, f"sheet {sheet.title} row {number}", frozenset(carried.get(number - 1, ())))
                    for number, cells in enumerate(grid, start=1) if any(cells)]
            if any(header_columns(row.cells) for row in rows):
                # The rows above the header (title, 附件) are read from the rows by the importer;
                # a preamble of them as well would give a title merged over four cells five times.
                return SourceTable([], rows)
    finally:
        book.close()
    return SourceTable([], [])


def _sheet_grid(sheet: Any, budget: ReadBudget) -> list[list[str]]:
    """The sheet's cells as texts, row by row as stored (a row ends at its last cell)."""
    # The <dimension> a file declares is not trusted: A1:XFD1048576 would pad every row to
    # 16,384 cells and add empty rows down to the millionth.
    sheet.reset_dimensions()
    grid = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        tail = values[MAX_COLUMNS.value:]
        if tail and tail.count(None) == len(tail):  # a styled but empty cell far to the right
            values = values[:MAX_COLUMNS.value]
        cells = [_text(value) for value in values]
        budget.add_row(cells, f"sheet {sheet.title} row {number}")
        grid.append(cells)
    return grid


def _merged_ranges(archive: zipfile.ZipFile, sheet: Any, budget: ReadBudget) -> list[tuple[str, tuple[Any, ...]]]:
    """The <mergeCell ref="A1:E1"/> ranges of a sheet, read from its XML with a streaming,
    entity-refusing parser (the part's size was bounded before)."""
    from defusedxml.sax import make_parser
    from openpyxl.utils.cell import range_boundaries
    from xml.sax.handler import ContentHandler

    found: list[tuple[str, tuple[Any, ...]]] = []

    class MergeCells(ContentHandler):
        def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802 (SAX's name)
            if name.rpartition(":")[2] == "mergeCell" and attrs.get("ref"):
                budget.add_cells(1, f"sheet {sheet.title} merged range {attrs['ref'][:40]}")
                found.append((attrs["ref"], range_boundaries(attrs["ref"])))

    parser = make_parser()
    parser.setContentHandler(MergeCells())
    # openpyxl keeps where the sheet's XML is in the package; read-only sheets have no other way.
    with archive.open(sheet._worksheet_path) as stream:
        parser.parse(stream)
    return found


def _fill_merged_ranges(grid: list[list[str]], ranges: list[tuple[str, tuple[Any, ...]]], title: str,
                        budget: ReadBudget) -> dict[int, set[int]]:
    """Each range's top-left text copied into every cell it covers, within the used area (the
    rows and columns that hold a value): F1:XFD1048576 over a table of 20 rows and 6 columns
    covers F1:F20, as far as anything can be seen next to it. Returns, by row index, the columns
    whose cell a range carried down from the row above."""
    carried: dict[int, set[int]] = {}
    used_rows = max((number for number, cells in enumerate(grid, start=1) if any(cells)), default=0)
    used_columns = max((max((index for index, cell in enumerate(cells, start=1) if cell), default=0)
                        for cells in grid), default=0)
    for ref, (min_column, min_row, max_column, max_row) in ranges:
        min_column, min_row = min_column or 1, min_row or 1  # a whole row (1:1) or column (A:A)
        max_column = min(max_column or used_columns, used_columns)
        max_row = min(max_row or used_rows, used_rows)
        if min_row > max_row or min_column > max_column:
            continue
        budget.add_cells((max_row - min_row + 1) * (max_column - min_column + 1) - 1,
                         f"sheet {title} merged range {ref[:40]}")
        top_left = grid[min_row - 1]
        value = top_left[min_column - 1] if min_column <= len(top_left) else ""
        for cells in grid[min_row - 1:max_row]:
            cells.extend([""] * (max_column - len(cells)))
            cells[min_column - 1:max_column] = [value] * (max_column - min_column + 1)
        for row_index in range(min_row, max_row):  # the rows below the range's first
            carried.setdefault(row_index, set()).update(range(min_column - 1, max_column))
    return carried


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):  # a date cell: the day, not a timestamp
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    text = str(value)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT, _BREAK, _TYPE = f"{_W}t", f"{_W}br", f"{_W}type"
#: What each element of a run's content stands for in the text (w:t: its own text).
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def read_docx(data: bytes, budget: ReadBudget) -> SourceTable:
    """The first table with a header row, and the tables after it with as many columns (a long
    table that a page break or a note split in two); the paragraphs before it are the preamble."""
    import docx

    _open_archive(data, budget)
    document = docx.Document(io.BytesIO(data))
    preamble: list[str] = []
    rows: list[SourceRow] = []
    width = None
    table_number = 0
    for element in document.element.body.iterchildren():
        budget.add_cells(1, "the body of the document")  # paragraphs count as read, like cells
        if element.tag.endswith("}p") and width is None:
            text = _word_text(element).strip()
            if text:
                budget.add_rows(1, "the paragraphs above the table")
                budget.check_text(text, "a paragraph above the table")
                preamble.append(text)
        elif element.tag.endswith("}tbl"):
            table_number += 1
            columns = _grid_columns(element)
            budget.check_columns(columns, f"table {table_number}")
            found = _word_rows(element, columns, table_number, budget)
            if width is None and any(header_columns(row.cells) for row in found):
                width = columns
                rows += found
            elif width is not None and columns == width:
                rows += found
    return SourceTable(preamble, rows)


def _grid_columns(table: Any) -> int:
    """The columns of a Word table's layout grid (<w:tblGrid>), which Word draws its cells on."""
    grid = table.tblGrid
    return sum(1 for _ in grid.iterchildren(f"{_W}gridCol")) if grid is not None else 0


def _word_rows(table: Any, columns: int, number: int, budget: ReadBudget) -> list[SourceRow]:
    """Each row's texts by grid column: a cell spanning columns (gridSpan) repeats its text in
    each, clipped to the grid; a cell continuing a vertical merge takes the text above it."""
    rows: list[SourceRow] = []
    above: list[str] = []  # the row above, resolved: vertical merges chain down without recursion
    # Elements are iterated, not listed: a list of a million rows is built before any is counted.
    for row_number, row in enumerate(table.iterchildren(f"{_W}tr"), start=1):
        where = f"table {number} row {row_number}"
        budget.add_rows(1, where)
        cells = [""] * min(_grid_before(row), columns)
        carried: set[int] = set()
        for cell in row.iterchildren(f"{_W}tc"):
            column = len(cells)
            span = min(span_value(_attribute(cell.tcPr, f"{_W}gridSpan")), max(columns - column, 1))
            budget.check_columns(column + span, where)
            budget.add_cells(span, where)
            if cell.vMerge == "continue":
                texts = above[column:column + span]
                texts += [""] * (span - len(texts))
                carried.update(range(column, column + span))
            else:
                text = _text("\n".join(_word_text(paragraph) for paragraph in cell.iterchildren(f"{_W}p")))
                budget.check_text(text, where)
                texts = [text] * span
            cells += texts
        above = cells
        rows.append(SourceRow(cells, where, frozenset(carried)))
    return rows


def _word_text(paragraph: Any) -> str:
    """A Word paragraph's text as python-docx gives it (tabs, line breaks), walked by lxml in C:
    python-docx's own Paragraph.text and _Cell.text cost 100 µs a cell."""
    parts = []
    for element in paragraph.iter(_TEXT, _BREAK, *_RUN_TEXT):
        tag = element.tag
        if tag == _TEXT:
            parts.append(element.text or "")
        elif tag == _BREAK:  # a page or column break is no break in the text
            parts.append("" if element.get(_TYPE) in ("page", "column") else "\n")
        else:
            parts.append(_RUN_TEXT[tag])
    return "".join(parts)


def _attribute(properties: Any, tag: str) -> str | None:
    """w:val of a property element (gridSpan, gridBefore) as written, before any int() of it."""
    element = properties.find(tag) if properties is not None else None
    return element.get(f"{_W}val") if element is not None else None


def _grid_before(row: Any) -> int:
    """The grid columns a row leaves empty before its first cell."""
    text = _attribute(row.trPr, f"{_W}gridBefore")
    return span_value(text) if text and text.strip().strip("0") else 0
