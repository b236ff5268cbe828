"""The table format as pydantic models: Document, Task, Deadline, Milestone, TaskTable.

These models are both the in-memory data and the documented file format. Deadline text is read
while validating; year-less forms (6月底前) take their year from the validation context
(`{"year": document.year}`), which the loader supplies.
"""

from __future__ import annotations

import datetime
from datetime import date
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationInfo
from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from dzshare_cli.deadlines import MAX_COUNT_DAYS, deadline_text, normalize, parse_deadline, parse_due
from dzshare_cli.errors import DeadlineError, shown_value
from dzshare_cli.recurrence import Every, Recurrence
from dzshare_cli.workdays import add_days, add_working_days

UnitName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TaskId = Annotated[int | str, Field(union_mode="left_to_right")]


def _context_year(info: ValidationInfo) -> int | None:
    return (info.context or {}).get("year")


def _context_date(info: ValidationInfo) -> date | None:
    """The document's issue date (document.date), the anchor of 印发之日起 counts."""
    return (info.context or {}).get("date")


def _deadline_error(error: DeadlineError) -> PydanticCustomError:
    # The hint travels in the error context so the loader can print `message; hint`.
    return PydanticCustomError("deadline", "{message}",
                               {"message": error.message, "hint": error.hint, "code": error.code})


class _Model(BaseModel):
    # Built when first used: a run validates a whole table at once, so building each nested
    # model on its own at import (ten validators where one serves) is start-up time spent twice.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Milestone(_Model):
    """One dated step of a deadline: due on the last day of the stated period."""

    due: date = Field(description="Due on this day: 2022-06-30, or 2022-06 / 2022年6月底 for the month's end.")
    goal: str | None = Field(default=None, description="What is to be reached by then (目标), e.g. 取得阶段成效.")
    done: date | None = Field(default=None, description="The day the milestone was done.")
    evidence: str | None = Field(default=None, description="A note or link showing it was done.")

    @field_validator("due", mode="before", json_schema_input_type=str | date)
    @classmethod
    def _read_due(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, (int, float)):  # pydantic would read 0 as 1970-01-01
            raise _deadline_error(DeadlineError(
                f"expected a date, got {shown_value(value)}", "write a date such as 2022-06-30 or 2022年6月底"))
        if isinstance(value, str):
            try:
                return parse_due(value, _context_year(info))
            except DeadlineError as error:
                raise _deadline_error(error) from None
        return value


class Recurring(_Model):
    """A deadline that falls due once per period (每月25日前, 每季度末), from a start to an end."""

    every: Every = Field(description="month, quarter, half (半年) or year.")
    month: int | None = Field(default=None, ge=1, le=12,
                              description="The month of the period it falls in (1 = its first); default its last.")
    day: int | None = Field(default=None, ge=1, le=31,
                            description="The day of that month; default its last. 31 is the last day of a shorter month.")
    start: date | None = Field(default=None, description="The first day of the first period; default the task's "
                                                         "start, else document.date, else the document year's 1 January.")
    end: date | None = Field(default=None, description="The last day an occurrence may fall on; default the document "
                                                       "year's 31 December, or none when the work is open-ended (长期).")
    goal: str | None = Field(default=None, description="What is due each period, e.g. 报送进展情况.")

    @model_validator(mode="after")
    def _month_in_period(self) -> Recurring:
        if self.month is not None and self.month > self.every.months:
            raise PydanticCustomError("deadline", "{message}", {
                "message": f"a {self.every.value} has no month {self.month}",
                "hint": f"month counts within the period: 1 to {self.every.months}"})
        return self

    @property
    def rule(self) -> Recurrence:
        return Recurrence(self.every, self.month, self.day)

    def covers(self, due: date) -> bool:
        """Whether an occurrence due then is one of this recurrence's (between its start and end)."""
        return (self.start is not None and due >= self.start) and (self.end is None or due <= self.end)

    @property
    def span(self) -> str:
        """'from 2022-01-01 to 2022-12-31' (or 'to no end'), for messages."""
        return f"from {self.start} to {self.end.isoformat() if self.end else 'no end'}"


class Within(_Model):
    """A deadline counted from an anchor (印发之日起10个工作日内): the task's start, else document.date."""

    days: int = Field(ge=1, le=MAX_COUNT_DAYS, description="How many days after the anchor (the anchor day not counted).")
    working: bool = Field(default=False, description="Count working days by China's holiday and 调休 calendar.")
    goal: str | None = Field(default=None, description="What is due then.")


