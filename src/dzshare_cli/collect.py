"""Collecting returned reporting forms (报送表): a form read back within bounds, checked against the
table it was made from, and its filled rows turned into the progress notes and done records to add."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from dzshare_cli.deadlines import normalize
from dzshare_cli.edit import Addition, Edit, TableChange, TableTarget
from dzshare_cli.errors import EXIT_INVALID, DzshareError, quoted
from dzshare_cli.forms import (CHECK_SHEET, COLUMNS, FILL_COLUMNS, FIXED_COLUMNS, FORM_FORMAT, FORM_SHEET,
                               cell_text, cells_hash, check_entries, column_letter, form_source_name, table_version,
                               task_fixed_hash, unit_rows)
from dzshare_cli.limits import LimitError, ReadBudget, read_source
from dzshare_cli.models import REPORTED_LABELS, Document, Reported, Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import UnitTask
from dzshare_cli.render import single_table_label
from dzshare_cli.units import Role, UnitRegistry

#: The latest Excel serial number (9999-12-31); a larger number is no date.
MAX_SERIAL = 2_958_465
REMAKE = "make a new form with dzshare forms"
_LABELS = "、".join(REPORTED_LABELS)
_ONE_LINE = {ord(c): " " for c in "\r\n\t\u2028\u2029"}


class FormError(DzshareError):
    """A file that is no reporting form to collect at all (missing, not an xlsx, not dzshare's)."""

    exit_code = EXIT_INVALID

    def __init__(self, shown: str, message: str, hint: str | None = None) -> None:
        self.problem = FormProblem(None, message, hint)
        super().__init__(self.problem.line(shown))


class FormRefused(DzshareError):
    """A form refused under the table's lock: another writer recorded something it contradicts."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class FormProblem:
    """One thing wrong with a returned form, at a cell: G5 on the form's sheet, dzshare!B5 on the
    hidden one, or None for the file as a whole."""

    cell: str | None
    message: str
    hint: str | None = None

    def line(self, shown: str) -> str:
        where = f"{shown}!{self.cell}" if self.cell else shown
        return (f"{where}: {self.message}" + (f"; {self.hint}" if self.hint else "")).translate(_ONE_LINE)


@dataclass(frozen=True)
class CheckRow:
    """A row of the hidden sheet: what the form row it describes was made from."""

    line: int  # its row on the hidden sheet
    document: str | None  # the ledger document's key; None for a single table
    task_id: str
    milestone: int | None
    occurrence: str | None
    task_hash: str
    cells_hash: str

    @property
    def ref(self) -> str:
        return f"{self.document}:{self.task_id}" if self.document else self.task_id


@dataclass(frozen=True)
class ReturnedRow:
    """A task row of a returned form as the unit filled it in."""

    number: int  # its row on the form's sheet
    check: CheckRow
    fixed: tuple[str, ...]
    progress: str | None = None
    status: Reported | None = None
    done_on: date | None = None
    evidence: str | None = None
    problems: str | None = None
    faulty: bool = False  # a cell of it is refused (an unreadable date, an unknown 是否完成 …)

    @property
    def filled(self) -> bool:
        return any(value is not None for value in (self.progress, self.status, self.done_on, self.evidence,
                                                   self.problems))

    @property
    def edited(self) -> bool:
        return cells_hash(self.fixed) != self.check.cells_hash

    def cell(self, column: str) -> str:
        return f"{column_letter(column)}{self.number}"


@dataclass
class ReturnedForm:
    """A returned form read back: what its hidden sheet says, its task rows, and what is wrong."""

    shown: str
    header: dict[str, tuple[str, int]]
    rows: list[ReturnedRow] = field(default_factory=list)
    reporter: str | None = None
    problems: list[FormProblem] = field(default_factory=list)
    #: The hidden sheet was read and each task row paired with its line: the rows can be checked.
    readable: bool = False

    def value(self, key: str) -> str:
        return self.header.get(key, ("", 0))[0]

    def cell_of(self, key: str) -> str | None:
        line = self.header.get(key, ("", 0))[1]
        return f"{CHECK_SHEET}!B{line}" if line else None

    @property
    def unit_name(self) -> str:
        return self.value("unit")


# ------------------------------------------------------------------------------------------------
# Reading a returned form


def read_form_file(path: Path, shown: str) -> ReturnedForm:
    """The form at `path`, named `shown` in messages, read within the bounds of every office reader."""
    try:
        if not path.is_file():
            raise FormError(shown, "not a regular file" if path.exists() else "no such file",
                            "name a returned form (.xlsx)")
        with path.open("rb") as stream:
            data = read_source(stream, shown)
        return read_form(data, shown)
    except OSError as error:
        raise FormError(shown, f"cannot read: {error.strerror}", "check the file's permissions") from None
    except LimitError as error:  # one of the bounds of every reader: the same words, as a problem of the form
        message, _, hint = str(error).removeprefix(f"{shown}: ").partition("; ")
        raise FormError(shown, message, hint or None) from None


def read_form(data: bytes, shown: str) -> ReturnedForm:
    """A form's bytes read back; formula cells are seen as formulas (never their cached values)."""
    from openpyxl import load_workbook

    budget = ReadBudget(shown)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormError(shown, "not an xlsx workbook",
                        "collect reads the forms dzshare forms wrote, saved as .xlsx (Excel 工作簿)") from None
    budget.check_archive(archive)  # before a library unpacks and parses any part
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _read_book(book, shown, budget)
        finally:
            book.close()
    except DzshareError:
        raise
    except Exception as error:  # a parser of someone else's file gave up on this file
        while error.__cause__ is not None:
            error = error.__cause__
        said = " ".join(str(error).split())[:300]
        raise FormError(shown, f"cannot be read as an xlsx workbook ({type(error).__name__}: {said})",
                        "open it and save it again as .xlsx, or send the unit a new form") from None


def _read_book(book: Any, shown: str, budget: ReadBudget) -> ReturnedForm:
    if CHECK_SHEET not in book.sheetnames:
        raise FormError(shown, f"not a dzshare reporting form (it has no '{CHECK_SHEET}' sheet)",
                        "collect reads the forms dzshare forms wrote")
    header, check_lines = check_entries(_values(book[CHECK_SHEET], 9, budget))
    stated = header.get("format", ("", 0))[0]
    if stated != FORM_FORMAT:
        raise FormError(shown, f"not a dzshare reporting form (its '{CHECK_SHEET}' sheet says format "
                        f"{quoted(stated) if stated else 'nothing'}, not {FORM_FORMAT})", REMAKE)
    form = ReturnedForm(shown, header)
    checks = _check_rows(form, check_lines)
    sheet = _form_sheet(book)
    if sheet is None:
        raise FormError(shown, f"the workbook has no sheet to fill in besides '{CHECK_SHEET}'", REMAKE)
    if not form.problems:
        form.readable = _read_rows(form, sheet, checks, budget)
    return form


def _form_sheet(book: Any) -> Any:
    """The sheet to read: 报送表, or, renamed by whoever saved it, the first visible other sheet."""
    if FORM_SHEET in book.sheetnames:
        return book[FORM_SHEET]
    others = [sheet for sheet in book.worksheets if sheet.title != CHECK_SHEET]
    visible = [sheet for sheet in others if sheet.sheet_state == "visible"]
    return (visible or others or [None])[0]


def _cells(sheet: Any, width: int, budget: ReadBudget) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, the row's first `width` cells), each row counted against the budget."""
    # The <dimension> a file declares is not trusted (see importers.office).
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(max_col=width), start=1):
        budget.add_row([cell_text(cell.value) for cell in cells], f"sheet {sheet.title} row {number}")
        yield number, cells


