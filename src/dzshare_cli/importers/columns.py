"""Rows of a published table -> dzshare tasks: columns found by meaning, categories, unit lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dzshare_cli.deadlines import normalize as fold
from dzshare_cli.loader import CONTROL_CHARACTER
from dzshare_cli.errors import UsageError, quoted

#: Header words by the field they fill; a table names its columns in any of these ways.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号"),
    "text": ("工作任务", "重点任务", "主要任务", "任务内容", "具体要求", "工作内容", "任务"),
    "lead": ("牵头单位", "牵头部门"),
    "responsible": ("责任单位", "配合单位", "责任部门", "责任科室", "参与单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限要求"),
}
#: Separators between units in one cell: line breaks, spaces, 、 ， ； , ; and 及.
_UNIT_SEPARATORS = re.compile(r"[\s、，,；;]+|及")
_SECTION_HEADER = re.compile(r"^[一二三四五六七八九十]+、|^第[一二三四五六七八九十]+[部分章节]")
_CJK_BOUNDARY = re.compile(r"[\w]")
#: A 序号 longer than this is no task number; JSON readers (jq, JavaScript) keep 15 digits exactly.
MAX_ID_DIGITS = 15


@dataclass(frozen=True)
class SourceRow:
    """One row of a source table: its cells (line breaks kept) and where it is, for messages."""

    cells: list[str]
    where: str


@dataclass
class SourceTable:
    """What a reader found: text before the table (title, 附件) and the table's rows."""

    preamble: list[str]
    rows: list[SourceRow]


