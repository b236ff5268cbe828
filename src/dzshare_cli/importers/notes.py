"""Reader of documents that carry the division of responsibility in notes, not in a table: each
task a paragraph, its units in a note at its end (（牵头单位：X；责任单位：Y）, （X牵头，Y配合）) or
on label lines after it (牵头单位：X / 责任单位：Y)."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field

from dzshare_cli.importers.columns import (ROLE_FIELD, SourceRow, SourceTable, column_field, header_columns,
                                           iter_lines, join_lines)
from dzshare_cli.deadlines import normalize
from dzshare_cli.importers.roles import FIRST_LEADS, RESPONSIBLE, read_unit_cell
from dzshare_cli import limits
from dzshare_cli.limits import ReadBudget

#: The end of a line that ends in a note: its closing bracket, then perhaps 。 or ；.
_NOTE_END = re.compile(r"[)）〕\]】]\s*[。;；]?$")
_OPENING, _CLOSING = "(（〔[【", ")）〕]】"
#: A note that says roles in words instead of labels: （区政务服务局牵头，区发改局…配合）.
_ROLE_WORDS = re.compile(r"牵头|配合|负责|按职责|参照落实|协办")
#: A field label inside a note or at the start of a label line: 牵头单位： 责任单位: 配合单位：
#: 完成时限：…; which words are labels is decided by column_field, as for a table's header.
_LABEL = re.compile(r"(?:^|(?<=[\s，,；;。、]))([\u4e00-\u9fff]{2,8}?)\s*[:：]")
_BARE_LABELS = {"牵头": "lead", "责任": "responsible"}
#: A label line naming people, not units (牵头市领导：汤飞帆, 责任领导：…, 责任人：…): no part of
#: the task's text, and no unit.
_PEOPLE_LINE = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:领导|责任人|联系人|负责人)\s*[:：][^。]{0,40}$")
#: Fields that hold units (the others: deadline, progress).
_UNIT_FIELDS = ("lead", "responsible")
#: A clause of a note that states a rule for the tasks after it, not a unit: 以下均需各县市区落实,
#: 不再逐一列出, 下同, 以下政策措施均需…, 具体任务均涉及…, 不再做分工; a rule may open with the
#: exception it makes (除专门列出外，以下任务均涉及…): that clause is the rule's, not a unit.
_RULE = re.compile(r"^以下|^除[^，,；;。]{0,20}外$|下同|不再|均需|均涉及|均由|同上")
_RULE_WORDS = re.compile(r"以下|下同|不再|均需|均涉及|均由|同上")
#: The same rule as a remark in brackets after a unit: 各县（市、区）人民政府（下同）.
_RULE_REMARK = re.compile(r"[(（〔]\s*([^()（）〔〕]{0,40}(?:下同|同上|以下|不再|均需)[^()（）〔〕]{0,40}?)\s*[)）〕]")
#: A sub-item's label, （1） or (1): a cut point of a paragraph whose items end in their own notes.
_ITEM_LABEL = re.compile(r"[(（]\s*\d+\s*[)）]")
#: A note's end right before an item's label: the quick test for a paragraph of items with notes.
_NOTE_BEFORE_ITEM = re.compile(r"[)）〕\]】]\s*[。;；]?\s*[(（]\s*\d+\s*[)）]")
#: What an item's label follows when it opens an item, not a reference inside a text (第（1）项).
_ITEM_AFTER = "。；;！？!?：:)）〕]】"
#: 1. / 1、 / 1．/ （1） / 1.2. before a task's text: its number.
_TASK_NUMBER = re.compile(r"^(?:[(（]\s*(\d+)\s*[)）]|(\d+(?:[.．]\d+)*)\s*[.、．](?!\d))\s*")
#: 一、… / 第一部分 (level 1) and （一）… (level 2): headings, the category of the tasks below.
_HEADING = re.compile(r"^(?:([一二三四五六七八九十百]+)、|第[一二三四五六七八九十百]+[部分章节])\s*")
_SUBHEADING = re.compile(r"^[(（]\s*([一二三四五六七八九十百]+)\s*[)）]\s*")
#: A title line: no sentence ends in it, and it is not too long to be one.
_TITLE_LINE = re.compile(r"^[^。：:；;]{2,80}$")
#: Lines of a covering notice that end no sentence: its date, its 文号, 附件N, （此件公开发布）.
_NOT_TITLE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|〔\d{4}〕\s*\d+\s*号$|^附件\s*\d*$|^[(（].*[)）]$")
#: How many lines a note broken over lines may take before its open bracket is taken as a stray.
_MAX_WRAPPED = 4
_HEADER = {"id": "序号", "text": "工作任务", "lead": "牵头单位", "responsible": "责任单位",
           "deadline": "完成时限", "progress": "进展情况"}


@dataclass
class _Task:
    """A task being read: its lines of text, its number and the fields of its note or labels."""

    lines: list[str]
    line: int  # where its text starts
    number: str = ""
    paren: bool = False  # numbered （1）: an item of a task numbered 1., when one is open
    published: str = ""  # its first line as published, label included: its text as a heading
    fields: dict[str, list[str]] = field(default_factory=dict)  # values by field, in the order given
    labelled: bool = False  # label lines have come after its text
    apart: bool = False  # its note stands on a line of its own, after its text
    chars: int = 0  # the length of its text so far

    def add(self, fields: dict[str, str]) -> None:
        for name, value in fields.items():
            self.fields.setdefault(name, []).append(value)


@dataclass(frozen=True)
class _Read:
    """A task read (its cells by column name) or, with no cells, the category of those below."""

    where: str
    category: str
    cells: dict[str, str] | None = None
    heading_number: str = ""  # an item's: the number of the heading line above it (1. over （1）…)


@dataclass
class _Reader:
    """One pass over the lines; a task is closed by the next task, heading or note, or the end."""

    budget: ReadBudget
    preamble: list[str] = field(default_factory=list)
    paragraphs: set[int] = field(default_factory=set)  # preamble lines that follow a blank line
    read: list[_Read] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    further: list[str] = field(default_factory=list)  # further role columns (配合单位), first seen first
    said_lead: bool = False  # a note or label named a lead (牵头): the table has a lead column
    task: _Task | None = None
    categories: tuple[str, str, str] = ("", "", "")  # 一、…, （一）… and a numbered line over items
    heading_number: str = ""  # the number of the numbered line over the items being read
    # The heading just read and the categories before it: label lines right below make it a task.
    heading: tuple[str, int, tuple[str, str, str]] | None = None
    # Items （n） read so far without a note of their own: a note on a line of its own after them
    # (or label lines) gives them its units.
    run: list[dict[str, str]] = field(default_factory=list)
    started: bool = False  # past the preamble: a heading or a task has been read
    category_shown: str = ""
    # A note has stated that the first unit listed leads (（第一责任单位为牵头单位，下同）): from
    # its task on, the first unit of a task without a lead said in words leads.
    first_leads: bool = False

    def line(self, number: int, line: str) -> None:
        for piece in _items(line):
            self._line(number, piece)

    def _line(self, number: int, line: str) -> None:
        if _PEOPLE_LINE.match(line) and self.task is not None:
            self.task.labelled = True
            self.warnings.append(f"line {number}: “{line}” names people, not units: not read")
            return
        labels = _label_line(line)
        if labels is not None:
            self._labels(number, line, labels)
            return
        self.heading = None
        note = _unit_note(line)
        if note is not None:
            text = line[:note.start]
            task = self._text(text, number, noted=bool(text))
            task.add(self._fields(note.inside, number, default="responsible"))
            task.apart = not text
            self._close()
        elif _HEADING.match(line) or _SUBHEADING.match(line):
            self._close()
            self.started = True
            self.heading = (line, number, self.categories)
            level1, _, _ = self.categories
            self.categories = (line, "", "") if _HEADING.match(line) else (level1, line, "")
            self.heading_number, self.run = "", []
        elif self.started or self.task is not None or _TASK_NUMBER.match(line):
            self._text(line, number)
        else:
            self.preamble.append(line)

    def _text(self, line: str, number: int, noted: bool = False) -> _Task:
        """A line of a task's text, and its task: the line opens a task when it is numbered
        (unless it is a （1） item of a task numbered 1. that is more than its heading), when the
        task before has had its label lines, or when no task is open. `noted`: the line ends in
        a note of its own."""
        task = self.task
        opened = _opened(line, number) if _starts_a_task(line) or task is None or task.labelled else None
        if task is not None and opened is not None and _heads_items(task, opened, noted):
            self._items_under(task)
            task = None
        if task is not None and not task.labelled and (
                opened is None or (task.number and opened.paren and not task.paren)):
            task.lines.append(line)
            task.chars += len(line)
            if task.chars > limits.MAX_CELL_CHARS.value:  # refused now, not after the rest of the source
                self.budget.check_text("".join(task.lines), f"line {task.line}")
            return task
        self._close()
        self.task = opened or _opened(line, number)
        if not self.task.paren:  # a task of its own: the items and the heading over them are past
            level1, level2, _ = self.categories
            self.categories, self.heading_number, self.run = (level1, level2, ""), "", []
        return self.task

    def _items_under(self, heading: _Task) -> None:
        """A numbered line read as a task is the heading of the items below it: their category."""
        self.task, self.started = None, True
        level1, level2, _ = self.categories
        text = join_lines("\n".join([heading.published, *heading.lines[1:]]))
        self.categories, self.heading_number, self.run = (level1, level2, text), heading.number, []

    def table(self) -> SourceTable:
        self._close()
        self._number_items()
        header = [_HEADER["id"], _HEADER["text"], *([_HEADER["lead"]] if self.said_lead else []),
                  _HEADER["responsible"], _HEADER["deadline"], _HEADER["progress"], *self.further]
        rows = [SourceRow(header, "header")]
        for read in self.read:
            cells = [read.category] if read.cells is None else [read.cells.get(name, "") for name in header]
            rows.append(SourceRow(cells, read.where))
        return SourceTable(self.preamble, rows, self.warnings, _title(self.preamble, self.paragraphs))

    def _number_items(self) -> None:
        """Items numbered anew under each heading line ((1) (2) under 1., (1) under 2.) take the
        heading's number, 1.1, 1.2, 2.1, when their own numbers would repeat."""
        tasks = [read.cells for read in self.read if read.cells is not None]
        if len({cells[_HEADER["id"]] for cells in tasks}) == len(tasks):
            return
        for read in self.read:
            if read.cells is not None and read.heading_number:
                read.cells[_HEADER["id"]] = f"{read.heading_number}.{read.cells[_HEADER['id']]}"
        self.warnings.append("item numbers (1) (2) … repeat under each numbered heading; their ids are "
                             "<heading number>.<item number> (2.1 is item (1) under heading 2.)")

    def blank(self) -> None:
        self.paragraphs.add(len(self.preamble))

    def _labels(self, number: int, line: str, labels: dict[str, str]) -> None:
        """Label lines after a task's text (牵头单位：区发改局 / 责任单位：…) are its units."""
        if self.task is None and self.heading is not None:
            # A heading right above label lines is the task they belong to: （一）加强… / 牵头单位：…
            text, at, self.categories = self.heading
            self.task = _opened(text, at)
        self.heading = None
        if self.task is None:
            if self.started:
                self.warnings.append(f"line {number}: “{line[:40]}” follows no task; skipped")
            else:
                self.preamble.append(line)
            return
        self.task.add(self._fields(line, number, default=None))
        self.task.labelled = True

    def _fields(self, note: str, number: int, default: str | None) -> dict[str, str]:
        """A note's or a label line's fields, without the standing rules it states (named in a warning)."""
        fields = _note_fields(note, default)
        for name in fields:
            if name in _UNIT_FIELDS or name.startswith(ROLE_FIELD):
                fields[name], rules = _without_rules(fields[name])
                if any(FIRST_LEADS.search(normalize(rule)) for rule in rules):
                    self.first_leads = True
                    self.warnings.append(f"line {number}: the note says the first unit listed leads; applied "
                                         "from this task on")
                    rules = [rule for rule in rules if not FIRST_LEADS.search(normalize(rule))]
                self.warnings += [f"line {number}: the note states a rule for other tasks, not applied: “{rule}”; "
                                  "add the units it names to the tasks it covers by hand" for rule in rules]
        if "lead" in fields or "牵头" in fields.get("responsible", ""):
            self.said_lead = True
        return fields

    def _close(self) -> None:
        task, self.task = self.task, None
        if task is None:
            return
        self.started = True
        text = join_lines("\n".join(task.lines))
        where = f"line {task.line}"
        if not task.fields and not task.number:
            self.warnings.append(f"{where}: a paragraph with no units (no note, no 牵头单位：/责任单位： line) "
                                 f"is not read as a task: “{text[:30]}…”")
            return
        category = " ".join(part for part in self.categories if part)
        if category != self.category_shown:
            self.read.append(_Read(where, category))
            self.category_shown = category
        cells = {_HEADER["id"]: task.number, _HEADER["text"]: text}
        for name, values in task.fields.items():
            column = name[len(ROLE_FIELD):] if name.startswith(ROLE_FIELD) else _HEADER[name]
            if name.startswith(ROLE_FIELD) and column not in self.further:
                self.further.append(column)
            cells[column] = "；".join(values)
        self._first_leads(task, cells)
        self.budget.add_row(list(cells.values()), where)
        self.read.append(_Read(where, category, cells, self.heading_number if task.paren else ""))
        self._share_note(task, cells, where)

    def _first_leads(self, task: _Task, cells: dict[str, str]) -> None:
        """The rule that the first unit listed leads, applied to a task that names no lead itself."""
        if not self.first_leads or "lead" in task.fields or not cells.get(_HEADER["responsible"]):
            return
        units = read_unit_cell(cells[_HEADER["responsible"]], RESPONSIBLE)
        if units.marked or units.lead or not units.responsible:  # X、Y分别牵头 says it in words
            return
        cells[_HEADER["lead"]] = units.responsible[0]
        cells[_HEADER["responsible"]] = "、".join(units.responsible[1:])
        self.said_lead = True

    def _share_note(self, task: _Task, cells: dict[str, str], where: str) -> None:
        """An item without a note waits in the run; a note on a line of its own after the run (or
        label lines) is the note of every item in it that has none of its own."""
        if task.paren and not task.fields:
            self.run.append(cells)
            return
        if task.paren and (task.apart or task.labelled):
            shared = {name: value for name, value in cells.items() if name not in (_HEADER["id"], _HEADER["text"])}
            for waiting in self.run:
                waiting.update(shared)
                self.budget.add_cells(len(shared), where)
        self.run = []


