"""Views of tasks and units (labelled rows plus a JSON payload) and the rich table of a view.

A command builds a View; a format of `exporters` turns it into output. Nothing here prints.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from dzshare_cli.deadlines import split_date_prefix
from dzshare_cli.models import Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import (DueWindow, MilestoneStatus, State, UnitSummary, UnitTask,
                               earliest_open, task_state, task_statuses)
from dzshare_cli.records import task_record
from dzshare_cli.report import Counts, Outcome, SupervisionReport
from dzshare_cli.units import Relation, Role, UnitRegistry


class Lang(str, Enum):
    """Label language: Chinese mirrors the published headers."""

    ZH = "zh"
    EN = "en"


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
    "progress": ("进展", "Progress"),
    "count": ("数量", "Count"),
    "n_open": ("未完成", "Open"),
    "n_overdue": ("逾期", "Overdue"),
    "n_due_soon": ("即将到期", "Due soon"),
    "n_on_time": ("按时完成", "On time"),
    "n_late": ("逾期完成", "Late"),
    "on_time_rate": ("按时率", "On-time"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "led_overdue": ("牵头逾期节点", "Overdue milestones led"),
    "role": ("角色", "Role"),
    "unit": ("单位", "Unit"),
    "kind": ("类型", "Kind"),
    "lead_count": ("牵头", "Lead"),
    "responsible_count": ("责任", "Responsible"),
    "via_count": ("经由组", "Via groups"),
    "open_count": ("未完成节点", "Open milestones"),
    "overdue_count": ("逾期节点", "Overdue"),
}

ROLE_LABELS: dict[Role, tuple[str, str]] = {Role.LEAD: ("牵头", "lead"),
                                            Role.RESPONSIBLE: ("责任", "responsible")}
KIND_LABELS: dict[UnitKind, tuple[str, str]] = {
    UnitKind.DEPARTMENT: ("部门", "department"), UnitKind.OFFICE: ("办公室", "office"),
    UnitKind.TOWNSHIP: ("乡镇(街道)", "township"), UnitKind.MECHANISM: ("机制", "mechanism"),
    UnitKind.GROUP: ("组", "group"),
}
#: Matrix marks: 牵 / 责 where the task names the unit, (牵) / (责) where it names a group of it.
MATRIX_MARKS = {(Role.LEAD, False): "牵", (Role.RESPONSIBLE, False): "责",
                (Role.LEAD, True): "(牵)", (Role.RESPONSIBLE, True): "(责)"}

#: Terminal cells of the widest date in deadline text, 2021年12月底; a deadline column is this
#: wide, and each date starts a line, so wrapping never splits a date.
DATE_WIDTH = 12

STATE_STYLES: dict[State, str] = {
    State.DONE: "green",
    State.OVERDUE: "bold red",
    State.DUE_SOON: "yellow",
    State.UPCOMING: "",
    State.ONGOING: "cyan",
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.ZH else pair[1]


def label(key: str, lang: Lang) -> str:
    return _pick(LABELS[key], lang)


def count_text(count: int | None, noun: str) -> str:
    """'1 task', '3 tasks'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def state_text(state: State, lang: Lang, days_late: int | None = None,
               days_left: int | None = None) -> str:
    """已完成 / 逾期 12 天 / 5 天后到期 / 未到期 / 长期推进, or the English equivalents."""
    zh = lang is Lang.ZH
    if state is State.DONE:
        if days_late:
            return f"已完成(逾期 {days_late} 天)" if zh else f"done ({count_text(days_late, 'day')} late)"
        return "已完成" if zh else "done"
    if state is State.OVERDUE:
        return f"逾期 {days_late} 天" if zh else f"overdue {count_text(days_late, 'day')}"
    if state is State.DUE_SOON:
        if days_left == 0:
            return "今日到期" if zh else "due today"
        return f"{days_left} 天后到期" if zh else f"due in {count_text(days_left, 'day')}"
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


@dataclass(frozen=True)
class Lines:
    """A cell shown one part per line in tables and workbooks, and as `text` in csv and md."""

    parts: tuple[str, ...]
    text: str


Cell = str | Lines


def units_cell(names: list[str]) -> Lines:
    """Several units: one per line, or joined by 、 as a published table would."""
    return Lines(tuple(names), "、".join(names))


def deadline_cell(text: str) -> Lines:
    """A deadline as published; in tables each date starts a line, so wrapping never splits one."""
    parts = [piece for segment in _AFTER_SEPARATOR.split(text) if segment
             for piece in split_date_prefix(segment) if piece]
    return Lines(tuple(parts), text)


_AFTER_SEPARATOR = re.compile(r"(?<=[;；,，])")