@dataclass
class Tabulated:
    """The tasks read from a table, with what the importer had to say about it."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def iter_lines(text: str) -> Iterator[str]:
    """The lines of a text, each with its line end, one at a time: neither a list of ten million
    lines nor io.StringIO's copy (four bytes a character) of a 20 MB source is ever built."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def join_lines(text: str) -> str:
    """A cell's lines as one text: Chinese lines join directly, words keep a space between."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = ""
    for line in lines:
        needs_space = joined and _CJK_BOUNDARY.match(joined[-1]) and _CJK_BOUNDARY.match(line[0]) \
            and joined[-1].isascii() and line[0].isascii()
        joined += (" " if needs_space else "") + line
    return joined


def split_units(text: str) -> list[str]:
    """'市直相关部门 各乡镇(街道)' or '市发展改革局及各相关部门' -> one name per unit.

    Separators inside parentheses do not split: 各县（市、区）政府 is one unit.
    """
    names, current, depth = [], "", 0
    position = 0
    while position < len(text):
        char = text[position]
        if char in "(（〔[【":
            depth += 1
        elif char in ")）〕]】":
            depth = max(0, depth - 1)
        separator = _UNIT_SEPARATORS.match(text, position) if depth == 0 else None
        if separator:
            names.append(current)
            current = ""
            position = separator.end()
            continue
        current += char
        position += 1
    names.append(current)
    return [name.strip() for name in names if name.strip()]


def _named_columns(cells: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = fold(cell)
        for field_name, synonyms in HEADER_SYNONYMS.items():
            if name in synonyms:
                found[index] = field_name
                break
    return found


def header_columns(cells: list[str]) -> dict[int, str] | None:
    """The field each column fills, when this row is a header row (it names a task column and
    at least one other); None otherwise."""
    found = _named_columns(cells)
    fields = set(found.values())
    return found if "text" in fields and len(fields) >= 2 else None


def _category(cells: list[str], values: dict[str, list[str]]) -> str | None:
    """The heading a row gives the tasks after it, when it is a category or section row: one
    text merged across the row, a heading such as 一、…, or a number and a name with no units
    and no deadline."""
    filled = [join_lines(cell) for cell in cells if cell.strip()]
    if not filled:
        return None
    if len(set(filled)) == 1 and (len(filled) > 1 or _SECTION_HEADER.match(filled[0])):
        return filled[0]
    details = [cell for name in ("lead", "responsible", "deadline") for cell in values.get(name, [])]
    label = fold("".join(values.get("id", [])))
    # (一) 数据归集 with nothing else is a heading; 6 研究制定… with nothing else is a task
    # whose units and deadline are missing, and is reported as such.
    if not any(cell.strip() for cell in details) and len(filled) <= 2 and not label.isdigit():
        return " ".join(filled)
    return None


def _task_id(text: str, where: str) -> int | str:
    label = join_lines(text)
    if not (label.isascii() and label.isdigit()):
        return label
    if len(label) > MAX_ID_DIGITS:  # and int() of 5,000 digits would raise
        raise UsageError(f"{where}: the 序号 {quoted(label)} is a number of {len(label):,} digits, not a "
                         f"task number (at most {MAX_ID_DIGITS} digits); correct the 序号 column of the source")
    return int(label)


def tabulate(table: SourceTable) -> tuple[Tabulated, int | None]:
    """Tasks from the rows after the header row; also the index of the header row (None: none)."""
    result = Tabulated()
    header_at, columns = next(((i, cols) for i, row in enumerate(table.rows)
                               if (cols := header_columns(row.cells)) is not None), (None, None))
    if header_at is None or columns is None:
        result.warnings.append("no header row naming the task column (工作任务 or a synonym) was found")
        return result, None
    # A header over two rows (责任分工 over 牵头单位 | 配合单位): the rows right below it that
    # name columns too complete it (a repeated header row is skipped the same way).
    while header_at + 1 < len(table.rows):
        below = _named_columns(table.rows[header_at + 1].cells)
        if not below:
            break
        columns = {**columns, **below}
        header_at += 1
    ignored = [join_lines(cell) for index, cell in enumerate(table.rows[header_at].cells)
               if index not in columns and cell.strip()]
    if ignored:
        result.warnings.append(f"columns not imported: {'、'.join(dict.fromkeys(ignored))}")
    fields = set(columns.values())
    if "lead" not in fields:
        result.warnings.append("the table has no 牵头单位 column: its 责任单位 are taken as the lead units")
    category = None
    for row in table.rows[header_at + 1:]:
        row = _without_control_characters(row, result.warnings)
        values: dict[str, list[str]] = {}
        for index, field_name in columns.items():
            if index < len(row.cells):
                values.setdefault(field_name, []).append(row.cells[index])
        if header_columns(row.cells) is not None:
            continue  # the header repeated, as on each page of a long Word table
        heading = _category(row.cells, values)
        if heading is not None:
            category = heading
            continue
        text = join_lines("\n".join(values.get("text", [])))
        if not text:
            if any(cell.strip() for cell in row.cells):
                result.warnings.append(f"{row.where}: skipped, it has no task text")
            continue
        result.tasks.append(_task(values, text, len(result.tasks) + 1, category, "lead" in fields,
                                  row.where, result.warnings))
    _unique_ids(result)
    return result, header_at


def _without_control_characters(row: SourceRow, warnings: list[str]) -> SourceRow:
    """The row with control characters removed from its cells (a table file refuses them; in an
    office file they are debris of copying, not text), saying so with the row."""
    found = sorted({char for cell in row.cells for char in CONTROL_CHARACTER.findall(cell.replace("\r", "\n"))})
    if not found:
        return row
    names = ", ".join(f"U+{ord(char):04X}" for char in found)
    warnings.append(f"{row.where}: control characters removed ({names})")
    return SourceRow([CONTROL_CHARACTER.sub("", cell.replace("\r\n", "\n").replace("\r", "\n"))
                      for cell in row.cells], row.where)


def _task(values: dict[str, list[str]], text: str, number: int, category: str | None,
          has_lead_column: bool, where: str, warnings: list[str]) -> dict[str, Any]:
    # dict.fromkeys: a unit named twice in a cell (merged cells repeat their text) counts once.
    units = {name: list(dict.fromkeys(unit for cell in values.get(name, []) for unit in split_units(cell)))
             for name in ("lead", "responsible")}
    if not has_lead_column:
        units["lead"], units["responsible"] = units["responsible"], []
    if not units["lead"]:
        warnings.append(f"{where}: no lead unit (牵头单位); fill in `lead:`")
    deadline = join_lines("\n".join(values.get("deadline", [])))
    if not deadline:
        warnings.append(f"{where}: no deadline (完成时限); fill in `deadline:`")
    id_text = "".join(values.get("id", [])).strip()
    task: dict[str, Any] = {"id": _task_id(id_text, where) if id_text else number}
    if category:
        task["category"] = category
    task.update({"text": text, "lead": units["lead"], "responsible": units["responsible"],
                 "deadline": deadline, "_where": where})
    return task


def _unique_ids(result: Tabulated) -> None:
    """Numbering that restarts in each category (1, 2 … 1, 2) gets the category's number: 1.1,
    1.2 … 2.1, for every task, so that the ids read alike."""
    seen: dict[str, int] = {}
    for task in result.tasks:
        seen[str(task["id"])] = seen.get(str(task["id"]), 0) + 1
    if all(count == 1 for count in seen.values()):
        return
    categories = list(dict.fromkeys(task.get("category") for task in result.tasks))
    for task in result.tasks:
        task["id"] = f"{categories.index(task.get('category')) + 1}.{task['id']}"
    result.warnings.append("task numbers repeat from one category to the next; ids are "
                           "<category number>.<number> (2.1 is the first task of the second category)")
