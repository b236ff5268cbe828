"""Milestone states "as of" a date, date windows and task filters; pure, the date is passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from dzshare_cli.deadlines import month_end, normalize
from dzshare_cli.errors import PeriodError, UsageError, shown_keys
from dzshare_cli.models import Deadline, DoneRecord, Milestone, Task, TaskTable, Unit, UnitKind
from dzshare_cli.recurrence import Occurrence
from dzshare_cli.units import Relation, Role, UnitRegistry, fold, named_roles

DEFAULT_SOON_DAYS = 30


class State(str, Enum):
    """Where a milestone (or a task) stands on the as-of date; the values are the JSON contract."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    NO_DEADLINE = "no_deadline"  # 未定时限: the table gives no date, so the task is never due


@dataclass(frozen=True)
class Occurred:
    """An occurrence of a recurrence, read as a milestone is (due, goal, done, evidence): a plain
    record, as a recurring task may have many of them."""

    due: date
    goal: str | None
    done: date | None
    evidence: str | None


@dataclass(frozen=True)
class MilestoneStatus:
    """A milestone of a task, with its state as of a date."""

    task: Task
    number: int  # 1-based: fixed milestones in published order, then a recurrence's occurrences
    milestone: Milestone | Occurred
    state: State
    days_late: int | None  # overdue: days past due; done: days it was late (0 when on time)
    days_left: int | None  # due soon / upcoming: days until due (0 = due today)
    period: str | None = None  # the occurrence of a recurrence: 2022-03, 2022-Q1, 2022-H1, 2022


def milestone_status(task: Task, number: int, as_of: date,
                     soon_days: int = DEFAULT_SOON_DAYS) -> MilestoneStatus:
    """The state of fixed milestone `number` (1-based) of `task` as of a date.

    A milestone recorded as done after `as_of` was still open on that date.
    """
    return _status(task, number, task.deadline.milestones[number - 1], as_of, soon_days)


def _status(task: Task, number: int, milestone: Milestone | Occurred, as_of: date, soon_days: int,
            period: str | None = None) -> MilestoneStatus:
    due, done = milestone.due, milestone.done
    if done is not None and done <= as_of:
        return MilestoneStatus(task, number, milestone, State.DONE, max(0, (done - due).days), None, period)
    days_left = (due - as_of).days
    if days_left < 0:
        return MilestoneStatus(task, number, milestone, State.OVERDUE, -days_left, None, period)
    state = State.DUE_SOON if days_left <= soon_days else State.UPCOMING
    return MilestoneStatus(task, number, milestone, state, None, days_left, period)


def occurrences_until(task: Task, horizon: date, since: date | None = None) -> Iterator[Occurrence]:
    """A recurring task's occurrences due up to `horizon`, and the first one due after it:
    a recurrence without an end is endless, so every reader stops somewhere. With `since`,
    only those due after it: a window need not walk the years before it."""
    recurrence = task.deadline.recurrence
    if recurrence is None or recurrence.start is None:
        return
    begin = recurrence.start
    if since is not None and since >= begin:
        if since == date.max:  # nothing is due after the last day there is
            return
        begin = since + timedelta(days=1)
    for occurrence in recurrence.rule.occurrences(begin, recurrence.end):
        yield occurrence
        if occurrence.due > horizon:
            return


def task_statuses(task: Task, as_of: date, soon_days: int = DEFAULT_SOON_DAYS,
                  horizon: date | None = None, since: date | None = None) -> list[MilestoneStatus]:
    """Every fixed milestone of a task with its state, in published order, then the occurrences
    of its recurrence due up to `horizon` (default: the as-of date) and the first one after it.

    With `since`, occurrences due on or before it are left out, all but the earliest open one,
    which decides the task's state.
    """
    statuses = [milestone_status(task, number, as_of, soon_days)
                for number in range(1, len(task.deadline.milestones) + 1)]
    recurrence = task.deadline.recurrence
    if recurrence is None or recurrence.start is None:
        return statuses
    done: dict[str, DoneRecord] = {}
    for record in task.done:
        if record.period is not None:
            done.setdefault(record.period, record)
    fixed, rule, start = len(statuses), recurrence.rule, recurrence.start

    def status(occurrence: Occurrence) -> MilestoneStatus:
        record = done.get(occurrence.period)
        milestone = Occurred(occurrence.due, recurrence.goal, record.date if record else None,
                             record.evidence if record else None)
        return _status(task, fixed + rule.ordinal(start, occurrence), milestone, as_of, soon_days,
                       occurrence.period)

    if since is not None:
        # Done periods are few: the earliest open occurrence is found within them, plus one.
        earliest = next((o for o in rule.occurrences(start, recurrence.end)
                         if not (o.period in done and done[o.period].date <= as_of)), None)
        if earliest is not None and earliest.due <= since:
            statuses.append(status(earliest))
    statuses += [status(occurrence) for occurrence in occurrences_until(task, horizon or as_of, since)]
    return statuses