def read_inline_notes(text: str, budget: ReadBudget) -> SourceTable:
    """Tasks as paragraphs: a line ending in a unit note ends a task; label lines after a task's
    text give its units; the lines of a task since the last task or heading are its text.
    Headings (一、… and （一）…) are the category of the tasks below them; lines before any task
    and heading are the title."""
    reader = _Reader(budget)
    wrapped: list[tuple[int, str]] = []  # lines of a note broken over lines, not closed yet
    for number, line in enumerate(iter_lines(text), start=1):  # lazily: a file may hold 10^7 lines
        stripped = line.strip()
        if not stripped:
            _read_lines(reader, wrapped)
            reader.blank()
            continue
        budget.add_cells(1, f"line {number}")
        budget.check_text(stripped, f"line {number}")
        if wrapped and (len(wrapped) == _MAX_WRAPPED or _starts_a_task(stripped)):
            _read_lines(reader, wrapped)
        if wrapped or _unclosed(stripped):
            wrapped.append((number, stripped))
            if not _unclosed(join_lines("\n".join(part for _, part in wrapped))):
                reader.line(wrapped[0][0], join_lines("\n".join(part for _, part in wrapped)))
                wrapped.clear()
            continue
        reader.line(number, stripped)
    _read_lines(reader, wrapped)
    return reader.table()


