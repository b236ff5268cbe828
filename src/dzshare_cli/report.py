"""The supervision report (督办通报) as of a date: milestones by outcome, per-unit counts, overdue work."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from dzshare_cli.models import Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import (DEFAULT_SOON_DAYS, MilestoneStatus, State, UnitTask, open_work, task_statuses,
                               tasks_by_unit, unit_tasks)
from dzshare_cli.units import Relation, Role, UnitRegistry

if TYPE_CHECKING:  # `due` imports this module; only a report reads who has reported
    from dzshare_cli.reporting import GroupReport, Reporting, ReportingPeriod


DIRECT_LEAD = Relation(Role.LEAD)


class Outcome(str, Enum):
    """A milestone's standing in the report; done ones are split by whether they were on time."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


def outcome(status: MilestoneStatus) -> Outcome:
    if status.state is State.DONE:
        return Outcome.DONE_LATE if status.days_late else Outcome.DONE_ON_TIME
    return Outcome(status.state.value)


@dataclass
class Counts:
    """Milestone counts of one unit in one role."""

    by_outcome: Counter[Outcome] = field(default_factory=Counter)

    def add(self, status: MilestoneStatus) -> None:
        self.by_outcome[outcome(status)] += 1

    @property
    def open(self) -> int:
        return sum(self.by_outcome[o] for o in (Outcome.OVERDUE, Outcome.DUE_SOON, Outcome.UPCOMING))

    @property
    def total(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def on_time_rate(self) -> float | None:
        """Done on time, out of the milestones that have fallen due or been done; None if none has."""
        fallen_due = sum(self.by_outcome[o] for o in (Outcome.DONE_ON_TIME, Outcome.DONE_LATE, Outcome.OVERDUE))
        return self.by_outcome[Outcome.DONE_ON_TIME] / fallen_due if fallen_due else None


@dataclass(frozen=True)
class UnitLine:
    """One unit's milestones as lead and as responsible (directly or through its groups)."""

    unit: Unit
    lead: Counts
    responsible: Counts
    overdue_led_directly: int  # what decides who is named


@dataclass(frozen=True)
class DocumentLine:
    """One ledger document's milestones by outcome: which documents have overdue work."""

    key: str
    title: str
    counts: Counts
    ongoing_tasks: int


@dataclass(frozen=True)
class SupervisionReport:
    """The 督办 report as of a day: totals, each unit's counts, the overdue milestones."""

    as_of: date
    totals: Counter[Outcome]
    ongoing_tasks: int
    no_deadline_tasks: int  # 未定时限: never due, counted so that what is lacking shows
    units: list[UnitLine]
    overdue: list[MilestoneStatus]  # most days overdue first
    named: list[UnitLine]  # the units leading, themselves, the most overdue milestones
    documents: list[DocumentLine] = field(default_factory=list)  # a ledger's documents; none for a table
    #: Milestones a group holds that some of its members have reported done.
    group_reports: list[GroupReport] = field(default_factory=list)
    reporting: Reporting | None = None  # who has reported in a period (报送情况), when one is asked


def build_report(table: TaskTable, registry: UnitRegistry, as_of: date,
                 soon_days: int = DEFAULT_SOON_DAYS, unit: Unit | None = None,
                 period: ReportingPeriod | None = None) -> SupervisionReport:
    """The report for the whole table, or narrowed to the tasks of one unit; with a period, who
    has reported in it (of the one unit, or of a group's members, when narrowed)."""
    from dzshare_cli.reporting import group_reports, reporting

    tasks = table.tasks if unit is None else [entry.task for entry in unit_tasks(table, registry, unit)]
    # Each task's statuses once: a unit line reads them again for each unit the task names, and
    # a recurring task has one per occurrence.
    by_task = {id(task): task_statuses(task, as_of, soon_days) for task in tasks}
    statuses = [status for task in tasks for status in by_task[id(task)]]
    by_unit = tasks_by_unit(table, registry)
    # Each task's outcomes counted once: a group brings one task to dozens of units.
    outcomes = {key: Counter(outcome(status) for status in found) for key, found in by_task.items()}
    lines = [_unit_line(by_unit.get(member.name, []), member, outcomes)
             for member in ([unit] if unit is not None else registry.units)]
    # A group (市直相关部门) is not a body that can be named: only units themselves are.
    candidates = [line for line in lines if line.unit.kind is not UnitKind.GROUP]
    most = max((line.overdue_led_directly for line in candidates), default=0)
    overdue = [status for status in statuses if status.state is State.OVERDUE]
    return SupervisionReport(
        as_of=as_of,
        totals=Counter(outcome(status) for status in statuses),
        ongoing_tasks=sum(task.deadline.ongoing for task in tasks),
        no_deadline_tasks=sum(task.deadline.undated for task in tasks),
        units=lines,
        overdue=sorted(overdue, key=lambda status: -(status.days_late or 0)),
        named=[line for line in candidates if most and line.overdue_led_directly == most],
        documents=_document_lines(table, tasks, by_task),
        group_reports=group_reports(tasks, registry, as_of, by_task),
        # The statuses already read serve the forms' rows too: only done or not matters there.
        reporting=None if period is None else reporting(
            table, registry, period, open_work(table, registry, as_of, by_unit, dict(by_task)),
            _reporting_units(registry, unit)),
    )


def _reporting_units(registry: UnitRegistry, unit: Unit | None) -> set[str] | None:
    """The units whose reporting a narrowed report shows: the unit, or a group's members."""
    if unit is None:
        return None
    return set(registry.members(unit)) if unit.kind is UnitKind.GROUP else {unit.name}


def _document_lines(table: TaskTable, tasks: list[Task],
                    by_task: dict[int, list[MilestoneStatus]]) -> list[DocumentLine]:
    """Each document in play with the outcomes of its tasks' milestones, in manifest order."""
    lines = {key: DocumentLine(key, document.document.title or "", Counts(), 0)
             for key, document in table.documents.items()}
    ongoing: Counter[str] = Counter()
    for task in tasks:
        line = lines.get(task.document or "")
        if line is None:
            continue
        for status in by_task[id(task)]:
            line.counts.add(status)
        ongoing[line.key] += task.deadline.ongoing
    return [DocumentLine(line.key, line.title, line.counts, ongoing[line.key]) for line in lines.values()]


def _unit_line(entries: list[UnitTask], unit: Unit, outcomes: dict[int, Counter[Outcome]]) -> UnitLine:
    lead, responsible, led_overdue = Counts(), Counts(), 0
    for entry in entries:
        counts = lead if entry.relation.role is Role.LEAD else responsible
        task_outcomes = outcomes[id(entry.task)]
        counts.by_outcome.update(task_outcomes)
        if entry.relation == DIRECT_LEAD:
            led_overdue += task_outcomes[Outcome.OVERDUE]
    return UnitLine(unit, lead, responsible, led_overdue)
