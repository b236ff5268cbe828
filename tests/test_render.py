"""Views and formats: a rich snapshot at 80 columns, colours, and the format registry."""

import io
from datetime import date

import pytest
from rich.console import Console

from dzshare_cli.query import DueWindow, State, due_milestones, parse_period
from dzshare_cli.exporters import FORMATTERS, Format
from dzshare_cli.exporters.markdown import to_markdown
from dzshare_cli.render import (Column, Lang, Row, View, due_view, list_view, show_view, state_text,
                                to_table)

AS_OF = date(2022, 1, 15)

DUE_BY_JUNE_2022 = """\
due by 2022-06-30 · as of 2022-01-15 · 10 milestones
┌──────┬──────────────┬──────────────┬────────────┬──────────────┬─────────────┐
│ 序号 │ 工作任务     │ 牵头单位     │ 完成时限   │ 目标         │ 状态        │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 1    │ 成立政务数据 │ 市行政审批局 │ 2021-09-30 │              │ 逾期 107 天 │
│      │ 共享协调推进 │              │            │              │             │
│      │ 机制         │              │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 2    │ 指定专门处室 │ 市直相关部门 │ 2021-09-30 │              │ 逾期 107 天 │
│      │ 负责数据共享 │              │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 3    │ 建设政务数据 │ 市政务数据共 │ 2021-12-31 │              │ 逾期 15 天  │
│      │ 共享应用平台 │ 享协调机制   │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 5    │ 建设一体化政 │ 市政务数据共 │ 2021-12-31 │ 取得阶段成效 │ 逾期 15 天  │
│      │ 务大数据中心 │ 享协调机制   │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 6    │ 编制政务数据 │ 市政务数据共 │ 2021-12-31 │ 取得阶段成效 │ 逾期 15 天  │
│      │ 资源目录     │ 享协调机制   │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 8    │ 建立在线供需 │ 市政务数据共 │ 2021-12-31 │ 取得阶段成效 │ 逾期 15 天  │
│      │ 对接机制     │ 享协调机制   │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 9    │ 开展数据供需 │ 市直相关部门 │ 2022-06-30 │ 取得明显成效 │ 未到期      │
│      │ 对接并发布清 │              │            │              │             │
│      │ 单           │              │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 10   │ 推进政务数据 │ 市直相关部门 │ 2022-06-30 │ 取得明显成效 │ 未到期      │
│      │ 分级分类应用 │              │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 12   │ 建立数据质量 │ 市行政审批局 │ 2022-06-30 │ 取得明显成效 │ 未到期      │
│      │ 全生命周期管 │              │            │              │             │
│      │ 理体系       │              │            │              │             │
├──────┼──────────────┼──────────────┼────────────┼──────────────┼─────────────┤
│ 14   │ 落实数据共享 │ 市直相关部门 │ 2022-06-30 │ 取得阶段成效 │ 未到期      │
│      │ 安全保障政策 │              │            │              │             │
└──────┴──────────────┴──────────────┴────────────┴──────────────┴─────────────┘
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


def test_due_table_snapshot_at_80_columns(table):
    assert _render(to_table(_due_by_june(table), Lang.ZH), color_system=None) == DUE_BY_JUNE_2022


@pytest.mark.parametrize("width", [60, 80, 120])
def test_ids_and_dates_are_never_cut(table, width):
    output = _render(to_table(_due_by_june(table), Lang.ZH), width=width, color_system=None)
    for due in ("2021-09-30", "2021-12-31", "2022-06-30"):
        assert due in output
    for row in _due_by_june(table).rows:
        assert f"│ {row.cells[0]} " in output


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
