"""What the site shows, worked out once from the report and the query layer: each unit's and
each document's light (亮灯), each task's statuses and where its page is; pure (the as-of date
and the table's version come in as values)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import Enum

from dzshare_cli.files import file_names
from dzshare_cli.models import Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import MilestoneStatus, State, UnitTask, task_state, task_statuses, tasks_by_unit
from dzshare_cli.report import Counts, Outcome, SupervisionReport, UnitLine, build_report
from dzshare_cli.units import UnitRegistry


class Light(str, Enum):
    """A unit's or document's light (亮灯督办); the values are the pages' data-state contract."""

    RED = "red"  # leads or holds overdue work
    YELLOW = "yellow"  # a milestone is due within --soon-days
    GREEN = "green"  # open work, on track
    GREY = "grey"  # nothing open: every milestone done, or no task at all


#: Worst first: the order units are listed in.
LIGHT_ORDER = (Light.RED, Light.YELLOW, Light.GREEN, Light.GREY)

#: A task's state as a light: what its badge is coloured like.
STATE_LIGHTS = {State.OVERDUE: Light.RED, State.DUE_SOON: Light.YELLOW, State.UPCOMING: Light.GREEN,
                State.ONGOING: Light.GREEN, State.NO_DEADLINE: Light.GREEN, State.DONE: Light.GREY}


def light_of(overdue: int, due_soon: int, open_work: int) -> Light:
    """Red when anything is overdue, else yellow when something is due soon, else green while
    work is open (a milestone not yet due, an ongoing or undated task), else grey."""
    if overdue:
        return Light.RED
    if due_soon:
        return Light.YELLOW
    return Light.GREEN if open_work else Light.GREY


@dataclass(frozen=True)
class TableVersion:
    """Which version of the table a site shows: the git commit of the table's repository when
    the table is in one (and whether its files differ from that commit), and always the hash
    of its content, which tells two uncommitted versions apart."""

    content: str
    commit: str | None = None
    dirty: bool = False


def content_hash(table: TaskTable) -> str:
    """The SHA-256 of everything the site shows of a table: its header, units and every task
    with its done records and progress notes (a ledger: each document's header too)."""
    record = {"table": table.model_dump(mode="json", warnings=False),
              "documents": {key: document.document.model_dump(mode="json")
                            for key, document in table.documents.items()},
              "task_documents": [task.document for task in table.tasks]}
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TaskEntry:
    """A task as the site shows it: its statuses, its state, and where it is on its page."""

    task: Task
    statuses: list[MilestoneStatus]
    state: State
    page: str  # the document page that lists it: table.html, docs/KEY.html
    anchor: str  # its id on that page
    units: tuple[str, ...]  # every unit it reaches, directly or through a group (the unit filter)

    @property
    def href(self) -> str:
        return f"{self.page}#{self.anchor}"


@dataclass(frozen=True)
class UnitStanding:
    """A unit's light and counts, from its report line (as lead and as responsible, directly
    or through its groups), its tasks, and the paths of its page and downloads."""

    unit: Unit
    line: UnitLine
    entries: list[UnitTask]
    open_tasks: int  # tasks not done: open milestones, ongoing or undated
    light: Light
    page: str
    downloads: dict[str, str]  # "ics" / "xlsx" -> path; none for a group (its members have them)

    @property
    def is_group(self) -> bool:
        """A group (市直相关部门): listed with its own page, but not counted as a unit, as its
        work is counted for each of its members."""
        return self.unit.kind is UnitKind.GROUP

    @property
    def overdue(self) -> int:
        return self.line.lead.by_outcome[Outcome.OVERDUE] + self.line.responsible.by_outcome[Outcome.OVERDUE]

    @property
    def due_soon(self) -> int:
        return self.line.lead.by_outcome[Outcome.DUE_SOON] + self.line.responsible.by_outcome[Outcome.DUE_SOON]

    @property
    def open_milestones(self) -> int:
        return self.line.lead.open + self.line.responsible.open


@dataclass(frozen=True)
class DocumentStanding:
    """A page of tasks: a ledger document, or the whole table (key None), with its light."""

    key: str | None
    title: str
    page: str
    counts: Counts
    ongoing_tasks: int
    light: Light
    tasks: list[TaskEntry]


@dataclass(frozen=True)
class SiteModel:
    """Everything the pages are made from."""

    table: TaskTable
    registry: UnitRegistry
    title: str
    as_of: date
    soon_days: int
    version: TableVersion
    report: SupervisionReport
    units: list[UnitStanding]  # worst first
    documents: list[DocumentStanding]
    tasks: dict[int, TaskEntry]  # by id(task)
    unit_pages: dict[str, str]  # unit name -> its page

    @property
    def is_ledger(self) -> bool:
        return bool(self.table.documents)

    def __setstate__(self, state: dict) -> None:
        """Unpickled (a worker process started without fork): the tasks are new objects, so
        `tasks` is keyed by their new ids (pickling keeps each entry's task the table's own)."""
        tasks = {id(entry.task): entry for entry in state["tasks"].values()}
        self.__dict__.update({**state, "tasks": tasks})


UNITS_FOLDER, DOCS_FOLDER, DOWNLOADS_FOLDER = "units", "docs", "downloads"
TABLE_PAGE = "table.html"