def _values(sheet: Any, width: int, budget: ReadBudget) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, cells in _cells(sheet, width, budget):
        yield number, tuple(cell.value for cell in cells)


_HEADER_KEYS = ("source", "name", "version", "unit", "period", "as_of", "rows")


def _check_rows(form: ReturnedForm, lines: list[tuple[int, dict[str, str]]]) -> list[CheckRow]:
    """The hidden sheet's rows, each checked as forms wrote it; a garbled one is a problem."""
    garbled = "the hidden sheet is garbled"
    for key in _HEADER_KEYS:
        if not form.value(key):
            form.problems.append(FormProblem(CHECK_SHEET, f"{garbled}: it has no {key}", REMAKE))
    if not re.fullmatch(r"\d{4}-\d{2}", form.value("period")) and form.value("period"):
        form.problems.append(FormProblem(form.cell_of("period"), f"{garbled}: period "
                                         f"{quoted(form.value('period'))} is not YYYY-MM", REMAKE))
    rows = []
    for line, values in lines:
        milestone = values.get("milestone", "")
        if not values.get("id") or not values.get("task_hash") or not values.get("cells_hash") or not (
                milestone == "" or milestone.isdigit()):
            form.problems.append(FormProblem(f"{CHECK_SHEET}!A{line}", f"{garbled}: its row {line} does not "
                                             "describe a task row", REMAKE))
            continue
        rows.append(CheckRow(line, values.get("document") or None, values["id"],
                             int(milestone) if milestone else None, values.get("occurrence") or None,
                             values["task_hash"], values["cells_hash"]))
    if form.value("rows") and form.value("rows") != str(len(lines)):
        form.problems.append(FormProblem(form.cell_of("rows"), f"{garbled}: it says {form.value('rows')} rows "
                                         f"and describes {len(lines)}", REMAKE))
    return rows


