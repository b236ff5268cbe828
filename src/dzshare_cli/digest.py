"""What a query needs to know about a ledger document without building its tasks (its digest),
the interests of `due` and `dept` that test a digest, and a table as plain JSON data and back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from dzshare_cli.models import (Deadline, Document, DoneRecord, Milestone, ProgressNote, Recurring, Reported,
                               Task, TaskTable, Unit, UnitKind, Within)
from dzshare_cli.recurrence import Every
from dzshare_cli.units import UnitRegistry


@dataclass(frozen=True)
class Dated:
    """Dates of a document's tasks as three columns (JSON reads columns faster than rows): the
    task's position, a date, and a second date or None, as ISO text."""

    tasks: list[int]
    first: list[str]
    second: list[str | None]

    @classmethod
    def of(cls, rows: list[tuple[int, str, str | None]]) -> Dated:
        return cls([row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows])

    def data(self) -> list[list[Any]]:
        return [self.tasks, self.first, self.second]

    @classmethod
    def from_data(cls, data: list[Any], tasks: int) -> Dated:
        positions, first, second = data
        if not (type(positions) is type(first) is type(second) is list  # noqa: E721
                and len(positions) == len(first) == len(second)
                and isinstance("".join(first), str)  # raises TypeError unless every day is text
                and (not positions or (min(positions) >= 0 and max(positions) < tasks))):
            raise ValueError("dates of the wrong shape")
        return cls(positions, first, second)

    def rows(self) -> Iterable[tuple[int, str, str | None]]:
        return zip(self.tasks, self.first, self.second)


@dataclass(frozen=True)
class Digest:
    """A document's header and registry, the unit names its tasks use, and its dates, each with
    the position of its task: fixed milestones as (task, due, done) and recurrences as (task,
    start, end). Dates are ISO text, which compares as the dates do, so a query over 100,000
    tasks compares text and builds no date."""

    document: Document
    units: list[Unit] | None
    names: list[str]
    task_names: list[list[int]]  # per task, the positions in `names` of the units it names
    milestones: Dated  # fixed milestones: task, due, done
    recurrences: Dated  # recurrences with a start: task, start, end

    @property
    def tasks(self) -> int:
        return len(self.task_names)


def digest(table: TaskTable) -> Digest:
    names: dict[str, int] = {}
    task_names = []
    milestones = []
    recurrences = []
    for index, task in enumerate(table.tasks):
        named = [*task.units, *(note.unit for note in task.progress if note.unit is not None)]
        task_names.append(sorted({names.setdefault(name, len(names)) for name in named}))
        milestones += [(index, milestone.due.isoformat(), _iso(milestone.done))
                       for milestone in task.deadline.milestones]
        recurrence = task.deadline.recurrence
        if recurrence is not None and recurrence.start is not None:
            recurrences.append((index, recurrence.start.isoformat(), _iso(recurrence.end)))
    return Digest(table.document, table.units, list(names), task_names, Dated.of(milestones), Dated.of(recurrences))


def digest_data(found: Digest) -> dict[str, Any]:
    return {
        "document": found.document.model_dump(mode="json"),
        "units": None if found.units is None else [unit.model_dump(mode="json") for unit in found.units],
        "names": found.names, "task_names": found.task_names,
        "milestones": found.milestones.data(), "recurrences": found.recurrences.data(),
    }


def digest_from_data(data: dict[str, Any]) -> Digest:
    units = data["units"]
    names = _strings(data["names"])
    task_names = _strings(data["task_names"])
    milestones = Dated.from_data(data["milestones"], len(task_names))
    recurrences = Dated.from_data(data["recurrences"], len(task_names))
    return Digest(_document(data["document"]), None if units is None else [_unit(unit) for unit in units],
                  names, task_names, milestones, recurrences)


# --------------------------------------------------------------------------- interests


class Interest(Protocol):
    """Which tasks of a document a query can draw on: the positions of those it wants (None:
    every one); the rest are not built. It must never turn down a task that would have
    contributed to the answer."""

    def wants(self, found: Digest, registry: UnitRegistry | None) -> list[int] | None: ...


class DueWindowLike(Protocol):
    def bounds(self) -> list[tuple[str, date]]: ...


#: Earlier than any occurrence a recurrence starting on a day can have (its period's due day may
#: fall before the start within the first period): a year, to be safe.
_FIRST_OCCURRENCE_SLACK = timedelta(days=366)


class DueInterest:
    """`dzshare due`: a task with a fixed milestone in the window that was open on the as-of day
    (or any, with --all), or a recurrence whose span meets the window."""

    def __init__(self, window: DueWindowLike, as_of: date, include_done: bool = False) -> None:
        low, high = date.min, date.max
        for kind, day in window.bounds():
            if kind == "after":  # due after this day
                low = max(low, day)
            elif kind == "before":  # due before this day
                high = min(high, day - timedelta(days=1))
            else:  # due by this day
                high = min(high, day)
        self.low, self.high = low.isoformat(), high.isoformat()
        self.starts_by = (high + _FIRST_OCCURRENCE_SLACK if high < date.max - _FIRST_OCCURRENCE_SLACK
                          else date.max).isoformat()
        self.as_of = as_of.isoformat()
        self.include_done = include_done

    def wants(self, found: Digest, registry: UnitRegistry | None) -> list[int] | None:
        low, high, as_of = self.low, self.high, self.as_of
        wanted = {task for task, due, done in found.milestones.rows()
                  if low < due <= high and (self.include_done or done is None or done > as_of)}
        wanted.update(task for task, start, end in found.recurrences.rows()
                      if start <= self.starts_by and (end is None or end > low))
        return sorted(wanted)