def build_model(table: TaskTable, registry: UnitRegistry, as_of: date, soon_days: int,
                version: TableVersion) -> SiteModel:
    """The site's model as of a day: the report's counts and the query layer's states, read once."""
    report = build_report(table, registry, as_of, soon_days)
    by_unit = tasks_by_unit(table, registry)
    documents = _document_pages(table)
    tasks = _task_entries(table, registry, by_unit, as_of, soon_days, documents)
    standings = _unit_standings(registry, report, by_unit, tasks)
    return SiteModel(table=table, registry=registry, title=table.document.title or "dzshare",
                     as_of=as_of, soon_days=soon_days, version=version, report=report, units=standings,
                     documents=_document_standings(table, report, documents, tasks), tasks=tasks,
                     unit_pages={standing.unit.name: standing.page for standing in standings})


def _document_pages(table: TaskTable) -> dict[str | None, str]:
    """Each document's page: docs/KEY.html in a ledger, table.html for a single table."""
    if not table.documents:
        return {None: TABLE_PAGE}
    keys = list(table.documents)
    return {key: f"{DOCS_FOLDER}/{name}" for key, name in zip(keys, file_names(keys, ".html"))}


def task_anchor(task: Task) -> str:
    """The task's id on its page, from its 序号: letters, digits, - and _ kept, anything else
    (（一）, 1.2) spelled as its code point, so that the anchor is stable and needs no escaping."""
    return "t-" + re.sub(r"[^A-Za-z0-9_-]", lambda match: f"_{ord(match.group()):x}", str(task.id))


def _task_entries(table: TaskTable, registry: UnitRegistry, by_unit: dict[str, list[UnitTask]], as_of: date,
                  soon_days: int, pages: dict[str | None, str]) -> dict[int, TaskEntry]:
    reached: dict[int, list[str]] = {}
    # In the registry's order: tasks_by_unit meets a group's members in the order of a set, which
    # changes from one run to the next, and the page must not.
    for unit in registry.units:
        for entry in by_unit.get(unit.name, []):
            reached.setdefault(id(entry.task), []).append(unit.name)
    found: dict[int, TaskEntry] = {}
    used: Counter[tuple[str, str]] = Counter()
    for task in table.tasks:
        statuses = task_statuses(task, as_of, soon_days)
        page = pages[task.document]
        anchor = task_anchor(task)
        used[(page, anchor)] += 1
        if used[(page, anchor)] > 1:  # two tasks with one 序号 (validate warns): both reachable
            anchor = f"{anchor}-{used[(page, anchor)]}"
        found[id(task)] = TaskEntry(task, statuses, task_state(statuses, task.deadline), page, anchor,
                                    tuple(reached.get(id(task), [])))
    return found


def _unit_standings(registry: UnitRegistry, report: SupervisionReport, by_unit: dict[str, list[UnitTask]],
                    tasks: dict[int, TaskEntry]) -> list[UnitStanding]:
    units = registry.units
    stems = [name.removesuffix(".html") for name in file_names([unit.name for unit in units], ".html")]
    standings = []
    for unit, line, stem in zip(units, report.units, stems):
        entries = by_unit.get(unit.name, [])
        open_tasks = sum(tasks[id(entry.task)].state is not State.DONE for entry in entries)
        overdue = line.lead.by_outcome[Outcome.OVERDUE] + line.responsible.by_outcome[Outcome.OVERDUE]
        due_soon = line.lead.by_outcome[Outcome.DUE_SOON] + line.responsible.by_outcome[Outcome.DUE_SOON]
        downloads = {} if unit.kind is UnitKind.GROUP else {
            kind: f"{DOWNLOADS_FOLDER}/{stem}.{kind}" for kind in ("ics", "xlsx")}
        standings.append(UnitStanding(unit, line, entries, open_tasks, light_of(overdue, due_soon, open_tasks),
                                      f"{UNITS_FOLDER}/{stem}.html", downloads))
    order = {unit.name: index for index, unit in enumerate(units)}
    return sorted(standings, key=lambda s: (LIGHT_ORDER.index(s.light), -s.overdue, -s.due_soon,
                                            -s.open_milestones, order[s.unit.name]))


def _document_standings(table: TaskTable, report: SupervisionReport, pages: dict[str | None, str],
                        tasks: dict[int, TaskEntry]) -> list[DocumentStanding]:
    def entries(key: str | None) -> list[TaskEntry]:
        return [tasks[id(task)] for task in table.tasks if task.document == key]

    if not table.documents:
        counts = Counts(Counter(report.totals))
        listed = entries(None)
        open_tasks = sum(entry.state is not State.DONE for entry in listed)
        return [DocumentStanding(None, table.document.title or "", TABLE_PAGE, counts, report.ongoing_tasks,
                                 _counts_light(counts, open_tasks), listed)]
    standings = []
    for line in report.documents:
        listed = entries(line.key)
        open_tasks = sum(entry.state is not State.DONE for entry in listed)
        standings.append(DocumentStanding(line.key, line.title, pages[line.key], line.counts, line.ongoing_tasks,
                                          _counts_light(line.counts, open_tasks), listed))
    return standings


def _counts_light(counts: Counts, open_tasks: int) -> Light:
    by = counts.by_outcome
    return light_of(by[Outcome.OVERDUE], by[Outcome.DUE_SOON], open_tasks)
