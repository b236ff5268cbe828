"""Who has reported (报送情况): for a month, the units with open work that sent no progress note
dated in it (未报送) and those that did (已报送); and, for a milestone a group holds, how many of
its members have reported it done (成员报告已完成 N/M)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dzshare_cli.deadlines import month_end
from dzshare_cli.errors import UsageError
from dzshare_cli.models import ProgressNote, Reported, Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import MilestoneStatus, OpenRow
from dzshare_cli.units import Role, UnitRegistry, named_roles

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class ReportingPeriod:
    """The month units report on (报送期), as forms name it: 2022-06."""

    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return month_end(self.year, self.month)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last


def parse_reporting_period(text: str) -> ReportingPeriod:
    """A reporting period from YYYY-MM (--period of `forms` and `report`)."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise UsageError(f"--period '{text}' is not a month; write it as YYYY-MM, such as 2022-06")
    return ReportingPeriod(int(found.group(1)), int(found.group(2)))


@dataclass(frozen=True)
class UnitReporting:
    """One unit in the 报送情况: the rows its form holds, and what it reported in the period."""

    unit: Unit
    open: int  # the rows of its form as of the report's date (0: no open work left)
    rows: int  # the form rows it reported on in the period (see reported_rows)
    last: date | None  # the day of its latest note in the period


@dataclass(frozen=True)
class Reporting:
    """Who has reported in a period: those to chase first."""

    period: ReportingPeriod
    not_reported: list[UnitReporting]  # most open rows first, then by name
    reported: list[UnitReporting]  # by name


def reporting(table: TaskTable, registry: UnitRegistry, period: ReportingPeriod,
              work: list[tuple[Unit, list[OpenRow]]], only: Iterable[str] | None = None) -> Reporting:
    """Split the units into 未报送 and 已报送 for `period`.

    `work` is query.open_work as of the report's date: the units a form would be written for,
    with its rows. A unit has reported when any of the tables' tasks has a progress note from
    it (by name or alias) dated in the period, whether or not it still has open work; a unit
    with open work and no such note has not. Notes from groups, from names the registry does
    not know, or without a date count for no one. `only` narrows both lists to these units.
    """
    notes = _period_notes(table, registry, period)
    open_counts = {unit.name: len(rows) for unit, rows in work}
    wanted = None if only is None else set(only)
    reported = [UnitReporting(unit, open_counts.get(unit.name, 0), reported_rows(found), max(note.date for _, note in found))
                for unit, found in ((registry.exact(name), found) for name, found in notes.items())
                if unit is not None and (wanted is None or unit.name in wanted)]
    not_reported = [UnitReporting(unit, len(rows), 0, None) for unit, rows in work
                    if unit.name not in notes and (wanted is None or unit.name in wanted)]
    return Reporting(period, sorted(not_reported, key=lambda line: (-line.open, line.unit.name)),
                     sorted(reported, key=lambda line: line.unit.name))


def _period_notes(table: TaskTable, registry: UnitRegistry,
                  period: ReportingPeriod) -> dict[str, list[tuple[int, ProgressNote]]]:
    """The notes dated in the period, by the canonical name of the unit that sent them, each with
    the position of its task."""
    found: dict[str, list[tuple[int, ProgressNote]]] = {}
    for position, task in enumerate(table.tasks):
        for note in task.progress:
            if note.unit is None or not period.contains(note.date):
                continue
            unit = registry.exact(note.unit)
            if unit is None or unit.kind is UnitKind.GROUP:
                continue
            found.setdefault(unit.name, []).append((position, note))
    return found


def reported_rows(notes: list[tuple[int, ProgressNote]]) -> int:
    """How many form rows a unit's notes report on: a row is a task's milestone, or occurrence
    of a recurrence, that a note names (what `collect` writes for a filled form row); a note
    naming neither (`dzshare note`, or an ongoing task's row) reports on the task as one row,
    unless the unit also named a row of that task."""
    named = {(position, note.milestone, note.period) for position, note in notes
             if note.milestone is not None or note.period is not None}
    tasks_named = {position for position, _, _ in named}
    plain = {position for position, note in notes
             if note.milestone is None and note.period is None and position not in tasks_named}
    return len(named) + len(plain)


@dataclass(frozen=True)
class GroupReport:
    """A milestone a group holds (市直相关部门 leads or is responsible for it) and how many of the
    group's members have sent a note saying it is done."""

    status: MilestoneStatus
    group: Unit
    reported_done: int
    members: int


def group_reports(tasks: list[Task], registry: UnitRegistry, as_of: date,
                  by_task: dict[int, list[MilestoneStatus]]) -> list[GroupReport]:
    """For every milestone (open or done) of a task a group leads or is responsible for, the
    members of the group that have reported it done, where at least one has; in table order.

    A note counts when it says status done, comes from a member (by name or alias), is dated
    on or before `as_of` (as a done record after it does not count either) or has no date, and
    names the milestone, or names none on a task with a sole milestone.
    """
    found = []
    for task in tasks:
        groups = _holding_groups(task, registry)
        done_by = _done_notes(task, registry, as_of) if groups else []
        if not done_by:
            continue
        for status in by_task[id(task)]:
            reporting_units = {name for name, note in done_by if reports_on(note, status)}
            for group in groups:
                members = registry.members(group)
                count = len(reporting_units & members)
                if count:
                    found.append(GroupReport(status, group, count, len(members)))
    return found


def _holding_groups(task: Task, registry: UnitRegistry) -> list[Unit]:
    """The groups named as lead or responsible (as a form gives their members rows), in order."""
    groups: dict[str, Unit] = {}
    for role, _, names in named_roles(task):
        if role is Role.OTHER:
            continue
        for name in names:
            unit = registry.exact(name)
            if unit is not None and registry.members(unit):
                groups.setdefault(unit.name, unit)
    return list(groups.values())


def _done_notes(task: Task, registry: UnitRegistry, as_of: date) -> list[tuple[str, ProgressNote]]:
    found = []
    for note in task.progress:
        if note.status is not Reported.DONE or note.unit is None or (note.date is not None and note.date > as_of):
            continue
        unit = registry.exact(note.unit)
        if unit is not None:
            found.append((unit.name, note))
    return found


def reported_done_by(task: Task, unit: Unit, registry: UnitRegistry, as_of: date) -> list[ProgressNote]:
    """The notes in which `unit` (by name or alias) said a milestone of the task is done, as
    group_reports counts them; reports_on tells which milestone each is about."""
    return [note for name, note in _done_notes(task, registry, as_of) if name == unit.name]


def reports_on(note: ProgressNote, status: MilestoneStatus) -> bool:
    """Whether a note reports on this milestone or occurrence."""
    if status.period is not None:
        return note.period == status.period
    if note.milestone is not None:
        return note.milestone == status.number
    return note.period is None and status.task.deadline.sole_milestone


def reported_done(status: MilestoneStatus, registry: UnitRegistry, as_of: date) -> dict[str, ProgressNote]:
    """The units (by canonical name) whose notes say this milestone or occurrence is done, each
    with the last such note in the table: the notes group_reports counts, for a page that names
    who sent them."""
    return {name: note for name, note in _done_notes(status.task, registry, as_of) if reports_on(note, status)}