class UnitInterest:
    """`dzshare dept NAME`: the tasks naming the unit, or a group it belongs to. Without a declared
    registry, or when the name does not resolve, every task (the command then says why)."""

    def __init__(self, query: str) -> None:
        self.query = query
        self._unit: Unit | None = None
        self._resolved = False
        self._reaches: dict[str, bool] = {}

    def wants(self, found: Digest, registry: UnitRegistry | None) -> list[int] | None:
        target = self._target(registry)
        if registry is None or target is None:
            return None
        reaching = {position for position, name in enumerate(found.names)
                    if self._reaches_target(name, target, registry)}
        if not reaching:
            return []
        return [task for task, named in enumerate(found.task_names) if not reaching.isdisjoint(named)]

    def _target(self, registry: UnitRegistry | None) -> Unit | None:
        if not self._resolved and registry is not None:
            self._resolved = True
            try:
                self._unit = registry.resolve(self.query)
            except Exception:  # noqa: BLE001 - the command resolves it again and reports it
                self._unit = None
        return self._unit

    def _reaches_target(self, name: str, target: Unit, registry: UnitRegistry) -> bool:
        reaches = self._reaches.get(name)
        if reaches is None:
            named = registry.exact(name)
            reaches = named is not None and (named.name == target.name or target.name in registry.members(named))
            self._reaches[name] = reaches
        return reaches


# --------------------------------------------------------------------------- a table as data

def table_data(table: TaskTable) -> dict[str, Any]:
    """The table as JSON data (dates as ISO text), which table_from_data reads back."""
    return table.model_dump(mode="json")


def table_from_data(data: dict[str, Any]) -> TaskTable:
    """The table table_data wrote, rebuilt without validating it again: the validators (deadline
    text above all) ran when the entry was made, and running them again is what the cache saves.
    A wrong shape raises KeyError, TypeError or ValueError."""
    units = data["units"]
    return _model(TaskTable, {
        "document": _document(data["document"]),
        "tasks": [task_from_data(task) for task in data["tasks"]],
        "units": None if units is None else [_unit(unit) for unit in units],
    }, {"_documents": {}, "_source": None})


def task_from_data(data: dict[str, Any]) -> Task:
    """One task of table_data, rebuilt as table_from_data does."""
    return _task(data)


def _model(cls: type[Any], values: dict[str, Any], private: dict[str, Any] | None = None) -> Any:
    # What BaseModel.model_construct does, without its per-field defaults pass: every field is
    # given (a test checks that each reader below gives exactly its model's fields).
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", private)
    return model


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _strings(values: list[Any]) -> list[str]:
    # Entries are written by dzshare and found by the hash of their file: the shape is checked,
    # not every string of it (that would cost as much as the rest of the rebuild).
    if type(values) is not list:
        raise TypeError("expected a list")
    return values


def _document(data: dict[str, Any]) -> Document:
    return _model(Document, {"title": data["title"], "attachment": data["attachment"], "issuer": data["issuer"],
                             "year": data["year"], "date": _day(data["date"])})


def _unit(data: dict[str, Any]) -> Unit:
    kind = data["kind"]
    return _model(Unit, {"name": str(data["name"]), "kind": None if kind is None else UnitKind(kind),
                         "aliases": _strings(data["aliases"]), "members": _strings(data["members"])})


def _milestone(data: dict[str, Any]) -> Milestone:
    return _model(Milestone, {"due": date.fromisoformat(data["due"]), "goal": data["goal"],
                              "done": _day(data["done"]), "evidence": data["evidence"]})


def _recurring(data: dict[str, Any] | None) -> Recurring | None:
    if data is None:
        return None
    return _model(Recurring, {"every": Every(data["every"]), "month": data["month"], "day": data["day"],
                              "start": _day(data["start"]), "end": _day(data["end"]), "goal": data["goal"]})


def _within(data: dict[str, Any] | None) -> Within | None:
    if data is None:
        return None
    return _model(Within, {"days": data["days"], "working": data["working"], "goal": data["goal"]})


def _deadline(data: dict[str, Any]) -> Deadline:
    return _model(Deadline, {"text": data["text"], "ongoing": data["ongoing"], "start": _day(data["start"]),
                             "milestones": [_milestone(m) for m in data["milestones"]],
                             "recurrence": _recurring(data["recurrence"]), "within": _within(data["within"])})


def _done(data: dict[str, Any]) -> DoneRecord:
    return _model(DoneRecord, {"milestone": data["milestone"], "period": data["period"],
                               "date": date.fromisoformat(data["date"]), "evidence": data["evidence"]})


def _note(data: dict[str, Any]) -> ProgressNote:
    return _model(ProgressNote, {**data, "date": _day(data["date"]), "done_on": _day(data.get("done_on")),
                                 "status": None if data.get("status") is None else Reported(data["status"])})


def _task(data: dict[str, Any]) -> Task:
    return _model(Task, {
        "id": data["id"], "title": data["title"], "category": data["category"], "text": data["text"],
        "lead": _strings(data["lead"]), "responsible": _strings(data["responsible"]),
        "roles": {str(label): _strings(names) for label, names in data["roles"].items()},
        "start": _day(data["start"]), "deadline": _deadline(data["deadline"]),
        "done": [_done(record) for record in data["done"]],
        "progress": [_note(note) for note in data["progress"]],
    }, {"_document": None})


#: Every model table_from_data builds, and the reader of its data: a test checks that each reads
#: exactly the model's fields, so a field added to models.py cannot be dropped by the cache.
READERS: dict[type[Any], Callable[[dict[str, Any]], Any]] = {
    Document: _document, Unit: _unit, Milestone: _milestone, Recurring: _recurring, Within: _within,
    Deadline: _deadline, DoneRecord: _done, ProgressNote: _note, Task: _task, TaskTable: table_from_data,
}
