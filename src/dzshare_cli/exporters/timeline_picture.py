"""The timeline as a picture: rich text for the terminal, SVG and an HTML page for files.

Each renderer returns its output and never prints; TIMELINE_RENDERERS is the one list of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape

from rich.console import Group, RenderableType
from rich.text import Text

from dzshare_cli.exporters import TimelineFormat
from dzshare_cli.query import State
from dzshare_cli.render import STATE_STYLES, Lang, say
from dzshare_cli.timeline import Month, Timeline, TimelineRow, narrowed

#: A title narrower than this no longer says which task it is: the axis gives way first.
TITLE_MIN_CELLS = 8
#: Months take up to MAX_MONTH_CELLS cells while titles still get this many (or all they need).
TITLE_GOOD_CELLS = 16
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


def _undated(row: TimelineRow) -> bool:
    """A task the table gives no date (未定时限): its row says so, rather than look merely empty."""
    return not row.milestones and not row.ongoing


def _undated_label(lang: Lang) -> str:
    return "未定时限" if lang is Lang.ZH else "no deadline"


UNDATED_MARK = "?"


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _fit(text: str, cells: int) -> str:
    """A text in exactly `cells` terminal cells: padded, or cut with … to say it was cut."""
    if _cells(text) <= cells:
        return text + " " * (cells - _cells(text))
    out, room = "", max(cells - 1, 0)  # one cell for the …
    for char in text:
        if _cells(out + char) > room:
            break
        out += char
    out = out + "…" if cells else out
    return out + " " * (cells - _cells(out))


def _month_text(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def timeline_heading(timeline: Timeline, lang: Lang) -> str:
    """The timeline's heading line: tasks, the axis' span and the as-of date."""
    return say("timeline", lang, tasks=len(timeline.rows), first=_month_text(timeline.months[0]),
               last=_month_text(timeline.months[-1]), as_of=timeline.as_of.isoformat())


def _outside(timeline: Timeline, lang: Lang) -> list[str]:
    """A line for each end of the axis that leaves milestones out, e.g.
    `◀ 2 milestones before 2021-09, the earliest in 0001-01`."""
    lines = []
    if timeline.earlier:
        lines.append(say("outside_before", lang, count=timeline.earlier, first=_month_text(timeline.months[0]),
                         month=_month_text(timeline.earliest)))
    if timeline.later:
        lines.append(say("outside_after", lang, count=timeline.later, last=_month_text(timeline.months[-1]),
                         month=_month_text(timeline.latest)))
    return lines


def _outside_count(count: int, side: str, edge: Month, lang: Lang) -> str:
    """`3 milestones before 2021-09`: a row's hover text at an end of the axis."""
    if side == "before":
        return say("outside_row_before", lang, count=count, first=_month_text(edge))
    return say("outside_row_after", lang, count=count, last=_month_text(edge))


def _edge_cells(count: int) -> int:
    """Cells of a row's `◀3 ` (or ` ▶3`) column; none when nothing is left out."""
    return len(f"◀{count} ") if count else 0


@dataclass(frozen=True)
class _TerminalLayout:
    """How the terminal's width is shared: id, title, the ◀ column, the months, the ▶ column."""

    timeline: Timeline
    id_cells: int
    title_cells: int
    before_cells: int
    after_cells: int
    per_month: int

    @property
    def axis_start(self) -> int:
        return self.id_cells + 1 + self.title_cells + 1 + self.before_cells

    def label(self, row: TimelineRow) -> str:
        return f"{row.name:>{self.id_cells}} {_fit(row.task.short_title, self.title_cells)} "


def _terminal_layout(timeline: Timeline, width: int) -> _TerminalLayout:
    """Titles grow with the width; months get up to three cells; an axis that does not fit even
    at a cell a month is narrowed to what fits, the rest counted in the ◀ / ▶ columns."""
    rows = timeline.rows
    id_cells = max((_cells(row.name) for row in rows), default=0)
    # A title is never shown wider than the terminal: measuring that much of it is enough.
    longest = max((_cells(row.task.short_title[:width]) for row in rows), default=0)
    axis_room = width - id_cells - 2 - min(longest, TITLE_MIN_CELLS)
    edges = _edge_cells(max((row.earlier for row in rows), default=0)) + _edge_cells(
        max((row.later for row in rows), default=0))
    if len(timeline.months) > axis_room - edges:
        # Narrowing may leave out milestones that had a place: room for the most a row can have.
        most = max((len(row.milestones) for row in rows), default=0)
        timeline = narrowed(timeline, max(axis_room - 2 * _edge_cells(most), 1))
    before = _edge_cells(max((row.earlier for row in timeline.rows), default=0))
    after = _edge_cells(max((row.later for row in timeline.rows), default=0))
    room = width - id_cells - 2 - before - after  # for the title and the months
    months, per_month = len(timeline.months), MAX_MONTH_CELLS
    while per_month > 1 and room - months * per_month < min(longest, TITLE_GOOD_CELLS):
        per_month -= 1
    title_cells = max(0, min(longest, room - months * per_month))
    return _TerminalLayout(timeline, id_cells, title_cells, before, after, per_month)


