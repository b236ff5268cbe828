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
             "重点事项", "整改措施", "整改任务", "任务事项", "具体工作", "工作重点", "主要工作",
             # 民生实事 lists name their task column after the list (大竹 2016, 苍南 2022)
             "民生实事", "实事项目", "项目内容", "建设内容", "内容和目标"),
    "lead": ("牵头单位", "牵头部门", "主办单位", "牵头科室", "牵头处室", "主责单位", "主责部门", "牵头责任单位"),
    "responsible": ("责任单位", "责任部门", "责任科室", "责任处室", "承办单位", "落实单位", "实施单位",
                    "责任主体", "具体承办单位", "完成单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限要求", "时间安排", "完成期限", "时限", "时间要求",
                 "完成时间节点", "进度安排", "时间进度", "推进时限", "办结时限", "整改时限", "完成时限要求"),
    "progress": ("进展情况", "完成情况", "推进落实情况", "工作进展", "落实情况", "推进情况", "进展",
                 "工作推进情况", "目前进展情况", "工作完成情况", "整改情况", "整改进展", "整改落实情况",
                 "进展成效", "工作进展情况", "当前进度", "完成进度", "最新进展"),
}
#: A task column under a name no list can foresee (重点工作任务, 内容与要求, 方案内容): a short name,
#: without numbers or punctuation, that ends in a word for what is to be done.
_TEXT_HEADER = re.compile(r"^[^\d\W]{0,5}(?:任务|内容|要求|措施|举措|事项)$")
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
    #: The columns whose cell is the cell of the row above merged down over this row (the same
    #: merged cell, which xlsx, docx and html readers know; not merely an equal text): what tells
    #: one task published over several rows from two tasks that happen to read alike.
    carried: frozenset[int] = frozenset()


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


def column_field(cell: str, loose: bool = True) -> str | None:
    """The field a header cell names: a HEADER_SYNONYMS key, ROLE_FIELD + the published name
    for a further role column, or None (a column of people, or of something else). `loose`: a
    task column may also be named by its last word (重点工作任务), which a data cell can be too
    (省定任务 in a 备注 column): tabulate looks for a header with it only when none names its
    columns in listed words."""
    name = fold(cell)
    bare = _REMARK.sub("", name)
    for candidate in (name, bare):
        for field_name, synonyms in HEADER_SYNONYMS.items():
            if candidate in synonyms:
                return field_name
    if bare and not _PEOPLE.search(bare) and _FURTHER_ROLE.match(bare):
        return ROLE_FIELD + join_lines(cell)
    if loose and _TEXT_HEADER.match(bare) and not _PEOPLE.search(bare):
        return "text"
    return None


def _named_columns(cells: list[str], loose: bool = False) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        field_name = column_field(cell, loose) if cell.strip() else None
        if field_name is not None:
            found[index] = field_name
    return found


def header_columns(cells: list[str], loose: bool = True) -> dict[int, str] | None:
    """The field each column fills, when this row is a header row (it names a task column and
    at least one other); None otherwise. `loose`: see column_field."""
    found = _named_columns(cells, loose)
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


#: A task number with the mark after it (1、 1. 1．), as a 序号 column may print it.
_MARKED_NUMBER = re.compile(r"^(\d+)\s*[、.．]$")