def _read_rows(form: ReturnedForm, sheet: Any, checks: list[CheckRow], budget: ReadBudget) -> bool:
    """The task rows below the header, paired in order with the hidden sheet's rows; blank rows
    anywhere are passed over (an office suite, or a person, may add them). False when they
    cannot be paired."""
    year = int(form.value("period")[:4])
    header_at: int | None = None
    task_rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in _cells(sheet, len(COLUMNS), budget):
        for cell in cells:
            if cell.data_type == "f":
                form.problems.append(FormProblem(cell.coordinate, f"a formula ({quoted(str(cell.value))})",
                                                 "type the value itself: collect does not compute formulas"))
        texts = [cell_text(cell.value).strip() for cell in cells]
        if header_at is None:
            if tuple(texts) == COLUMNS:
                header_at = number
            elif "填报人" in texts:  # the cell right of the label is 填报人's to fill
                position = texts.index("填报人") + 1
                form.reporter = (texts[position] if position < len(texts) else "") or None
            continue
        if any(texts[:len(FIXED_COLUMNS)]):
            task_rows.append((number, cells))
        elif any(texts):
            column = next(index for index, text in enumerate(texts) if text)
            form.problems.append(FormProblem(f"{column_letter(COLUMNS[column])}{number}", "this row is not one of "
                                             "the form's task rows", "write in the row of the task it is about, "
                                             "or clear the cell"))
    if header_at is None:
        form.problems.append(FormProblem(None, f"no header row {'、'.join(COLUMNS)} on sheet "
                                         f"{quoted(sheet.title)} (columns were added, removed or renamed)", REMAKE))
        return False
    if len(task_rows) != len(checks):
        form.problems.append(FormProblem(None, f"the form has {len(task_rows)} task rows and was made with "
                                         f"{len(checks)} (rows were added or deleted)",
                                         f"fill in the form as it was sent, or {REMAKE}"))
        return False
    for (number, cells), check in zip(task_rows, checks):
        form.rows.append(_returned_row(form, number, cells, check, year))
    return True


def _returned_row(form: ReturnedForm, number: int, cells: tuple[Any, ...], check: CheckRow, year: int) -> ReturnedRow:
    fixed = tuple(cell_text(cell.value) for cell in cells[:len(FIXED_COLUMNS)])
    values = dict(zip(FILL_COLUMNS, (cell.value for cell in cells[len(FIXED_COLUMNS):])))
    found: list[FormProblem] = []

    def text(column: str) -> str | None:
        return cell_text(values[column]).strip() or None

    def problem(column: str, message: str, hint: str | None) -> None:
        found.append(FormProblem(f"{column_letter(column)}{number}", message, hint))

    said, typed_date = text("是否完成"), text("完成日期")
    status = REPORTED_LABELS.get(normalize(said)) if said is not None else None
    if said is not None and status is None:
        problem("是否完成", f"是否完成 {quoted(said)} is not one of {_LABELS}", "choose one from the drop-down list")
    done_on = None
    if typed_date is not None:
        try:
            done_on = done_date(values["完成日期"], year)
        except ValueError as error:
            problem("完成日期", str(error), "write it as 2022-05-20, 2022.5.20 or 2022年5月20日")
    progress = text("进展情况")
    if status is Reported.DONE and typed_date is None:
        problem("完成日期", "已完成 without 完成日期", "fill in the day it was done, e.g. 2022-05-20")
    elif typed_date is not None and (said is None or (status is not None and status is not Reported.DONE)):
        problem("完成日期", f"完成日期 is filled in but 是否完成 ({column_letter('是否完成')}{number}) is not 已完成",
                "choose 已完成, or clear the date")
    elif progress is None and said is None and (text("佐证材料") or text("存在问题")):
        problem("进展情况", "进展情况 and 是否完成 are empty, and the row has other cells filled in",
                "fill in 进展情况 or 是否完成")
    form.problems += found
    return ReturnedRow(number, check, fixed, progress, status, done_on, text("佐证材料"), text("存在问题"),
                       faulty=bool(found))