def to_terminal(timeline: Timeline, lang: Lang, title: str = "", width: int = 100) -> RenderableType:
    """One line per task on a month axis: a milestone's mark (! overdue, ◆ due soon, ◇ upcoming,
    ✓ done), ─ open-ended work, │ the as-of month, ◀ n / ▶ n milestones before / after the axis."""
    layout = _terminal_layout(timeline, width)
    timeline = layout.timeline
    # The terminal's heading names what was read, as every command's does; a picture does not.
    lines = [Text(timeline_heading(timeline, lang) + timeline.source), *map(Text, _outside(timeline, lang))]
    lines += [_axis_years(layout), _axis_months(layout)]
    group = None
    for row in timeline.rows:
        if row.group is not None and row.group != group:
            group = row.group
            lines.append(Text(_fit(say("lead_group", lang, group=group), width), style="bold"))
        lines.append(_row_text(layout, row, lang))
    lines += _legend(lang, width, outside=bool(timeline.earlier or timeline.later),
                     undated=any(_undated(row) for row in timeline.rows))
    for line in lines:
        line.rstrip()
    return Group(*lines)


def _axis_years(layout: _TerminalLayout) -> Text:
    line, start, per_month = " " * layout.axis_start, layout.axis_start, layout.per_month
    for index, (year, month) in enumerate(layout.timeline.months):
        if (index == 0 or month == 1) and len(line) <= start + index * per_month:
            line = line.ljust(start + index * per_month) + str(year)
    return Text(line)


def _axis_months(layout: _TerminalLayout) -> Text:
    months, per_month, indent = layout.timeline.months, layout.per_month, " " * layout.axis_start
    if per_month == 1:  # room for a tick a month, not a number
        return Text(indent + "".join("|" if month == 1 else "·" for _, month in months), style="dim")
    # Two cells a month leave no gap between 10, 11 and 12: number the quarters only.
    shown = (lambda month: True) if per_month >= 3 else (lambda month: month % 3 == 1)
    return Text(indent + "".join((str(month) if shown(month) else "").ljust(per_month)
                                 for _, month in months), style="dim")


def _row_text(layout: _TerminalLayout, row: TimelineRow, lang: Lang) -> Text:
    timeline, per_month = layout.timeline, layout.per_month
    text = Text(layout.label(row))
    text.append((f"◀{row.earlier}" if row.earlier else "").ljust(layout.before_cells), style="bold")
    months = timeline.months
    if _undated(row):  # a ? in the first month: the row has no date, it is not merely empty here
        text.append(UNDATED_MARK.ljust(per_month), style=STATE_STYLES[State.NO_DEADLINE])
        months = months[1:]
    for month in months:
        state = row.marks.get(month)
        if state is not None:
            text.append(MARKS[state].ljust(per_month), style=STATE_STYLES[state] or "bold")
        elif month == timeline.as_of_month:
            text.append("│".ljust(per_month), style="magenta")
        elif row.ongoing:
            text.append("─" * per_month, style="cyan")
        else:
            text.append("·".ljust(per_month), style="dim")
    if row.later:
        text.append(f" ▶{row.later}", style="bold")
    return text


def _legend(lang: Lang, width: int, outside: bool = False, undated: bool = False) -> list[Text]:
    """The marks and what they mean, on as many lines as the width needs (never mid-entry)."""
    entries = [(MARKS[state], STATE_STYLES[state] or "bold", _legend_label(state, lang)) for state in STATE_COLOURS]
    entries += [("─", "cyan", _legend_label(State.ONGOING, lang)),
                ("│", "magenta", "as of" if lang is Lang.EN else "截至")]
    if undated:
        entries.append((UNDATED_MARK, STATE_STYLES[State.NO_DEADLINE], _undated_label(lang)))
    if outside:
        entries.append(("◀ ▶", "bold", "outside the axis" if lang is Lang.EN else "轴外的时间节点"))
    lines = [Text()]
    for mark, style, meaning in entries:
        entry = Text(f"{mark} ", style=style) + Text(meaning)
        if lines[-1].cell_len and lines[-1].cell_len + 2 + entry.cell_len > width:
            lines.append(Text())
        if lines[-1].cell_len:
            lines[-1].append("  ")
        lines[-1].append_text(entry)
    return lines


# SVG geometry, in pixels.
_LABEL_WIDTH, _MONTH_WIDTH, _ROW_HEIGHT, _TOP, _FONT = 280, 36, 22, 80, 12
_EDGE_WIDTH = 40  # the ◀ n / ▶ n columns, when the axis leaves milestones out
_LINE_HEIGHT = 16
_PIXELS_PER_CELL = 6.5  # of the 12 px font, to make room for a long heading line