def _task_id(text: str, where: str) -> int | str:
    label = join_lines(text)
    marked = _MARKED_NUMBER.match(label)
    label = marked.group(1) if marked else label
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
    loose = not any(header_columns(row.cells, loose=False) for row in table.rows)
    header_at, columns = next(((i, cols) for i, row in enumerate(table.rows)
                               if (cols := header_columns(row.cells, loose)) is not None), (None, None))
    if header_at is None or columns is None:
        result.warnings.append("no header row naming the task column (工作任务 or a synonym) was found")
        return result, None
    # Once the header row is found by its listed words, its other cells cannot be data: a short
    # name ending in 任务 there (重点工作 | 攻坚目标任务) is a further task column.
    columns = {**_named_columns(table.rows[header_at].cells, loose=True), **columns}
    spans = _header_spans(table.rows[header_at].cells, columns)
    columns = {**columns, **{index: columns[span[0]] for span in spans for index in span}}
    # A header over two rows (责任分工 over 牵头单位 | 配合单位): the rows right below it that
    # name columns too complete it (a repeated header row is skipped the same way).
    while header_at + 1 < len(table.rows):
        below = _named_columns(table.rows[header_at + 1].cells)
        if not below:
            break
        columns = {**columns, **below}
        header_at += 1
    columns = _text_and_categories(_numbers_under_task_headers(columns, spans, table.rows[header_at + 1:]))
    _warn_unread_columns(table.rows[header_at].cells, columns, result.warnings)
    layout = _layout(table, header_at, columns, result.warnings)
    published_ids: list[str] = []
    for source_task in _source_tasks(table.rows[header_at + 1:], columns, result.warnings, loose):
        result.tasks.append(_task(source_task, len(result.tasks) + 1, layout, result.warnings))
        published_ids.append(source_task.id_text)
    id_header = "、".join(dict.fromkeys(join_lines(cell) for index, cell in enumerate(table.rows[header_at].cells)
                                        if columns.get(index) == "id" and cell.strip()))
    _unique_ids(result, published_ids, id_header or "序号")
    return result, header_at


@dataclass
class _SourceTask:
    """The rows of one task: one row, or several when its 序号 and text are one cell merged down
    over them (one row per unit's progress); the category its first row is under."""

    rows: list[tuple[dict[str, list[str]], SourceRow]]
    text: str
    category: str | None

    @property
    def where(self) -> str:
        return self.rows[0][1].where

    @property
    def id_text(self) -> str:
        return "".join(self.rows[0][0].get("id", [])).strip()


def _source_tasks(rows: list[SourceRow], columns: dict[int, str], warnings: list[str],
                  loose: bool = False) -> Iterator[_SourceTask]:
    """The tasks of the data rows, in published order: heading rows name the category of the
    rows after them, a repeated header row is skipped, and a row whose 序号 and text continue the
    merged cells of the task above it is that task's row."""
    heading = None
    category_cells: dict[int, str] = {}  # the last category cell of each category column
    current: _SourceTask | None = None
    for row in rows:
        row = _without_control_characters(row, warnings)
        values: dict[str, list[str]] = {}
        for index, field_name in columns.items():
            if index < len(row.cells):
                values.setdefault(field_name, []).append(row.cells[index])
        if header_columns(row.cells, loose) is not None:
            continue  # the header repeated, as on each page of a long Word table
        if current is not None and _continues_task(row, columns):
            # before the heading test: a row that only continues a task's merged text is no heading
            current.rows.append((values, row))
            continue
        found = _category(row.cells, values)
        if found is not None:
            heading = found
            if current is not None:
                yield current
            current = None
            continue
        text = join_lines("\n".join(values.get("text", [])))
        if not text:
            if any(cell.strip() for cell in row.cells):
                warnings.append(f"{row.where}: skipped, it has no task text")
            continue
        if current is not None:
            yield current
        category = _row_category(heading, _carried_categories(row, columns, category_cells))
        current = _SourceTask([(values, row)], text, category)
    if current is not None:
        yield current


def _continues_task(row: SourceRow, columns: dict[int, str]) -> bool:
    """Whether a row's text cell (and its 序号 cell, when it has one) is the merged cell of the
    row above: the same task again, published over several rows. Equal texts that are not one
    merged cell (a CSV knows no merges) are two tasks."""
    texts = [index for index, name in columns.items() if name == "text" and index < len(row.cells)]
    ids = [index for index, name in columns.items() if name == "id" and index < len(row.cells)]
    return bool(texts) and all(index in row.carried for index in texts) and \
        all(index in row.carried or not row.cells[index].strip() for index in ids)


def _carried_categories(row: SourceRow, columns: dict[int, str], last: dict[int, str]) -> dict[str, list[str]]:
    """A row's category cells, an empty one taking the category above it (a merged category cell
    exported to CSV keeps its text on its first row only) unless a category column to its left
    starts a new category."""
    cells: list[str] = []
    renewed = False
    for index in sorted(index for index, name in columns.items() if name == "category"):
        cell = row.cells[index] if index < len(row.cells) else ""
        if cell.strip() or renewed:
            renewed = renewed or bool(cell.strip())
            last[index] = cell
        cells.append(last.get(index, ""))
    return {"category": cells}