# ------------------------------------------------------------------------------------------------
# 完成日期 as people type it

_DAY_FORMS = (
    re.compile(r"(?P<year>\d{4})[./\-](?P<month>\d{1,2})[./\-](?P<day>\d{1,2})"),
    re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]?"),
    re.compile(r"(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]?"),
)
#: A date cell that another office suite wrote back as text: 2022-05-20 00:00:00.
_MIDNIGHT = re.compile(r"[T ]+0?0:00(:00(\.0+)?)?$")


def done_date(value: object, year: int) -> date:
    """完成日期 as typed: a date cell, an Excel serial number (44701), or a text such as 2022.3.5,
    2022/3/5, 2022-3-5, 2022年3月5日 or 3月5日 (in `year`), full-width digits and spaces allowed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value <= MAX_SERIAL:
            raise ValueError(f"完成日期 {quoted(cell_text(value))} is not a date")
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    typed = str(value)
    text = "".join(_MIDNIGHT.sub("", unicodedata.normalize("NFKC", typed).strip()).split())
    for form in _DAY_FORMS:
        found = form.fullmatch(text)
        if found:
            parts = found.groupdict()
            try:
                return date(int(parts.get("year") or year), int(parts["month"]), int(parts["day"]))
            except ValueError:
                raise ValueError(f"完成日期 {quoted(typed.strip())} is not a real date") from None
    raise ValueError(f"完成日期 {quoted(typed.strip())} is not a date")


# ------------------------------------------------------------------------------------------------
# Checking a form against the table, and what it adds


@dataclass(frozen=True)
class Entry:
    """What one filled row adds: a progress note, and for a milestone the unit holds itself and
    reports 已完成, a done record."""

    row: ReturnedRow
    note: dict[str, Any]
    done: dict[str, Any] | None

    @property
    def key(self) -> tuple[str | None, str, int | None, str | None]:
        """The milestone or occurrence the row is about, across forms."""
        check = self.row.check
        return (check.document, normalize(check.task_id), check.milestone, check.occurrence)


@dataclass
class FormPlan:
    """A returned form checked against the table: its unit, what it adds, what is wrong."""

    form: ReturnedForm
    unit: Unit | None = None
    entries: list[Entry] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def plan_form(form: ReturnedForm, table: TaskTable, registry: UnitRegistry, on: date) -> FormPlan:
    """Every check of a form against the table as loaded: the table or ledger it names, its unit,
    each row's task (still there, unchanged), the locked cells, the dates."""
    plan = FormPlan(form, problems=list(form.problems))
    if not form.readable or not _same_source(plan, table):
        return plan
    unit = registry.exact(form.unit_name)
    if unit is None or unit.kind is UnitKind.GROUP:
        what = "is a group, which has no form of its own" if unit is not None else "is not a known unit"
        plan.problems.append(FormProblem(form.cell_of("unit"), f"the form's unit {quoted(form.unit_name)} {what}",
                                         registry.did_you_mean(form.unit_name) or "dzshare units lists them"))
        return plan
    plan.unit = unit
    tasks = TaskIndex(table)
    for row in form.rows:
        task = tasks.find(row.check)
        if row.edited:
            plan.problems.append(_edited_cells(row, _made_cells(row, task, form, table, registry, unit)))
        if not row.filled or row.faulty:
            continue
        problem = _task_problem(row, task)
        if problem is not None:
            plan.problems.append(problem)
            continue
        assert task is not None
        dates = _date_problems(row, table, on)
        plan.problems += dates
        entry = _entry(row, task, unit, registry, on, form.reporter)
        plan.entries.append(entry)
        recorded = _recorded_done(task, row.check)
        if entry.done is not None and not dates and recorded is not None and recorded != row.done_on:
            plan.problems.append(_already_done(row, recorded))
    return plan


