"""Changing a table file in place: round-trip YAML that keeps comments, key order and quoting.

Every edit is checked as a whole table before it is written, and it is written atomically, only
if the file is still what was read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dzshare_cli.errors import Problem, TableError, UsageError
from dzshare_cli.files import OutputError, write_atomic
from dzshare_cli.loader import decode, parse_table
from dzshare_cli.models import Task, TaskTable
from dzshare_cli.query import task_index
from dzshare_cli.units import UnitRegistry, UnknownUnitError

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Edit:
    """A change to a table file: its bytes before and after, and what changed in words."""

    path: Path
    original: bytes
    updated: bytes
    summary: str

    def diff(self) -> str:
        """The change as a unified diff."""
        before = self.original.decode("utf-8-sig").splitlines(keepends=True)
        after = self.updated.decode("utf-8-sig").splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, f"a/{self.path.name}", f"b/{self.path.name}"))


def mark_done(path: Path, task_id: str, milestone: int | None, on: date,
              evidence: str | None = None) -> Edit:
    """Record a milestone of a task as done on a day (by default its earliest open milestone)."""
    original, text, table = _read(path)
    index, task = _find_task(table, task_id)
    number = _milestone_to_mark(task, milestone)
    record: dict[str, Any] = {"milestone": number, "date": on}
    if evidence:
        record["evidence"] = evidence
    due = task.deadline.milestones[number - 1].due
    summary = f"task {task.id}: milestone {number} (due {due}) recorded done on {on}"
    return _edit(path, original, text, index, "done", record, summary)


def add_note(path: Path, task_id: str, unit_name: str, note: str, on: date) -> Edit:
    """Add a dated progress note from a unit to a task."""
    if not note.strip():
        raise UsageError("the note is empty")
    original, text, table = _read(path)
    index, task = _find_task(table, task_id)
    registry = UnitRegistry.from_table(table)
    try:
        name = registry.resolve(unit_name).name
    except UnknownUnitError:
        if registry.declared:
            raise
        name = unit_name.strip()  # a table without a registry accepts any unit name
    record = {"date": on, "unit": name, "note": note.strip()}
    summary = f"task {task.id}: progress note from {name} on {on}"
    unit = registry.exact(name)
    if registry.declared and unit is not None and not registry.relations(unit, task):
        summary += f" (note: {name} is neither lead nor responsible for task {task.id})"
    return _edit(path, original, text, index, "progress", record, summary)


def apply_edit(edit: Edit) -> None:
    """Write an edit, refusing when the file changed on disk since it was read."""
    try:
        current = edit.path.read_bytes()  # through a symlink, as it was read
    except OSError as error:
        raise OutputError(f"{edit.path}: cannot read it again: {error.strerror}") from None
    if current != edit.original:
        raise OutputError(f"{edit.path}: the file changed on disk since it was read; "
                          "nothing was written, run the command again")
    write_atomic(edit.path, edit.updated, force=True)


def _read(path: Path) -> tuple[bytes, str, TaskTable]:
    try:
        original = path.read_bytes()
    except OSError as error:
        raise TableError([Problem(str(path), None, None, f"cannot read: {error.strerror}",
                                  "pass --file PATH to your table", code="file")]) from None
    text = decode(original, str(path))
    result = parse_table(text, str(path))
    if result.errors or result.table is None:
        raise TableError(result.errors)  # fix the file before changing it
    return original, text, result.table


def _find_task(table: TaskTable, task_id: str) -> tuple[int, Task]:
    index = task_index(table, task_id)
    return index, table.tasks[index]


def _milestone_to_mark(task: Task, milestone: int | None) -> int:
    milestones = task.deadline.milestones
    if not milestones:
        raise UsageError(f"task {task.id} is open-ended ({task.deadline.text}) and has no milestone "
                         "to mark done; record progress with dzshare note")
    if milestone is None:
        open_numbers = [n for n, m in enumerate(milestones, start=1) if m.done is None]
        if not open_numbers:
            raise UsageError(f"every milestone of task {task.id} is already recorded done")
        return open_numbers[0]
    if not 1 <= milestone <= len(milestones):
        raise UsageError(f"task {task.id} has {len(milestones)} milestone(s); "
                         f"--milestone takes 1 to {len(milestones)}")
    done = milestones[milestone - 1].done
    if done is not None:
        raise UsageError(f"milestone {milestone} of task {task.id} is already recorded done on {done}")
    return milestone


def _edit(path: Path, original: bytes, text: str, index: int, key: str, record: dict[str, Any],
          summary: str) -> Edit:
    """Append `record` to the list `key` of task `index`, keeping the rest of the file as it is."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _round_trip_yaml(text)
    data = yaml.load(text)
    task = data["tasks"][index]
    # Blank lines and comments after the task belong to what follows it (a heading over the next
    # task, the units: block): keep them after the lines added here.
    trailing = _detach_trailing_comment(task)
    if key not in task or task[key] is None:
        task[key] = CommentedSeq()
    entry = CommentedMap((name, _plain_safe(value)) for name, value in record.items())
    task[key].append(entry)
    if trailing is not None:
        entry.ca.items[list(entry)[-1]] = [None, None, trailing, None]
    updated_text = _dump(yaml, data)
    if "\r\n" in text:  # ruamel.yaml writes \n; a Windows-edited file keeps its \r\n
        updated_text = updated_text.replace("\r\n", "\n").replace("\n", "\r\n")
    result = parse_table(updated_text, str(path))
    if result.errors:  # the file was valid before; an invalid result is not written
        raise TableError(result.errors)
    rewritten = _rewritten_lines(text, updated_text)
    if rewritten:  # the round trip is faithful for block style; some flow forms it writes its own way
        summary += f" (the YAML writer also reformatted {rewritten} other line(s): see --dry-run)"
    bom = UTF8_BOM if original.startswith(UTF8_BOM) else b""
    return Edit(path, original, bom + updated_text.encode("utf-8"), summary)


