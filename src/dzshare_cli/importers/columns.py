"""Rows of a published table -> dzshare tasks: columns found by meaning, categories, unit lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dzshare_cli.deadlines import normalize as fold
from dzshare_cli.loader import CONTROL_CHARACTER
from dzshare_cli.errors import UsageError, quoted
from dzshare_cli.importers.roles import (LEAD, RESPONSIBLE, CellUnits, first_leads, lead_rules,
                                         read_unit_cell, split_units)

#: Header words by the field they fill; a table names its columns in any of these ways
#: (compared without white space, full- and half-width alike, and without a remark in brackets:
#: 责任科室（单位） is 责任科室).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号"),
    "text": ("工作任务", "重点任务", "主要任务", "任务内容", "具体要求", "工作内容", "任务", "工作措施",
             "具体措施", "任务举措", "重点工作", "目标任务", "主要内容", "工作要求", "具体内容", "工作事项",
             "任务名称", "具体任务", "主要措施", "政策措施", "重点举措", "改革事项",
             "重点事项", "整改措施", "整改任务", "任务事项", "具体工作", "工作重点", "主要工作"),
    "lead": ("牵头单位", "牵头部门", "主办单位", "牵头科室", "牵头处室", "主责单位", "主责部门", "牵头责任单位"),
    "responsible": ("责任单位", "责任部门", "责任科室", "责任处室", "承办单位", "落实单位", "实施单位",
                    "责任主体", "具体承办单位", "完成单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限要求", "时间安排", "完成期限", "时限", "时间要求",
                 "完成时间节点", "进度安排", "时间进度", "推进时限", "办结时限", "整改时限", "完成时限要求"),
    "progress": ("进展情况", "完成情况", "推进落实情况", "工作进展", "落实情况", "推进情况", "进展",
                 "工作推进情况", "目前进展情况", "工作完成情况", "整改情况", "整改进展", "整改落实情况",
                 "进展成效", "工作进展情况"),
}
#: A column of people (责任领导), not units: never read into the unit fields, and named as such.
_PEOPLE = re.compile(r"(领导|责任人|联系人|负责人|分管)")
#: Further role columns (配合单位, 协办单位, 数据提供单位 …), kept under the published name in
#: task.roles. (Not any header ending in 单位: a unit cell such as 市直有关部门 below a header row
#: would be taken for the second row of the header.)
_FURTHER_ROLE = re.compile(r"^(?:配合|协办|协助|协同|协作|参与|参加|支持|会同|督办|督导|指导|审核|报送|填报"
                           r"|[^\s]{0,4}提供)(?:责任)?(?:单位|部门|科室|处室)$")
#: The field of a further role column: roles: and the published header.
ROLE_FIELD = "roles:"
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
    """What a reader found: text before the table (title, 附件), the table's rows, what the
    reader has to say about them, and the title when the reader told it from the text around it."""

    preamble: list[str]
    rows: list[SourceRow]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None


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


_REMARK = re.compile(r"[(（〔\[【][^)）〕\]】]*[)）〕\]】]")


def column_field(cell: str) -> str | None:
    """The field a header cell names: a HEADER_SYNONYMS key, ROLE_FIELD + the published name
    for a further role column, or None (a column of people, or of something else)."""
    name = fold(cell)
    bare = _REMARK.sub("", name)
    for candidate in (name, bare):
        for field_name, synonyms in HEADER_SYNONYMS.items():
            if candidate in synonyms:
                return field_name
    if bare and not _PEOPLE.search(bare) and _FURTHER_ROLE.match(bare):
        return ROLE_FIELD + join_lines(cell)
    return None


def _named_columns(cells: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        field_name = column_field(cell) if cell.strip() else None
        if field_name is not None:
            found[index] = field_name
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
    details = [cell for name, cells in values.items() if name not in ("id", "text") for cell in cells]
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


@dataclass(frozen=True)
class _Layout:
    """What the header (and the text above it) says about every row."""

    columns: dict[int, str]  # column index -> field
    has_lead_column: bool
    first_leads: bool  # 列第一位的为牵头单位: the first unit of a unit cell leads


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
    columns = _text_and_categories(columns)
    _warn_unread_columns(table.rows[header_at].cells, columns, result.warnings)
    layout = _layout(table, header_at, columns, result.warnings)
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
        result.tasks.append(_task(values, text, len(result.tasks) + 1, _row_category(category, values),
                                  layout, row.where))
    _unique_ids(result)
    return result, header_at


def _text_and_categories(columns: dict[int, str]) -> dict[int, str]:
    """With two task columns (工作任务 | 具体要求, 任务 | 主要内容), the last holds the task text and
    the ones before it name the category, as tables that merge a short heading over its rows do."""
    texts = sorted(index for index, name in columns.items() if name == "text")
    return {index: ("category" if name == "text" and index != texts[-1] else name)
            for index, name in columns.items()}


def _row_category(heading: str | None, values: dict[str, list[str]]) -> str | None:
    """The category of a row: the last heading row above it, then its category columns."""
    parts = [heading, *(join_lines(cell) for cell in values.get("category", []))]
    return " ".join(dict.fromkeys(part for part in parts if part)) or None


def _warn_unread_columns(header: list[str], columns: dict[int, str], warnings: list[str]) -> None:
    ignored = [join_lines(cell) for index, cell in enumerate(header) if index not in columns and cell.strip()]
    people = [name for name in ignored if _PEOPLE.search(fold(name))]
    if ignored:
        note = f" ({'、'.join(dict.fromkeys(people))}: people, not units)" if people else ""
        warnings.append(f"columns not imported: {'、'.join(dict.fromkeys(ignored))}{note}")


def _layout(table: SourceTable, header_at: int, columns: dict[int, str], warnings: list[str]) -> _Layout:
    """The header's columns, and the rules about leads stated above the table or in a header."""
    fields = set(columns.values())
    has_lead_column = "lead" in fields
    said = [*table.preamble, *(cell for row in table.rows[:header_at + 1] for cell in row.cells)]
    first_leads, other_rules = lead_rules(said)
    if first_leads and has_lead_column:
        warnings.append("the table says that the first unit listed leads (列第一位为牵头), and it has a 牵头单位 "
                        "column: units are kept as the columns give them; check the lead units")
        first_leads = False
    for rule in other_rules:
        warnings.append(f"a rule about lead units is not applied: {quoted(rule)}; set lead: by hand where it applies")
    if first_leads:
        warnings.append("the table says that the first unit listed leads (列第一位为牵头): the first unit of "
                        "each unit cell is its lead, the others are responsible, unless the cell says otherwise")
    elif not has_lead_column:
        warnings.append("the table has no 牵头单位 column: its 责任单位 are taken as the lead units, "
                        "unless a cell says otherwise (X牵头, Y配合)")
    return _Layout(columns, has_lead_column, first_leads)


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


