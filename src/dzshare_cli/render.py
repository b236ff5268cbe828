"""Views of tasks and units (labelled rows plus a JSON payload), the words they are shown in
(LABELS, MESSAGES: Chinese, or English with --lang en) and a view's rich table fitted to the width.

A command builds a View; a format of `exporters` turns it into output. Nothing here prints.
"""

from __future__ import annotations

import io
import re
import string
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from dzshare_cli.deadlines import split_date_prefix
from dzshare_cli.models import ProgressNote, Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import (DueWindow, MilestoneStatus, State, UnitSummary, UnitTask,
                               earliest_open, task_state, task_statuses)
from dzshare_cli.records import task_record
from dzshare_cli.report import Counts, Outcome, SupervisionReport
from dzshare_cli.units import Relation, Role, UnitRegistry

if TYPE_CHECKING:
    from dzshare_cli.reporting import Reporting


class Lang(str, Enum):
    """Label language: Chinese mirrors the published headers."""

    ZH = "zh"
    EN = "en"


LABELS: dict[str, tuple[str, str]] = {
    "document": ("文件", "Doc"),
    "document_title": ("文件名称", "Document title"),
    "n_ongoing": ("长期推进", "Ongoing"),
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
    "group": ("组", "Group"),
    "members_done": ("成员报告已完成", "Members reporting done"),
    "reporting_state": ("报送情况", "Reporting"),
    "open_rows": ("未完成事项", "Open rows"),
    "reported_rows": ("已报送事项", "Rows reported"),
    "last_report": ("最近报送", "Last report"),
}

ROLE_LABELS: dict[Role, tuple[str, str]] = {Role.LEAD: ("牵头", "lead"),
                                            Role.RESPONSIBLE: ("责任", "responsible"),
                                            Role.OTHER: ("其他", "other")}
KIND_LABELS: dict[UnitKind, tuple[str, str]] = {
    UnitKind.DEPARTMENT: ("部门", "department"), UnitKind.OFFICE: ("办公室", "office"),
    UnitKind.TOWNSHIP: ("乡镇(街道)", "township"), UnitKind.MECHANISM: ("机制", "mechanism"),
    UnitKind.GROUP: ("组", "group"),
}
#: Matrix marks: 牵 / 责 where the task names the unit, (牵) / (责) where it names a group of it;
#: a further role is marked by the first character of its column's name (配 for 配合单位).
MATRIX_MARKS = {(Role.LEAD, False): "牵", (Role.RESPONSIBLE, False): "责",
                (Role.LEAD, True): "(牵)", (Role.RESPONSIBLE, True): "(责)"}

#: What a cell shows for a value the table does not give (no deadline, no lead unit, a progress
#: note's date or unit when an imported 进展情况 cell has none).
MISSING = "—"

STATE_STYLES: dict[State, str] = {
    State.DONE: "green",
    State.OVERDUE: "bold red",
    State.DUE_SOON: "yellow",
    State.UPCOMING: "",
    State.ONGOING: "cyan",
    State.NO_DEADLINE: "magenta",
}