class Deadline(_Model):
    """完成时限: the published text, whether the work is open-ended, its milestones, and
    a recurrence or a count of days when it has one."""

    text: str = Field(default="", description="The deadline as published; composed when left out.")
    ongoing: bool = Field(default=False, description="Open-ended work (长期推进).")
    start: date | None = Field(default=None, description="The day work starts (从2022年3月起).")
    milestones: list[Milestone] = []
    recurrence: Recurring | None = Field(default=None, description="Due once per period (每月25日前).")
    within: Within | None = Field(default=None, description="Due a count of days after the task's start or "
                                                             "document.date (印发之日起10个工作日内).")

    @model_validator(mode="after")
    def _complete(self) -> Deadline:
        if not self.text and (self.ongoing or self.milestones or self.recurrence or self.within):
            self.text = deadline_text(self.ongoing, [(m.due, m.goal) for m in self.milestones],
                                      self.recurrence and self.recurrence.rule, self.within and
                                      (self.within.days, self.within.working))
        return self

    @property
    def undated(self) -> bool:
        """No date of any kind and not open-ended: the task is never due (未定时限). A recurrence
        whose start is not known, or a count without an anchor, names no date either."""
        return not self.ongoing and not self.milestones and not self.recurring

    @property
    def recurring(self) -> bool:
        """A recurrence with a known start: it has occurrences."""
        return self.recurrence is not None and self.recurrence.start is not None

    @property
    def sole_milestone(self) -> bool:
        """One milestone and no recurrence: a done record need not say which it is."""
        return len(self.milestones) == 1 and self.recurrence is None

    @property
    def missing(self) -> bool:
        """No deadline at all, not even a published text that names no date."""
        return self.undated and not self.text and not self.recurrence and not self.within


class DoneRecord(_Model):
    """A milestone of a published deadline recorded as done (`dzshare done` writes these)."""

    milestone: int | None = Field(default=None, ge=1,
                                  description="Which milestone (1 = the first); optional when there is one.")
    period: str | None = Field(default=None, description="Which occurrence of a recurrence: 2022-03 (month), "
                                                         "2022-Q1, 2022-H1 or 2022; instead of milestone.")
    date: datetime.date = Field(description="The day it was done.")
    evidence: str | None = Field(default=None, description="A note or link showing it was done.")

    @field_validator("period", mode="before", json_schema_input_type=str | int | None)
    @classmethod
    def _year_as_label(cls, value: Any) -> Any:
        # `period: 2022` reads as a number in YAML; as a label it is the year 2022.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Reported(str, Enum):
    """What a unit answered to 是否完成 on a reporting form; the values are the YAML and JSON contract."""

    DONE = "done"  # 已完成
    IN_PROGRESS = "in_progress"  # 推进中
    NOT_STARTED = "not_started"  # 未启动
    CANNOT_MEET = "cannot_meet"  # 无法按期完成


#: 是否完成 as a reporting form offers it, and what each answer is as data.
REPORTED_LABELS = {"已完成": Reported.DONE, "推进中": Reported.IN_PROGRESS, "未启动": Reported.NOT_STARTED,
                   "无法按期完成": Reported.CANNOT_MEET}