def _task(values: dict[str, list[str]], text: str, number: int, category: str | None, layout: _Layout,
          where: str) -> dict[str, Any]:
    """A task of the table file: units by role, further roles, the deadline and progress as
    published; what a row lacks is left out (validate names it), never invented."""
    units = _units(values, layout)
    id_text = "".join(values.get("id", [])).strip()
    task: dict[str, Any] = {"id": _task_id(id_text, where) if id_text else number}
    if category:
        task["category"] = category
    task.update({"text": text, "lead": units.lead, "responsible": units.responsible})
    roles = {name[len(ROLE_FIELD):]: names for name in values if name.startswith(ROLE_FIELD)
             if (names := _unique(unit for cell in values[name] for unit in split_units(_role_words_removed(cell))))}
    if roles:
        task["roles"] = roles
    deadline = join_lines("\n".join(values.get("deadline", [])))
    if deadline:
        task["deadline"] = deadline
    notes = _unique(join_lines(cell) for cell in values.get("progress", []) if cell.strip())
    if notes:  # no date, no unit: an imported 进展情况 cell has neither
        task["progress"] = [{"note": note} for note in notes]
    task["_where"] = where
    return task


def _units(values: dict[str, list[str]], layout: _Layout) -> CellUnits:
    """Lead and responsible units from the lead and responsible cells, by the roles the cells
    say in words, else by their column (a table without a lead column: its units lead, or only
    the first of each cell when the table says so)."""
    found = CellUnits()
    for column in ("lead", "responsible"):
        default = LEAD if column == "lead" or not layout.has_lead_column else RESPONSIBLE
        for cell in values.get(column, []):
            units = read_unit_cell(cell, default)
            if column == "responsible" and layout.first_leads:
                units = first_leads(units)
            found.add(LEAD, units.lead)
            found.add(RESPONSIBLE, units.responsible)
    return found


def _role_words_removed(cell: str) -> str:
    """A further role cell's units without role words (市财政局配合 in a 配合单位 column)."""
    units = read_unit_cell(cell, RESPONSIBLE)
    return "、".join([*units.lead, *units.responsible])


def _unique(items: Iterable[str]) -> list[str]:
    # A name given twice (merged cells repeat their text) counts once.
    return list(dict.fromkeys(items))


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