def _same_source(plan: FormPlan, table: TaskTable) -> bool:
    """The form was made from this table, or ledger: its kind and name agree (a renamed copy of
    the same content, whose version agrees, is the same table)."""
    form = plan.form
    kind = "ledger" if table.documents else "table"
    name = form_source_name(table)
    if form.value("source") != kind:
        plan.problems.append(FormProblem(form.cell_of("source"), f"the form was made from a {form.value('source')}, "
                                         f"and this is the {kind} {quoted(name)}",
                                         "collect it with -f naming the table or ledger it was made from"))
        return False
    if form.value("name") != name and form.value("version") != table_version(table):
        plan.problems.append(FormProblem(form.cell_of("name"), f"the form was made from {quoted(form.value('name'))}, "
                                         f"not from {quoted(name)}",
                                         "collect it with -f naming the table or ledger it was made from"))
        return False
    return True


class TaskIndex:
    """The tasks of a table (or of one document's file) by document and id, found once."""

    def __init__(self, table: TaskTable) -> None:
        self.table = table
        self._by_key = {(task.document, normalize(str(task.id))): index for index, task in enumerate(table.tasks)}

    def position(self, check: CheckRow) -> int | None:
        return self._by_key.get((check.document, normalize(check.task_id)))

    def find(self, check: CheckRow) -> Task | None:
        index = self.position(check)
        return None if index is None else self.table.tasks[index]


def _task_problem(row: ReturnedRow, task: Task | None) -> FormProblem | None:
    cell = row.cell("工作任务")
    if task is None:
        return FormProblem(cell, f"task {row.check.ref} is no longer in the table", f"{REMAKE} (or leave the row empty)")
    if task_fixed_hash(task) != row.check.task_hash:
        return FormProblem(cell, f"task {row.check.ref} has changed since the form was made (its text, units or "
                           "deadline)", f"{REMAKE} and fill it in again")
    milestone, occurrence = row.check.milestone, row.check.occurrence
    if occurrence is None and milestone is not None and milestone > len(task.deadline.milestones):
        return FormProblem(cell, f"task {row.check.ref} has no milestone {milestone}", REMAKE)
    return None


def _date_problems(row: ReturnedRow, table: TaskTable, on: date) -> list[FormProblem]:
    if row.done_on is None:
        return []
    cell = row.cell("完成日期")
    if row.done_on > on:
        return [FormProblem(cell, f"完成日期 {row.done_on} is after the collection date {on}",
                            "correct the date, or collect on a later day with --on")]
    document = table.documents[row.check.document].document if row.check.document else table.document
    earliest = _earliest_done(document)
    if earliest is not None and row.done_on < earliest[0]:
        return [FormProblem(cell, f"完成日期 {row.done_on} is before {earliest[1]}", "correct the date")]
    return []


def _earliest_done(document: Document) -> tuple[date, str] | None:
    """The first day work under the document can have been done, and what it is: its date, else
    (a document with only its year) 1 January of that year."""
    if document.date is not None:
        return document.date, f"the document's date {document.date}"
    if document.year is not None:
        first = date(document.year, 1, 1)
        return first, f"{first}, the first day of the document's year {document.year} (it has no date)"
    return None


def _entry(row: ReturnedRow, task: Task, unit: Unit, registry: UnitRegistry, on: date,
           reporter: str | None) -> Entry:
    check = row.check
    about: dict[str, Any] = ({"period": check.occurrence} if check.occurrence is not None
                             else {"milestone": check.milestone} if check.milestone is not None else {})
    note = {"date": on, "unit": unit.name, "note": row.progress or _label(row.status), **about,
            "status": row.status.value if row.status else None, "done_on": row.done_on,
            "evidence": row.evidence, "problems": row.problems, "reporter": reporter}
    note = {key: value for key, value in note.items() if value is not None}
    # Only a unit that holds the milestone itself records it done; a member of a group that
    # holds it reports for itself, in its note (report counts how many members said so).
    held = any(relation.via is None and relation.role in (Role.LEAD, Role.RESPONSIBLE)
               for relation in registry.relations(unit, task))
    done = None
    if row.status is Reported.DONE and row.done_on is not None and about and held:
        done = {**about, "date": row.done_on}
        if row.evidence:
            done["evidence"] = row.evidence
    return Entry(row, note, done)