class ProgressNote(_Model):
    """A progress note: dated and from a unit when `dzshare note` writes it; an imported
    进展情况 cell has neither, and none is invented. A note collected from a reporting form
    also says which milestone it is about and what the form's other cells said."""

    date: datetime.date | None = Field(default=None, description="The day of the note, when known.")
    unit: UnitName | None = Field(default=None, description="The unit reporting, when known.")
    note: str = Field(min_length=1)
    milestone: int | None = Field(default=None, ge=1, description="Which milestone the note reports on (1 = the first).")
    period: str | None = Field(default=None, description="Which occurrence of a recurrence it reports on: 2022-03.")
    status: Reported | None = Field(default=None, description="是否完成 as the unit answered: done (已完成), "
                                    "in_progress (推进中), not_started (未启动) or cannot_meet (无法按期完成).")
    done_on: datetime.date | None = Field(default=None, description="完成日期: the day the unit says it was done "
                                          "(with status done).")
    evidence: str | None = Field(default=None, description="佐证材料: what shows the progress or completion.")
    problems: str | None = Field(default=None, description="存在问题: problems the unit reports.")
    reporter: str | None = Field(default=None, description="填报人: who filled in the form.")

    @field_validator("period", mode="before", json_schema_input_type=str | int | None)
    @classmethod
    def _year_as_label(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("status", mode="before")
    @classmethod
    def _status_as_published(cls, value: Any) -> Any:
        # A maintainer typing the form's own words (status: 已完成) means what the form means.
        return REPORTED_LABELS.get(value.strip(), value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _done_on_needs_done(self) -> ProgressNote:
        if self.done_on is not None and self.status is not Reported.DONE:
            raise PydanticCustomError("done_on_without_done",
                                      "done_on is given but status is not done; write status: done or drop done_on")
        if self.milestone is not None and self.period is not None:
            raise PydanticCustomError("milestone_and_period",
                                      "a note reports on a milestone or a period, not both; keep one")
        return self


def _scope_start(start: date | None, end: date | None, issued: date | None) -> date | None:
    """Where a recurrence written with a scope (2022年每月25日前: a start and an end) starts: not
    before the document was issued, or its first periods would be overdue on the day it was.
    A start the text states as one (从2022年1月起, no end) is taken as written."""
    if start is not None and end is not None and issued is not None and start < issued <= end:
        return issued
    return start


class Task(_Model):
    """One row of the table: 序号, 工作任务, 牵头单位, 责任单位, 完成时限."""

    id: TaskId = Field(description="序号: a number, or a label such as (一) or 1.2; unique.")
    title: str | None = Field(default=None, description="A short summary for narrow tables.")
    category: str | None = Field(default=None, description="The published section the task is under.")
    text: str = Field(min_length=1, description="工作任务, verbatim as published.")
    lead: list[UnitName] = Field(default=[], description="牵头单位: the lead units; a table without them "
                                                            "loads, and validate warns.")
    responsible: list[UnitName] = Field(default=[], description="责任单位: the responsible units.")
    roles: dict[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)], list[UnitName]] = Field(
        default={}, description="Further roles under their published column name, in published order: "
                                "{配合单位: [市财政局, 市审计局]}.")
    start: date | None = Field(default=None, description="The day the task starts: the anchor of counts such as "
                                                         "10个工作日内, the start of a recurrence.")
    deadline: Deadline = Field(default_factory=Deadline,
                               description="完成时限 as published (2021年9月底, 长期推进;2022年6月底取得明显成效), "
                                           "or {ongoing, milestones}; {text: 尽快} keeps a published text "
                                           "that names no date. Left out, the task has no deadline (未定时限).")
    done: list[DoneRecord] = Field(default=[], description="Milestones recorded as done.")
    progress: list[ProgressNote] = Field(default=[], description="Progress notes from units.")
    #: The key of the ledger document the task belongs to; None for a single table file.
    _document: str | None = PrivateAttr(default=None)

    @property
    def document(self) -> str | None:
        """The key of the ledger document the task comes from (dz2021), or None for a single table."""
        return self._document

    @property
    def ref(self) -> str:
        """How commands name the task: KEY:ID in a ledger, the id alone in a single table."""
        return f"{self._document}:{self.id}" if self._document is not None else str(self.id)

    @field_validator("id", mode="before")
    @classmethod
    def _check_id(cls, value: Any) -> Any:
        # Without this, `id: true` would load as 1 and a list would get one error per branch.
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
            hint = (f"a label such as {value} is read as a decimal number: write it in quotes, '{value}'"
                    if isinstance(value, float) else "write the task's 序号")
            raise PydanticCustomError("id", "{message}", {
                "message": f"expected a number or a label such as (一), got {shown_value(value)}",
                "hint": hint})
        return value

    @field_validator("deadline", mode="before", json_schema_input_type=str | Deadline)
    @classmethod
    def _read_deadline_text(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, date):  # deadline: 2021-09-30, read by YAML as a date
            return {"text": value.isoformat(), "milestones": [{"due": value}]}
        if value is None or (isinstance(value, str) and not value.strip()):
            return {}  # no deadline: loads as 未定时限, and validate warns
        if isinstance(value, (int, float)):
            raise _deadline_error(DeadlineError(
                f"expected the deadline as text, got {shown_value(value)}",
                "write it as published, such as 2021年9月底 or 长期推进"))
        if not isinstance(value, str):
            return value
        try:
            parsed = parse_deadline(value, _context_year(info))
        except DeadlineError as error:
            if error.code == "bad-deadline":  # a text that names no date can still be kept
                error = DeadlineError(error.message, f"{error.hint}; or keep a published text that names no "
                                                     "date as deadline: {text: '<the text>'}")
            raise _deadline_error(error) from None
        deadline: dict[str, Any] = {
            "text": value.strip(),
            "ongoing": parsed.ongoing,
            "milestones": [{"due": due, "goal": goal} for due, goal in parsed.milestones],
        }
        if parsed.recurrence is not None:
            rule = parsed.recurrence
            deadline["recurrence"] = {"every": rule.every, "month": rule.month, "day": rule.day,
                                      "start": _scope_start(parsed.start, parsed.end, _context_date(info)),
                                      "end": parsed.end, "goal": parsed.recurrence_goal}
        elif parsed.start is not None:
            deadline["start"] = parsed.start
        if parsed.within is not None:
            deadline["within"] = {"days": parsed.within.days, "working": parsed.within.working,
                                  "goal": parsed.within.goal}
        return deadline

    @field_validator("deadline", mode="after")
    @classmethod
    def _resolve_deadline(cls, deadline: Deadline, info: ValidationInfo) -> Deadline:
        """Date what the text leaves to the table: a count from its anchor, a recurrence's span."""
        start = info.data.get("start") or deadline.start
        document_date, year = _context_date(info), _context_year(info)
        if deadline.within is not None:
            anchor = start or document_date
            if anchor is not None:
                try:
                    count = deadline.within.days
                    due = add_working_days(anchor, count) if deadline.within.working else add_days(anchor, count)
                except DeadlineError as error:
                    raise _deadline_error(error) from None
                if all(m.due != due for m in deadline.milestones):
                    deadline.milestones.append(Milestone(due=due, goal=deadline.within.goal))
        recurrence = deadline.recurrence
        if recurrence is not None:
            recurrence.start = recurrence.start or start or document_date or (date(year, 1, 1) if year else None)
            if recurrence.end is None and not deadline.ongoing and recurrence.start is not None:
                recurrence.end = date(max(year or recurrence.start.year, recurrence.start.year), 12, 31)
        return deadline

    @model_validator(mode="after")
    def _apply_done_records(self) -> Task:
        # Records that name no usable milestone are left for validate.py to report at their line;
        # a record of a period is read when the occurrences are (query.task_statuses).
        for record in self.done:
            if record.period is not None:
                continue
            number = record.milestone or (1 if self.deadline.sole_milestone else None)
            if number is not None and number <= len(self.deadline.milestones):
                milestone = self.deadline.milestones[number - 1]
                if milestone.done is None:
                    milestone.done, milestone.evidence = record.date, record.evidence
        return self

    @property
    def starts(self) -> date | None:
        """The day work starts: the task's start, else the deadline's (从2022年3月起), else its
        recurrence's first period."""
        recurrence = self.deadline.recurrence
        return self.start or self.deadline.start or (recurrence.start if recurrence else None)

    @property
    def short_title(self) -> str:
        """The title for narrow tables: the summary if there is one, else the task text."""
        return self.title or self.text

    @property
    def units(self) -> list[str]:
        """Every unit the task names: lead units first, then responsible, then further roles."""
        return [*self.lead, *self.responsible, *(name for names in self.roles.values() for name in names)]


