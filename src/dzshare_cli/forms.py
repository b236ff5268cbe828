"""Reporting forms (报送表): one xlsx per unit listing its open work, with fillable progress columns
and a hidden sheet that says which table, unit, period and task rows the form was made from."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.workbook.protection import WorkbookProtection

from dzshare_cli.errors import UsageError
from dzshare_cli.exporters.xlsx import stable_bytes
from dzshare_cli.files import file_names, inside
from dzshare_cli.models import REPORTED_LABELS, Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import OpenRow, State, UnitTask, open_rows, open_work, tasks_by_unit
from dzshare_cli.render import Lang, role_text, single_table_label, state_text, status_text
from dzshare_cli.reporting import parse_reporting_period
from dzshare_cli.units import UnitRegistry

FORM_FORMAT = "dzshare-form/1"  # what the hidden sheet says it is; collect checks it first
CHECK_SHEET = "dzshare"  # the hidden sheet's title
FORM_SHEET = "报送表"
#: The day of the period's month a form is due back (每月25日前).
REPORT_DAY = 25

FIXED_COLUMNS = ("文件", "序号", "工作任务", "本单位角色", "完成时限", "当前状态")
FILL_COLUMNS = ("进展情况", "是否完成", "完成日期", "佐证材料", "存在问题")
COLUMNS = FIXED_COLUMNS + FILL_COLUMNS
WIDTHS = (10, 6, 44, 10, 14, 12, 36, 12, 12, 20, 20)
COMPLETION_CHOICES = tuple(REPORTED_LABELS)  # 已完成, 推进中, 未启动, 无法按期完成

TITLE_ROW, SIGNER_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
#: Where the fillable 填报人 and 联系电话 cells are (row 2), each right of its label.
SIGNER_CELL, PHONE_CELL = "D2", "H2"


@dataclass(frozen=True)
class FormRow:
    """One row of a form: an open milestone (or an occurrence of a recurrence) of a task, or an
    ongoing task without one; the fixed cells are what the unit sees and may not change."""

    task: Task
    document: str  # 文件: the ledger key, or the single table's attachment (附件2) or title
    role: str
    milestone: int | None  # 1-based, as task_statuses numbers them; None for an ongoing task
    occurrence: str | None  # the period of a recurrence's occurrence (2022-06), else None
    due: date | None
    deadline: str  # 完成时限 as shown
    state: str  # 当前状态 as shown

    @property
    def cells(self) -> tuple[str, ...]:
        """The fixed cells, in FIXED_COLUMNS order."""
        return (self.document, str(self.task.id), self.task.text, self.role, self.deadline, self.state)


@dataclass(frozen=True)
class UnitForm:
    unit: Unit
    rows: list[FormRow]


@dataclass(frozen=True)
class PlannedForm:
    path: Path
    unit: str
    rows: int
    data: bytes


def parse_form_period(text: str) -> tuple[int, int]:
    """A reporting period as (year, month) from YYYY-MM."""
    period = parse_reporting_period(text)
    return period.year, period.month


def default_period(as_of: date) -> str:
    return f"{as_of.year:04d}-{as_of.month:02d}"


def report_by(period: str) -> date:
    """The day a form is due back: the REPORT_DAY of the period's month (每月25日前)."""
    year, month = parse_form_period(period)
    return date(year, month, REPORT_DAY)


def task_fixed_hash(task: Task) -> str:
    """The hash of what a form row is made of in the table: the task's text, units and deadline.

    Progress notes and done records are left out: collecting one form must not make the next
    form of the same table look stale.
    """
    fixed = task.model_dump(mode="json", include={"id", "text", "lead", "responsible", "roles", "deadline"})
    fixed["document"] = task.document
    for milestone in fixed["deadline"]["milestones"]:
        # A done record is copied onto its milestone when the table loads: as it was before any.
        milestone["done"] = milestone["evidence"] = None
    return _hash(fixed)