@dataclass(frozen=True)
class _SvgAxis:
    """Where the months and the ◀ / ▶ columns go, left to right."""

    timeline: Timeline

    @cached_property  # x() asks for it for every milestone, and `earlier` counts every row
    def start(self) -> int:
        return _LABEL_WIDTH + (_EDGE_WIDTH if self.timeline.earlier else 0)

    @property
    def end(self) -> int:
        return self.start + len(self.timeline.months) * _MONTH_WIDTH

    @property
    def width(self) -> int:
        return self.end + (_EDGE_WIDTH if self.timeline.later else 0) + 20

    def x(self, month: Month) -> float:
        """The middle of a month's column."""
        first = self.timeline.months[0]
        offset = (month[0] - first[0]) * 12 + month[1] - first[1]
        return self.start + offset * _MONTH_WIDTH + _MONTH_WIDTH / 2


def to_svg(timeline: Timeline, lang: Lang, title: str = "", width: int = 0) -> str:
    """The timeline as a standalone SVG document: its size follows the rows and the (bounded) axis."""
    axis, rows = _SvgAxis(timeline), _rows_with_groups(timeline)
    texts = [timeline_heading(timeline, lang), *_outside(timeline, lang)]
    top = _TOP + (len(texts) - 1) * _LINE_HEIGHT
    bottom = top + len(rows) * _ROW_HEIGHT
    width = max(axis.width, *(20 + round(_cells(text) * _PIXELS_PER_CELL) for text in texts))  # its own width
    height = bottom + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, Source Han Sans SC, '
             f'Microsoft YaHei, PingFang SC, sans-serif" font-size="{_FONT}">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title or "dzshare")}</text>']
    parts += [f'<text x="10" y="{38 + number * _LINE_HEIGHT}" fill="#555">{escape(text)}</text>'
              for number, text in enumerate(texts)]
    for index, (year, month) in enumerate(timeline.months):
        x = axis.start + index * _MONTH_WIDTH
        parts.append(f'<line x1="{x}" y1="{top - 8}" x2="{x}" y2="{bottom}" '
                     f'stroke="{"#999" if month == 1 else "#e3e3e3"}"/>')
        if index == 0 or month == 1:
            parts.append(f'<text x="{x + 3}" y="{top - 26}" fill="#333" font-weight="bold">{year}</text>')
        parts.append(f'<text x="{x + 3}" y="{top - 12}" fill="#555">{month}</text>')
    for number, row in enumerate(rows):
        y = top + number * _ROW_HEIGHT
        parts += _svg_group(row, y, width) if isinstance(row, str) else _svg_row(axis, row, y, lang)
    if timeline.as_of_month is not None:
        x = axis.x(timeline.as_of_month)
        parts.append(f'<line x1="{x}" y1="{top - 8}" x2="{x}" y2="{bottom}" '
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
            f'<text x="10" y="{y + 15}" font-weight="bold">{escape(_fit(group, 60).rstrip())}</text>']


def _svg_row(axis: _SvgAxis, row: TimelineRow, y: int, lang: Lang) -> list[str]:
    middle = y + _ROW_HEIGHT / 2
    parts = [f'<text x="10" y="{y + 15}"><tspan font-weight="bold">{escape(row.name)}</tspan> '
             f'{escape(_fit(row.task.short_title, 34).rstrip())}</text>']
    if row.ongoing:
        parts.append(f'<rect x="{axis.start}" y="{middle - 3}" width="{axis.end - axis.start}" '
                     f'height="6" rx="3" fill="{ONGOING_COLOUR}" opacity="0.35"/>')
    if _undated(row):
        parts.append(f'<text x="{axis.start + 4}" y="{y + 15}" fill="#6a1b9a" font-style="italic">'
                     f'{escape(_undated_label(lang))}</text>')
    for month, state in row.marks.items():
        x = axis.x(month)
        parts.append(f'<polygon points="{x},{middle - 7} {x + 7},{middle} {x},{middle + 7} {x - 7},{middle}" '
                     f'fill="{STATE_COLOURS[state]}"><title>{escape(_legend_label(state, lang))}</title></polygon>')
    months = axis.timeline.months
    if row.earlier:
        x = axis.start - _EDGE_WIDTH + 6
        parts.append(f'<g><title>{escape(_outside_count(row.earlier, "before", months[0], lang))}</title>'
                     f'<polygon points="{x},{middle} {x + 9},{middle - 6} {x + 9},{middle + 6}" fill="#555"/>'
                     f'<text x="{x + 12}" y="{y + 15}">{row.earlier}</text></g>')
    if row.later:
        x = axis.end + 6
        parts.append(f'<g><title>{escape(_outside_count(row.later, "after", months[-1], lang))}</title>'
                     f'<polygon points="{x + 9},{middle} {x},{middle - 6} {x},{middle + 6}" fill="#555"/>'
                     f'<text x="{x + 12}" y="{y + 15}">{row.later}</text></g>')
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
