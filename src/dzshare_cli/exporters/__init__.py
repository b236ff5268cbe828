"""The one registry of output formats: each turns a View into a rich renderable, text or bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from importlib import import_module

from rich.console import RenderableType

from dzshare_cli.render import Lang, View, plain_text, to_table

UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_REMIND_DAYS = 7  # ics: days before a milestone that its reminder fires


class TimelineFormat(str, Enum):
    """Outputs of `dzshare timeline` (exporters.timeline_picture draws them)."""

    TABLE = "table"
    SVG = "svg"
    HTML = "html"


class DiffFormat(str, Enum):
    """Outputs of `dzshare diff` (diff.DIFF_RENDERERS writes them)."""

    TEXT = "text"
    MD = "md"
    JSON = "json"


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
    """How a format renders a view, and how its files are named and written."""

    render: Callable[[View, Lang], RenderableType | str | bytes]
    suffix: str
    #: False for data formats: their heading line goes to stderr so the data stays clean.
    includes_heading: bool
    binary: bool = False
    #: Written before the data in files: a BOM makes Excel and WPS read CSV as UTF-8.
    file_prefix: bytes = b""


def _imported(module: str, name: str) -> Callable[[View, Lang], RenderableType | str | bytes]:
    """`name` of exporters.`module`, imported on first use: a command run pays only for the
    format it writes (start-up is most of what `dzshare due` costs)."""
    def render(view: View, lang: Lang) -> RenderableType | str | bytes:
        renderer: Callable[[View, Lang], RenderableType | str | bytes] = getattr(
            import_module(f"dzshare_cli.exporters.{module}"), name)
        return renderer(view, lang)
    render.__name__ = render.__qualname__ = name
    return render


FORMATTERS: dict[Format, Formatter] = {
    Format.TABLE: Formatter(to_table, ".txt", includes_heading=True),
    Format.JSON: Formatter(_imported("json_format", "to_json"), ".json", includes_heading=False),
    Format.CSV: Formatter(_imported("csv_format", "to_csv"), ".csv", includes_heading=False,
                          file_prefix=UTF8_BOM),
    Format.MD: Formatter(_imported("markdown", "to_markdown"), ".md", includes_heading=True),
    Format.XLSX: Formatter(_imported("xlsx", "to_xlsx"), ".xlsx", includes_heading=True, binary=True),
    Format.HTML: Formatter(_imported("html", "to_html"), ".html", includes_heading=True),
    Format.ICS: Formatter(_imported("ics", "to_ics"), ".ics", includes_heading=False, binary=True),
}


def file_bytes(fmt: Format, view: View, lang: Lang) -> bytes:
    """What a file of this format holds for a view (a table becomes plain text)."""
    formatter = FORMATTERS[fmt]
    rendered = formatter.render(view, lang)
    data = rendered if isinstance(rendered, bytes) else (
        rendered if isinstance(rendered, str) else plain_text(rendered)).encode("utf-8")
    return formatter.file_prefix + data
