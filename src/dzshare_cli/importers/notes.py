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
_NOTE_START = re.compile(r"[(（〔\[【]\s*(?=牵头|责任|配合)")
_NUMBER = re.compile(r"^\s*((?:[(（][一二三四五六七八九十\d]+[)）])|(?:\d+(?:\.\d+)*)[.、．]?)\s*")
_FIELDS = {"牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "责任单位": "responsible",
           "责任部门": "responsible", "配合单位": "responsible", "完成时限": "deadline",
           "时间节点": "deadline", "完成时间": "deadline", "时限": "deadline"}
_HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def read_inline_notes(text: str, budget: ReadBudget) -> SourceTable:
    """A line ending in a unit note ends a task; lines before it since the last task, heading or
    numbered line are its text. A line such as 一、… is a heading; lines before any task and
    heading are the title."""
    rows = [SourceRow(list(_HEADER), "header")]
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
        row = SourceRow([task_id, body, fields.get("lead", ""), fields.get("responsible", ""),
                         fields.get("deadline", "")], where)
        budget.add_row(row.cells, where)
        rows.append(row)
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
    return _UnitNote(start.start(), line[start.end():end.start()]) if start else None


def _note_fields(note: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in re.split(r"[;；]", note):
        pieces = re.split(r"\s*[:：]\s*", part.strip(), maxsplit=1)
        if len(pieces) == 2 and pieces[0] in _FIELDS:
            name = _FIELDS[pieces[0]]
            fields[name] = f"{fields[name]}、{pieces[1]}" if name in fields else pieces[1]
    return fields