def _label(status: Reported | None) -> str:
    return next(label for label, value in REPORTED_LABELS.items() if value is status)


def _recorded_done(task: Task, check: CheckRow) -> date | None:
    """The day the table records the row's milestone or occurrence done, if it does."""
    if check.occurrence is not None:
        return next((record.date for record in task.done if record.period == check.occurrence), None)
    if check.milestone is not None and check.milestone <= len(task.deadline.milestones):
        return task.deadline.milestones[check.milestone - 1].done
    return None


def _already_done(row: ReturnedRow, recorded: date) -> FormProblem:
    what = f"period {row.check.occurrence}" if row.check.occurrence else f"milestone {row.check.milestone}"
    return FormProblem(row.cell("完成日期"), f"{what} of task {row.check.ref} is already recorded done on "
                       f"{recorded}, and the form says {row.done_on}",
                       "correct 完成日期, or the table's record first")


def _edited_cells(row: ReturnedRow, expected: tuple[str, ...] | None) -> FormProblem:
    """The first locked cell that differs from what the form was made with, as far as the table
    still tells it; else the row's locked cells."""
    hint = "the fixed columns are not to be changed: write corrections in 存在问题, or restore the cell"
    if expected is not None and cells_hash(expected) == row.check.cells_hash:
        for column, was, now in zip(FIXED_COLUMNS, expected, row.fixed):
            if was != now:
                return FormProblem(row.cell(column), f"the locked cell {column} was changed (it said {quoted(was)})",
                                   hint)
    return FormProblem(f"A{row.number}:F{row.number}", "locked cells of this row were changed", hint)


def _made_cells(row: ReturnedRow, task: Task | None, form: ReturnedForm, table: TaskTable, registry: UnitRegistry,
                unit: Unit) -> tuple[str, ...] | None:
    """The fixed cells the row had when the form was made, worked out again from its task as
    the table has it, less the done records: the row was open then, whatever was recorded since."""
    try:
        as_of = date.fromisoformat(form.value("as_of"))
    except ValueError:
        return None
    relation = registry.primary_relation(unit, task) if task is not None else None
    if task is None or relation is None or task_fixed_hash(task) != row.check.task_hash:
        return None
    undone = task.model_copy(deep=True)
    undone.done = []
    for milestone in undone.deadline.milestones:
        milestone.done = milestone.evidence = None
    document = single_table_label(table)
    made = unit_rows([UnitTask(undone, relation)], as_of, document)
    wanted = (row.check.milestone, row.check.occurrence)
    return next((made_row.cells for made_row in made if (made_row.milestone, made_row.occurrence) == wanted), None)


def cross_check(plans: list[FormPlan]) -> None:
    """Forms of one run that give one milestone different done dates: each is refused, naming
    the other; neither is applied. A form refused for its own reasons holds back no other."""
    claims: dict[tuple[Any, ...], list[tuple[FormPlan, Entry]]] = {}
    for plan in plans:
        if plan.refused:
            continue
        for entry in plan.entries:
            if entry.done is not None:
                claims.setdefault(entry.key, []).append((plan, entry))
    for claimed in claims.values():
        for plan, entry in claimed:
            for other_plan, other in claimed:
                if other.row.done_on != entry.row.done_on:
                    plan.problems.append(FormProblem(
                        entry.row.cell("完成日期"), f"{other_plan.form.shown}!{other.row.cell('完成日期')} says "
                        f"task {entry.row.check.ref} was done on {other.row.done_on}, this form on {entry.row.done_on}",
                        "agree on the date with the other unit; neither form was collected"))
                    break


# ------------------------------------------------------------------------------------------------
# Writing: the changes, decided again under each file's lock


