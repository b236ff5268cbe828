"""iCalendar output: one all-day event per open milestone, with a reminder, for Outlook, WPS and phones.

The UID of an event is made of the table's title, the task id and the milestone number, so
importing a newer export updates the events instead of adding copies.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dzshare_cli.errors import UsageError
from dzshare_cli.render import Lang, View

DEFAULT_REMIND_DAYS = 7


def event_uid(table_title: str, task_id: Any, number: int) -> str:
    """A UID that stays the same for the same milestone of the same table, run after run."""
    table_key = hashlib.sha1(table_title.encode("utf-8")).hexdigest()[:10]
    return f"task-{task_id}-milestone-{number}-{table_key}@dzshare"


def to_ics(view: View, lang: Lang) -> bytes:
    """The calendar of a view whose payload is task records (list, due, show, dept, export)."""
    from icalendar import Alarm, Calendar, Event

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
        for milestone in task["milestones"]:
            if milestone["state"] == "done":
                continue
            due = date.fromisoformat(milestone["due"])
            event = Event()
            event.add("uid", event_uid(view.title, task["id"], milestone["number"]))
            event.add("dtstamp", stamp)
            event.add("dtstart", due)
            if due < date.max:  # an all-day event without DTEND lasts its one day too
                event.add("dtend", due + timedelta(days=1))
            event.add("summary", _summary(task, milestone))
            event.add("description", _description(task, lang))
            event.add("categories", ["dzshare"])
            if remind_days > 0:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", _summary(task, milestone))
                alarm.add("trigger", timedelta(days=-remind_days))
                event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()


def _summary(task: dict[str, Any], milestone: dict[str, Any]) -> str:
    title = task["title"] or task["text"][:30]
    goal = f" · {milestone['goal']}" if milestone["goal"] else ""
    return f"[{task['id']}] {title}{goal}"


def _description(task: dict[str, Any], lang: Lang) -> str:
    lead, responsible = ("牵头单位", "责任单位") if lang is Lang.ZH else ("Lead units", "Responsible units")
    deadline = "完成时限" if lang is Lang.ZH else "Deadline"
    return "\n".join([task["text"], f"{lead}: {'、'.join(task['lead'])}",
                      f"{responsible}: {'、'.join(task['responsible']) or '—'}",
                      f"{deadline}: {task['deadline']}"])