def _rewritten_lines(before: str, after: str) -> int:
    """Lines of `before` that `after` does not keep as they were (an edit should only add)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("replace", "delete"))


def _detach_trailing_comment(node: Any) -> Any:
    """Remove and return the comment token that ruamel.yaml keeps after a node's last entry
    (blank lines and comments up to the next item), leaving a comment on the same line in place."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.tokens import CommentToken

    if not isinstance(node, (CommentedMap, CommentedSeq)) or not node:
        return None
    last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    inner = _detach_trailing_comment(node[last])
    if inner is not None:
        return inner
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.get(last)
    if not entry or entry[slot] is None:
        return None
    token = entry[slot]
    same_line, _, after = token.value.partition("\n") if not token.value.startswith("\n") else ("", "", token.value[1:])
    if not after:
        return None  # only a comment on the value's own line: it stays there
    entry[slot] = CommentToken(same_line + "\n", token.start_mark) if same_line else None
    return CommentToken("\n" + after, token.start_mark)


def _plain_safe(value: Any) -> Any:
    """A string that YAML 1.1 would read as something else (yes, off, 12:30) is written quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        import yaml

        try:
            reads_back = yaml.safe_load(value)
        except yaml.YAMLError:
            reads_back = None
        if reads_back != value:
            return DoubleQuotedScalarString(value)
    return value


def _round_trip_yaml(text: str) -> Any:
    # ruamel.yaml keeps comments, key order, flow style and quoting of what it does not touch;
    # the indentation is read from the file so that the rest of it is written back unchanged.
    from ruamel.yaml import YAML

    mapping, sequence, offset = guess_indentation(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long task text onto two lines
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_KEY_OPENING_BLOCK = re.compile(r"^( *)[^\s#-][^:]*:\s*(#.*)?$")
_KEY = re.compile(r"^( *)[^\s#-]")
_DASH = re.compile(r"^( *)-( +)\S")


def guess_indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, dash offset) indents of a block-style YAML file, as ruamel.yaml takes
    them: `key:\n  - item` is (2, 4, 2). Defaults where the file shows none."""
    mapping = sequence = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:]):
        opening = _KEY_OPENING_BLOCK.match(line)
        if not opening:
            continue
        parent = len(opening.group(1))
        dash, key = _DASH.match(following), _KEY.match(following)
        if dash and offset is None and len(dash.group(1)) >= parent:
            offset = len(dash.group(1)) - parent
            sequence = offset + 1 + len(dash.group(2))
        elif key and mapping is None and len(key.group(1)) > parent:
            mapping = len(key.group(1)) - parent
    if offset is None:
        offset, sequence = 2, 4
    return mapping or 2, sequence or offset + 2, offset


def _dump(yaml: Any, data: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