def _read_lines(reader: _Reader, lines: list[tuple[int, str]]) -> None:
    """Lines held as a note broken over lines that did not close: read one by one after all."""
    for number, line in lines:
        reader.line(number, line)
    lines.clear()


def _starts_a_task(line: str) -> bool:
    return bool(_TASK_NUMBER.match(line) or _HEADING.match(line) or _SUBHEADING.match(line))


def _unclosed(line: str) -> bool:
    """Whether a line leaves a bracket open at its end: a note broken over lines, as text taken
    out of a PDF has them (…（牵头单位：市审批局； / 责任单位：市直各部门）)."""
    # Counted, not walked: this runs on every line of the source.
    return sum(map(line.count, _OPENING)) > sum(map(line.count, _CLOSING))


def _title(preamble: list[str], paragraphs: set[int]) -> str | None:
    """The document's own title among the lines above its first task: above the paragraphs that
    introduce it (为…，制定本方案。), below the covering notice (its date, its 文号), its lines
    together in one paragraph. None when no line there reads as a title."""
    end = len(preamble)
    while end and preamble[end - 1].endswith(("。", "：", ":")):
        end -= 1
    start = end
    while start and _TITLE_LINE.match(preamble[start - 1]) and not _NOT_TITLE.search(preamble[start - 1]):
        start -= 1
        if start in paragraphs:
            break
    return join_lines("\n".join(preamble[start:end])) or None