_NUMBER_ONLY = re.compile(r"^[(（]?\d{1,%d}[)）.、．]?$" % MAX_ID_DIGITS)


def _header_spans(header: list[str], columns: dict[int, str]) -> list[list[int]]:
    """The header cells that span several columns: a named cell with the unnamed cells right of it
    (具体要求 over two columns is `具体要求,` in CSV) or with its own name repeated (a colspan
    copied into each column by the html, Word and Excel readers). Each span with two columns or more."""
    spans: list[list[int]] = []
    for index, cell in enumerate(header):
        name = fold(cell)
        if spans and index - 1 in spans[-1] and index not in columns and not name:
            spans[-1].append(index)
        elif spans and index - 1 in spans[-1] and index in columns and name == fold(header[spans[-1][0]]):
            spans[-1].append(index)
        elif index in columns:
            spans.append([index])
    return [span for span in spans if len(span) > 1]


def _numbers_under_task_headers(columns: dict[int, str], spans: list[list[int]],
                                rows: list[SourceRow]) -> dict[int, str]:
    """Under a task header spanning columns (具体要求 over 序号 and the text), a column that holds
    numbers only is the 序号 (a second one, beside a 序号 column of its own, is left out): the
    long text column stays the task text."""
    resolved = dict(columns)
    text_spans = [span for span in spans if all(columns.get(index) == "text" for index in span)]
    # Rows that repeat one text across the table are headings, not data (counted once a row).
    data = [row for row in rows if text_spans and len({cell for cell in row.cells if cell.strip()}) > 1]
    last_text = max((index for index, name in columns.items() if name == "text"), default=-1)
    for span in text_spans:
        # only under the task text's header: a category header's second level is empty where the
        # CSV leaves a merged cell empty (工作任务 over 一、 and （一）)
        for index in _blank_columns(span, data) if last_text in span else []:
            del resolved[index]
        numbered = [index for index in span if index in resolved and _numbers_only(index, data)]
        if not numbered or len(numbered) == len(span):
            continue
        for index in numbered:
            if "id" in resolved.values():
                del resolved[index]
            else:
                resolved[index] = "id"
    return resolved


def _blank_columns(span: list[int], rows: list[SourceRow]) -> list[int]:
    """The unnamed columns of a header span that are left empty in most rows: a column with no
    header of its own (`工作任务,,责任单位`), not the second half of a task header over two columns,
    whose cells every row fills. Its stray cells are no task's text."""
    def filled(index: int) -> int:
        return sum(1 for row in rows if index < len(row.cells) and row.cells[index].strip())
    return [index for index in span[1:] if 2 * filled(index) <= filled(span[0])]


def _numbers_only(index: int, rows: list[SourceRow]) -> bool:
    """Whether a column's cells are task numbers (1, 2., (3)) in every row that fills it."""
    values = [fold(row.cells[index]) for row in rows if index < len(row.cells) and row.cells[index].strip()]
    return bool(values) and all(_NUMBER_ONLY.match(value) for value in values)


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
                      for cell in row.cells], row.where, row.carried)


def _task(source: _SourceTask, number: int, layout: _Layout, warnings: list[str]) -> dict[str, Any]:
    """A task of the table file: units by role, further roles, the deadline and progress as
    published; what a row lacks is left out (validate names it), never invented. A task over
    several rows has the units of all of them and a progress note from each."""
    values: dict[str, list[str]] = {}
    for row_values, _ in source.rows:
        for name, cells in row_values.items():
            values.setdefault(name, []).extend(cells)
    units = _units(values, layout)
    task: dict[str, Any] = {"id": _task_id(source.id_text, source.where) if source.id_text else number}
    if source.category:
        task["category"] = source.category
    task.update({"text": source.text, "lead": units.lead, "responsible": units.responsible})
    roles = {name[len(ROLE_FIELD):]: names for name in values if name.startswith(ROLE_FIELD)
             if (names := _unique(unit for cell in values[name] for unit in split_units(_role_words_removed(cell))))}
    if roles:
        task["roles"] = roles
    deadline = _deadline(source, warnings)
    if deadline:
        task["deadline"] = deadline
    notes = _progress(source, [*units.lead, *units.responsible, *(unit for names in roles.values() for unit in names)],
                      layout)
    if notes:
        task["progress"] = notes
    task["_where"] = source.where
    return task