#: Every sentence the views show (heading lines, due windows, notes in cells), as (Chinese,
#: English) templates. In English a count names its noun as format spec: `{tasks:task}` reads
#: "1 task" or "18 tasks"; Chinese templates give their own measure words.
MESSAGES: dict[str, tuple[str, str]] = {
    "list": ("共 {tasks} 项任务 · 截至 {as_of}", "{tasks:task} · as of {as_of}"),
    "source_ledger": ("台账 {path} ({documents} 个文件)", "ledger {path} ({documents:document})"),
    "source_bundled": ("内置表", "bundled table"),
    "units": ("共 {units} 个单位 · 截至 {as_of}", "{units:unit} · as of {as_of}"),
    "dept": ("{unit} · 共 {tasks} 项任务:牵头 {lead} 项, 责任 {responsible} 项, 经由组 {via} 项 · "
             "未完成节点 {open} 个, 其中逾期 {overdue} 个 · 截至 {as_of}",
             "{unit} · {tasks:task}: {lead} lead, {responsible} responsible, {via} via groups · "
             "{open:open milestone}, {overdue} overdue · as of {as_of}"),
    "matrix": ("{units} 个单位 × {tasks} 项任务 · 牵=牵头, 责=责任, (牵)/(责)=经由组",
               "{units:unit} × {tasks:task} · 牵 lead, 责 responsible, (牵)/(责) through a group"),
    # due counts milestones; its JSON holds one object per task, so the heading gives both.
    "due": ("{window} · 截至 {as_of} · {milestones} 个节点, 涉及 {tasks} 项任务",
            "{window} · as of {as_of} · {milestones:milestone} in {tasks:task}"),
    "due_window": ("{bounds}到期", "due {bounds}"),
    "due_any": ("不限到期时间", "due any time"),
    "due_before": ("{day} 前", "before {day}"),
    "due_by": ("{day} 及之前", "by {day}"),
    "due_after": ("{day} 之后", "after {day}"),
    "due_joiner": ("、", " and "),
    "show": ("任务 {id} · 截至 {as_of}", "task {id} · as of {as_of}"),
    "report": ("督办通报 · 截至 {as_of} · 逾期 {overdue} 个节点, 即将到期 {due_soon} 个",
               "supervision report · as of {as_of} · {overdue} overdue, {due_soon} due soon"),
    "reporting": (" · {period} 报送情况: 未报送 {not_reported} 个单位, 已报送 {reported} 个",
                  " · reporting {period}: {not_reported:unit} not reported, {reported} reported"),
    "not_reported": ("未报送", "not reported"),
    "has_reported": ("已报送", "reported"),
    "via": ("经由 {group}", "via {group}"),
    "done_on": ("完成于 {day}", "done on {day}"),
    "note_about": ("节点 {which}", "milestone {which}"),
    "note_evidence": ("佐证材料: {text}", "evidence: {text}"),
    "note_problems": ("存在问题: {text}", "problems: {text}"),
    "note_reporter": ("填报人: {text}", "filled in by {text}"),
    "reported_done": ("已完成", "done"),
    "reported_in_progress": ("推进中", "in progress"),
    "reported_not_started": ("未启动", "not started"),
    "reported_cannot_meet": ("无法按期完成", "cannot meet the deadline"),
    "ongoing_tasks": ("{state}(任务)", "{state} (tasks)"),
    "cut": ("…(已截断, 全文 {chars} 字)", "… (cut: {chars} characters in all)"),
    "timeline": ("时间轴 · {tasks} 项任务 · {first} … {last} · 截至 {as_of}",
                 "timeline · {tasks:task} · {first} … {last} · as of {as_of}"),
    "outside_before": ("◀ {first} 之前还有 {count} 个时间节点,最早 {month}",
                       "◀ {count:milestone} before {first}, the earliest in {month}"),
    "outside_after": ("▶ {last} 之后还有 {count} 个时间节点,最晚 {month}",
                      "▶ {count:milestone} after {last}, the latest in {month}"),
    "outside_row_before": ("{first} 之前还有 {count} 个时间节点", "{count:milestone} before {first}"),
    "outside_row_after": ("{last} 之后还有 {count} 个时间节点", "{count:milestone} after {last}"),
    "lead_group": ("牵头: {group}", "lead: {group}"),
    "matrix_other": ("{mark}={role}", "{mark} {role}"),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.ZH else pair[1]


def label(key: str, lang: Lang) -> str:
    return _pick(LABELS[key], lang)


def count_text(count: int | None, noun: str) -> str:
    """'1 task', '3 tasks'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Wording(string.Formatter):
    """Fills a template: an int with a format spec becomes a counted noun (`{tasks:task}`)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, int) and format_spec.replace(" ", "").isalpha():
            return count_text(value, format_spec)
        return super().format_field(value, format_spec)


def say(key: str, lang: Lang, **values: Any) -> str:
    """The sentence `key` of MESSAGES in a language, with its values filled in."""
    return fill(_pick(MESSAGES[key], lang), **values)


def fill(template: str, **values: Any) -> str:
    """A template with its values filled in, an int with a noun as its spec counted (`{tasks:task}`)."""
    return _Wording().format(template, **values)


def window_text(window: DueWindow, lang: Lang) -> str:
    """2022-06-01 前到期 / due before 2022-06-01, for each bound of the window."""
    bounds = [say(f"due_{kind}", lang, day=day.isoformat()) for kind, day in window.bounds()]
    if not bounds:
        return say("due_any", lang)
    return say("due_window", lang, bounds=say("due_joiner", lang).join(bounds))


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
    if state is State.NO_DEADLINE:
        return "未定时限" if zh else "no deadline"
    return "长期推进" if zh else "ongoing"


def status_text(status: MilestoneStatus, lang: Lang) -> str:
    return state_text(status.state, lang, status.days_late, status.days_left)


def _task_headline(task: Task, statuses: list[MilestoneStatus], lang: Lang) -> tuple[str, State]:
    """The text and state of a task: those of its earliest open milestone, else ongoing/done."""
    first = earliest_open(statuses)
    if first is not None:
        return status_text(first, lang), first.state
    state = task_state(statuses, task.deadline)
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


def lead_cell(names: list[str]) -> Lines:
    """The lead units; a task without one shows the lack (a dash on screen, empty in csv and md)."""
    return Lines(tuple(names) or (MISSING,), "、".join(names))


def deadline_cell(text: str) -> Lines:
    """A deadline as published; in tables each date starts a line, so wrapping never splits one."""
    parts = [piece for segment in _AFTER_SEPARATOR.split(text) if segment
             for piece in split_date_prefix(segment) if piece]
    # No deadline is shown as lacking: a dash on screen, an empty cell in csv and markdown.
    return Lines(tuple(parts) or (MISSING,), text)


_AFTER_SEPARATOR = re.compile(r"(?<=[;；,，])")