def looks_like_notes(text: str) -> bool:
    """Whether a text is a document of tasks with unit notes or label lines, not a CSV table:
    some line ends in a unit note or is a 牵头单位：/责任单位： line, and no line is a CSV header."""
    found = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if "," in stripped and _is_csv_header(stripped):
            return False
        labels = _label_line(stripped)
        found = found or _unit_note(stripped) is not None or bool(labels and set(labels) & set(_UNIT_FIELDS))
    return found


def _is_csv_header(line: str) -> bool:
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return header_columns(cells) is not None


def _opened(line: str, number: int) -> _Task:
    """A task whose text starts on this line; its number (1. / 1、 / （1） / 一、 / （一）) is its id,
    the text is what follows it."""
    for pattern in (_TASK_NUMBER, _HEADING, _SUBHEADING):
        label = pattern.match(line)
        if label:
            digits = next((group for group in label.groups() if group), "")
            return _Task([line[label.end():]], number, digits.replace("．", "."),
                         paren=pattern is _TASK_NUMBER and label.group(1) is not None, published=line)
    return _Task([line], number, published=line)


def _heads_items(task: _Task, item: _Task, noted: bool) -> bool:
    """Whether an open task numbered 1. is the heading of the item （1） that follows it: it has
    no note of its own, and it is one line on its own (1.完善应急预案体系), or the item ends in a
    note of its own. A numbered paragraph over several lines whose items share one note after
    them is one task, its items part of its text."""
    return (item.paren and bool(task.number) and not task.paren and not task.fields and not task.labelled
            and (len(task.lines) == 1 or noted))


