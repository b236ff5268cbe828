"""The JSON contract: task and milestone records with stable English keys, as scripts see them."""

from __future__ import annotations

from datetime import date
from typing import Any

from dzshare_cli.models import ProgressNote, Task
from dzshare_cli.query import MilestoneStatus, task_state


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def milestone_record(status: MilestoneStatus) -> dict[str, Any]:
    """{due, goal, done, state, number, days_late, days_left, evidence, period} for one milestone;
    `period` names the occurrence of a recurrence (2022-03), null for a fixed milestone."""
    return {
        "due": status.milestone.due.isoformat(),
        "goal": status.milestone.goal,
        "done": _iso(status.milestone.done),
        "state": status.state.value,
        "number": status.number,
        "days_late": status.days_late,
        "days_left": status.days_left,
        "evidence": status.milestone.evidence,
        "period": status.period,
    }


def recurrence_record(task: Task) -> dict[str, Any] | None:
    """{every, month, day, start, end, goal, done} of a recurring deadline, None for others;
    `done` lists the periods recorded done (2022-03), `start` is null when it is not known."""
    recurrence = task.deadline.recurrence
    if recurrence is None:
        return None
    return {
        "every": recurrence.every.value,
        "month": recurrence.month,
        "day": recurrence.day,
        "start": _iso(recurrence.start),
        "end": _iso(recurrence.end),
        "goal": recurrence.goal,
        "done": [record.period for record in task.done if record.period is not None],
    }


def task_record(task: Task, statuses: list[MilestoneStatus],
                shown: list[MilestoneStatus] | None = None) -> dict[str, Any]:
    """One task object; `shown` limits `milestones` (dzshare due lists the matching ones).

    A limited object also says how many milestones the task has (`milestones_total`), so that
    one task due twice in a window counts as two milestones, as the heading line does.
    """
    record: dict[str, Any] = {
        "document": task.document,
        "id": task.id,
        "title": task.title,
        "category": task.category,
        "text": task.text,
        "lead": list(task.lead),
        "responsible": list(task.responsible),
        "roles": {name: list(units) for name, units in task.roles.items()},
        "start": _iso(task.starts),
        "deadline": None if task.deadline.missing else task.deadline.text,
        "ongoing": task.deadline.ongoing,
        "milestones": [milestone_record(s) for s in (statuses if shown is None else shown)],
        "recurrence": recurrence_record(task),
        "state": task_state(statuses, task.deadline).value,
        "progress": [progress_record(note) for note in task.progress],
    }
    if shown is not None:
        record["milestones_total"] = len(statuses)
    return record


def progress_record(note: ProgressNote) -> dict[str, Any]:
    """A progress note as JSON: every field of the model, in its order, null when the note does
    not say (a field added to the model is in the JSON with it)."""
    return note.model_dump(mode="json")