@dataclass(frozen=True)
class Column:
    """A column of a view: its label key, and how its cells are laid out."""

    key: str
    #: A line of its cells is never split: ids, dates, states, counts, unit names and goals.
    #: The other columns (task texts) take the wrapping.
    no_wrap: bool = False
    styled: bool = False  # takes the row's state colour
    title: str | None = None  # a literal header (matrix task ids) instead of LABELS[key]

    def header(self, lang: Lang) -> str:
        return self.title if self.title is not None else label(self.key, lang)


@dataclass(frozen=True)
class Row:
    """A row of a view: its cells, and the style of the row's state."""

    cells: list[Cell]
    style: str = ""
    document: str | None = None  # the ledger document the row's task comes from


@dataclass
class View:
    """What a command shows: a heading line, labelled columns, rows and the JSON payload."""

    heading: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    payload: Any = None
    title: str = ""  # the document's title, for formats that print one (xlsx)
    #: A grid of short marks (matrix): in a narrow terminal its columns are shown in blocks,
    #: each repeating the first column.
    wide: bool = False
    parts: list[View] = field(default_factory=list)  # sections of a document view (the report)
    options: dict[str, Any] = field(default_factory=dict)  # what some formats take: ics reminders


def add_document_column(view: View) -> None:
    """Put each row's 文件 (its ledger document's key) first: done when more than one document is
    in play, so that rows with the same 序号 from two documents can be told apart."""
    for target in (view, *view.parts):
        if target.columns and target.columns[0].key == "id":
            target.columns.insert(0, Column("document", no_wrap=True))
            target.rows[:] = [Row([row.document or "", *row.cells], row.style, row.document) for row in target.rows]


def source_label(table: TaskTable, lang: Lang) -> str:
    """` · <where it was read>` for a heading line: the ledger with its documents in play, a table's path,
    or the bundled table; nothing when no source is known (a table built in code)."""
    source = table.source
    if source is None:
        return ""
    if source.is_ledger:
        return " · " + say("source_ledger", lang, path=source.shown, documents=len(table.documents))
    if source.kind.value == "bundled":
        return " · " + say("source_bundled", lang)
    return " · " + source.shown


def list_view(tasks: list[Task], as_of: date, soon_days: int, lang: Lang,
              full_text: bool = False) -> View:
    """`dzshare list`: one row per task, its deadline text and its state.

    Tables show the short title; exports sent to units carry the full published text and
    the further role columns.
    """
    # An export carries the further role columns (配合单位) under their published name, so that
    # the file sent to the units still says who supports each task; `show` and `dept` name them.
    role_names = list(dict.fromkeys(name for task in tasks for name in task.roles)) if full_text else []
    view = View(
        heading=say("list", lang, tasks=len(tasks), as_of=as_of.isoformat()),
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("text" if full_text else "title"),
                 Column("lead", no_wrap=True), Column("responsible", no_wrap=True),
                 *(Column("role", no_wrap=True, title=name) for name in role_names),
                 Column("deadline", no_wrap=True), Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    for task in tasks:
        statuses = task_statuses(task, as_of, soon_days)
        headline, state = _task_headline(task, statuses, lang)
        view.rows.append(Row([str(task.id), task.text if full_text else task.short_title,
                              lead_cell(task.lead), units_cell(task.responsible),
                              *(units_cell(task.roles.get(name, [])) for name in role_names),
                              deadline_cell(task.deadline.text), headline], STATE_STYLES[state], task.document))
        view.payload.append(task_record(task, statuses))
    return view


def milestones_cell(task: Task, statuses: list[MilestoneStatus], lang: Lang) -> Cell:
    """Each milestone's date and state, one a line (长期推进 last for open-ended work); of a
    recurrence, only the occurrences still open (years of monthly ones done would fill the cell)."""
    parts = [f"{status.milestone.due.isoformat()} {status_text(status, lang)}" for status in statuses
             if status.period is None or status.state is not State.DONE]
    if task.deadline.ongoing:
        parts.append(state_text(State.ONGOING, lang))
    if not parts:
        return state_text(State.NO_DEADLINE, lang)
    return Lines(tuple(parts), "; ".join(parts)) if len(parts) > 1 else parts[0]


def role_text(relation: Relation, lang: Lang) -> str:
    """牵头, 责任, or a further role's published name (配合单位)."""
    if relation.role is Role.OTHER and relation.label:
        return relation.label
    return _pick(ROLE_LABELS[relation.role], lang)


def matrix_mark(relation: Relation) -> str:
    """牵 / 责 / 配 (the first character of a further role's name), in brackets via a group."""
    if relation.role is Role.OTHER:
        mark = (relation.label or _pick(ROLE_LABELS[Role.OTHER], Lang.ZH))[0]
        return f"({mark})" if relation.via else mark
    return MATRIX_MARKS[(relation.role, relation.via is not None)]


def relation_record(relation: Relation) -> dict[str, Any]:
    """The JSON of a unit's relation to a task: role, role_label (a further role's name) and via."""
    return {"role": relation.role.value, "role_label": relation.label, "via": relation.via}


def role_cell(relation: Relation, lang: Lang) -> Cell:
    """牵头, 责任 or a further role's name (配合单位), with a second line 经由 <group> when a
    group brings the task to the unit."""
    role = role_text(relation, lang)
    if relation.via is None:
        return role
    via = say("via", lang, group=relation.via)
    return Lines((role, via), f"{role} ({via})")


def dept_view(unit: Unit, entries: list[UnitTask], summary: UnitSummary, as_of: date,
              soon_days: int, lang: Lang, full_text: bool = False) -> View:
    """`dzshare dept`: a unit's tasks with its role in each, direct or via a group, and totals."""
    view = View(
        heading=say("dept", lang, unit=unit.name, tasks=len(entries), lead=summary.lead,
                    responsible=summary.responsible, via=summary.via_groups,
                    open=summary.open_milestones, overdue=summary.overdue, as_of=as_of.isoformat()),
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("text" if full_text else "title"),
                 Column("role", no_wrap=True), Column("deadline", no_wrap=True),
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
                             STATE_STYLES[state], task.document))
        view.payload.append({**task_record(task, statuses), **relation_record(relation)})
    return view


