"""The timeline's layout: a month axis, one row per task, milestones placed on their months; pure."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date

from dzshare_cli.models import Task
from dzshare_cli.query import DEFAULT_SOON_DAYS, State, task_statuses
from dzshare_cli.recurrence import days_in_month

#: How far past the milestones the axis stretches to show the as-of date.
AS_OF_REACH_MONTHS = 6
#: The longest axis: ten years of months. Milestones beyond it are counted at its ends, so that
#: the picture's size follows the rows, not the years between the first milestone and the last.
MAX_AXIS_MONTHS = 120

Month = tuple[int, int]  # (year, month)

#: Which state a month shows when several milestones of a row fall in it: the most pressing.
_URGENCY = [State.OVERDUE, State.DUE_SOON, State.UPCOMING, State.DONE]


@dataclass(frozen=True)
class TimelineRow:
    task: Task
    marks: dict[Month, State]  # the months of the axis with a milestone, and the state they show
    ongoing: bool
    group: str | None = None  # the lead unit heading the row's group, when grouped
    earlier: int = 0  # milestones before the axis
    later: int = 0  # milestones after it
    milestones: tuple[tuple[Month, State], ...] = ()  # every milestone, on the axis or not
    ref: bool = False  # named KEY:ID (several ledger documents in play), not by id alone

    @property
    def name(self) -> str:
        """The task's id as the row shows it."""
        return self.task.ref if self.ref else str(self.task.id)


@dataclass(frozen=True)
class Timeline:
    months: list[Month]
    rows: list[TimelineRow]
    as_of: date
    source: str = ""  # ` · <what was read>` for the heading line, as every command's heading ends

    @property
    def as_of_month(self) -> Month | None:
        month = (self.as_of.year, self.as_of.month)
        return month if self.months[0] <= month <= self.months[-1] else None

    @property
    def earlier(self) -> int:
        """How many milestones fall before the axis."""
        return sum(row.earlier for row in self.rows)

    @property
    def later(self) -> int:
        return sum(row.later for row in self.rows)

    @property
    def earliest(self) -> Month:
        """The month of the first milestone, on the axis or not."""
        return min((month for row in self.rows for month, _ in row.milestones), default=self.months[0])

    @property
    def latest(self) -> Month:
        return max((month for row in self.rows for month, _ in row.milestones), default=self.months[-1])


def _month(day: date) -> Month:
    return (day.year, day.month)


def _index(month: Month) -> int:
    return month[0] * 12 + month[1] - 1