def earliest_open(statuses: list[MilestoneStatus]) -> MilestoneStatus | None:
    """The open milestone due first, which decides a task's state; None when all are done."""
    open_ones = [s for s in statuses if s.state is not State.DONE]
    return min(open_ones, key=lambda s: s.milestone.due) if open_ones else None


def task_state(statuses: list[MilestoneStatus], deadline: Deadline) -> State:
    """A task's state: that of its earliest open milestone, else ongoing, no deadline or done."""
    first = earliest_open(statuses)
    if first is not None:
        return first.state
    if deadline.ongoing:
        return State.ONGOING
    return State.NO_DEADLINE if deadline.undated else State.DONE


def task_index(table: TaskTable, reference: str) -> int:
    """The position of the task a user names: its id (序号), or KEY:ID in a ledger (gzbg2024:12).

    A bare id must name one task among the documents in play; a UsageError lists the candidates
    when it names several, and the ids there are when it names none.
    """
    key, _, task_id = reference.rpartition(":") if table.documents else ("", "", reference)
    if key and key not in table.documents:
        if not task_id.strip() or not any(normalize(str(task.id)) == normalize(reference) for task in table.tasks):
            known = shown_keys(list(table.documents))
            raise UsageError(f"no document '{key}' in the ledger for task '{reference}'; its documents are {known}")
        key, task_id = "", reference  # an id with a colon of its own (1:2), not KEY:ID
    wanted = normalize(task_id)
    found = [index for index, task in enumerate(table.tasks)
             if normalize(str(task.id)) == wanted and (not key or task.document == key)]
    if len(found) == 1:
        return found[0]
    if found:
        candidates = ", ".join(table.tasks[index].ref for index in found[:10])
        raise UsageError(f"task '{reference}' is in {len(found)} documents: {candidates}; "
                         "name one as KEY:ID")
    where = f"document '{key}'" if key else "the ledger" if table.documents else "the table"
    ids = ", ".join([task.ref for task in table.tasks if not key or task.document == key][:3])
    raise UsageError(f"no task with id '{task_id}' in {where}; ids are {ids}, … (see dzshare list)")


@dataclass(frozen=True)
class Period:
    """A day, month or year typed by the user, as its first and last day."""

    first: date
    last: date


_PERIOD_FORMS = (
    re.compile(r"(?P<year>\d{4})$"),
    re.compile(r"(?P<year>\d{4})[-./](?P<month>\d{1,2})$"),
    re.compile(r"(?P<year>\d{4})[-./](?P<month>\d{1,2})[-./](?P<day>\d{1,2})$"),
    re.compile(r"(?P<year>\d{4})年(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号]?|底)?)?$"),
)


def parse_period(text: str) -> Period:
    """Read YYYY, YYYY-MM, YYYY-MM-DD (or with / and .) or 2022年6月 (full-width digits too)."""
    folded = normalize(text)
    for form in _PERIOD_FORMS:
        match = form.match(folded)
        if match:
            break
    else:
        raise PeriodError(f"'{text}' is not a date or month; write YYYY, YYYY-MM, YYYY-MM-DD or 2022年6月")
    parts = match.groupdict()
    year = int(parts["year"])
    month = int(parts["month"]) if parts.get("month") else None
    day = int(parts["day"]) if parts.get("day") else None
    try:
        if month is None:
            return Period(date(year, 1, 1), date(year, 12, 31))
        if day is None:
            return Period(date(year, month, 1), month_end(year, month))
        return Period(date(year, month, day), date(year, month, day))
    except ValueError:
        raise PeriodError(f"'{text}' is not a real date") from None


def parse_day(text: str) -> date:
    """Read one day: YYYY-MM-DD or 2021年8月1日."""
    period = parse_period(text)
    if period.first != period.last:
        raise PeriodError(f"'{text}' is not a single day; write YYYY-MM-DD")
    return period.first


