"""The one registry of output formats: each turns a View into a rich renderable, text or bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from rich.console import RenderableType

from dzshare_cli.exporters.csv_format import to_csv
from dzshare_cli.exporters.html import to_html
from dzshare_cli.exporters.ics import to_ics
from dzshare_cli.exporters.json_format import to_json
from dzshare_cli.exporters.markdown import to_markdown
from dzshare_cli.exporters.xlsx import to_xlsx
from dzshare_cli.render import Lang, View, plain_text, to_table

UTF8_BOM = b"\xef\xbb\xbf"


class Format(str, Enum):
    """Output formats; every command that shows a view offers all of them."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"
    XLSX = "xlsx"
    HTML = "html"
    ICS = "ics"


@dataclass(frozen=True)
class Formatter:
    render: Callable[[View, Lang], RenderableType | str | bytes]
    suffix: str
    #: False for data formats: their heading line goes to stderr so the data stays clean.
    includes_heading: bool
    binary: bool = False
    #: Written before the data in files: a BOM makes Excel and WPS read CSV as UTF-8.
    file_prefix: bytes = b""


FORMATTERS: dict[Format, Formatter] = {
    Format.TABLE: Formatter(to_table, ".txt", includes_heading=True),
    Format.JSON: Formatter(to_json, ".json", includes_heading=False),
    Format.CSV: Formatter(to_csv, ".csv", includes_heading=False, file_prefix=UTF8_BOM),
    Format.MD: Formatter(to_markdown, ".md", includes_heading=True),
    Format.XLSX: Formatter(to_xlsx, ".xlsx", includes_heading=True, binary=True),
    Format.HTML: Formatter(to_html, ".html", includes_heading=True),
    Format.ICS: Formatter(to_ics, ".ics", includes_heading=False, binary=True),
}


def file_bytes(fmt: Format, view: View, lang: Lang) -> bytes:
    """What a file of this format holds for a view (a table becomes plain text)."""
    formatter = FORMATTERS[fmt]
    rendered = formatter.render(view, lang)
    data = rendered if isinstance(rendered, bytes) else (
        rendered if isinstance(rendered, str) else plain_text(rendered)).encode("utf-8")
    return formatter.file_prefix + data