def _items(line: str) -> list[str]:
    """A paragraph that holds several items （n）…（note）, cut after each note that an item
    follows, and before its first item (the text before it is their heading): one piece a line."""
    if not _NOTE_BEFORE_ITEM.search(line):  # as in nearly every line
        return [line]
    labels, cuts = _item_labels(line)
    if not cuts:
        return [line]
    first = next((start for start in labels if 0 < start < cuts[0] and _opens_an_item(line, start)), None)
    cuts = [*([first] if first is not None else []), *cuts]
    pieces = (line[start:end].strip() for start, end in zip([0, *cuts], [*cuts, len(line)]))
    return [piece for piece in pieces if piece]


def _item_labels(line: str) -> tuple[list[int], list[int]]:
    """Where the item labels （n） outside any bracket start, and which of them follow a note
    right away. Only outermost brackets count: they never overlap, so one pass finds them all
    and each note is looked into once, however the line is made."""
    labels, after_notes = [], []
    depth, opening, last = 0, 0, None  # last: the outermost bracket pair closed before, (open, close)
    for position, char in enumerate(line):
        if char in _OPENING:
            opening = position if depth == 0 else opening
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
            if depth:
                continue
            if _ITEM_LABEL.fullmatch(line, opening, position + 1):
                labels.append(opening)
                if last is not None and not line[last[1] + 1:opening].strip(" \t\u3000。;；") \
                        and _says_units(line[last[0] + 1:last[1]].strip()):
                    after_notes.append(opening)
            last = (opening, position)
    return labels, after_notes


def _opens_an_item(line: str, start: int) -> bool:
    """Whether the label at `start` opens an item: it follows the end of a sentence or a bracket."""
    before = start - 1
    while before >= 0 and line[before].isspace():
        before -= 1
    return before >= 0 and line[before] in _ITEM_AFTER


