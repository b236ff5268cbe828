"""The timeline's layout: a month axis, one row per task, milestones placed on their months; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dzshare_cli.models import Task
from dzshare_cli.query import DEFAULT_SOON_DAYS, MilestoneStatus, State, task_statuses

#: How far past the milestones the axis stretches to show the as-of date.
AS_OF_REACH_MONTHS = 6

Month = tuple[int, int]  # (year, month)

#: Which state a month shows when several milestones of a row fall in it: the most pressing.
_URGENCY = [State.OVERDUE, State.DUE_SOON, State.UPCOMING, State.DONE]


@dataclass(frozen=True)
class TimelineRow:
    task: Task
    marks: dict[Month, State]  # the months with a milestone, and the state they show
    ongoing: bool
    group: str | None = None  # the lead unit heading the row's group, when grouped


@dataclass(frozen=True)
class Timeline:
    months: list[Month]
    rows: list[TimelineRow]
    as_of: date

    @property
    def as_of_month(self) -> Month | None:
        month = (self.as_of.year, self.as_of.month)
        return month if month in self.months else None


def _month(day: date) -> Month:
    return (day.year, day.month)


def _months_between(first: Month, last: Month) -> list[Month]:
    months, (year, month) = [], first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _months_apart(earlier: Month, later: Month) -> int:
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def build_timeline(tasks: list[Task], as_of: date, soon_days: int = DEFAULT_SOON_DAYS,
                   by_lead: bool = False) -> Timeline:
    """Rows in table order (or grouped by first lead unit), on an axis spanning the milestones.

    The axis reaches the as-of month too when it is at most AS_OF_REACH_MONTHS away.
    """
    statuses = {id(task): task_statuses(task, as_of, soon_days) for task in tasks}
    dues = [_month(s.milestone.due) for task in tasks for s in statuses[id(task)]]
    today = _month(as_of)
    first, last = (min(dues), max(dues)) if dues else (today, today)
    if _months_apart(today, first) <= AS_OF_REACH_MONTHS and _months_apart(last, today) <= AS_OF_REACH_MONTHS:
        first, last = min(first, today), max(last, today)
    rows = [TimelineRow(task, _marks(statuses[id(task)]), task.deadline.ongoing,
                        task.lead[0] if by_lead else None) for task in tasks]
    if by_lead:
        order = {name: index for index, name in enumerate(dict.fromkeys(row.group for row in rows))}
        rows.sort(key=lambda row: order[row.group])  # stable: table order within a group
    return Timeline(_months_between(first, last), rows, as_of)


def _marks(statuses: list[MilestoneStatus]) -> dict[Month, State]:
    marks: dict[Month, State] = {}
    for status in statuses:
        month = _month(status.milestone.due)
        shown = marks.get(month)
        if shown is None or _URGENCY.index(status.state) < _URGENCY.index(shown):
            marks[month] = status.state
    return marks