def _deadline(source: _SourceTask, warnings: list[str]) -> str:
    """The task's deadline text; a task over several rows whose rows give different deadlines
    has each of them, in row order, joined by ；(and a warning says so)."""
    texts = _unique(text for row_values, _ in source.rows
                    if (text := join_lines("\n".join(row_values.get("deadline", [])))))
    if len(texts) > 1:
        warnings.append(f"{source.where}: one task over {len(source.rows)} rows gives {len(texts)} deadlines; "
                        f"kept together as {quoted('；'.join(texts))}")
    return "；".join(texts)


#: A progress note that opens with the name of the unit reporting: 区投促局：对楼宇信息…
_NOTE_LABEL = re.compile(r"^\s*([^:：，,。；;\s]{1,40})\s*[:：]")


def _progress(source: _SourceTask, task_units: list[str], layout: _Layout) -> list[dict[str, str]]:
    """The progress notes of a task as published, without a date (none is published). A task over
    several rows, one row per unit's progress, has one note a row with the unit that row gives:
    its own unit cell when it names one unit, else the unit its note opens with (区投促局：…) when
    that is one of the task's units. A one-row task's note has no unit (its cell may speak for many)."""
    notes: list[dict[str, str]] = []
    own_unit_cells = all(not (row.carried & _unit_columns(layout)) for _, row in source.rows[1:])
    for position, (row_values, row) in enumerate(source.rows):
        # A progress cell merged down over the task's rows is one note, given on its first row.
        cells = [cell for index, cell in enumerate(row.cells) if layout.columns.get(index) == "progress"
                 and cell.strip() and not (position and index in row.carried)]
        for note in _unique(join_lines(cell) for cell in cells):
            unit = _note_unit(note, row_values, task_units, layout, own_unit_cells) if len(source.rows) > 1 else None
            notes.append({"note": note} if unit is None else {"unit": unit, "note": note})
    return notes


def _note_unit(note: str, row_values: dict[str, list[str]], task_units: list[str], layout: _Layout,
               own_unit_cells: bool) -> str | None:
    row_units = _units(row_values, layout)
    named = _unique([*row_units.lead, *row_units.responsible])
    label = _NOTE_LABEL.match(note)
    if own_unit_cells and len(named) == 1:
        return named[0]
    if label and label.group(1) in task_units:
        return label.group(1)
    return None


def _unit_columns(layout: _Layout) -> frozenset[int]:
    return frozenset(index for index, name in layout.columns.items()
                     if name in ("lead", "responsible") or name.startswith(ROLE_FIELD))


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


def _unique_ids(result: Tabulated, published: list[str], column: str) -> None:
    """Numbering that restarts in each category (1, 2 … 1, 2) gets the category's number: 1.1,
    1.2 … 2.1, for every task, so that the ids read alike. Numbers that repeat even so (a 序号
    that numbers sections, merged over their rows) number no task: the tasks are numbered in
    published order instead, and a warning gives the published numbers. Ids are never duplicated."""
    if _all_unique(task["id"] for task in result.tasks):
        return
    categories = list(dict.fromkeys(task.get("category") for task in result.tasks))
    prefixed = [f"{categories.index(task.get('category')) + 1}.{task['id']}" for task in result.tasks]
    if _all_unique(prefixed):
        for task, task_id in zip(result.tasks, prefixed):
            task["id"] = task_id
        result.warnings.append("task numbers repeat from one category to the next; ids are "
                               "<category number>.<number> (2.1 is the first task of the second category)")
        return
    for number, task in enumerate(result.tasks, start=1):
        task["id"] = number
    shown = "、".join(label or "(none)" for label in published[:_IDS_SHOWN])
    more = f" … ({len(published):,} in all)" if len(published) > _IDS_SHOWN else ""
    result.warnings.append(f"the {column} column does not number the tasks one by one (as published: {shown}{more}); "
                           f"the tasks are numbered 1–{len(result.tasks)} in published order")


#: How many published numbers a warning about them shows.
_IDS_SHOWN = 30


def _all_unique(ids: Iterable[int | str]) -> bool:
    # 1 and "1" are one id to a reader of the table file.
    labels = [str(task_id).strip() for task_id in ids]
    return len(labels) == len(set(labels))
