"""The timeline as a picture: rich text for the terminal, SVG and an HTML page for files.

Each renderer returns its output and never prints; TIMELINE_RENDERERS is the one list of them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from html import escape

from rich.console import Group, RenderableType
from rich.text import Text

from dzshare_cli.query import State
from dzshare_cli.render import STATE_STYLES, Lang
from dzshare_cli.timeline import Timeline, TimelineRow

TITLE_CELLS = 16  # of a task's title in the terminal
MAX_MONTH_CELLS = 3
STATE_COLOURS = {State.OVERDUE: "#c62828", State.DUE_SOON: "#d08a00", State.UPCOMING: "#455a64",
                 State.DONE: "#2e7d32"}
ONGOING_COLOUR, AS_OF_COLOUR = "#0097a7", "#8e24aa"
#: Terminal marks differ by shape as well as colour, so that piped or NO_COLOR output reads too.
MARKS = {State.OVERDUE: "!", State.DUE_SOON: "◆", State.UPCOMING: "◇", State.DONE: "✓"}
LEGEND = {State.OVERDUE: ("逾期", "overdue"), State.DUE_SOON: ("即将到期", "due soon"),
          State.UPCOMING: ("未到期", "upcoming"), State.DONE: ("已完成", "done"),
          State.ONGOING: ("长期推进", "ongoing")}


def _legend_label(state: State, lang: Lang) -> str:
    zh, en = LEGEND[state]
    return zh if lang is Lang.ZH else en


class TimelineFormat(str, Enum):
    TABLE = "table"
    SVG = "svg"
    HTML = "html"


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _fit(text: str, cells: int) -> str:
    """Cut a text to at most `cells` terminal cells, padding it to exactly that many."""
    out = ""
    for char in text:
        if _cells(out + char) > cells:
            break
        out += char
    return out + " " * (cells - _cells(out))


def _label(row: TimelineRow) -> str:
    return f"{str(row.task.id):>4} {_fit(row.task.short_title, TITLE_CELLS)} "


def _heading(timeline: Timeline, lang: Lang) -> str:
    months = timeline.months
    span = f"{months[0][0]}-{months[0][1]:02d} … {months[-1][0]}-{months[-1][1]:02d}"
    return f"timeline · {len(timeline.rows)} tasks · {span} · as of {timeline.as_of.isoformat()}"


def to_terminal(timeline: Timeline, lang: Lang, title: str = "", width: int = 100) -> RenderableType:
    """One line per task on a month axis: a milestone's mark (! overdue, ◆ due soon, ◇ upcoming,
    ✓ done), ─ open-ended work, │ the as-of month."""
    label_cells = _cells(_label(timeline.rows[0])) if timeline.rows else 22
    per_month = max(1, min(MAX_MONTH_CELLS, (width - label_cells) // max(len(timeline.months), 1)))
    lines = [Text(_heading(timeline, lang)), _axis_years(timeline, label_cells, per_month),
             _axis_months(timeline, label_cells, per_month)]
    group = None
    for row in timeline.rows:
        if row.group is not None and row.group != group:
            group = row.group
            lines.append(Text(f"{'牵头' if lang is Lang.ZH else 'lead'}: {group}", style="bold"))
        lines.append(_row_text(timeline, row, per_month))
    lines.append(_legend(lang))
    for line in lines:
        line.rstrip()
    return Group(*lines)


def _axis_years(timeline: Timeline, label_cells: int, per_month: int) -> Text:
    line = " " * label_cells
    for index, (year, month) in enumerate(timeline.months):
        if (index == 0 or month == 1) and len(line) <= label_cells + index * per_month:
            line = line.ljust(label_cells + index * per_month) + str(year)
    return Text(line)


def _axis_months(timeline: Timeline, label_cells: int, per_month: int) -> Text:
    if per_month == 1:  # room for a tick a month, not a number
        ticks = "".join("|" if month == 1 else "·" for _, month in timeline.months)
        return Text(" " * label_cells + ticks, style="dim")
    # Two cells a month leave no gap between 10, 11 and 12: number the quarters only.
    shown = (lambda month: True) if per_month >= 3 else (lambda month: month % 3 == 1)
    return Text(" " * label_cells + "".join((str(month) if shown(month) else "").ljust(per_month)
                                            for _, month in timeline.months), style="dim")


def _row_text(timeline: Timeline, row: TimelineRow, per_month: int) -> Text:
    text = Text(_label(row))
    for month in timeline.months:
        state = row.marks.get(month)
        if state is not None:
            text.append(MARKS[state].ljust(per_month), style=STATE_STYLES[state] or "bold")
        elif month == timeline.as_of_month:
            text.append("│".ljust(per_month), style="magenta")
        elif row.ongoing:
            text.append("─" * per_month, style="cyan")
        else:
            text.append("·".ljust(per_month), style="dim")
    return text


def _legend(lang: Lang) -> Text:
    legend = Text()
    for state in STATE_COLOURS:
        legend.append(f"{MARKS[state]} ", style=STATE_STYLES[state] or "bold")
        legend.append(f"{_legend_label(state, lang)}  ")
    legend.append("─ ", style="cyan")
    legend.append(_legend_label(State.ONGOING, lang) + "  ")
    legend.append("│ ", style="magenta")
    legend.append("as of" if lang is Lang.EN else "截至")
    return legend


# SVG geometry, in pixels.
_LABEL_WIDTH, _MONTH_WIDTH, _ROW_HEIGHT, _TOP, _FONT = 280, 36, 22, 80, 12


def to_svg(timeline: Timeline, lang: Lang, title: str = "", width: int = 0) -> str:
    """The timeline as a standalone SVG document."""
    months, rows = timeline.months, _rows_with_groups(timeline)
    width = _LABEL_WIDTH + len(months) * _MONTH_WIDTH + 20  # a picture: its own width
    height = _TOP + len(rows) * _ROW_HEIGHT + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, Source Han Sans SC, '
             f'Microsoft YaHei, PingFang SC, sans-serif" font-size="{_FONT}">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title or "dzshare")}</text>',
             f'<text x="10" y="38" fill="#555">{escape(_heading(timeline, lang))}</text>']
    for index, (year, month) in enumerate(months):
        x = _LABEL_WIDTH + index * _MONTH_WIDTH
        parts.append(f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{_TOP + len(rows) * _ROW_HEIGHT}" '
                     f'stroke="{"#999" if month == 1 else "#e3e3e3"}"/>')
        if index == 0 or month == 1:
            parts.append(f'<text x="{x + 3}" y="{_TOP - 26}" fill="#333" font-weight="bold">{year}</text>')
        parts.append(f'<text x="{x + 3}" y="{_TOP - 12}" fill="#555">{month}</text>')
    for number, row in enumerate(rows):
        y = _TOP + number * _ROW_HEIGHT
        parts += _svg_group(row, y, width) if isinstance(row, str) else _svg_row(timeline, row, y)
    if timeline.as_of_month is not None:
        x = _LABEL_WIDTH + months.index(timeline.as_of_month) * _MONTH_WIDTH + _MONTH_WIDTH / 2
        parts.append(f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{_TOP + len(rows) * _ROW_HEIGHT}" '
                     f'stroke="{AS_OF_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>')
    parts += _svg_legend(lang, height - 20)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _rows_with_groups(timeline: Timeline) -> list[TimelineRow | str]:
    rows: list[TimelineRow | str] = []
    group = None
    for row in timeline.rows:
        if row.group is not None and row.group != group:
            group = row.group
            rows.append(group)
        rows.append(row)
    return rows


def _svg_group(group: str, y: int, width: int) -> list[str]:
    return [f'<rect x="0" y="{y}" width="{width}" height="{_ROW_HEIGHT}" fill="#f2f2f2"/>',
            f'<text x="10" y="{y + 15}" font-weight="bold">{escape(group)}</text>']


def _svg_row(timeline: Timeline, row: TimelineRow, y: int) -> list[str]:
    middle = y + _ROW_HEIGHT / 2
    parts = [f'<text x="10" y="{y + 15}"><tspan font-weight="bold">{escape(str(row.task.id))}</tspan> '
             f'{escape(_fit(row.task.short_title, 34).rstrip())}</text>']
    if row.ongoing:
        parts.append(f'<rect x="{_LABEL_WIDTH}" y="{middle - 3}" width="{len(timeline.months) * _MONTH_WIDTH}" '
                     f'height="6" rx="3" fill="{ONGOING_COLOUR}" opacity="0.35"/>')
    for month, state in row.marks.items():
        x = _LABEL_WIDTH + timeline.months.index(month) * _MONTH_WIDTH + _MONTH_WIDTH / 2
        parts.append(f'<polygon points="{x},{middle - 7} {x + 7},{middle} {x},{middle + 7} {x - 7},{middle}" '
                     f'fill="{STATE_COLOURS[state]}"><title>{escape(_legend_label(state, Lang.EN))}</title></polygon>')
    return parts


def _svg_legend(lang: Lang, y: int) -> list[str]:
    parts, x = [], 10
    for state in STATE_COLOURS:
        name = _legend_label(state, lang)
        parts.append(f'<polygon points="{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}" fill="{STATE_COLOURS[state]}"/>')
        parts.append(f'<text x="{x + 10}" y="{y + 4}">{escape(name)}</text>')
        x += 30 + 14 * len(name)
    parts.append(f'<rect x="{x - 6}" y="{y - 3}" width="24" height="6" rx="3" fill="{ONGOING_COLOUR}" opacity="0.35"/>')
    parts.append(f'<text x="{x + 22}" y="{y + 4}">{escape(_legend_label(State.ONGOING, lang))}</text>')
    return parts


def to_html_page(timeline: Timeline, lang: Lang, title: str = "", width: int = 0) -> str:
    """A self-contained page holding the SVG, for a browser or a report."""
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang is Lang.ZH else "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{escape(title or "dzshare timeline")}</title>\n'
            "<style>@page { size: A4 landscape; margin: 10mm; } body { margin: 0; } "
            "svg { max-width: 100%; height: auto; }</style>\n</head>\n<body>\n"
            + to_svg(timeline, lang, title) + "</body>\n</html>\n")


#: Each takes (timeline, lang, document title, terminal width).
TIMELINE_RENDERERS: dict[TimelineFormat, Callable[[Timeline, Lang, str, int], RenderableType | str]] = {
    TimelineFormat.TABLE: to_terminal,
    TimelineFormat.SVG: to_svg,
    TimelineFormat.HTML: to_html_page,
}