@dataclass(frozen=True)
class DueWindow:
    """Which due dates `dzshare due` lists: before (exclusive), by (inclusive), after."""

    before: Period | None = None
    by: Period | None = None
    after: Period | None = None

    def contains(self, due: date) -> bool:
        return ((self.before is None or due < self.before.first)
                and (self.by is None or due <= self.by.last)
                and (self.after is None or due > self.after.last))

    def horizon(self, as_of: date) -> date:
        """How far a recurrence is read for this window: to its upper bound, else to the later
        of the as-of date and its lower bound (the first occurrence after that is read too)."""
        if self.before is not None or self.by is not None:
            uppers = [self.before.first] if self.before is not None else []
            uppers += [self.by.last] if self.by is not None else []
            return min(uppers)
        return max(as_of, self.after.last) if self.after is not None else as_of

    def since(self) -> date | None:
        """The last day before the window (occurrences due by then are outside it), if any."""
        return self.after.last if self.after is not None else None

    def bounds(self) -> list[tuple[str, date]]:
        """The window's bounds as (kind, day), earliest first: ("after", last day excluded),
        ("before", first day excluded), ("by", last day included); render.py words them."""
        found = []
        if self.after:
            found.append(("after", self.after.last))
        if self.before:
            found.append(("before", self.before.first))
        if self.by:
            found.append(("by", self.by.last))
        return found


def due_milestones(tasks: Iterable[Task], window: DueWindow, as_of: date,
                   soon_days: int = DEFAULT_SOON_DAYS, include_done: bool = False,
                   statuses_of: dict[int, list[MilestoneStatus]] | None = None) -> list[MilestoneStatus]:
    """Milestones due inside the window, open ones only unless `include_done`, by due date.

    `statuses_of`, when given, receives every task's statuses as read for the window, by the
    task's id(): the view of the answer needs them again (a task's state and count).
    """
    horizon, since = window.horizon(as_of), window.since()
    found = []
    for task in tasks:
        statuses = task_statuses(task, as_of, soon_days, horizon, since)
        if statuses_of is not None:
            statuses_of[id(task)] = statuses
        found += [status for status in statuses
                  if window.contains(status.milestone.due) and (include_done or status.state is not State.DONE)]
    # sorted() is stable, so milestones due the same day keep the table's order.
    return sorted(found, key=lambda status: status.milestone.due)


@dataclass(frozen=True)
class TaskFilter:
    """The filters of `dzshare list`; each one left as None does not filter.

    Unit filters match a task that names the unit or a group containing it.
    """

    unit: Unit | None = None  # in any role
    lead: Unit | None = None
    ongoing: bool | None = None
    search: str | None = None

    def accepts(self, task: Task, registry: UnitRegistry) -> bool:
        if self.unit is not None and not registry.relations(self.unit, task):
            return False
        if self.lead is not None and not any(
                relation.role is Role.LEAD for relation in registry.relations(self.lead, task)):
            return False
        if self.ongoing is not None and task.deadline.ongoing != self.ongoing:
            return False
        if self.search is not None:
            return fold(self.search) in fold(f"{task.title or ''} {task.text}")
        return True


def filter_tasks(table: TaskTable, registry: UnitRegistry, task_filter: TaskFilter) -> list[Task]:
    """The tasks a filter accepts, in table order."""
    return [task for task in table.tasks if task_filter.accepts(task, registry)]


@dataclass(frozen=True)
class UnitTask:
    """A task a unit takes part in, with its primary relation to it."""

    task: Task
    relation: Relation


def unit_tasks(table: TaskTable, registry: UnitRegistry, unit: Unit, role: Role | None = None,
               direct: bool = False) -> list[UnitTask]:
    """The tasks of a unit in table order, directly or through its groups, filtered by role."""
    found = []
    for task in table.tasks:
        # Filter every relation, not just the primary one: a unit directly responsible for a task
        # that it also leads through a group still shows under --role lead.
        relations = [relation for relation in registry.relations(unit, task)
                     if not (direct and relation.via) and not (role and relation.role is not role)]
        if relations:
            found.append(UnitTask(task, relations[0]))
    return found


def tasks_by_unit(table: TaskTable, registry: UnitRegistry) -> dict[str, list[UnitTask]]:
    """unit_tasks() of every unit at once, by unit name, each in table order: each task's names are
    resolved once, where asking unit by unit costs units x tasks (a province's ledger: 80 units x
    100,000 tasks)."""
    found: dict[str, dict[int, list[Relation]]] = {}
    for position, task in enumerate(table.tasks):
        for role, label, names in named_roles(task):
            for name in names:
                named = registry.exact(name)
                if named is None:
                    continue
                found.setdefault(named.name, {}).setdefault(position, []).append(Relation(role, label=label))
                for member in registry.members(named):
                    found.setdefault(member, {}).setdefault(position, []).append(
                        Relation(role, via=named.name, label=label))
    # The same order and primary relation as UnitRegistry.relations() gives.
    return {unit: [UnitTask(table.tasks[position], _primary(relations)) for position, relations in by_position.items()]
            for unit, by_position in found.items()}