def form_targets(plan: FormPlan, registry: UnitRegistry, path_of: Callable[[str | None], Path]) -> list[TableTarget]:
    """One target per table file the form's rows fall in (one file for a table; a ledger's
    rows may fall in several documents), each deciding its additions against the file as read
    under its lock."""
    by_document: dict[str | None, list[Entry]] = {}
    for entry in plan.entries:
        by_document.setdefault(entry.row.check.document, []).append(entry)
    return [TableTarget(path_of(document), _change(entries, registry), document)
            for document, entries in by_document.items()]


def _change(entries: list[Entry], registry: UnitRegistry) -> TableChange:
    def change(table: TaskTable) -> list[Addition]:
        tasks = TaskIndex(table)
        additions: list[Addition] = []
        problems: list[FormProblem] = []
        for entry in entries:
            index = tasks.position(entry.row.check)
            task = None if index is None else table.tasks[index]
            problem = _task_problem(entry.row, task)
            if problem is not None:
                problems.append(problem)
                continue
            assert task is not None and index is not None
            additions += _additions(entry, index, task, registry, problems)
        if problems:
            raise FormRefused(problems)
        return additions

    return change


def _additions(entry: Entry, index: int, task: Task, registry: UnitRegistry,
               problems: list[FormProblem]) -> list[Addition]:
    """What the row adds to the task as it is now: nothing it already holds (collecting a form
    twice adds nothing), and a done record only where none is."""
    found: list[Addition] = []
    ref, row = task.ref, entry.row
    if entry.done is not None:
        recorded = _recorded_done(task, row.check)
        if recorded is not None and recorded != row.done_on:
            problems.append(_already_done(row, recorded))
        elif recorded is None:
            what = f"period {row.check.occurrence}" if row.check.occurrence else f"milestone {row.check.milestone}"
            found.append(Addition(index, "done", entry.done, f"task {ref}: {what} recorded done on {row.done_on}"))
    if not _has_note(task, entry.note, registry):
        found.append(Addition(index, "progress", entry.note,
                              f"task {ref}: progress note from {entry.note['unit']} on {entry.note['date']}"))
    return found


_SAME_NOTE = ("milestone", "period", "status", "done_on", "note")


def _has_note(task: Task, note: dict[str, Any], registry: UnitRegistry) -> bool:
    """The task already has this note: same unit, milestone or period, status, done_on and text
    (its date aside, so that collecting the form again next week adds nothing)."""
    for existing in task.progress:
        unit = registry.exact(existing.unit) if existing.unit else None
        if (unit.name if unit else existing.unit) != note["unit"]:
            continue
        fields = existing.model_dump(mode="json", include=set(_SAME_NOTE))
        if all(fields.get(key) == _json(note.get(key)) for key in _SAME_NOTE):
            return True
    return False


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# ------------------------------------------------------------------------------------------------
# The outcome of a run


class Status(str, Enum):
    """What became of a form; the values are the JSON contract."""

    COLLECTED = "collected"
    UNCHANGED = "unchanged"  # every filled row is already in the table
    EMPTY = "empty"  # sent back with nothing filled in: the office chases these like the missing
    REFUSED = "refused"


@dataclass(frozen=True)
class FormOutcome:
    file: str
    unit: str | None
    status: Status
    notes: int = 0
    done: int = 0
    problems: tuple[FormProblem, ...] = ()
    tables: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "unit": self.unit, "status": self.status.value, "notes": self.notes,
                "done": self.done,
                "problems": [{"cell": p.cell, "message": p.message, "hint": p.hint} for p in self.problems],
                "tables": list(self.tables)}


def refused(file: str, unit: str | None, problems: list[FormProblem]) -> FormOutcome:
    return FormOutcome(file, unit or None, Status.REFUSED, problems=tuple(problems))


def outcome(plan: FormPlan, edits: list[Edit]) -> FormOutcome:
    """A form applied (or worked out, in a dry run): what its edits added."""
    added = [addition for edit in edits for addition in edit.additions]
    changed = tuple(str(edit.path) for edit in edits if edit.changed)
    status = Status.COLLECTED if changed else Status.UNCHANGED if plan.entries else Status.EMPTY
    return FormOutcome(plan.form.shown, plan.unit.name if plan.unit else None, status,
                       notes=sum(addition.key == "progress" for addition in added),
                       done=sum(addition.key == "done" for addition in added),
                       tables=changed, edits=tuple(edits))