@dataclass(frozen=True)
class _UnitNote:
    start: int  # where its opening bracket is
    inside: str  # 牵头单位：X；责任单位：Y, or 区政务服务局牵头，区发改局…配合


def _unit_note(line: str) -> _UnitNote | None:
    """The note that ends a stripped line, if it ends in one: a bracket whose text opens with a
    field label or says roles in words. Brackets inside it (各县〔区〕政府, 各街道（功能区）) are
    matched, so they neither end nor open it."""
    end = _NOTE_END.search(line)
    if end is None:
        return None
    opening = _opening_bracket(line, end.start())
    if opening is None:
        return None
    inside = line[opening + 1:end.start()].strip()
    return _UnitNote(opening, inside) if _says_units(inside) else None


def _says_units(inside: str) -> bool:
    """Whether a bracket's text is a unit note: it opens with a field label or says roles in words."""
    first = _LABEL.match(inside)
    return bool(first and _field_of(first.group(1))) or bool(_ROLE_WORDS.search(inside))


def _opening_bracket(line: str, closing: int) -> int | None:
    """Where the bracket closed at `closing` opens, brackets inside it matched."""
    depth = 0
    for position in range(closing, -1, -1):
        if line[position] in _CLOSING:
            depth += 1
        elif line[position] in _OPENING:
            depth -= 1
            if depth == 0:
                return position
    return None


@functools.lru_cache(maxsize=256)  # a document says the same few labels thousands of times
def _field_of(label: str) -> str | None:
    """The field a label names (lead, responsible, deadline, progress, roles:配合单位), or None."""
    if label in _BARE_LABELS:
        return _BARE_LABELS[label]
    found = column_field(label)
    return found if found in ("lead", "responsible", "deadline", "progress") or (
        found or "").startswith(ROLE_FIELD) else None


def _label_line(line: str) -> dict[str, str] | None:
    """The fields of a line that opens with a field label (牵头单位：区发改局), else None."""
    first = _LABEL.match(line)
    if first is None or _field_of(first.group(1)) is None:
        return None
    return _note_fields(line, None)


def _note_fields(note: str, default: str | None) -> dict[str, str]:
    """A note's fields, each running to the next label (；, ， or , between them alike:
    〔牵头单位：X，责任单位：Y，Z〕). Text before the first label, roles said in words (X牵头，Y配合),
    goes to `default`."""
    labels = [label for label in _LABEL.finditer(note) if _field_of(label.group(1))]
    fields: dict[str, str] = {}
    before = note[:labels[0].start() if labels else len(note)]
    if default and before.strip(" ;；,，"):
        fields[default] = before.strip(" ;；,，")
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(note)
        value = note[label.end():end].strip().rstrip(";；,，、").strip()  # a 。 may end a progress text
        name = _field_of(label.group(1)) or ""
        fields[name] = f"{fields[name]}、{value}" if name in fields else value
    return fields


def _without_rules(units: str) -> tuple[str, list[str]]:
    """A unit text without the standing rules it states (以下均需各县市区落实，不再逐一列出; …下同;
    各县（市、区）人民政府（下同）): the units, and the rules as published."""
    if not _RULE_WORDS.search(units):  # as in nearly every note
        return units, []
    rules = [remark.group(1) for remark in _RULE_REMARK.finditer(units)]
    units = _RULE_REMARK.sub("", units)
    kept = []
    for sentence in _pieces(units, "。"):
        clauses = _pieces(sentence, "，,；;")
        first_rule = next((index for index, clause in enumerate(clauses) if _RULE.search(clause.strip(" ，,；;"))), None)
        if first_rule is None:
            kept.append(sentence)
            continue
        kept.append("".join(clauses[:first_rule]))
        rules.append("".join(clauses[first_rule:]).strip(" ，,；;。"))
    return "。".join(part.strip(" ，,；;。") for part in kept if part.strip(" ，,；;。")), rules


def _pieces(text: str, separators: str) -> list[str]:
    """`text` cut after each separator outside brackets, separators kept with the piece before."""
    pieces, start, depth = [], 0, 0
    for position, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
        elif char in separators and depth == 0:
            pieces.append(text[start:position + 1])
            start = position + 1
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]