def units_view(summaries: list[UnitSummary], as_of: date, lang: Lang) -> View:
    """`dzshare units`: every unit with its task counts and open and overdue milestones."""
    view = View(
        heading=say("units", lang, units=len(summaries), as_of=as_of.isoformat()),
        columns=[Column("unit", no_wrap=True), Column("kind", no_wrap=True), Column("lead_count", no_wrap=True),
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
        heading=say("matrix", lang, units=len(registry.units), tasks=len(table.tasks)) + _other_marks(table, lang),
        columns=[Column("unit", no_wrap=True), *(Column(f"task-{name}", no_wrap=True, title=name)
                                                 for name in _task_names(table))],
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
            cells.append(matrix_mark(relation))
            view.payload.append({"unit": unit.name, "document": task.document, "task": task.id,
                                 **relation_record(relation)})
        view.rows.append(Row(cells))
    return view


def _task_names(table: TaskTable) -> list[str]:
    """How a grid's columns name tasks: by id, or as KEY:ID when several documents are in play."""
    return [task.ref if table.multi_document else str(task.id) for task in table.tasks]


def _other_marks(table: TaskTable, lang: Lang) -> str:
    """The legend of the further roles' marks (, 配=配合单位), when the table has any."""
    labels = dict.fromkeys(label for task in table.tasks for label in task.roles)
    return "".join(f", {say('matrix_other', lang, mark=matrix_mark(Relation(Role.OTHER, label=label)), role=label)}"
                   for label in labels)


def due_view(matches: list[MilestoneStatus], window: DueWindow, as_of: date, soon_days: int,
             lang: Lang, statuses_of: dict[int, list[MilestoneStatus]] | None = None) -> View:
    """`dzshare due`: one row per matching milestone; JSON groups them by task. `statuses_of`:
    the tasks' statuses that query.due_milestones read for the same window, by id(task)."""
    view = View(
        heading=say("due", lang, window=window_text(window, lang), as_of=as_of.isoformat(),
                    milestones=len(matches), tasks=len({id(status.task) for status in matches})),
        options={"as_of": as_of},
        columns=[Column("id", no_wrap=True), Column("title"), Column("lead", no_wrap=True),
                 Column("due", no_wrap=True), Column("goal", no_wrap=True),
                 Column("state", no_wrap=True, styled=True)],
        payload=[],
    )
    shown_by_task: dict[int, list[MilestoneStatus]] = {}
    for status in matches:
        task = status.task
        view.rows.append(Row([str(task.id), task.short_title, lead_cell(task.lead),
                              status.milestone.due.isoformat(), status.milestone.goal or "",
                              status_text(status, lang)], STATE_STYLES[status.state], task.document))
        shown_by_task.setdefault(id(task), []).append(status)
    for shown in shown_by_task.values():  # dicts keep insertion order: earliest match first
        task = shown[0].task
        # The task's state and count read its milestones as far as the window does.
        statuses = (statuses_of or {}).get(id(task)) or \
            task_statuses(task, as_of, soon_days, window.horizon(as_of), window.since())
        view.payload.append(task_record(task, statuses, shown))
    return view


def show_view(task: Task, as_of: date, soon_days: int, lang: Lang) -> View:
    """`dzshare show`: every field of one task, each milestone with its state."""
    statuses = task_statuses(task, as_of, soon_days)
    headline, state = _task_headline(task, statuses, lang)
    view = View(
        heading=say("show", lang, id=task.id, as_of=as_of.isoformat()),
        columns=[Column("field", no_wrap=True), Column("value")],
        payload=task_record(task, statuses),
    )
    fields: list[tuple[str, Cell]] = [
        *([(label("document", lang), task.document)] if task.document is not None else []),
        (label("id", lang), str(task.id)),
        (label("summary", lang), task.title or ""),
        (label("text", lang), task.text),
        (label("lead", lang), lead_cell(task.lead)),
        (label("responsible", lang), units_cell(task.responsible)),
        *((name, units_cell(names)) for name, names in task.roles.items()),
        (label("deadline", lang), task.deadline.text or MISSING),
    ]
    view.rows.extend(Row([name, value]) for name, value in fields)
    for status in statuses:
        milestone = status.milestone
        done = ""
        if milestone.done:
            done = say("done_on", lang, day=milestone.done.isoformat())
            done += f" ({milestone.evidence})" if milestone.evidence else ""
        parts = [milestone.due.isoformat(), milestone.goal or "", done, status_text(status, lang)]
        view.rows.append(Row([f"{label('milestone', lang)} {status.period or status.number}",
                              " · ".join(part for part in parts if part)], STATE_STYLES[status.state]))
    view.rows.append(Row([label("state", lang), headline], STATE_STYLES[state]))
    # A note imported from a 进展情况 column has no date and no unit: shown as the table gives it.
    view.rows.extend(Row([" ".join(filter(None, [label("progress", lang), note.date and note.date.isoformat()])),
                          note_text(note, lang)]) for note in task.progress)
    return view


def single_table_label(table: TaskTable) -> str:
    """What a row's 文件 cell says in a form or notice of a single table: its attachment (附件2),
    else its title; empty for a ledger, whose rows name their document's key."""
    return "" if table.documents else (table.document.attachment or table.document.title or "")


def note_text(note: ProgressNote, lang: Lang) -> str:
    """A progress note in one line: the unit, the note, then what a form said besides."""
    reported = say(f"reported_{note.status.value}", lang) if note.status is not None else ""
    which = note.period or note.milestone
    parts = [f"{note.unit}: {note.note}" if note.unit else note.note,
             say("note_about", lang, which=which) if which is not None else "",
             reported if reported != note.note else "",  # a note that is only 已完成 says it once
             say("done_on", lang, day=note.done_on.isoformat()) if note.done_on else "",
             say("note_evidence", lang, text=note.evidence) if note.evidence else "",
             say("note_problems", lang, text=note.problems) if note.problems else "",
             say("note_reporter", lang, text=note.reporter) if note.reporter else ""]
    return " · ".join(part for part in parts if part)


REPORT_SECTIONS: dict[str, tuple[str, str]] = {
    "totals": ("节点统计", "Milestones by state"),
    "documents": ("各文件情况", "Documents"),
    "lead": ("牵头单位情况", "Units as lead"),
    "responsible": ("责任单位情况", "Units as responsible"),
    "overdue": ("逾期事项", "Overdue milestones"),
    "named": ("拟通报单位", "Units to be named"),
    "group_reports": ("组内成员报告完成情况", "Group milestones reported done"),
    "reporting": ("报送情况", "Reporting"),
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
        heading=say("report", lang, as_of=report.as_of.isoformat(), overdue=totals[Outcome.OVERDUE],
                    due_soon=totals[Outcome.DUE_SOON]),
        columns=[],
        payload=report_record(report),
    )
    view.parts = [_totals_part(report, lang), *([_documents_part(report, lang)] if report.documents else []),
                  _units_part(report, "lead", lang),
                  _units_part(report, "responsible", lang), _overdue_part(report, lang),
                  _named_part(report, lang)]
    # Each shown only when there is something to show: a table without them reads as it always did.
    if report.group_reports:
        view.parts.append(_group_reports_part(report, lang))
    if report.reporting is not None:
        view.heading += say("reporting", lang, period=report.reporting.period.label,
                            not_reported=len(report.reporting.not_reported), reported=len(report.reporting.reported))
        view.parts.append(_reporting_part(report.reporting, lang))
    return view


def _part(key: str, lang: Lang, columns: list[Column]) -> View:
    return View(heading=_pick(REPORT_SECTIONS[key], lang), columns=columns)


def _totals_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("totals", lang, [Column("state", no_wrap=True), Column("count", no_wrap=True)])
    part.rows = [Row([_pick(OUTCOME_LABELS[o], lang), str(report.totals[o])]) for o in Outcome]
    part.rows.append(Row([say("ongoing_tasks", lang, state=state_text(State.ONGOING, lang)),
                          str(report.ongoing_tasks)]))
    if report.no_deadline_tasks:
        part.rows.append(Row([say("ongoing_tasks", lang, state=state_text(State.NO_DEADLINE, lang)),
                              str(report.no_deadline_tasks)], STATE_STYLES[State.NO_DEADLINE]))
    return part


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _units_part(report: SupervisionReport, role: str, lang: Lang) -> View:
    part = _part(role, lang, [Column("unit", no_wrap=True), *(Column(key, no_wrap=True) for key in (
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


def _documents_part(report: SupervisionReport, lang: Lang) -> View:
    """A ledger's documents, each with its milestones by outcome: where the overdue work is."""
    part = _part("documents", lang, [Column("document", no_wrap=True), Column("document_title"),
                                     *(Column(key, no_wrap=True) for key in (
                                         "n_open", "n_overdue", "n_due_soon", "n_on_time", "n_late",
                                         "on_time_rate", "n_ongoing"))])
    for line in report.documents:
        by = line.counts.by_outcome
        part.rows.append(Row([line.key, line.title, str(line.counts.open), str(by[Outcome.OVERDUE]),
                              str(by[Outcome.DUE_SOON]), str(by[Outcome.DONE_ON_TIME]),
                              str(by[Outcome.DONE_LATE]), _rate(line.counts.on_time_rate), str(line.ongoing_tasks)],
                             STATE_STYLES[State.OVERDUE] if by[Outcome.OVERDUE] else "", line.key))
    return part


def _overdue_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("overdue", lang, [Column("id", no_wrap=True), Column("title"), Column("due", no_wrap=True),
                                   Column("days_overdue", no_wrap=True, styled=True),
                                   Column("lead", no_wrap=True)])
    part.rows = [Row([str(s.task.id), s.task.short_title, s.milestone.due.isoformat(), str(s.days_late),
                      lead_cell(s.task.lead)], STATE_STYLES[State.OVERDUE], s.task.document) for s in report.overdue]
    return part


def _named_part(report: SupervisionReport, lang: Lang) -> View:
    part = _part("named", lang, [Column("unit", no_wrap=True), Column("led_overdue", no_wrap=True)])
    part.rows = [Row([line.unit.name, str(line.overdue_led_directly)], STATE_STYLES[State.OVERDUE])
                 for line in report.named]
    return part


def _group_reports_part(report: SupervisionReport, lang: Lang) -> View:
    """Milestones a group holds, with how many of its members have reported each done: 2/12."""
    part = _part("group_reports", lang, [Column("id", no_wrap=True), Column("title"), Column("due", no_wrap=True),
                                         Column("state", no_wrap=True, styled=True), Column("group", no_wrap=True),
                                         Column("members_done", no_wrap=True)])
    part.rows = [Row([str(line.status.task.id), line.status.task.short_title, line.status.milestone.due.isoformat(),
                      status_text(line.status, lang), line.group.name, f"{line.reported_done}/{line.members}"],
                     STATE_STYLES[line.status.state], line.status.task.document) for line in report.group_reports]
    return part


def _reporting_part(reporting: Reporting, lang: Lang) -> View:
    """Who has reported: those that have not first (whom the office chases), then those that have."""
    part = _part("reporting", lang, [Column("unit", no_wrap=True), Column("reporting_state", no_wrap=True, styled=True),
                                     Column("open_rows", no_wrap=True), Column("reported_rows", no_wrap=True),
                                     Column("last_report", no_wrap=True)])
    part.rows = [Row([line.unit.name, say("not_reported", lang), str(line.open), "0", MISSING],
                     STATE_STYLES[State.OVERDUE]) for line in reporting.not_reported]
    part.rows += [Row([line.unit.name, say("has_reported", lang), str(line.open), str(line.rows),
                       line.last.isoformat() if line.last else MISSING], STATE_STYLES[State.DONE])
                  for line in reporting.reported]
    return part


def reporting_record(reporting: Reporting) -> dict[str, Any]:
    """{"period", "reported": [{unit, rows, last, open}], "not_reported": [{unit, open}]}."""
    return {"period": reporting.period.label,
            "reported": [{"unit": line.unit.name, "rows": line.rows,
                          "last": line.last.isoformat() if line.last else None, "open": line.open}
                         for line in reporting.reported],
            "not_reported": [{"unit": line.unit.name, "open": line.open} for line in reporting.not_reported]}


def _counts_record(counts: Counts) -> dict[str, Any]:
    by = counts.by_outcome
    return {"open": counts.open, "overdue": by[Outcome.OVERDUE], "due_soon": by[Outcome.DUE_SOON],
            "done_on_time": by[Outcome.DONE_ON_TIME], "done_late": by[Outcome.DONE_LATE],
            "on_time_rate": counts.on_time_rate}


def report_record(report: SupervisionReport) -> dict[str, Any]:
    """The report's JSON: as_of, totals, units, overdue and named; for a ledger, its documents too;
    group_reports when a group's member has reported a milestone done; reporting with --period."""
    record: dict[str, Any] = {
        "as_of": report.as_of.isoformat(),
        "totals": {o.value: report.totals[o] for o in Outcome},
        "ongoing_tasks": report.ongoing_tasks,
        "no_deadline_tasks": report.no_deadline_tasks,
        "units": [{"name": line.unit.name, "kind": line.unit.kind.value if line.unit.kind else None,
                   "lead": _counts_record(line.lead), "responsible": _counts_record(line.responsible)}
                  for line in report.units],
        "overdue": [{"document": s.task.document, "task": s.task.id, "title": s.task.title, "milestone": s.number, "period": s.period,
                     "due": s.milestone.due.isoformat(), "goal": s.milestone.goal,
                     "days_overdue": s.days_late, "lead": list(s.task.lead)} for s in report.overdue],
        "named": [{"name": line.unit.name, "overdue_led": line.overdue_led_directly}
                  for line in report.named],
    }
    if report.documents:
        record["documents"] = [{"document": line.key, "title": line.title, **_counts_record(line.counts),
                                "ongoing_tasks": line.ongoing_tasks} for line in report.documents]
    # Absent, not empty, when there are none: the JSON of a table without them is what it was.
    if report.group_reports:
        record["group_reports"] = [{"document": line.status.task.document, "task": line.status.task.id,
                                    "milestone": line.status.number, "period": line.status.period,
                                    "group": line.group.name, "reported_done": line.reported_done,
                                    "members": line.members} for line in report.group_reports]
    if report.reporting is not None:
        record["reporting"] = reporting_record(report.reporting)
    return record


def flat(cell: Cell) -> str:
    """A cell as one line of text, for csv and md."""
    return cell.text if isinstance(cell, Lines) else cell


def lines(cell: Cell) -> str:
    """A cell with its parts on separate lines, for tables and workbooks."""
    return "\n".join(cell.parts) if isinstance(cell, Lines) else cell


#: A terminal cell shows at most this many characters of a text (wrapping a 10 MB text took
#: minutes); json, csv and xlsx keep every character: they are data.
CELL_CHARS = 500
#: A column of task text is not made narrower than this while a layout allows it.
TEXT_MIN_WIDTH = 10
#: ...and, to keep names whole, narrower down to this (three Chinese characters a line), but
#: not further: a text of one character a line is harder to read than a name folded once.
WRAP_MIN_WIDTH = 6


@dataclass(frozen=True)
class Layout:
    """How a terminal table is drawn: its box, and the cells of padding beside each text."""

    box: box.Box
    show_edge: bool
    padding: int
    pad_edge: bool

    def overhead(self, columns: int) -> int:
        """The cells of a line that rules and padding take, around `columns` columns of text."""
        rules = columns - 1 + (2 if self.show_edge else 0)
        padding = self.padding * (2 * (columns - 1) + (2 if self.pad_edge else 0))
        return rules + padding


#: Most comfortable first: a table takes the first layout in which every unit name, goal, id,
#: date and state fits whole, and task texts keep at least TEXT_MIN_WIDTH cells.
TABLE_LAYOUTS = (
    Layout(box.SQUARE, show_edge=True, padding=1, pad_edge=True),
    Layout(box.SQUARE, show_edge=False, padding=1, pad_edge=False),
    Layout(box.SQUARE, show_edge=False, padding=0, pad_edge=False),
)
#: A grid of marks (the matrix) has no rules between its columns.
GRID_LAYOUT = Layout(box.SIMPLE_HEAD, show_edge=False, padding=1, pad_edge=False)


def plan_widths(floors: list[int], naturals: list[int], room: int) -> list[int] | None:
    """Column widths that add up to at most `room`: each at most its natural width and at least
    its floor, the widest giving way first; None when the floors alone need more room."""
    if sum(floors) > room:
        return None
    if sum(naturals) <= room:
        return list(naturals)

    def widths_under(ceiling: int) -> list[int]:
        return [max(floor, min(natural, ceiling)) for floor, natural in zip(floors, naturals)]

    low, high = 0, max(naturals)  # the highest common ceiling that fits, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if sum(widths_under(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    widths = widths_under(low)
    spare = room - sum(widths)
    for index, natural in enumerate(naturals):  # cells left below the next ceiling, in order
        if spare and widths[index] < natural:
            widths[index] += 1
            spare -= 1
    return widths


def _capped(text: str, lang: Lang) -> str:
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + say("cut", lang, chars=len(text))


class FittedTable:
    """The rich table of a view, laid out for the width it is rendered at.

    Unit names, goals, ids, dates and states are never split across lines while some layout
    lets them be whole; the task text takes the wrapping. A grid too wide for the width is
    shown in blocks of columns, each repeating the first (the unit).
    """

    def __init__(self, view: View, lang: Lang) -> None:
        self.view = view
        self.headers = [column.header(lang) for column in view.columns]
        self.cells = [[_capped(lines(cell), lang) for cell in row.cells] for row in view.rows]
        # Lines between rows only where a row can take several lines; a grid of counts needs none.
        self.multi_line = not view.wide and any(
            isinstance(cell, Lines) or len(cell) > 12 for row in view.rows for cell in row.cells)
        self.floors: list[int] = []
        self.naturals: list[int] = []
        # Narrower floors for when no layout fits the comfortable ones: first the texts wrap
        # tighter and their headers fold, then the headers of whole-kept columns fold too,
        # then those columns wrap between words.
        self.tight_floors: list[list[int]] = [[], [], []]
        for index, column in enumerate(view.columns):
            body = [cell_len(line) for row in self.cells for line in row[index].split("\n")]
            header = self.headers[index]
            header_word = max((cell_len(word) for word in header.split()), default=0)  # headers wrap at spaces
            natural = max([cell_len(header), *body], default=1) or 1
            whole = max(body, default=1)
            floor = max([header_word, *body]) if column.no_wrap else min(natural, max(TEXT_MIN_WIDTH, header_word))
            self.floors.append(floor)
            self.naturals.append(natural)
            self.tight_floors[0].append(floor if column.no_wrap else min(natural, WRAP_MIN_WIDTH))
            self.tight_floors[1].append(whole if column.no_wrap else min(natural, WRAP_MIN_WIDTH))
            # Last, states and dates written in words (overdue 107 days) wrap between their
            # words; a name without spaces (every Chinese one) still stays whole.
            word = max((cell_len(w) for row in self.cells for w in row[index].split()), default=1)
            self.tight_floors[2].append(word if column.no_wrap else min(natural, WRAP_MIN_WIDTH))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if not self.view.wide:
            yield self._table(list(range(len(self.view.columns))), width, TABLE_LAYOUTS)
            return
        for number, block in enumerate(self._blocks(width)):
            if number:
                yield Text("")
            yield self._table([0, *block], width, (GRID_LAYOUT,))

    def _blocks(self, width: int) -> list[list[int]]:
        """The grid's columns after the first, in blocks as few and as even as fit the width."""
        rest = list(range(1, len(self.view.columns)))

        def fits(block: list[int]) -> bool:
            chosen = [0, *block]
            return sum(self.naturals[i] for i in chosen) + GRID_LAYOUT.overhead(len(chosen)) <= width

        greedy: list[list[int]] = []
        for index in rest:
            if greedy and fits([*greedy[-1], index]):
                greedy[-1].append(index)
            else:
                greedy.append([index])
        size = -(-len(rest) // len(greedy)) if greedy else 0
        even = [rest[start:start + size] for start in range(0, len(rest), size)] if size else []
        return even if len(even) <= len(greedy) and all(map(fits, even)) else greedy or [[]]

    def _table(self, indexes: list[int], width: int, layouts: tuple[Layout, ...]) -> Table:
        floors = [self.floors[i] for i in indexes]
        naturals = [self.naturals[i] for i in indexes]
        for layout in layouts:
            widths = plan_widths(floors, naturals, width - layout.overhead(len(indexes)))
            if widths is not None:
                return self._rich_table(layout, indexes, widths)
        # No layout keeps every name whole with texts of TEXT_MIN_WIDTH: the tightest layout,
        # with texts narrower, then headers folded, and only then names folded too.
        layout = layouts[-1]
        room = width - layout.overhead(len(indexes))
        for tight in self.tight_floors:
            widths = plan_widths([tight[i] for i in indexes], naturals, room)
            if widths is not None:
                return self._rich_table(layout, indexes, widths)
        widths = plan_widths([1] * len(indexes), naturals, room) or [1] * len(indexes)
        return self._rich_table(layout, indexes, widths)

    def _rich_table(self, layout: Layout, indexes: list[int], widths: list[int]) -> Table:
        table = Table(box=layout.box, show_edge=layout.show_edge, padding=(0, layout.padding),
                      pad_edge=layout.pad_edge, show_lines=self.multi_line, header_style="bold")
        for index, width in zip(indexes, widths):
            table.add_column(self.headers[index], width=width, overflow="fold")
        columns = self.view.columns
        for row, cells in zip(self.view.rows, self.cells):
            table.add_row(*(Text(cells[i], style=row.style if columns[i].styled else "") for i in indexes))
        return table


class Heading:
    """A heading line for people, wrapped at the width between its ` · ` parts where it can."""

    SEPARATOR = " · "

    def __init__(self, text: str, style: str = "") -> None:
        self.parts = text.split(self.SEPARATOR)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = ""
        for part in self.parts:
            joined = f"{line}{self.SEPARATOR}{part}" if line else part
            if line and cell_len(joined) > options.max_width:
                yield Text(line + self.SEPARATOR.rstrip(), style=self.style)
                joined = part
            line = joined
        yield Text(line, style=self.style)  # a part longer than the width wraps inside itself


def to_table(view: View, lang: Lang) -> RenderableType:
    """The heading line (wrapped at the width, like the table) over the view's fitted table.

    A document view (the report) shows each of its parts under its own bold heading.
    """
    heading = Heading(view.heading)
    if view.parts:
        return Group(heading, *(Group(Text(""), Text(part.heading, style="bold"), FittedTable(part, lang))
                                for part in view.parts))
    return Group(heading, FittedTable(view, lang))


def plain_text(renderable: RenderableType, width: int = 120) -> str:
    """A rich renderable as plain text without colours, for files."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable, crop=False)
    return console.file.getvalue()