def _from_index(index: int) -> Month:
    return (index // 12, index % 12 + 1)


def _months_between(first: Month, last: Month) -> list[Month]:
    return [_from_index(index) for index in range(_index(first), _index(last) + 1)]


def _first_lead(task: Task) -> str:
    """The unit a task is grouped under with --by-lead; tasks without a lead unit group together."""
    return task.lead[0] if task.lead else "—"


def build_timeline(tasks: list[Task], as_of: date, soon_days: int = DEFAULT_SOON_DAYS,
                   by_lead: bool = False, max_months: int = MAX_AXIS_MONTHS, refs: bool = False) -> Timeline:
    """Rows in table order (or grouped by first lead unit), on an axis spanning the milestones.

    The axis reaches the as-of month too when it is at most AS_OF_REACH_MONTHS away. When the
    milestones span more than `max_months`, the axis covers the busiest stretch of that length
    (nearest the as-of date among equals); each row counts the milestones left before and after.
    With `refs` (several ledger documents in play) rows name their tasks KEY:ID.
    """
    rows = [TimelineRow(task, {}, task.deadline.ongoing, _first_lead(task) if by_lead else None,
                        milestones=_milestones(task, as_of, soon_days), ref=refs)
            for task in tasks]
    if by_lead:
        order = {name: index for index, name in enumerate(dict.fromkeys(row.group for row in rows))}
        rows.sort(key=lambda row: order[row.group])  # stable: table order within a group
    timeline = _on_axis(rows, as_of, max_months)
    # A recurrence goes on after the as-of date: its row shows every occurrence up to the axis's
    # end (which the other milestones set), not only the next one, as if the work stopped there.
    axis_end = _last_day(timeline.months[-1])
    if axis_end <= as_of or not any(row.task.deadline.recurrence for row in rows):
        return timeline
    rows = [replace(row, milestones=_milestones(row.task, as_of, soon_days, axis_end))
            if row.task.deadline.recurrence else row for row in rows]
    return _on_axis(rows, as_of, max_months)


def _milestones(task: Task, as_of: date, soon_days: int,
                until: date | None = None) -> tuple[tuple[Month, State], ...]:
    """A task's milestones with their states; a recurrence's up to `until` when given (else up
    to the as-of date and the next one)."""
    statuses = task_statuses(task, as_of, soon_days, until)
    if until is not None:
        # task_statuses adds the first occurrence after the horizon: beyond the axis, left out.
        statuses = [s for s in statuses if s.period is None or s.milestone.due <= until]
    return tuple((_month(s.milestone.due), s.state) for s in statuses)


def _last_day(month: Month) -> date:
    # Not "the day before next month's first": December 9999 has no next month.
    return date(month[0], month[1], days_in_month(*month))


def narrowed(timeline: Timeline, max_months: int) -> Timeline:
    """The same rows on an axis of at most `max_months` months (for a narrow terminal)."""
    if len(timeline.months) <= max_months:
        return timeline
    return replace(_on_axis(timeline.rows, timeline.as_of, max_months), source=timeline.source)


def _on_axis(rows: list[TimelineRow], as_of: date, max_months: int) -> Timeline:
    dues = sorted(_index(month) for row in rows for month, _ in row.milestones)
    first, last = _axis_bounds(dues, _index(_month(as_of)), max(max_months, 1))
    placed = [_placed(row, _from_index(first), _from_index(last)) for row in rows]
    return Timeline(_months_between(_from_index(first), _from_index(last)), placed, as_of)


def _axis_bounds(dues: list[int], today: int, max_months: int) -> tuple[int, int]:
    """First and last month (as indexes) of the axis, at most `max_months` apart inclusive."""
    if not dues:
        return today, today
    first, last = dues[0], dues[-1]
    if last - first >= max_months:
        first, last = _busiest_stretch(dues, today, max_months)
    if first - today <= AS_OF_REACH_MONTHS and today - last <= AS_OF_REACH_MONTHS:
        reached = min(first, today), max(last, today)
        if reached[1] - reached[0] < max_months:
            first, last = reached
    return first, last


def _busiest_stretch(dues: list[int], today: int, max_months: int) -> tuple[int, int]:
    """The first and last milestone of the `max_months` window holding the most milestones.

    Windows starting or ending at a milestone are enough to find the most; among equals the
    one holding the as-of month wins, then the one nearest to it. O(n log n) in milestones.
    """
    def score(start: int) -> tuple[int, int, int]:
        end = start + max_months - 1
        count = bisect_right(dues, end) - bisect_left(dues, start)
        distance = max(start - today, today - end, 0)
        return (count, distance == 0, -distance)

    starts = {due for due in dues} | {due - max_months + 1 for due in dues}
    start = max(sorted(starts), key=score)
    end = start + max_months - 1
    return dues[bisect_left(dues, start)], dues[bisect_right(dues, end) - 1]


def _placed(row: TimelineRow, first: Month, last: Month) -> TimelineRow:
    marks: dict[Month, State] = {}
    earlier = later = 0
    for month, state in row.milestones:
        if month < first:
            earlier += 1
        elif month > last:
            later += 1
        elif month not in marks or _URGENCY.index(state) < _URGENCY.index(marks[month]):
            marks[month] = state
    return replace(row, marks=marks, earlier=earlier, later=later)