@dataclass(frozen=True)
class Column:
    key: str
    no_wrap: bool = False  # ids, dates and states are never wrapped or cut
    styled: bool = False  # takes the row's state colour
    title: str | None = None  # a literal header (matrix task ids) instead of LABELS[key]
    width: int | None = None  # a fixed width: deadline text gets room for 2021年12月底

    def header(self, lang: Lang) -> str:
        return self.title if self.title is not None else label(self.key, lang)


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
    title: str = ""  # the document's title, for formats that print one (xlsx)
    wide: bool = False  # printed at its natural width, however narrow the terminal (matrix)
    parts: list[View] = field(default_factory=list)  # sections of a document view (the report)
    options: dict[str, Any] = field(default_factory=dict)  # what some formats take: ics reminders


def list_view(tasks: list[Task], as_of: date, soon_days: int, lang: Lang,
              full_text: bool = False) -> View:
    """`dzshare list`: one row per task, its deadline text and its state.

    Tables show the short title; exports sent to units carry the full published text.
    """
    view = View(
        heading=f"{count_text(len(tasks), 'task')} · as of {as_of.isoformat()}",
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("text" if full_text else "title"),
                 Column("lead"), Column("responsible"), Column("deadline", width=DATE_WIDTH),
                 Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    for task in tasks:
        statuses = task_statuses(task, as_of, soon_days)
        headline, state = _task_headline(task, statuses, lang)
        view.rows.append(Row([str(task.id), task.text if full_text else task.short_title,
                              units_cell(task.lead), units_cell(task.responsible),
                              deadline_cell(task.deadline.text), headline], STATE_STYLES[state]))
        view.payload.append(task_record(task, statuses))
    return view


def milestones_cell(task: Task, statuses: list[MilestoneStatus], lang: Lang) -> Cell:
    """Each milestone's date and state, one a line (长期推进 last for open-ended work)."""
    parts = [f"{status.milestone.due.isoformat()} {status_text(status, lang)}" for status in statuses]
    if task.deadline.ongoing:
        parts.append(state_text(State.ONGOING, lang))
    return Lines(tuple(parts), "; ".join(parts)) if len(parts) > 1 else parts[0]


def role_cell(relation: Relation, lang: Lang) -> Cell:
    """牵头 or 责任, with a second line 经由 <group> when a group brings the task to the unit."""
    role = _pick(ROLE_LABELS[relation.role], lang)
    if relation.via is None:
        return role
    via = f"经由 {relation.via}" if lang is Lang.ZH else f"via {relation.via}"
    return Lines((role, via), f"{role} ({via})")


def dept_view(unit: Unit, entries: list[UnitTask], summary: UnitSummary, as_of: date,
              soon_days: int, lang: Lang, full_text: bool = False) -> View:
    """`dzshare dept`: a unit's tasks with its role in each, direct or via a group, and totals."""
    view = View(
        heading=(f"{unit.name} · {count_text(len(entries), 'task')}: {summary.lead} lead, "
                 f"{summary.responsible} responsible, {summary.via_groups} via groups · "
                 f"{count_text(summary.open_milestones, 'open milestone')}, {summary.overdue} overdue · "
                 f"as of {as_of.isoformat()}"),
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("text" if full_text else "title"),
                 Column("role"), Column("deadline", width=DATE_WIDTH),
                 Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    for entry in entries:
        task, relation = entry.task, entry.relation
        statuses = task_statuses(task, as_of, soon_days)
        _, state = _task_headline(task, statuses, lang)
        view.rows.append(Row([str(task.id), task.text if full_text else task.short_title,
                              role_cell(relation, lang), deadline_cell(task.deadline.text),
                              milestones_cell(task, statuses, lang)],
                             STATE_STYLES[state]))
        view.payload.append({**task_record(task, statuses), "role": relation.role.value,
                             "via": relation.via})
    return view


def units_view(summaries: list[UnitSummary], as_of: date, lang: Lang) -> View:
    """`dzshare units`: every unit with its task counts and open and overdue milestones."""
    view = View(
        heading=f"{count_text(len(summaries), 'unit')} · as of {as_of.isoformat()}",
        columns=[Column("unit"), Column("kind"), Column("lead_count", no_wrap=True),
                 Column("responsible_count", no_wrap=True), Column("via_count", no_wrap=True),
                 Column("open_count", no_wrap=True), Column("overdue_count", no_wrap=True, styled=True)],
        payload=[],
    )
    for summary in summaries:
        unit = summary.unit
        kind = _pick(KIND_LABELS[unit.kind], lang) if unit.kind else ""
        view.rows.append(Row([unit.name, kind, str(summary.lead), str(summary.responsible),
                              str(summary.via_groups), str(summary.open_milestones),
                              str(summary.overdue)],
                             STATE_STYLES[State.OVERDUE] if summary.overdue else ""))
        view.payload.append({
            "name": unit.name, "kind": unit.kind.value if unit.kind else None,
            "aliases": list(unit.aliases), "members": list(unit.members),
            "lead": summary.lead, "responsible": summary.responsible,
            "via_groups": summary.via_groups, "open_milestones": summary.open_milestones,
            "overdue": summary.overdue,
        })
    return view


def matrix_view(table: TaskTable, registry: UnitRegistry, lang: Lang) -> View:
    """`dzshare matrix`: units x tasks; 牵 / 责 where a task names the unit, (牵) / (责) via a group."""
    view = View(
        heading=(f"{count_text(len(registry.units), 'unit')} × {count_text(len(table.tasks), 'task')} · "
                 "牵 lead, 责 responsible, (牵)/(责) through a group"),
        columns=[Column("unit", no_wrap=True), *(Column(f"task-{task.id}", no_wrap=True, title=str(task.id))
                                                 for task in table.tasks)],
        payload=[],
        wide=True,
    )
    for unit in registry.units:
        cells: list[Cell] = [unit.name]
        for task in table.tasks:
            relation = registry.primary_relation(unit, task)
            if relation is None:
                cells.append("")
                continue
            cells.append(MATRIX_MARKS[(relation.role, relation.via is not None)])
            view.payload.append({"unit": unit.name, "task": task.id, "role": relation.role.value,
                                 "via": relation.via})
        view.rows.append(Row(cells))
    return view


def due_view(matches: list[MilestoneStatus], window: DueWindow, as_of: date, soon_days: int,
             lang: Lang) -> View:
    """`dzshare due`: one row per matching milestone; JSON groups them by task."""
    view = View(
        heading=f"{window.describe()} · as of {as_of.isoformat()} · {count_text(len(matches), 'milestone')}",
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("title"), Column("lead"),
                 Column("due", no_wrap=True), Column("goal"), Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    shown_by_task: dict[int, list[MilestoneStatus]] = {}
    for status in matches:
        task = status.task
        view.rows.append(Row([str(task.id), task.short_title, units_cell(task.lead),
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
        (label("lead", lang), units_cell(task.lead)),
        (label("responsible", lang), units_cell(task.responsible)),
        (label("deadline", lang), task.deadline.text),
    ]
    view.rows.extend(Row([name, value]) for name, value in fields)
    for status in statuses:
        milestone = status.milestone
        done = ""
        if milestone.done:
            done = f"{'完成于' if lang is Lang.ZH else 'done on'} {milestone.done}"
            done += f" ({milestone.evidence})" if milestone.evidence else ""
        parts = [milestone.due.isoformat(), milestone.goal or "", done, status_text(status, lang)]
        view.rows.append(Row([f"{label('milestone', lang)} {status.number}",
                              " · ".join(part for part in parts if part)], STATE_STYLES[status.state]))
    view.rows.append(Row([label("state", lang), headline], STATE_STYLES[state]))
    view.rows.extend(Row([f"{label('progress', lang)} {note.date}", f"{note.unit}: {note.note}"])
                     for note in task.progress)
    return view


REPORT_SECTIONS: dict[str, tuple[str, str]] = {
    "totals": ("节点统计", "Milestones by state"),
    "lead": ("牵头单位情况", "Units as lead"),
    "responsible": ("责任单位情况", "Units as responsible"),
    "overdue": ("逾期事项", "Overdue milestones"),
    "named": ("拟通报单位", "Units to be named"),
}
OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    Outcome.DONE_ON_TIME: ("按时完成", "done on time"), Outcome.DONE_LATE: ("逾期完成", "done late"),
    Outcome.OVERDUE: ("逾期未完成", "overdue"), Outcome.DUE_SOON: ("即将到期", "due soon"),
    Outcome.UPCOMING: ("未到期", "upcoming"),
}


def report_view(report: SupervisionReport, lang: Lang) -> View:
    """`dzshare report`: one view made of the report's sections, and its JSON payload."""
    totals = report.totals
    view = View(
        heading=(f"supervision report · as of {report.as_of.isoformat()} · "
                 f"{totals[Outcome.OVERDUE]} overdue, {totals[Outcome.DUE_SOON]} due soon"),
        columns=[],
        payload=report_record(report),
    )
    view.parts = [_totals_part(report, lang), _units_part(report, "lead", lang),
                  _units_part(report, "responsible", lang), _overdue_part(report, lang),
                  _named_part(report, lang)]
    return view


def _part(key: str, lang: Lang, columns: list[Column]) -> View:
    return View(heading=_pick(REPORT_SECTIONS[key], lang), columns=columns)


def _totals_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("totals", lang, [Column("state"), Column("count", no_wrap=True)])
    part.rows = [Row([_pick(OUTCOME_LABELS[o], lang), str(report.totals[o])]) for o in Outcome]
    part.rows.append(Row([state_text(State.ONGOING, lang) + (" (任务)" if lang is Lang.ZH else " (tasks)"),
                          str(report.ongoing_tasks)]))
    return part


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _units_part(report: SupervisionReport, role: str, lang: Lang) -> View:
    part = _part(role, lang, [Column("unit", no_wrap=True), *(Column(key) for key in (
        "n_open", "n_overdue", "n_due_soon", "n_on_time", "n_late", "on_time_rate"))])
    for line in report.units:
        counts = line.lead if role == "lead" else line.responsible
        if not counts.total:
            continue
        by = counts.by_outcome
        part.rows.append(Row([line.unit.name, str(counts.open), str(by[Outcome.OVERDUE]),
                              str(by[Outcome.DUE_SOON]), str(by[Outcome.DONE_ON_TIME]),
                              str(by[Outcome.DONE_LATE]), _rate(counts.on_time_rate)],
                             STATE_STYLES[State.OVERDUE] if by[Outcome.OVERDUE] else ""))
    return part


def _overdue_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("overdue", lang, [Column("id", no_wrap=True), Column("title"), Column("due", no_wrap=True),
                                   Column("days_overdue", no_wrap=True, styled=True), Column("lead")])
    part.rows = [Row([str(s.task.id), s.task.short_title, s.milestone.due.isoformat(), str(s.days_late),
                      units_cell(s.task.lead)], STATE_STYLES[State.OVERDUE]) for s in report.overdue]
    return part


def _named_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("named", lang, [Column("unit", no_wrap=True), Column("led_overdue")])
    part.rows = [Row([line.unit.name, str(line.overdue_led_directly)], STATE_STYLES[State.OVERDUE])
                 for line in report.named]
    return part


def _counts_record(counts: Counts) -> dict[str, Any]:
    by = counts.by_outcome
    return {"open": counts.open, "overdue": by[Outcome.OVERDUE], "due_soon": by[Outcome.DUE_SOON],
            "done_on_time": by[Outcome.DONE_ON_TIME], "done_late": by[Outcome.DONE_LATE],
            "on_time_rate": counts.on_time_rate}


def report_record(report: SupervisionReport) -> dict[str, Any]:
    """The report's JSON: as_of, totals, units, overdue and named."""
    return {
        "as_of": report.as_of.isoformat(),
        "totals": {o.value: report.totals[o] for o in Outcome},
        "ongoing_tasks": report.ongoing_tasks,
        "units": [{"name": line.unit.name, "kind": line.unit.kind.value if line.unit.kind else None,
                   "lead": _counts_record(line.lead), "responsible": _counts_record(line.responsible)}
                  for line in report.units],
        "overdue": [{"task": s.task.id, "title": s.task.title, "milestone": s.number,
                     "due": s.milestone.due.isoformat(), "goal": s.milestone.goal,
                     "days_overdue": s.days_late, "lead": list(s.task.lead)} for s in report.overdue],
        "named": [{"name": line.unit.name, "overdue_led": line.overdue_led_directly}
                  for line in report.named],
    }


def flat(cell: Cell) -> str:
    """A cell as one line of text, for csv and md."""
    return cell.text if isinstance(cell, Lines) else cell


def lines(cell: Cell) -> str:
    """A cell with its parts on separate lines, for tables and workbooks."""
    return "\n".join(cell.parts) if isinstance(cell, Lines) else cell


def to_table(view: View, lang: Lang) -> RenderableType:
    """A rich table under the heading line; long text wraps, ids and dates never do.

    A document view (the report) shows each of its parts under its own bold heading.
    """
    # The heading is one line even when it is longer than the terminal: scripts read it whole.
    heading = Text(view.heading, no_wrap=True, overflow="ignore")
    if view.parts:
        return Group(heading, *(Group(Text(""), Text(part.heading, style="bold"), _rich_table(part, lang))
                                for part in view.parts))
    return Group(heading, _rich_table(view, lang))


def _rich_table(view: View, lang: Lang) -> Table:
    if view.wide:  # a grid of short marks: no lines between rows, as little padding as possible
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    else:
        # Lines between rows only where a row can take several lines; a grid of counts needs none.
        multi_line = any(isinstance(cell, Lines) or len(cell) > 12 for row in view.rows for cell in row.cells)
        table = Table(box=box.SQUARE, show_lines=multi_line, header_style="bold")
    for column in view.columns:
        table.add_column(column.header(lang), no_wrap=column.no_wrap, width=column.width,
                         overflow="ellipsis" if column.no_wrap else "fold")
    for row in view.rows:
        table.add_row(*(
            Text(lines(cell), style=row.style if column.styled else "")
            for column, cell in zip(view.columns, row.cells)
        ))
    return table


def plain_text(renderable: RenderableType, width: int = 120) -> str:
    """A rich renderable as plain text without colours, for files."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable, crop=False)
    return console.file.getvalue()
