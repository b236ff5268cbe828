"""Views of tasks (rows, labels, JSON payload) and the one registry of output formats.

A command builds a View; FORMATTERS turns it into a rich renderable (table) or text (json,
csv, md). Nothing here prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dzshare_cli.models import Task
from dzshare_cli.query import (DueWindow, MilestoneStatus, State, earliest_open, task_state,
                               task_statuses)
from dzshare_cli.records import task_record


class Lang(str, Enum):
    """Label language: Chinese mirrors the published headers."""

    ZH = "zh"
    EN = "en"


class Format(str, Enum):
    """Output formats of the listing commands."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"


LABELS: dict[str, tuple[str, str]] = {
    "id": ("序号", "ID"),
    "title": ("工作任务", "Task"),
    "summary": ("简称", "Title"),
    "text": ("工作任务", "Task"),
    "lead": ("牵头单位", "Lead units"),
    "responsible": ("责任单位", "Responsible units"),
    "deadline": ("完成时限", "Deadline"),
    "due": ("完成时限", "Due"),
    "goal": ("目标", "Goal"),
    "state": ("状态", "Status"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
    "milestone": ("节点", "Milestone"),
}

STATE_STYLES: dict[State, str] = {
    State.DONE: "green",
    State.OVERDUE: "bold red",
    State.DUE_SOON: "yellow",
    State.UPCOMING: "",
    State.ONGOING: "cyan",
}


def label(key: str, lang: Lang) -> str:
    zh, en = LABELS[key]
    return zh if lang is Lang.ZH else en


def _count(count: int | None, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def state_text(state: State, lang: Lang, days_late: int | None = None,
               days_left: int | None = None) -> str:
    """已完成 / 逾期 12 天 / 5 天后到期 / 未到期 / 长期推进, or the English equivalents."""
    zh = lang is Lang.ZH
    if state is State.DONE:
        if days_late:
            return f"已完成(逾期 {days_late} 天)" if zh else f"done ({_count(days_late, 'day')} late)"
        return "已完成" if zh else "done"
    if state is State.OVERDUE:
        return f"逾期 {days_late} 天" if zh else f"overdue {_count(days_late, 'day')}"
    if state is State.DUE_SOON:
        if days_left == 0:
            return "今日到期" if zh else "due today"
        return f"{days_left} 天后到期" if zh else f"due in {_count(days_left, 'day')}"
    if state is State.UPCOMING:
        return "未到期" if zh else "upcoming"
    return "长期推进" if zh else "ongoing"


def status_text(status: MilestoneStatus, lang: Lang) -> str:
    return state_text(status.state, lang, status.days_late, status.days_left)


def _task_headline(task: Task, statuses: list[MilestoneStatus], lang: Lang) -> tuple[str, State]:
    """The text and state of a task: those of its earliest open milestone, else ongoing/done."""
    first = earliest_open(statuses)
    if first is not None:
        return status_text(first, lang), first.state
    state = task_state(statuses, task.deadline.ongoing)
    return state_text(state, lang), state


Cell = str | list[str]


@dataclass(frozen=True)
class Column:
    key: str
    no_wrap: bool = False  # ids, dates and states are never wrapped or cut
    styled: bool = False  # takes the row's state colour


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    style: str = ""


@dataclass
class View:
    """What a command shows: a heading line, labelled columns, rows and the JSON payload."""

    heading: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    payload: Any = None


def list_view(tasks: list[Task], as_of: date, soon_days: int, lang: Lang) -> View:
    """`dzshare list`: one row per task, its deadline text and its state."""
    view = View(
        heading=f"{_count(len(tasks), 'task')} · as of {as_of.isoformat()}",
        columns=[Column("id", no_wrap=True), Column("title"), Column("lead"), Column("responsible"),
                 Column("deadline"), Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    for task in tasks:
        statuses = task_statuses(task, as_of, soon_days)
        headline, state = _task_headline(task, statuses, lang)
        view.rows.append(Row([str(task.id), task.short_title, task.lead, task.responsible,
                              task.deadline.text, headline], STATE_STYLES[state]))
        view.payload.append(task_record(task, statuses))
    return view


def due_view(matches: list[MilestoneStatus], window: DueWindow, as_of: date, soon_days: int,
             lang: Lang) -> View:
    """`dzshare due`: one row per matching milestone; JSON groups them by task."""
    view = View(
        heading=f"{window.describe()} · as of {as_of.isoformat()} · {_count(len(matches), 'milestone')}",
        columns=[Column("id", no_wrap=True), Column("title"), Column("lead"),
                 Column("due", no_wrap=True), Column("goal"), Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    shown_by_task: dict[int, list[MilestoneStatus]] = {}
    for status in matches:
        task = status.task
        view.rows.append(Row([str(task.id), task.short_title, task.lead,
                              status.milestone.due.isoformat(), status.milestone.goal or "",
                              status_text(status, lang)], STATE_STYLES[status.state]))
        shown_by_task.setdefault(id(task), []).append(status)
    for shown in shown_by_task.values():  # dicts keep insertion order: earliest match first
        task = shown[0].task
        view.payload.append(task_record(task, task_statuses(task, as_of, soon_days), shown))
    return view


def show_view(task: Task, as_of: date, soon_days: int, lang: Lang) -> View:
    """`dzshare show`: every field of one task, each milestone with its state."""
    statuses = task_statuses(task, as_of, soon_days)
    headline, state = _task_headline(task, statuses, lang)
    view = View(
        heading=f"task {task.id} · as of {as_of.isoformat()}",
        columns=[Column("field", no_wrap=True), Column("value")],
        payload=task_record(task, statuses),
    )
    fields: list[tuple[str, Cell]] = [
        (label("id", lang), str(task.id)),
        (label("summary", lang), task.title or ""),
        (label("text", lang), task.text),
        (label("lead", lang), task.lead),
        (label("responsible", lang), task.responsible),
        (label("deadline", lang), task.deadline.text),
    ]
    view.rows.extend(Row([name, value]) for name, value in fields)
    for status in statuses:
        milestone = status.milestone
        parts = [milestone.due.isoformat(), milestone.goal or "", status_text(status, lang)]
        view.rows.append(Row([f"{label('milestone', lang)} {status.number}",
                              " · ".join(part for part in parts if part)], STATE_STYLES[status.state]))
    view.rows.append(Row([label("state", lang), headline], STATE_STYLES[state]))
    return view


def _flat(cell: Cell, separator: str) -> str:
    return separator.join(cell) if isinstance(cell, list) else cell


def to_table(view: View, lang: Lang) -> RenderableType:
    """A rich table under the heading line; long text wraps, ids and dates never do."""
    table = Table(box=box.SQUARE, show_lines=True, header_style="bold")
    for column in view.columns:
        table.add_column(label(column.key, lang), no_wrap=column.no_wrap,
                         overflow="ellipsis" if column.no_wrap else "fold")
    for row in view.rows:
        table.add_row(*(
            Text(_flat(cell, "\n"), style=row.style if column.styled else "")
            for column, cell in zip(view.columns, row.cells)
        ))
    return Group(Text(view.heading), table)


def to_json(view: View, lang: Lang) -> str:
    return json.dumps(view.payload, ensure_ascii=False, indent=2) + "\n"


def to_csv(view: View, lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(label(column.key, lang) for column in view.columns)
    writer.writerows([_flat(cell, "、") for cell in row.cells] for row in view.rows)
    return out.getvalue()


def _md_cell(cell: Cell) -> str:
    return _flat(cell, "、").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(view: View, lang: Lang) -> str:
    header = [label(column.key, lang) for column in view.columns]
    lines = [view.heading, "", "| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row.cells) + " |" for row in view.rows]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Formatter:
    render: Callable[[View, Lang], RenderableType | str]
    #: False for data formats: their heading line goes to stderr so stdout stays parseable.
    includes_heading: bool


FORMATTERS: dict[Format, Formatter] = {
    Format.TABLE: Formatter(to_table, includes_heading=True),
    Format.JSON: Formatter(to_json, includes_heading=False),
    Format.CSV: Formatter(to_csv, includes_heading=False),
    Format.MD: Formatter(to_markdown, includes_heading=True),
}