class UnitKind(str, Enum):
    """What sort of body a unit is; a group stands for its members."""

    DEPARTMENT = "department"
    OFFICE = "office"
    TOWNSHIP = "township"
    MECHANISM = "mechanism"
    GROUP = "group"


class Unit(_Model):
    """A unit of the registry: canonical name, the short forms people use, and group members."""

    name: UnitName = Field(description="The unit's full name, as tasks name it.")
    kind: UnitKind | None = None
    aliases: list[UnitName] = Field(default=[], description="Short forms people type (财政局).")
    members: list[UnitName] = Field(default=[], description="For a group: the units it stands for.")


class Document(_Model):
    """The published document the table belongs to."""

    title: str | None = None
    attachment: str | None = None
    issuer: str | None = None
    year: int | None = Field(default=None, ge=1949, le=2200, strict=True,
                             description="The year of year-less deadlines such as 6月底前.")
    date: datetime.date | None = Field(default=None, description="The issue date (印发日期): the anchor of "
                                                                 "印发之日起 counts; its year serves when year is left out.")


class TaskTable(_Model):
    """A whole table file: the document header, its tasks in published order, and its units."""

    document: Document
    tasks: list[Task]
    units: list[Unit] | None = Field(
        default=None, description="The unit registry; without it, any unit name is accepted.")
    #: For a ledger: its documents in play (key -> LedgerDocument) and where it was read from.
    _documents: dict[str, Any] = PrivateAttr(default_factory=dict)
    _source: Any = PrivateAttr(default=None)

    @property
    def documents(self) -> dict[str, Any]:
        """The ledger documents in play by key (ledger.LedgerDocument); empty for a single table."""
        return self._documents

    @property
    def multi_document(self) -> bool:
        """More than one document in play: tables then show each row's 文件 (document key)."""
        return len(self._documents) > 1

    @property
    def source(self) -> Any:
        """Where the table was read from (sources.Source), when the CLI loaded it."""
        return self._source

    def index_of(self, task_id: str) -> int | None:
        """The position of the task whose id reads as `task_id`, full- or half-width alike
        ((一) finds （一）); ids may be numbers or labels."""
        wanted = normalize(task_id)
        return next((index for index, task in enumerate(self.tasks) if normalize(str(task.id)) == wanted),
                    None)

    def task(self, task_id: str) -> Task | None:
        index = self.index_of(task_id)
        return None if index is None else self.tasks[index]


def table_schema() -> dict[str, Any]:
    """The JSON Schema of a table file, as editors and check-jsonschema read it."""
    schema = TaskTable.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def table_schema_json() -> str:
    import json  # only `dzshare schema` and `init` write the schema

    return json.dumps(table_schema(), ensure_ascii=False, indent=2) + "\n"
