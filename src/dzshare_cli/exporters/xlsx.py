"""Excel workbooks (openpyxl): titled, bold frozen header, wrapped text, A4 landscape pages.

openpyxl is imported only when a workbook is written: it takes longer to import than the rest
of dzshare together.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from datetime import date, datetime
from typing import Any

from dzshare_cli.exporters.csv_format import FORMULA_STARTS
from dzshare_cli.render import Cell, Lang, View, flat, say

MAX_TEXT_WIDTH = 60  # the task text column; it wraps
MAX_COLUMN_WIDTH = 24  # every other column; long units and deadlines wrap
LINE_HEIGHT = 15  # points per line of 11-point text
BODY_POINTS, TITLE_POINTS = 11, 14  # font sizes of the cells and of the document title
#: Characters Excel refuses in sheet names, which are also at most 31 characters long.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_ROW = 3  # row 1: document title, row 2: the view's heading line
#: The most characters Excel keeps in a cell; a longer text makes it call the file damaged.
EXCEL_CELL_CHARS = 32_767


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique sheet names for the given titles."""
    used: set[str] = set()
    result = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "Sheet"
        if base.casefold() == "history":  # Excel keeps this name for itself
            base = f"{base}_"
        candidate, number = base[:31], 2
        while candidate.casefold() in used:
            suffix = f" ({number})"
            candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def to_xlsx(view: View, lang: Lang) -> bytes:
    """A workbook of one sheet, or of a sheet per part of a document view."""
    if view.parts:
        for part in view.parts:
            part.title = view.title
        return workbook([(part.heading, part) for part in view.parts], lang)
    return workbook([("dzshare", view)], lang)


def workbook(sheets: list[tuple[str, View]], lang: Lang) -> bytes:
    """A workbook with one sheet per (name, view), in order."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (_, view) in zip(sheet_names([name for name, _ in sheets]), sheets):
        _fill_sheet(book.create_sheet(name), view, lang)
    return stable_bytes(book, _as_of(view for _, view in sheets))


#: What a workbook says it was made on when its views carry no as-of date: the ZIP format's epoch.
_NO_DATE = date(1980, 1, 1)


def _as_of(views: Any) -> date:
    return next((view.options["as_of"] for view in views if "as_of" in view.options), _NO_DATE)


class _DatedZip(zipfile.ZipFile):
    """A ZIP whose entries all carry one date, where writestr() would stamp the clock's time
    and write() a file's (openpyxl writes each sheet to a temporary file first)."""

    stamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=self.stamp)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        with open(filename, "rb") as stream:
            self.writestr(arcname or str(filename), stream.read())


def stable_bytes(book: Any, made_on: date) -> bytes:
    """The workbook's bytes, the same for the same content: dated `made_on` (the as-of day) in
    its properties and in every ZIP entry, where openpyxl's save() writes the clock's time, so
    that a file rebuilt by CI differs only where its content does."""
    from openpyxl.writer.excel import ExcelWriter

    made = datetime(made_on.year, made_on.month, made_on.day)
    book.properties.created = book.properties.modified = made
    out = io.BytesIO()
    archive = _DatedZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.stamp = (max(made.year, 1980), made.month, made.day, 0, 0, 0)
    ExcelWriter(book, archive).save()  # closes the archive
    return out.getvalue()


def _fill_sheet(sheet: Any, view: View, lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    width = len(view.columns)
    _set_text(sheet.cell(row=1, column=1), view.title or view.heading)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=TITLE_POINTS)
    _set_text(sheet.cell(row=2, column=1), view.heading)
    sheet.cell(row=2, column=1).font = Font(italic=True)
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [display_width(column.header(lang)) for column in view.columns]
    for index, column in enumerate(view.columns, start=1):
        cell = sheet.cell(row=_HEADER_ROW, column=index)
        _set_text(cell, column.header(lang))  # matrix headers are task ids, which may be anything
        cell.font, cell.fill, cell.alignment = Font(bold=True), header_fill, wrap
    texts = [[_cell_text(value, lang) for value in row.cells] for row in view.rows]
    for row_number, row in enumerate(texts, start=_HEADER_ROW + 1):
        for index, text in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=index)
            _set_value(cell, text)
            cell.alignment = wrap
            longest_line = max((display_width(line) for line in text.split("\n")), default=0)
            widths[index - 1] = max(widths[index - 1], longest_line)
    column_widths = [min(max(chars + 2, 6), MAX_TEXT_WIDTH if column.key in ("text", "title") else MAX_COLUMN_WIDTH)
                     for chars, column in zip(widths, view.columns)]
    for index, width in enumerate(column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Neither Excel nor LibreOffice grows a row for wrapped text written by a program; without
    # a height the lines of long task texts would print on top of each other.
    for row_number, row in enumerate(texts, start=_HEADER_ROW + 1):
        needed = max(_wrapped_lines(text, width) for text, width in zip(row, column_widths))
        sheet.row_dimensions[row_number].height = LINE_HEIGHT * needed
    _wrap_heading_rows(sheet, sum(column_widths), wrap)
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _cell_text(value: Cell, lang: Lang) -> str:
    """A cell's whole text, unless it is longer than Excel keeps: then cut, saying so."""
    text = flat(value)
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    note = say("cut", lang, chars=len(text))
    return text[:EXCEL_CELL_CHARS - len(note)] + note


def _wrap_heading_rows(sheet: Any, sheet_width: float, wrap: Any) -> None:
    """The title and heading line wrap within the table's width: a merged cell cuts off what
    does not fit, and a report's sheet of two narrow columns is narrower than the title."""
    for row_number, points in ((1, TITLE_POINTS), (2, BODY_POINTS)):
        cell = sheet.cell(row=row_number, column=1)
        cell.alignment = wrap
        # A larger font takes more of the width per character, and more height per line.
        lines = _wrapped_lines(str(cell.value or ""), sheet_width * BODY_POINTS / points)
        if lines > 1:
            sheet.row_dimensions[row_number].height = LINE_HEIGHT * points / BODY_POINTS * lines


def _wrapped_lines(text: str, column_width: float) -> int:
    """How many lines a cell's text takes once wrapped in a column of this width."""
    room = max((column_width - 1) * 0.85, 1)  # slack: office suites wrap before the edge
    # A line no wider than the column was sized for (its longest line + 2) is not wrapped.
    return sum(1 if display_width(line) <= column_width - 2 else max(1, math.ceil(display_width(line) / room))
               for line in text.split("\n"))


def _set_value(cell: Any, text: str) -> None:
    if text.isascii() and text.isdigit() and len(text) < 10:  # ids and counts are numbers
        cell.value = int(text)
        return
    _set_text(cell, text)


def _set_text(cell: Any, text: str) -> None:
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        # openpyxl stores a text starting with = as a formula; keep it a string, and mark it
        # quote-prefixed so that editing the cell in Excel or WPS does not turn it into one.
        cell.data_type = "s"
        cell.quotePrefix = True