def _primary(relations: list[Relation]) -> Relation:
    if len(relations) == 1:  # nearly always: sorting one is the cost of a province's report
        return relations[0]
    return sorted(dict.fromkeys(relations), key=lambda r: (r.rank, r.via or ""))[0]


@dataclass(frozen=True)
class OpenRow:
    """A row of a unit's reporting form (报送表): an open milestone (or occurrence) of a task the
    unit leads or is responsible for, directly or through a group, or such an ongoing task that
    has no open milestone."""

    entry: UnitTask
    status: MilestoneStatus | None  # None: the ongoing task itself


def open_rows(entries: list[UnitTask], as_of: date,
              by_task: dict[int, list[MilestoneStatus]] | None = None) -> list[OpenRow]:
    """The rows of a unit's form, in the order of `entries`; further roles (配合单位) get none.

    `by_task` keeps the statuses read, by id(task), for the next unit: a group's task is in
    dozens of forms.
    """
    statuses_of = {} if by_task is None else by_task
    rows: list[OpenRow] = []
    for entry in entries:
        if entry.relation.role is Role.OTHER:
            continue
        task = entry.task
        statuses = statuses_of.get(id(task))
        if statuses is None:
            statuses = statuses_of[id(task)] = task_statuses(task, as_of)
        open_ones = [status for status in statuses if status.state is not State.DONE]
        rows += [OpenRow(entry, status) for status in open_ones]
        if not open_ones and task.deadline.ongoing:
            rows.append(OpenRow(entry, None))
    return rows


def open_work(table: TaskTable, registry: UnitRegistry, as_of: date,
              by_unit: dict[str, list[UnitTask]] | None = None,
              by_task: dict[int, list[MilestoneStatus]] | None = None) -> list[tuple[Unit, list[OpenRow]]]:
    """Every unit that a reporting form would be written for, with its form's rows in table
    order: the units of the registry, in its order, that have open work; groups excepted, as
    their work is in each member's form. `by_unit` (tasks_by_unit) and `by_task` (statuses as of
    the same day, by id(task)) are what a caller has already read; `by_task` gains the rest."""
    if by_unit is None:
        by_unit = tasks_by_unit(table, registry)
    statuses_of: dict[int, list[MilestoneStatus]] = {} if by_task is None else by_task
    found = []
    for unit in registry.units:
        if unit.kind is UnitKind.GROUP:
            continue
        rows = open_rows(by_unit.get(unit.name, []), as_of, statuses_of)
        if rows:
            found.append((unit, rows))
    return found


@dataclass(frozen=True)
class UnitSummary:
    """What `dzshare units` counts for one unit, as of a date."""

    unit: Unit
    lead: int  # tasks it leads directly
    responsible: int  # tasks it is directly responsible for, or in a further role (and does not lead)
    via_groups: int  # tasks that reach it only through a group
    open_milestones: int
    overdue: int


def summarize(unit: Unit, entries: list[UnitTask], as_of: date, soon_days: int = DEFAULT_SOON_DAYS,
              by_task: dict[int, list[MilestoneStatus]] | None = None) -> UnitSummary:
    """Count a unit's tasks by relation, and the open and overdue milestones among them.

    `by_task` holds statuses already read, by id(task), so that summaries of many units read
    each task once.
    """
    direct = [entry.relation for entry in entries if entry.relation.via is None]
    statuses = [status for entry in entries for status in (
        by_task[id(entry.task)] if by_task is not None else task_statuses(entry.task, as_of, soon_days))]
    return UnitSummary(
        unit=unit,
        lead=sum(relation.role is Role.LEAD for relation in direct),
        # Further roles (配合单位 …) count with responsible: the summary has two columns of roles.
        responsible=sum(relation.role is not Role.LEAD for relation in direct),
        via_groups=len(entries) - len(direct),
        open_milestones=sum(status.state is not State.DONE for status in statuses),
        overdue=sum(status.state is State.OVERDUE for status in statuses),
    )


def unit_summaries(table: TaskTable, registry: UnitRegistry, as_of: date,
                   soon_days: int = DEFAULT_SOON_DAYS) -> list[UnitSummary]:
    """The summary of every unit of the registry (`dzshare units`), each task's statuses read once."""
    by_task = {id(task): task_statuses(task, as_of, soon_days) for task in table.tasks}
    by_unit = tasks_by_unit(table, registry)
    return [summarize(unit, by_unit.get(unit.name, []), as_of, soon_days, by_task) for unit in registry.units]
