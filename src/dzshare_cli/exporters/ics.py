"""iCalendar output: one all-day event per open milestone, with a reminder, for Outlook, WPS and phones.

A recurring deadline (每月25日前) is one event with an RRULE, its periods recorded done left
out with EXDATE. The UID of an event is made of the table's title, the task id (KEY:ID in a
ledger, so that the same id in two documents makes two events) and the milestone number (or
`recurrence`), so importing a newer export updates the events instead of adding copies.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dzshare_cli.errors import UsageError
from dzshare_cli.exporters import DEFAULT_REMIND_DAYS
from dzshare_cli.recurrence import Every, Recurrence
from dzshare_cli.render import Lang, View


def event_uid(table_title: str, task_id: Any, number: int | str, document: str | None = None) -> str:
    """A UID that stays the same for the same milestone of the same table, run after run; in a
    ledger the document's key is part of it (a key holds no colon, so KEY:ID reads one way)."""
    table_key = hashlib.sha1(table_title.encode("utf-8")).hexdigest()[:10]
    name = "recurrence" if number == "recurrence" else f"milestone-{number}"
    task = task_id if document is None else f"{document}:{task_id}"
    return f"task-{task}-{name}-{table_key}@dzshare"


def recurrence_rule(recurrence: Recurrence, end: date | None) -> dict[str, Any]:
    """The RRULE of a recurrence whose DTSTART is its first occurrence.

    Every period is a number of months from DTSTART's month. A day the month may lack (29-31)
    is the last of the days 28..day the month has (BYMONTHDAY=28,29,30,31;BYSETPOS=-1), which
    is our clamp to the month's end; no day at all is the month's last day (BYMONTHDAY=-1).
    """
    rule: dict[str, Any] = {"freq": "monthly", "interval": recurrence.every.months}
    day = recurrence.day
    if day is None:
        rule["bymonthday"] = [-1]
    elif day <= 28:
        rule["bymonthday"] = [day]
    else:
        rule["bymonthday"] = list(range(28, day + 1))
        rule["bysetpos"] = [-1]
    if end is not None:
        rule["until"] = end
    return rule


def _recurrence_of(record: dict[str, Any]) -> tuple[Recurrence, date, date | None] | None:
    """The rule, start and end of a task record's recurrence; None when it has none or no start."""
    found = record.get("recurrence")
    if not found or not found["start"]:
        return None
    rule = Recurrence(Every(found["every"]), found["month"], found["day"])
    return rule, date.fromisoformat(found["start"]), date.fromisoformat(found["end"]) if found["end"] else None


def _recurring_event(view: View, task: dict[str, Any], stamp: datetime, lang: Lang,
                     remind_days: int) -> Any | None:
    """One VEVENT for a task's recurrence; None when no occurrence of it is open."""
    from icalendar import Event

    recurrence = _recurrence_of(task)
    if recurrence is None or not any(m["period"] and m["state"] != "done" for m in task["milestones"]):
        return None
    rule, start, end = recurrence
    first = next(iter(rule.occurrences(start, end)))
    event = Event()
    event.add("uid", event_uid(view.title, task["id"], "recurrence", task.get("document")))
    event.add("dtstamp", stamp)
    _add_day(event, first.due)
    event.add("rrule", recurrence_rule(rule, end))
    done = [occurrence.due for occurrence in
            (rule.occurrence_of(period) for period in task["recurrence"]["done"]) if occurrence]
    if done:
        event.add("exdate", sorted(done))
    summary = _summary(task, {"goal": task["recurrence"]["goal"]})
    event.add("summary", summary)
    event.add("description", _description(task, lang))
    event.add("categories", ["dzshare"])
    _add_alarm(event, summary, remind_days)
    return event


def _add_day(event: Any, day: date) -> None:
    """An all-day event on `day`: DTSTART, and DTEND the next day when there is one."""
    event.add("dtstart", day)
    if day < date.max:  # an all-day event without DTEND lasts its one day too
        event.add("dtend", day + timedelta(days=1))


def _add_alarm(event: Any, summary: str, remind_days: int) -> None:
    from icalendar import Alarm

    if remind_days > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(days=-remind_days))
        event.add_component(alarm)


def to_ics(view: View, lang: Lang) -> bytes:
    """The calendar of a view whose payload is task records (list, due, show, dept, export)."""
    from icalendar import Calendar, Event

    tasks = [view.payload] if isinstance(view.payload, dict) else view.payload
    if not isinstance(tasks, list) or any("milestones" not in task for task in tasks):
        raise UsageError("the ics format is for tasks (list, due, show, dept, export), "
                         "not for this view")
    remind_days = view.options.get("remind_days", DEFAULT_REMIND_DAYS)
    as_of: date = view.options.get("as_of", date(1970, 1, 1))
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//dzshare//重点任务责任分工//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", view.title or "dzshare")
    for task in tasks:
        recurring = _recurring_event(view, task, stamp, lang, remind_days)
        if recurring is not None:
            calendar.add_component(recurring)
        for milestone in task["milestones"]:
            if milestone["state"] == "done" or milestone["period"]:  # occurrences: in the RRULE
                continue
            due = date.fromisoformat(milestone["due"])
            event = Event()
            event.add("uid", event_uid(view.title, task["id"], milestone["number"], task.get("document")))
            event.add("dtstamp", stamp)
            _add_day(event, due)
            event.add("summary", _summary(task, milestone))
            event.add("description", _description(task, lang))
            event.add("categories", ["dzshare"])
            _add_alarm(event, _summary(task, milestone), remind_days)
            calendar.add_component(event)
    return calendar.to_ical()


def _summary(task: dict[str, Any], milestone: dict[str, Any]) -> str:
    title = task["title"] or task["text"][:30]
    goal = f" · {milestone['goal']}" if milestone["goal"] else ""
    name = task["id"] if task.get("document") is None else f"{task['document']}:{task['id']}"
    return f"[{name}] {title}{goal}"


def _description(task: dict[str, Any], lang: Lang) -> str:
    lead, responsible = ("牵头单位", "责任单位") if lang is Lang.ZH else ("Lead units", "Responsible units")
    deadline = "完成时限" if lang is Lang.ZH else "Deadline"
    return "\n".join([task["text"], f"{lead}: {'、'.join(task['lead'])}",
                      f"{responsible}: {'、'.join(task['responsible']) or '—'}",
                      f"{deadline}: {task['deadline']}"])
