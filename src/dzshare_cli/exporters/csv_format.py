"""CSV output, with cells a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io

from dzshare_cli.render import Lang, View, flat

#: A cell starting with one of these is a formula to Excel, WPS and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Prefix a would-be formula with ' so that a spreadsheet shows it as text (OWASP advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(text: str) -> str:
    # The writer quotes a field holding "\n" (our line end) but not a bare "\r", which would
    # then split the row: line breaks inside a cell are written as "\n".
    return spreadsheet_safe(text).replace("\r\n", "\n").replace("\r", "\n")


def to_csv(view: View, lang: Lang) -> str:
    """A header row and the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_cell(column.header(lang)) for column in view.columns)
    writer.writerows([_cell(flat(cell)) for cell in row.cells] for row in view.rows)
    return out.getvalue()
