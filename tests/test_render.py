"""Views and formats: rich snapshots at 80 and 200 columns, fitting the width, colours, the registry."""

import io
from datetime import date

import pytest
from rich.console import Console

from dzshare_cli.query import DueWindow, State, due_milestones, parse_period
from dzshare_cli.exporters import FORMATTERS, Format
from dzshare_cli.exporters.markdown import to_markdown
from rich.cells import cell_len

from dzshare_cli.query import summarize, unit_tasks
from dzshare_cli.render import (CELL_CHARS, GRID_LAYOUT, TABLE_LAYOUTS, Column, Lang, Lines, Row, View,
                                dept_view, due_view, list_view, matrix_view, plan_widths, report_view,
                                show_view, state_text, to_table, units_view)
from dzshare_cli.report import build_report
from dzshare_cli.units import UnitRegistry

AS_OF = date(2022, 1, 15)

DUE_BY_JUNE_2022 = """\
2022-06-30 及之前到期 · 截至 2022-01-15 · 10 个节点, 涉及 10 项任务
序号│工作任务        │牵头单位              │完成时限  │目标        │状态
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
1   │成立政务数据共享│市行政审批局          │2021-09-30│            │逾期 107 天
    │协调推进机制    │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
2   │指定专门处室负责│市直相关部门          │2021-09-30│            │逾期 107 天
    │数据共享        │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
3   │建设政务数据共享│市政务数据共享协调机制│2021-12-31│            │逾期 15 天
    │应用平台        │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
5   │建设一体化政务大│市政务数据共享协调机制│2021-12-31│取得阶段成效│逾期 15 天
    │数据中心        │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
6   │编制政务数据资源│市政务数据共享协调机制│2021-12-31│取得阶段成效│逾期 15 天
    │目录            │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
8   │建立在线供需对接│市政务数据共享协调机制│2021-12-31│取得阶段成效│逾期 15 天
    │机制            │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
9   │开展数据供需对接│市直相关部门          │2022-06-30│取得明显成效│未到期
    │并发布清单      │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
10  │推进政务数据分级│市直相关部门          │2022-06-30│取得明显成效│未到期
    │分类应用        │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
12  │建立数据质量全生│市行政审批局          │2022-06-30│取得明显成效│未到期
    │命周期管理体系  │                      │          │            │
────┼────────────────┼──────────────────────┼──────────┼────────────┼───────────
14  │落实数据共享安全│市直相关部门          │2022-06-30│取得阶段成效│未到期
    │保障政策        │                      │          │            │
"""


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
                     if cell.value is not None)


def _ics_text(data: bytes) -> str:
    from icalendar import Calendar

    return "\n".join(str(event["summary"]) for event in Calendar.from_ical(data).walk("VEVENT"))


def _render(renderable, width=80, **console_options) -> str:
    console = Console(file=io.StringIO(), width=width, **console_options)
    console.print(renderable)
    return console.file.getvalue()


def _due_by_june(table, lang=Lang.ZH):
    window = DueWindow(by=parse_period("2022-06"))
    return due_view(due_milestones(table.tasks, window, AS_OF), window, AS_OF, 30, lang)


