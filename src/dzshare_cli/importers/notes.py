"""Reader of plain text in which each task carries its units in a note: (牵头单位:X;责任单位:Y)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dzshare_cli.importers.columns import SourceRow, SourceTable, iter_lines
from dzshare_cli.limits import ReadBudget

#: The note that ends a task: (…) or 〔…〕, full- or half-width, opening with 牵头… or 责任…; the
#: units inside may have parentheses of their own (各乡镇(街道)).
#: (Found in two steps, the end then the start: one regular expression for both took time
#: quadratic in the line's length on a line of many openings.)
_NOTE_END = re.compile(r"[)）〕\]】]\s*[。;；]?$")
_NOTE_START = re.compile(r"[(（〔\[【]\s*(?=牵头|责任|配合|协办|主办)")
#: A note that says roles in words instead of labels: (区政务服务局牵头,区发改局…配合).
_ROLE_WORDS = re.compile(r"牵头|配合|负责|按职责|参照落实|协办")
#: A task's number (1. / (一) / 1.2); not the year of a title (2022年…).
_NUMBER = re.compile(r"^\s*((?:[(（][一二三四五六七八九十\d]+[)）])|(?:\d+(?:\.\d+)*)(?![\d年])[.、．]?)\s*")
_FIELDS = {"牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "主办单位": "lead", "责任单位": "responsible",
           "责任部门": "responsible", "完成时限": "deadline", "时间节点": "deadline", "完成时间": "deadline",
           "时限": "deadline", "进展情况": "progress", "完成情况": "progress"}
#: Labels of further roles (配合单位:…), kept under their own name as a table's columns are.
_FURTHER_ROLE = ("配合单位", "配合部门", "协办单位", "参与单位", "数据提供单位")
#: Where each label starts inside a note: fields are told by their labels, not by the separator
#: between them (;, ；, or the comma of 〔牵头单位:X,责任单位:Y,Z〕).
_LABEL = re.compile("(" + "|".join(sorted([*_FIELDS, *_FURTHER_ROLE], key=len, reverse=True)) + r")\s*[:：]")
_HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "进展情况"]
_COLUMN = {"lead": 2, "responsible": 3, "deadline": 4, "progress": 5}
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def read_inline_notes(text: str, budget: ReadBudget) -> SourceTable:
    """A line ending in a unit note ends a task; lines before it since the last task, heading or
    numbered line are its text. A line such as 一、… is a heading; lines before any task and
    heading are the title."""
    rows = [SourceRow(list(_HEADER), "header")]
    roles: list[str] = []  # further role labels, in the order first seen: columns after _HEADER
    preamble: list[str] = []
    pending: list[str] = []  # lines of a task whose note has not come yet
    pending_line = 0
    for number, line in enumerate(iter_lines(text), start=1):  # lazily: a file may hold 10^7 lines
        stripped = line.strip()
        if not stripped:
            continue
        budget.add_cells(1, f"line {number}")
        budget.check_text(stripped, f"line {number}")
        note = _unit_note(stripped)
        if note is None:
            if _HEADING.match(stripped):
                rows.append(SourceRow([stripped], f"line {number}"))
                pending = []
            elif pending or _NUMBER.match(stripped):  # a numbered task whose note comes later
                pending_line = pending_line if pending else number
                pending.append(stripped)
            elif len(rows) == 1:
                preamble.append(stripped)
            continue
        body = "".join([*pending, stripped[: note.start].strip()])
        where = f"line {pending_line if pending else number}"
        pending = []
        fields = _note_fields(note.inside)
        label = _NUMBER.match(body)
        task_id = label.group(1).rstrip(".、．") if label else ""
        body = body[label.end():] if label else body
        cells = [task_id, body, *([""] * (len(_HEADER) - 2 + len(roles)))]
        for name, value in fields.items():
            if name not in _COLUMN and name not in roles:
                roles.append(name)
                cells.append("")
            cells[_COLUMN[name] if name in _COLUMN else len(_HEADER) + roles.index(name)] = value
        row = SourceRow(cells, where)
        budget.add_row(row.cells, where)
        rows.append(row)
    rows[0] = SourceRow([*_HEADER, *roles], "header")
    return SourceTable(preamble, rows)


@dataclass(frozen=True)
class _UnitNote:
    start: int  # where its opening bracket is
    inside: str  # 牵头单位:X;责任单位:Y


def _unit_note(line: str) -> _UnitNote | None:
    """The note that ends a stripped line, if it ends in one."""
    end = _NOTE_END.search(line)
    if end is None:
        return None
    # Inside the note there is none of 〔〕【】 (a 〔 or 【 may open it).
    fence = max(line.rfind(bracket, 0, end.start()) for bracket in "〔〕【】")
    start = _NOTE_START.search(line, max(fence, 0), end.start())
    if start:
        return _UnitNote(start.start(), line[start.end():end.start()])
    opening = _opening_bracket(line, end.start())
    if opening is not None and _ROLE_WORDS.search(line, opening, end.start()):
        return _UnitNote(opening, "责任单位:" + line[opening + 1:end.start()])
    return None


def _opening_bracket(line: str, closing: int) -> int | None:
    """Where the bracket closed at `closing` opens, brackets inside it (各县(市、区)) matched."""
    depth = 0
    for position in range(closing, -1, -1):
        if line[position] in ")）〕]】":
            depth += 1
        elif line[position] in "(（〔[【":
            depth -= 1
            if depth == 0:
                return position
    return None


def _note_fields(note: str) -> dict[str, str]:
    """The note's fields by label; a further role's label is kept as its field's name."""
    fields: dict[str, str] = {}
    labels = list(_LABEL.finditer(note))
    for number, label in enumerate(labels):
        end = labels[number + 1].start() if number + 1 < len(labels) else len(note)
        value = note[label.end():end].strip().rstrip(";；,，").strip()  # a 。 may end a progress text
        name = _FIELDS.get(label.group(1), label.group(1))
        fields[name] = f"{fields[name]}、{value}" if name in fields else value
    return fields