def table_version(table: TaskTable) -> str:
    """The content version of the tables in play: the documents and every task's fixed content."""
    documents = {key: document.document.model_dump(mode="json") for key, document in table.documents.items()}
    return _hash({"document": table.document.model_dump(mode="json"), "documents": documents,
                  "tasks": [task_fixed_hash(task) for task in table.tasks]})


def cells_hash(cells: tuple[str, ...]) -> str:
    """The hash of a row's fixed cells as written, to tell an edited locked cell on return."""
    return _hash(list(cells))


def _hash(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unit_rows(entries: list[UnitTask], as_of: date, document: str = "") -> list[FormRow]:
    """A unit's open milestones and ongoing tasks where it is lead or responsible, directly or
    through a group, in the order of `entries` (query.open_rows decides which)."""
    return [_form_row(row, document) for row in open_rows(entries, as_of)]


def _form_row(row: OpenRow, document: str) -> FormRow:
    task, relation, status = row.entry.task, row.entry.relation, row.status
    shown = task.document or document
    role = role_text(relation, Lang.ZH) + (f"(经{relation.via})" if relation.via else "")
    if status is None:
        return FormRow(task, shown, role, None, None, None, task.deadline.text or state_text(State.ONGOING, Lang.ZH),
                       state_text(State.ONGOING, Lang.ZH))
    return FormRow(task, shown, role, status.number, status.period, status.milestone.due,
                   _deadline_text(task, status.milestone.due, status.period, status.milestone.goal),
                   status_text(status, Lang.ZH))


def _deadline_text(task: Task, due: date, period: str | None, goal: str | None = None) -> str:
    day = f"{due.year}年{due.month}月{due.day}日"
    # Several milestones or a recurrence: the published text alone would not say which this row is,
    # so the row names its day and what is due then (取得阶段成效 / 基本建成).
    if period is None and len(task.deadline.milestones) == 1:
        return f"{task.deadline.text}\n({day})" if task.deadline.text else day
    return day + (f"({period})" if period else "") + (f"\n{goal}" if goal else "")


def unit_forms(table: TaskTable, registry: UnitRegistry, as_of: date, only: Unit | None = None) -> list[UnitForm]:
    """The form of every unit (groups excepted: their work is in each member's form) that has
    rows, or of the one unit asked for."""
    document = single_table_label(table)
    if only is not None:
        if only.kind is UnitKind.GROUP:
            raise UsageError(f"{only.name} is a group: its work is in the form of each of its members; "
                             "name one of them with --unit")
        entries = tasks_by_unit(table, registry).get(only.name, [])  # in table order
        return [UnitForm(only, unit_rows(entries, as_of, document))]
    return [UnitForm(unit, [_form_row(row, document) for row in rows])
            for unit, rows in open_work(table, registry, as_of)]


def form_source_name(table: TaskTable) -> str:
    """What a form names as its source: the table's file name, or the ledger's folder name;
    never a full path, which would tell every unit where the office keeps its files."""
    if table.source is None:
        return ""
    if table.source.is_ledger:  # the folder's own name, however the ledger was found (-f DIR, or from inside it)
        return table.source.path.resolve().parent.name
    return Path(table.source.shown).name


def plan_forms(table: TaskTable, registry: UnitRegistry, directory: Path, as_of: date, period: str,
               source: str, only: Unit | None = None) -> list[PlannedForm]:
    """Every form, rendered but not yet written, named after its unit (safe, distinct names)."""
    period = parse_reporting_period(period).label  # 2022-6 is written 2022-06, as collect reads it
    forms = unit_forms(table, registry, as_of, only)
    version = table_version(table)
    names = file_names([form.unit.name for form in forms], ".xlsx")
    return [PlannedForm(inside(directory, name), form.unit.name, len(form.rows),
                        form_bytes(table, form, as_of, period, source, version))
            for name, form in zip(names, forms)]


def form_bytes(table: TaskTable, form: UnitForm, as_of: date, period: str, source: str, version: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET
    _write_form(sheet, table, form, period)
    _write_check(book.create_sheet(CHECK_SHEET), table, form, as_of, period, source, version)
    # No password: the protection guards against slips (unhiding or deleting the check sheet), not people.
    book.security = WorkbookProtection(lockStructure=True)
    return stable_bytes(book, as_of)  # dated the as-of day, not the clock: the same form, the same bytes


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_FIXED_FILL = PatternFill("solid", fgColor="F2F2F2")
_OPEN = Protection(locked=False)


def _write_form(sheet, table: TaskTable, form: UnitForm, period: str) -> None:  # noqa: ANN001
    last = len(COLUMNS)
    year, month = parse_form_period(period)
    deadline = report_by(period)
    title = (table.document.title or "重点任务") + f"进展情况报送表（{form.unit.name} · {year}年{month}月 · "
    sheet.cell(TITLE_ROW, 1, title + f"请于{deadline.year}年{deadline.month}月{deadline.day}日前报送）")
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last)
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = 36
    # The unit's name runs over the narrow 序号 column: one merged cell, so it is never cut.
    sheet["A2"] = f"填报单位：{form.unit.name}"
    sheet.merge_cells("A2:B2")
    sheet["C2"] = "填报人"
    sheet["G2"] = "联系电话"
    for label in ("C2", "G2"):
        sheet[label].alignment = Alignment(horizontal="right", vertical="center")
    for blank in (SIGNER_CELL, PHONE_CELL):
        sheet[blank].protection = _OPEN
        sheet[blank].border = Border(bottom=_THIN)  # a line to write on, as a paper form has
    sheet["A2"].alignment = Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[SIGNER_ROW].height = _wrapped_lines(sheet["A2"].value, WIDTHS[0] + WIDTHS[1]) * LINE_HEIGHT + 4
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[column - 1]
    fixed = len(FIXED_COLUMNS)
    for offset, row in enumerate(form.rows):
        number = FIRST_ROW + offset
        for column, value in enumerate(row.cells, start=1):
            cell = sheet.cell(number, column, value)
            if value.startswith("="):  # openpyxl would store it as a formula: keep it the text it is
                cell.data_type, cell.quotePrefix = "s", True
            cell.alignment, cell.border, cell.fill = _WRAP, _BORDER, _FIXED_FILL
        for column in range(fixed + 1, last + 1):
            cell = sheet.cell(number, column)
            cell.alignment, cell.border, cell.protection = _WRAP, _BORDER, _OPEN
        sheet.cell(number, COLUMNS.index("完成日期") + 1).number_format = "yyyy-mm-dd"
        sheet.row_dimensions[number].height = row_height(row.cells)
    _add_validations(sheet, len(form.rows))
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    _protect(sheet)
    _print_setup(sheet)


#: Points per line of 11-point text, and the lines a fillable row offers at least.
LINE_HEIGHT, MIN_LINES = 15, 2


def row_height(cells: tuple[str, ...]) -> float:
    """A row tall enough to show its longest fixed cell wrapped, and room to write in.

    Spreadsheets do not agree on fitting a row to wrapped text when a file is opened (LibreOffice
    and WPS keep the default height), so the form says how tall each row is.
    """
    lines = max(_wrapped_lines(text, width) for text, width in zip(cells, WIDTHS))
    return max(lines, MIN_LINES) * LINE_HEIGHT + 4


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a cell's text takes: each of its own lines wrapped at the column's width."""
    return sum(_wrapped_line(line, width) for line in text.split("\n"))


def _wrapped_line(line: str, width: float) -> int:
    # A column's width counts '0's; a Chinese character is about two of them wide.
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
    return max(1, -(-used // max(int(width) - 1, 1)))


def _add_validations(sheet, count: int) -> None:  # noqa: ANN001
    if count == 0:
        return
    last_row = FIRST_ROW + count - 1
    choice_column = column_letter("是否完成")
    choices = DataValidation(type="list", formula1='"' + ",".join(COMPLETION_CHOICES) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="是否完成", error="请从下拉列表中选择",
                             promptTitle="是否完成", prompt="、".join(COMPLETION_CHOICES))
    choices.add(f"{choice_column}{FIRST_ROW}:{choice_column}{last_row}")
    date_column = column_letter("完成日期")
    # A warning, not a stop: people type 2022.5.20, which collect reads even where Excel does not.
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                           allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle="完成日期",
                           error="请填写日期，如 2022-05-20", promptTitle="完成日期", prompt="已完成时填写，如 2022-05-20",
                           showInputMessage=True)
    dates.add(f"{date_column}{FIRST_ROW}:{date_column}{last_row}")
    sheet.add_data_validation(choices)
    sheet.add_data_validation(dates)


def column_letter(column: str) -> str:
    """The sheet column (A, B, …) of a form column named in COLUMNS."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(column) + 1)


def _protect(sheet) -> None:  # noqa: ANN001
    protection = sheet.protection
    protection.sheet = True  # no password: a guard against slips
    # Let people resize rows and columns to read long texts; everything else stays guarded.
    protection.formatColumns = False
    protection.formatRows = False


def _print_setup(sheet) -> None:  # noqa: ANN001
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


CHECK_HEADER = ("row", "task", "document", "id", "milestone", "occurrence", "due", "task_hash", "cells_hash")


def _write_check(sheet, table: TaskTable, form: UnitForm, as_of: date, period: str, source: str,  # noqa: ANN001
                 version: str) -> None:
    """Key-value lines, then a line per form row: all text, so no spreadsheet converts them."""
    header = [("format", FORM_FORMAT), ("source", "ledger" if table.documents else "table"),
              ("name", source), ("version", version), ("unit", form.unit.name), ("period", period),
              ("as_of", as_of.isoformat()), ("report_by", report_by(period).isoformat()),
              ("rows", str(len(form.rows)))]
    for key, value in header:
        sheet.append([key, value])
    sheet.append([])
    sheet.append(list(CHECK_HEADER))
    for offset, row in enumerate(form.rows):
        sheet.append([str(FIRST_ROW + offset), row.task.ref, row.task.document or "", str(row.task.id),
                      "" if row.milestone is None else str(row.milestone), row.occurrence or "",
                      "" if row.due is None else row.due.isoformat(), task_fixed_hash(row.task),
                      cells_hash(row.cells)])
    for line in sheet.iter_rows():
        for cell in line:
            cell.number_format = "@"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def read_check(sheet) -> tuple[dict[str, str], list[dict[str, str]]]:  # noqa: ANN001
    """The hidden sheet read back: its key-value header and its rows (for tests and collect)."""
    header, rows = check_entries(enumerate(sheet.iter_rows(values_only=True), start=1))
    return {key: value for key, (value, _) in header.items()}, [row for _, row in rows]


def check_entries(lines: Iterable[tuple[int, tuple[object, ...]]]) -> tuple[dict[str, tuple[str, int]],
                                                                              list[tuple[int, dict[str, str]]]]:
    """The hidden sheet's (sheet row number, values) lines as its header, key -> (value, row
    number), and its rows, each with its row number; values as cell_text reads them."""
    header: dict[str, tuple[str, int]] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    names: tuple[str, ...] | None = None
    for number, values in lines:
        cells = tuple(cell_text(value) for value in values)
        if not any(cells):
            continue
        if names is not None:
            rows.append((number, dict(zip(names, cells))))
        elif cells[0] == CHECK_HEADER[0]:
            names = CHECK_HEADER
        else:
            header.setdefault(cells[0], (cells[1] if len(cells) > 1 else "", number))
    return header, rows


def cell_text(value: object) -> str:
    """A cell's value as the text forms wrote in it: an office suite that saves a form may store
    a number-like text as a number (16, 16.0) or a line break as CR LF; both read back as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")