def _stripped(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def test_due_table_snapshot_at_80_columns(table):
    """At 80 columns the boxed layout cannot keep 市政务数据共享协调机制 whole: the tight one can."""
    assert _stripped(_render(to_table(_due_by_june(table), Lang.ZH), color_system=None)) == DUE_BY_JUNE_2022


def test_due_table_snapshot_at_200_columns_is_boxed_at_natural_width(table):
    lines = _render(to_table(_due_by_june(table, Lang.EN), Lang.EN), width=200, color_system=None).splitlines()
    assert lines[0] == "due by 2022-06-30 · as of 2022-01-15 · 10 milestones in 10 tasks"
    assert lines[1] == "┌────┬────────────────────────────────┬────────────────────────┬────────────┬──────────────┬──────────────────┐"
    assert lines[2] == "│ ID │ Task                           │ Lead units             │ Due        │ Goal         │ Status           │"
    assert lines[4] == "│ 1  │ 成立政务数据共享协调推进机制   │ 市行政审批局           │ 2021-09-30 │              │ overdue 107 days │"


@pytest.mark.parametrize("width", [60, 80, 120])
def test_ids_and_dates_are_never_cut(table, width):
    output = _render(to_table(_due_by_june(table), Lang.ZH), width=width, color_system=None)
    for due in ("2021-09-30", "2021-12-31", "2022-06-30"):
        assert due in output
    first_column = {line.strip("│ ").split("│")[0].strip() for line in output.splitlines()}
    for row in _due_by_june(table).rows:
        assert row.cells[0] in first_column


def test_states_are_coloured(table):
    output = _render(to_table(_due_by_june(table), Lang.ZH), color_system="standard", force_terminal=True)
    assert "\x1b[1;31m逾期 107 天" in output


def test_no_color_is_respected(table, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    output = _render(to_table(_due_by_june(table), Lang.ZH), color_system="standard", force_terminal=True)
    assert "\x1b[31m" not in output and "\x1b[1;31m" not in output
    assert "逾期 107 天" in output


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("lang", list(Lang))
def test_every_format_renders_every_view(table, fmt, lang):
    task = table.task("5")
    views = [list_view(table.tasks, AS_OF, 30, lang), _due_by_june(table, lang),
             show_view(task, AS_OF, 30, lang)]
    for view in views:
        output = FORMATTERS[fmt].render(view, lang)
        if fmt is Format.ICS:
            text = _ics_text(output)
        elif isinstance(output, bytes):
            text = _xlsx_text(output)
        elif isinstance(output, str):
            text = output
        else:
            text = _render(output, width=300, color_system=None)
        assert "建设一体化政务大数据中心" in text


@pytest.mark.parametrize(
    ("state", "late", "left", "zh", "en"),
    [
        (State.OVERDUE, 1, None, "逾期 1 天", "overdue 1 day"),
        (State.OVERDUE, 12, None, "逾期 12 天", "overdue 12 days"),
        (State.DUE_SOON, None, 0, "今日到期", "due today"),
        (State.DUE_SOON, None, 5, "5 天后到期", "due in 5 days"),
        (State.UPCOMING, None, 90, "未到期", "upcoming"),
        (State.DONE, 0, None, "已完成", "done"),
        (State.DONE, 3, None, "已完成(逾期 3 天)", "done (3 days late)"),
        (State.ONGOING, None, None, "长期推进", "ongoing"),
    ],
)
def test_state_text(state, late, left, zh, en):
    assert state_text(state, Lang.ZH, late, left) == zh
    assert state_text(state, Lang.EN, late, left) == en


def test_markdown_escapes_pipes():
    view = View("h", [Column("id"), Column("title")], [Row(["1", "a|b\nc"])])
    assert to_markdown(view, Lang.EN).splitlines()[-1] == "| 1 | a\\|b<br>c |"


def _views(table, lang):
    """Every view a command shows in the terminal, from the bundled table."""
    registry = UnitRegistry.from_table(table)
    approval = registry.resolve("审批局")
    entries = unit_tasks(table, registry, approval)
    summaries = [summarize(unit, unit_tasks(table, registry, unit), AS_OF) for unit in registry.units]
    return {
        "list": list_view(table.tasks, AS_OF, 30, lang),
        "due": _due_by_june(table, lang),
        "dept": dept_view(approval, entries, summarize(approval, entries, AS_OF), AS_OF, 30, lang),
        "units": units_view(summaries, AS_OF, lang),
        "matrix": matrix_view(table, registry, lang),
        "show": show_view(table.task("5"), AS_OF, 30, lang),
        "report": report_view(build_report(table, registry, AS_OF), lang),
    }


def _whole_lines(view):
    """What must never be split: each line of each cell of a no-wrap column (units, goals, ids ...)."""
    for part in view.parts or [view]:
        for row in part.rows:
            for column, cell in zip(part.columns, row.cells):
                if column.no_wrap and cell:
                    yield from cell.parts if isinstance(cell, Lines) else cell.split("\n")


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("name", ["list", "due", "dept", "units", "matrix", "show", "report"])
def test_every_view_fits_the_width_and_keeps_names_whole(table, name, lang, width):
    view = _views(table, lang)[name]
    output = _render(to_table(view, lang), width=width, color_system=None)
    assert max(cell_len(line) for line in output.splitlines()) <= width
    for whole in _whole_lines(view):
        assert whole in output, whole
    registry = UnitRegistry.from_table(table)
    shown = [unit.name for unit in registry.units if unit.name[:3] in output]
    assert all(name in output for name in shown)


def test_unit_names_and_goals_are_whole_at_80_columns_in_every_list_row(table):
    output = _render(to_table(list_view(table.tasks, AS_OF, 30, Lang.ZH), Lang.ZH), color_system=None)
    for name in ("市政务数据共享协调机制", "各乡镇(街道)", "市直相关部门", "取得阶段成效", "2021年12月底"):
        assert name in output
    for whole in ("取得阶段成效", "各乡镇(街道)", "市政务数据共享协调机制"):
        assert all(whole in line for line in output.splitlines() if whole[:4] in line), whole


def test_matrix_at_80_columns_comes_in_even_blocks_that_repeat_the_unit(table):
    view = matrix_view(table, UnitRegistry.from_table(table), Lang.ZH)
    lines = _render(to_table(view, Lang.ZH), color_system=None).splitlines()
    headers = [line.split() for line in lines if line.startswith("单位 ")]
    assert [header[1:] for header in headers] == [[str(n) for n in range(start, start + 6)] for start in (1, 7, 13)]
    assert sum(line.startswith("市政务数据共享协调机制") for line in lines) == 3
    wide = _render(to_table(view, Lang.ZH), width=200, color_system=None).splitlines()
    assert [line.split() for line in wide if line.startswith("单位 ")] == [["单位", *map(str, range(1, 19))]]


def test_heading_wraps_between_its_parts(table):
    registry = UnitRegistry.from_table(table)
    approval = registry.resolve("审批局")
    entries = unit_tasks(table, registry, approval)
    view = dept_view(approval, entries, summarize(approval, entries, AS_OF), AS_OF, 30, Lang.ZH)
    lines = _render(to_table(view, Lang.ZH), color_system=None).splitlines()
    assert lines[:2] == ["市行政审批局 · 共 17 项任务:牵头 5 项, 责任 1 项, 经由组 11 项 ·",
                         "未完成节点 12 个, 其中逾期 6 个 · 截至 2022-01-15"]
    wide = _render(to_table(view, Lang.ZH), width=200, color_system=None).splitlines()
    assert wide[0] == view.heading


@pytest.mark.parametrize("layout", [*TABLE_LAYOUTS, GRID_LAYOUT])
@pytest.mark.parametrize("count", [1, 2, 5])
def test_layout_overhead_is_what_rich_draws(layout, count):
    from rich.table import Table

    table = Table(box=layout.box, show_edge=layout.show_edge, padding=(0, layout.padding),
                  pad_edge=layout.pad_edge)
    for _ in range(count):
        table.add_column("x", width=3)
    table.add_row(*["abc"] * count)
    drawn = _render(table, width=200, color_system=None).splitlines()
    assert max(map(cell_len, drawn)) == 3 * count + layout.overhead(count)


@pytest.mark.parametrize(("floors", "naturals", "room", "widths"), [
    ([4, 10, 22], [4, 30, 22], 100, [4, 30, 22]),  # room for everything: natural widths
    ([4, 10, 22], [4, 30, 22], 40, [4, 14, 22]),  # the task text gives way, the unit does not
    ([4, 10, 22], [4, 30, 22], 35, None),  # the floors alone do not fit
    ([2, 10, 10], [2, 30, 30], 42, [2, 20, 20]),  # the widest give way first, evenly
    ([2, 10, 10], [2, 30, 30], 43, [2, 21, 20]),
])
def test_plan_widths(floors, naturals, room, widths):
    assert plan_widths(floors, naturals, room) == widths


def test_a_huge_cell_is_cut_in_the_terminal_but_not_in_data_formats():
    text = "数据" * 50_000
    view = View("h", [Column("id", no_wrap=True), Column("text")], [Row(["1", text])], payload=[{"text": text}])
    for lang, note in ((Lang.ZH, "…(已截断, 全文 100000 字)"), (Lang.EN, "… (cut: 100000 characters in all)")):
        output = _render(to_table(view, lang), width=200, color_system=None)
        assert "".join(line.strip("│ ") for line in output.splitlines()).count("数") == CELL_CHARS // 2
        assert note in "".join(line.strip("│ ") for line in output.splitlines())
    assert text in FORMATTERS[Format.CSV].render(view, Lang.ZH)
    assert text in FORMATTERS[Format.JSON].render(view, Lang.ZH)
