"""Whole-table checks beyond the schema (duplicate ids, unit names); returns findings, never prints."""

from __future__ import annotations

from datetime import date
from typing import Any

from dzshare_cli.errors import Finding
from dzshare_cli.models import TaskTable
from dzshare_cli.units import unit_findings


def table_findings(table: TaskTable, as_of: date | None = None) -> list[Finding]:
    """Problems that need a table whose shape is valid: milestone order, units, the registry.

    With `as_of`, a milestone recorded as done after that date is a warning.
    """
    findings = [*_incomplete(table), *_milestone_order(table), *_done_records(table), *unit_findings(table)]
    if as_of is not None:
        findings += _done_after(table, as_of)
    return findings


def _incomplete(table: TaskTable) -> list[Finding]:
    """What a published table left out: warnings, so that an imported table loads and answers
    queries, while `validate --strict` holds a finished table to having it all."""
    findings = []
    for index, task in enumerate(table.tasks):
        if not task.lead:
            findings.append(Finding(("tasks", index, "lead"), f"task {task.id} has no lead unit (牵头单位)",
                                    "add lead: [<unit>] once the office names one", "no-lead",
                                    severity="warning"))
        if task.deadline.missing:
            # At the key when there is one (`deadline:` left empty), else at the task.
            findings.append(Finding(("tasks", index, "deadline"), f"task {task.id} has no deadline (完成时限); it is "
                                    "never due", "add deadline: 2022年6月底 (or 长期推进) once one is set",
                                    "no-deadline", severity="warning"))
        elif task.deadline.undated:
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"task {task.id}'s deadline names no date we can read; it is never due",
                                    "write the date it means, such as 2022年6月底, when the office sets one",
                                    "undated-deadline", severity="warning"))
    return findings


def _milestone_order(table: TaskTable) -> list[Finding]:
    findings = []
    for index, task in enumerate(table.tasks):
        milestones = task.deadline.milestones
        for number in range(1, len(milestones)):
            earlier, later = milestones[number - 1], milestones[number]
            if later.due < earlier.due:
                findings.append(Finding(
                    ("tasks", index, "deadline"),
                    f"milestone {number + 1} (due {later.due}) comes before milestone {number} "
                    f"(due {earlier.due})", "list the milestones in date order", "milestone-order"))
    return findings


def _done_records(table: TaskTable) -> list[Finding]:
    """`done:` records must name one milestone of the task's deadline, once."""
    findings = []
    for index, task in enumerate(table.tasks):
        count = len(task.deadline.milestones)
        recorded: set[int] = set()
        for position, record in enumerate(task.done):
            loc = ("tasks", index, "done", position)
            number = record.milestone or (1 if count == 1 else None)
            if count == 0:
                findings.append(Finding(loc, "the deadline has no dated milestone to mark done",
                                        "an open-ended task (长期推进) takes progress notes instead",
                                        "bad-done"))
            elif number is None:
                findings.append(Finding(loc, f"the deadline has {count} milestones; say which one",
                                        "add `milestone: N` (1 is the first)", "bad-done"))
            elif number > count:
                findings.append(Finding(loc, f"milestone {number} does not exist; the deadline has {count}",
                                        "milestones are numbered from 1 in published order", "bad-done"))
            elif number in recorded:
                findings.append(Finding(loc, f"milestone {number} is recorded done twice",
                                        "keep one record", "bad-done"))
            recorded.add(number or 0)
    return findings


def _done_after(table: TaskTable, as_of: date) -> list[Finding]:
    return [
        Finding(("tasks", index, "deadline", "milestones", number, "done"),
                f"milestone {number + 1} is recorded done on {milestone.done}, after the as-of "
                f"date {as_of}", "check the date; until then it counts as open", "done-in-future",
                severity="warning")
        for index, task in enumerate(table.tasks)
        for number, milestone in enumerate(task.deadline.milestones)
        if milestone.done is not None and milestone.done > as_of
    ]


def raw_findings(data: dict[Any, Any]) -> list[Finding]:
    """Problems found on the file's plain data, whether or not its shape is valid."""
    return _duplicate_ids(data)


def _duplicate_ids(data: dict[Any, Any]) -> list[Finding]:
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        return []
    first_index: dict[str, int] = {}
    findings = []
    for index, task in enumerate(tasks):
        task_id = task.get("id") if isinstance(task, dict) else None
        if not isinstance(task_id, (int, str)) or isinstance(task_id, bool):
            continue
        key = str(task_id).strip()
        if key in first_index:
            findings.append(Finding(("tasks", index, "id"),
                                    f"duplicate task id {key} (also tasks[{first_index[key]}])",
                                    "each 序号 must be unique; renumber one of them", "duplicate-id"))
        else:
            first_index[key] = index
    return findings
