"""Whole-table checks beyond the schema (duplicate ids, unit names); returns findings, never prints."""

from __future__ import annotations

from datetime import date
from typing import Any

from dzshare_cli.deadlines import parse_deadline
from dzshare_cli.errors import DeadlineError, Finding
from dzshare_cli.models import DoneRecord, Task, TaskTable
from dzshare_cli.recurrence import LABEL_EXAMPLES
from dzshare_cli.units import unit_findings


def table_findings(table: TaskTable, as_of: date | None = None, in_ledger: bool = False) -> list[Finding]:
    """Problems that need a table whose shape is valid: milestone order, units, the registry.

    With `as_of`, a milestone recorded as done after that date is a warning. In a ledger the
    task unit names are checked by the ledger, against the registry of all its documents.
    """
    findings = [*_incomplete(table), *_milestone_order(table), *_recurrence_spans(table), *_done_records(table),
                *unit_findings(table, check_tasks=not in_ledger)]
    if as_of is not None:
        findings += _done_after(table, as_of)
    return findings


def _example_deadline(table: TaskTable) -> str:
    """A deadline to show in a hint, in the table's own year when it has one."""
    year = table.document.year or (table.document.date.year if table.document.date else None)
    return f"{year}年6月底" if year else "2022年6月底"


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
                                    "never due", f"add deadline: {_example_deadline(table)} (or 长期推进) once one is set",
                                    "no-deadline", severity="warning"))
        elif task.deadline.within is not None and not task.deadline.milestones:
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"task {task.id}'s deadline counts days from an anchor the table does not "
                                    "give; it is never due",
                                    "set document.date (the issue date, 印发日期) or the task's start:",
                                    "no-anchor", severity="warning"))
        elif task.deadline.recurrence is not None and task.deadline.recurrence.start is None:
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"task {task.id}'s deadline recurs, but from when is not known; it is never due",
                                    "set document.year or document.date, or the task's start:",
                                    "no-recurrence-start", severity="warning"))
        elif task.deadline.undated and _reads_as_a_deadline(task.deadline.text, table):
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"task {task.id}'s deadline is kept as text only ({{text: …}}); it is never due",
                                    f"its text reads as a deadline: write it as deadline: {task.deadline.text}",
                                    "undated-deadline", severity="warning"))
        elif task.deadline.undated:
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"task {task.id}'s deadline names no date we can read; it is never due",
                                    "write the date it means, such as 2022年6月底, when the office sets one",
                                    "undated-deadline", severity="warning"))
    return findings


def _reads_as_a_deadline(text: str, table: TaskTable) -> bool:
    """Whether a text kept as `{text: …}` would be read as a dated deadline if written as the deadline."""
    document = table.document
    try:
        parse_deadline(text, document.year or (document.date.year if document.date else None))
    except DeadlineError:
        return False
    return True


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
    """`done:` records must name one milestone of the task's deadline, or one period of its
    recurrence, once."""
    findings = []
    for index, task in enumerate(table.tasks):
        count = len(task.deadline.milestones)
        recorded: set[int] = set()
        periods: set[str] = set()
        for position, record in enumerate(task.done):
            loc = ("tasks", index, "done", position)
            if record.period is not None:
                problem = _period_problem(task, record, periods)
                if problem:
                    findings.append(Finding((*loc, "period"), *problem, "bad-done"))
                periods.add(record.period)
                continue
            number = record.milestone or (1 if task.deadline.sole_milestone else None)
            if count == 0:
                hint = ("name the occurrence: `period: 2022-03`" if task.deadline.recurrence is not None
                        else "an open-ended task (长期推进) takes progress notes instead")
                findings.append(Finding(loc, "the deadline has no dated milestone to mark done", hint, "bad-done"))
            elif number is None and task.deadline.recurrence is not None:
                example = LABEL_EXAMPLES[task.deadline.recurrence.every]
                findings.append(Finding(loc, "the deadline has a milestone and a recurrence; say which was done",
                                        f"add `milestone: 1` or `period: {example}`", "bad-done"))
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


def _period_problem(task: Task, record: DoneRecord, seen: set[str]) -> tuple[str, str] | None:
    """(message, hint) when a record's period is not one occurrence of the task's recurrence."""
    recurrence = task.deadline.recurrence
    if record.milestone is not None:
        return "a record names a milestone or a period, not both", "keep `period:` for a recurrence"
    if recurrence is None:
        return (f"task {task.id}'s deadline does not recur; period {record.period} names nothing",
                "name a milestone instead: `milestone: N`")
    example = LABEL_EXAMPLES[recurrence.every]
    occurrence = recurrence.rule.occurrence_of(record.period)
    if occurrence is None:
        return (f"'{record.period}' is not a {recurrence.every.value} of the recurrence",
                f"write it as {example}")
    if recurrence.start is None:
        return None  # the recurrence itself is reported (no-recurrence-start)
    if not recurrence.covers(occurrence.due):
        return (f"period {record.period} (due {occurrence.due}) is outside the recurrence, which runs "
                f"{recurrence.span}", "check the period")
    if record.period in seen:
        return f"period {record.period} is recorded done twice", "keep one record"
    return None


def _recurrence_spans(table: TaskTable) -> list[Finding]:
    """A recurrence must fall due at least once between its start and its end."""
    findings = []
    for index, task in enumerate(table.tasks):
        recurrence = task.deadline.recurrence
        if recurrence is None or recurrence.start is None:
            continue
        if next(iter(recurrence.rule.occurrences(recurrence.start, recurrence.end)), None) is None:
            findings.append(Finding(("tasks", index, "deadline"),
                                    f"the recurrence never falls due between {recurrence.start} and {recurrence.end}",
                                    "its span ends with the document's year: give it an end (deadline: "
                                    "{text: …, recurrence: {every: …, end: 2023-12-31}}), or the task's start:",
                                    "bad-deadline"))
    return findings


def _done_after(table: TaskTable, as_of: date) -> list[Finding]:
    fixed = [
        Finding(("tasks", index, "deadline", "milestones", number, "done"),
                f"milestone {number + 1} is recorded done on {milestone.done}, after the as-of "
                f"date {as_of}", "check the date; until then it counts as open", "done-in-future",
                severity="warning")
        for index, task in enumerate(table.tasks)
        for number, milestone in enumerate(task.deadline.milestones)
        if milestone.done is not None and milestone.done > as_of
    ]
    periods = [
        Finding(("tasks", index, "done", position, "date"),
                f"period {record.period} is recorded done on {record.date}, after the as-of date {as_of}",
                "check the date; until then it counts as open", "done-in-future", severity="warning")
        for index, task in enumerate(table.tasks)
        for position, record in enumerate(task.done)
        if record.period is not None and record.date > as_of
    ]
    return fixed + periods


def uses_working_days(table: TaskTable) -> bool:
    """Whether a deadline counts working days (so the calendar's years matter to the table)."""
    return any(task.deadline.within is not None and task.deadline.within.working for task in table.tasks)


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
