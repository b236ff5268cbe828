"""Readers of office files: Excel sheets (openpyxl) and Word tables (python-docx)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from dzshare_cli.importers.columns import SourceRow, SourceTable, header_columns


def read_xlsx(path: Path) -> SourceTable:
    """The first sheet with a header row; a merged range's value fills every cell it covers."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=False, data_only=True)
    for sheet in book.worksheets:
        merged = {}
        for cell_range in sheet.merged_cells.ranges:
            value = sheet.cell(cell_range.min_row, cell_range.min_col).value
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for column in range(cell_range.min_col, cell_range.max_col + 1):
                    merged[(row, column)] = value
        grid = [[_text(merged.get((cell.row, cell.column), cell.value)) for cell in row]
                for row in sheet.iter_rows()]
        rows = [SourceRow(cells, f"sheet {sheet.title} row {number}")
                for number, cells in enumerate(grid, start=1) if any(cells)]
        header = next((index for index, row in enumerate(rows) if header_columns(row.cells)), None)
        if header is not None:
            preamble = [" ".join(cell for cell in row.cells if cell) for row in rows[:header]]
            return SourceTable(preamble, rows)
    return SourceTable([], [])


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):  # a date cell: the day, not a timestamp
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    text = str(value)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def read_docx(path: Path) -> SourceTable:
    """The first table with a header row, and the tables after it with as many columns (a long
    table that a page break or a note split in two); the paragraphs before it are the preamble."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    preamble: list[str] = []
    rows: list[SourceRow] = []
    width = None
    table_number = 0
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p") and width is None:
            text = Paragraph(element, document).text.strip()
            if text:
                preamble.append(text)
        elif element.tag.endswith("}tbl"):
            table_number += 1
            table = Table(element, document)
            found = [SourceRow([_text(cell.text) for cell in row.cells], f"table {table_number} row {number}")
                     for number, row in enumerate(table.rows, start=1)]
            if width is None and any(header_columns(row.cells) for row in found):
                width = len(table.columns)
                rows += found
            elif width is not None and len(table.columns) == width:
                rows += found
    return SourceTable(preamble, rows)
