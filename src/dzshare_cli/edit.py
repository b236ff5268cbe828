"""Changing a table file in place: records added to its tasks, every other byte kept.

`change_table` is the one way a table file is changed: it locks the file, reads it, makes the
change to the lines of the tasks concerned (round-trip YAML that keeps comments, key order
and quoting), validates the whole result and renames it into place. `change_tables` does the
same to several files at once, holding all their locks, for a change that spans the documents
of a ledger.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dzshare_cli.errors import Problem, TableError, UsageError
from dzshare_cli.files import write_atomic, writable_target
from dzshare_cli.loader import decode, parse_table, read_bytes
from dzshare_cli.locks import DEFAULT_LOCK_TIMEOUT, lock_file_for, locked
from dzshare_cli.models import Task, TaskTable, Unit
from dzshare_cli.query import State, task_index, task_statuses
from dzshare_cli.recurrence import LABEL_EXAMPLES, typed_label
from dzshare_cli.units import UnitRegistry, UnknownUnitError

UTF8_BOM = b"\xef\xbb\xbf"
DIFF_CONTEXT = 3  # lines of context around a change, as `diff -u`


@dataclass(frozen=True)
class Edit:
    """A change to a table file: its bytes before and after, and what changed in words."""

    path: Path
    original: bytes
    updated: bytes
    summary: str
    #: The records the edit added, in the order they were added (none: the file is unchanged).
    additions: tuple[Addition, ...] = ()

    @property
    def changed(self) -> bool:
        return self.updated != self.original

    def diff(self, name: str | None = None) -> str:
        """The change as a unified diff (only the changed lines are compared: a big file's
        diff costs what the change does), its headers naming the file `name` (default: the
        file's own name)."""
        before = self.original.decode("utf-8-sig").splitlines(keepends=True)
        after = self.updated.decode("utf-8-sig").splitlines(keepends=True)
        first, before_end, after_end = _changed_window(before, after, DIFF_CONTEXT)
        lines = difflib.unified_diff(before[first:before_end], after[first:after_end],
                                     f"a/{name or self.path.name}", f"b/{name or self.path.name}", n=DIFF_CONTEXT)
        return "".join(_shift_hunk(line, first) for line in lines)


@dataclass(frozen=True)
class Addition:
    """A record to append to a list of one task (`done`, `progress`), and the change in words."""

    task_index: int
    key: str
    record: dict[str, Any]
    summary: str


#: What a command changes, decided against the table as it is once the file is locked:
#: a milestone done a moment ago by another writer is seen as done. A change may add several
#: records (collect: one form's rows), applied in order in one edit; none leaves the file as it is.
TableChange = Callable[[TaskTable], Addition | list[Addition]]


@dataclass(frozen=True)
class TableTarget:
    """One file of a change that spans several: its path, the change, and in a ledger the
    document's key (as change_table's `document`)."""

    path: Path
    change: TableChange
    document: str | None = None


def mark_done(task_id: str, milestone: int | None, on: date, evidence: str | None = None,
              period: str | None = None) -> TableChange:
    """Record a milestone of a task as done on a day (by default its earliest open milestone),
    or, with `period`, one occurrence of its recurrence (2022-03)."""

    def change(table: TaskTable) -> Addition:
        index, task = _find_task(table, task_id)
        if period is not None or (milestone is None and task.deadline.recurrence is not None):
            label = _period_to_mark(task, period, milestone, on)
            record: dict[str, Any] = {"period": label, "date": on}
            if evidence:
                record["evidence"] = evidence
            due = task.deadline.recurrence.rule.occurrence_of(label).due  # type: ignore[union-attr]
            return Addition(index, "done", record,
                            f"task {task.ref}: period {label} (due {due}) recorded done on {on}")
        number = _milestone_to_mark(task, milestone)
        record: dict[str, Any] = {"milestone": number, "date": on}
        if evidence:
            record["evidence"] = evidence
        due = task.deadline.milestones[number - 1].due
        return Addition(index, "done", record,
                        f"task {task.ref}: milestone {number} (due {due}) recorded done on {on}")

    return change


def add_note(task_id: str, unit_name: str, note: str, on: date, units: list[Unit] | None = None) -> TableChange:
    """Add a dated progress note from a unit to a task; in a ledger the unit is named as the
    ledger's registry (`units`, merged across its documents) knows it."""
    if not note.strip():
        raise UsageError("the note is empty")

    def change(table: TaskTable) -> Addition:
        index, task = _find_task(table, task_id)
        registry = UnitRegistry(units, declared=True) if units is not None else UnitRegistry.from_table(table)
        try:
            name = registry.resolve(unit_name).name
        except UnknownUnitError:
            if registry.declared:
                raise
            name = unit_name.strip()  # a table without a registry accepts any unit name
        summary = f"task {task.ref}: progress note from {name} on {on}"
        unit = registry.exact(name)
        if registry.declared and unit is not None and not registry.relations(unit, task):
            summary += f" (note: {name} is neither lead nor responsible for task {task.ref})"
        return Addition(index, "progress", {"date": on, "unit": name, "note": note.strip()}, summary)

    return change


def change_table(path: Path, change: TableChange, *, dry_run: bool = False,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT, document: str | None = None) -> Edit:
    """Make `change` to the table file at `path`: the one way a table file is written.

    The file's lock is held from the read to the rename, so that writers queue instead of
    overwriting each other's work; the whole result is validated before it is written. With
    `dry_run` the edit is only worked out: no lock is taken and nothing is written.
    `document` is the key of a ledger document: its task unit names are the ledger's to check
    (against the registry of every document), and its tasks are named KEY:ID.
    """
    return change_tables([TableTarget(path, change, document)], dry_run=dry_run, lock_timeout=lock_timeout)[0]


def change_tables(targets: list[TableTarget], *, dry_run: bool = False,
                  lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> list[Edit]:
    """Make each target's change to its file, as change_table does one, deciding every change
    before any file is written: all the files' locks are held together (taken in one order, so
    that two writers of the same files cannot wait on each other), every edit is worked out and
    validated, then the changed files are renamed into place. The edits come back in the
    targets' order; a file its change leaves as it was is not written."""
    if dry_run:
        return [_edit(target.path, target.change, target.document) for target in targets]
    for target in targets:
        if not target.path.is_file():
            _read(target.path)  # the usual "cannot read" error, before a lock file is made beside it
        writable_target(target.path, force=True)  # a read-only table is refused before the work, not after
    with ExitStack() as held:
        by_lock = {lock_file_for(target.path): target.path for target in targets}
        for lock_file in sorted(by_lock):
            held.enter_context(locked(by_lock[lock_file], lock_timeout))
        edits = [_edit(target.path, target.change, target.document) for target in targets]
        for edit in edits:
            if edit.changed:
                write_atomic(edit.path, edit.updated, force=True)
    return edits


def _edit(path: Path, change: TableChange, document: str | None = None) -> Edit:
    original, text, table = _read(path, document)
    made = change(table)
    additions = [made] if isinstance(made, Addition) else list(made)
    if not additions:
        return Edit(path, original, original, "nothing to add")
    updated_text, rewritten = _append_record(text, additions)
    result = parse_table(updated_text, str(path), in_ledger=document is not None)
    if result.errors or result.table is None:  # the file was valid before; an invalid result is not written
        raise TableError(result.errors)
    _check_landed(table, result.table, additions)
    summary = "\n".join(addition.summary for addition in additions)
    if rewritten:  # the round trip is faithful for block style; some flow forms it writes its own way
        summary += f" (the YAML writer also reformatted {rewritten} other line(s): see --dry-run)"
    bom = UTF8_BOM if original.startswith(UTF8_BOM) else b""
    return Edit(path, original, bom + updated_text.encode("utf-8"), summary, tuple(additions))


def _check_landed(before: TaskTable, after: TaskTable, additions: list[Addition]) -> None:
    """The edited file holds the same tasks and, in each task changed, as many more records as
    were added: anything else is a bug in the editing, and is not written."""
    added = Counter((addition.task_index, addition.key) for addition in additions)

    def records(table: TaskTable, index: int, key: str) -> int:
        return len(getattr(table.tasks[index], key))

    for (index, key), count in added.items():
        if len(after.tasks) != len(before.tasks) or records(after, index, key) != records(before, index, key) + count:
            raise RuntimeError(f"the edit of task {index + 1} did not come out as "
                               "intended; nothing was written")


def _read(path: Path, document: str | None = None) -> tuple[bytes, str, TaskTable]:
    if path.exists() and not path.is_file():  # a pipe would block, a device never end
        raise TableError([Problem(str(path), None, None, "not a regular file; dzshare changes "
                                  "table files in place", "pass --file PATH to your table", code="file")])
    original = read_bytes(path)  # bounded, with the loader's messages
    text = decode(original, str(path))
    result = parse_table(text, str(path), in_ledger=document is not None)
    if result.errors or result.table is None:
        raise TableError(result.errors)  # fix the file before changing it
    for task in result.table.tasks:
        task._document = document
    return original, text, result.table


def _find_task(table: TaskTable, task_id: str) -> tuple[int, Task]:
    index = task_index(table, task_id)
    return index, table.tasks[index]


def _period_to_mark(task: Task, period: str | None, milestone: int | None, on: date) -> str:
    """The period label to record done: checked against the task's recurrence and its records."""
    recurrence = task.deadline.recurrence
    if recurrence is None:
        raise UsageError(f"task {task.ref}'s deadline ({task.deadline.text}) does not recur; "
                         "leave out --period (or name a milestone with --milestone)")
    if milestone is not None:
        raise UsageError("--milestone and --period name different things; give one")
    if recurrence.start is None:
        raise UsageError(f"task {task.ref} recurs ({task.deadline.text}) from a start the table does not give; "
                         "set document.year, document.date or the task's start: first")
    open_periods = (s.period for s in task_statuses(task, on) if s.period and s.state is not State.DONE)
    earliest = next(open_periods, None)
    if period is None:
        hint = f"the earliest open one is {earliest}" if earliest else "every period so far is recorded done"
        raise UsageError(f"task {task.ref} recurs ({task.deadline.text}); say which period was done with "
                         f"--period, e.g. --period {earliest or LABEL_EXAMPLES[recurrence.every]} ({hint})")
    occurrence = recurrence.rule.occurrence_of(typed_label(period))
    if occurrence is None:
        raise UsageError(f"--period {period} is not a {recurrence.every.value}; write it as "
                         f"{LABEL_EXAMPLES[recurrence.every]}")
    if not recurrence.covers(occurrence.due):
        raise UsageError(f"period {occurrence.period} (due {occurrence.due}) is outside task {task.ref}'s "
                         f"recurrence, which runs {recurrence.span}")
    recorded = next((r for r in task.done if r.period == occurrence.period), None)
    if recorded is not None:
        raise UsageError(f"period {occurrence.period} of task {task.ref} is already recorded done on {recorded.date}")
    return occurrence.period


def _milestone_to_mark(task: Task, milestone: int | None) -> int:
    milestones = task.deadline.milestones
    if not milestones and task.deadline.ongoing:
        raise UsageError(f"task {task.ref} is open-ended ({task.deadline.text}) and has no milestone "
                         "to mark done; record progress with dzshare note")
    if not milestones:
        raise UsageError(f"task {task.ref} has no dated deadline (未定时限), so no milestone to mark done; "
                         "record progress with dzshare note, or give the task its deadline first")
    if milestone is None:
        open_numbers = [n for n, m in enumerate(milestones, start=1) if m.done is None]
        if not open_numbers:
            raise UsageError(f"every milestone of task {task.ref} is already recorded done")
        return open_numbers[0]
    if not 1 <= milestone <= len(milestones):
        raise UsageError(f"task {task.ref} has {len(milestones)} milestone(s); "
                         f"--milestone takes 1 to {len(milestones)}")
    done = milestones[milestone - 1].done
    if done is not None:
        raise UsageError(f"milestone {milestone} of task {task.ref} is already recorded done on {done}")
    return milestone


def _append_record(text: str, additions: list[Addition]) -> tuple[str, int]:
    """The text with the records appended to their tasks, in order, and how many other lines
    were rewritten.

    Only each task's own lines go through the round-trip YAML writer, so the cost is the tasks',
    not the file's; a task without lines of its own (a flow-style list) takes the whole file.
    Tasks are edited from the last up: the places found for them in one reading stay where they are.
    """
    by_task: dict[int, list[Addition]] = {}
    for addition in additions:
        by_task.setdefault(addition.task_index, []).append(addition)
    regions = _task_regions(text, list(by_task))
    indentation = guess_indentation(text)
    rewritten = 0
    for index in sorted(by_task, reverse=True):
        text, count, in_place = _append_to_task(text, index, by_task[index], regions.get(index), indentation)
        rewritten += count
        if not in_place:  # the whole file was written again: the places found before have moved
            regions = {}
    return text, rewritten


def _append_to_task(text: str, index: int, additions: list[Addition], region: tuple[int, int] | None,
                    indentation: tuple[int, int, int]) -> tuple[str, int, bool]:
    """The text with the records appended to task `index`, the lines rewritten, and whether only
    the task's own lines were."""
    if region is not None:
        start, end = region
        lines = text[start:end]
        try:
            updated = _append_in_document(_WRAPPER + lines, 0, additions, indentation)
        except _round_trip_errors():  # e.g. an alias to an anchor outside the task
            updated = None
        if updated is not None and updated.startswith(_WRAPPER):
            new_lines = _line_endings_of(text, updated[len(_WRAPPER):])
            if new_lines.splitlines()[:1] == lines.splitlines()[:1]:  # indented as its neighbours
                return text[:start] + new_lines + text[end:], _rewritten_lines(lines, new_lines), True
    updated = _line_endings_of(text, _append_in_document(text, index, additions, indentation))
    return updated, _rewritten_lines(text, updated), False


#: A task's lines are edited as the one item of a `tasks:` list at the left margin, as they are
#: in the file, so that the writer indents them the same way.
_WRAPPER = "tasks:\n"


def _append_in_document(source: str, index: int, additions: list[Addition], indentation: tuple[int, int, int]) -> str:
    """Append the records to `tasks[index]` of the YAML `source`, keeping the rest as it is."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _round_trip_yaml(indentation)
    data = yaml.load(source)
    task = data["tasks"][index]
    # Blank lines and comments after the task belong to what follows it (a heading over the next
    # task, the units: block): keep them after the lines added here.
    trailing = _detach_trailing_comment(task)
    for addition in additions:
        key = addition.key
        if key not in task or task[key] is None:
            task[key] = CommentedSeq()
        task[key].append(CommentedMap((name, _plain_safe(value)) for name, value in addition.record.items()))
    if trailing is not None:
        # After the task's last line, wherever the records went: a note added to `progress:`
        # that comes before a new `done:` is not the task's last line.
        _attach_trailing_comment(task, trailing)
    return _dump(yaml, data)


def _line_endings_of(text: str, written: str) -> str:
    """ruamel.yaml writes \n; a Windows-edited file keeps its \r\n."""
    if "\r\n" in text:
        return written.replace("\r\n", "\n").replace("\n", "\r\n")
    return written


def _round_trip_errors() -> tuple[type[Exception], ...]:
    from ruamel.yaml.error import YAMLError

    return (YAMLError, KeyError, IndexError, TypeError)


_ITEM_START = re.compile(r" *- +")  # what precedes a task's first key on its line
_NEXT_START = re.compile(r" *(- +)?")  # what precedes the next item, or the next key
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)
_LINE_BREAKS = "\n\r\x85\u2028\u2029"  # the breaks YAML counts lines by


def _task_region(text: str, index: int) -> tuple[int, int] | None:
    """Where task `index` is in the text, as character offsets: from the start of its `- ` line
    to the start of the line where what follows it begins (the blank lines and comments after
    it included). None when the task has no lines of its own: a flow-style list, a table not at
    the left margin, directives that the task's lines alone would not carry.

    Only the events up to the task are parsed: finding a task costs a fraction of a load.
    """
    return _scan_regions(text, {index}).get(index)


def _task_regions(text: str, indices: list[int]) -> dict[int, tuple[int, int]]:
    """_task_region of several tasks, found in one reading of the file."""
    if len(indices) == 1:  # one task: what done and note change
        region = _task_region(text, indices[0])
        return {} if region is None else {indices[0]: region}
    return _scan_regions(text, set(indices))


def _scan_regions(text: str, wanted: set[int]) -> dict[int, tuple[int, int]]:
    import yaml

    if _DIRECTIVE.search(text):
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # as the table loader reads it
    events = yaml.parse(text, Loader=loader)
    try:
        return _regions_in_events(text, events, wanted)
    except (yaml.YAMLError, StopIteration):
        return {}
    finally:
        events.close()


def _regions_in_events(text: str, events: Iterator[Any], wanted: set[int]) -> dict[int, tuple[int, int]]:
    import yaml

    root = next(event for event in events if isinstance(event, yaml.NodeEvent))
    if not isinstance(root, yaml.MappingStartEvent) or root.flow_style:
        return {}
    while True:  # the keys of the root mapping, up to `tasks`
        key = next(events)
        if isinstance(key, yaml.MappingEndEvent):
            return {}
        if isinstance(key, yaml.ScalarEvent) and key.value == "tasks":
            break
        _skip_node(key, events)
        _skip_node(next(events), events)
    if key.start_mark.column != 0:
        return {}
    tasks = next(events)
    if not isinstance(tasks, yaml.SequenceStartEvent) or tasks.flow_style:
        return {}
    found: dict[int, tuple[int, int]] = {}
    item, last = next(events), max(wanted)
    for index in range(last + 1):
        if isinstance(item, yaml.SequenceEndEvent):
            break
        anchored = _skip_node(item, events)
        following = next(events)
        # An anchor or alias ties the task to other lines; the writer needs them all.
        if index in wanted and not anchored:
            start = _line_start(text, item.start_mark, _ITEM_START)
            if following.start_mark.index >= len(text):
                end: int | None = len(text)
            else:
                end = _line_start(text, following.start_mark, _NEXT_START)
            if start is not None and end is not None:
                found[index] = (start, end)
        item = following
    return found


def _skip_node(first: Any, events: Iterator[Any]) -> bool:
    """Consume the events of the node that starts with `first`; True if it holds an anchor
    or an alias."""
    import yaml

    anchored = getattr(first, "anchor", None) is not None
    depth = 1 if isinstance(first, yaml.CollectionStartEvent) else 0
    while depth:
        event = next(events)
        anchored = anchored or getattr(event, "anchor", None) is not None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return anchored


def _line_start(text: str, mark: Any, before: re.Pattern[str]) -> int | None:
    """The offset of the start of `mark`'s line, if what precedes the mark there matches
    `before`; otherwise None (the line is shared with something else)."""
    start = mark.index - mark.column
    if start < 0 or (start > 0 and text[start - 1] not in _LINE_BREAKS):
        return None  # the mark does not count as this text does: do not guess
    return start if before.fullmatch(text[start:mark.index]) else None


def _rewritten_lines(before: str, after: str) -> int:
    """Lines of `before` that `after` does not keep as they were (an edit should only add)."""
    old, new = before.splitlines(), after.splitlines()
    first, old_end, new_end = _changed_window(old, new, 0)
    matcher = difflib.SequenceMatcher(a=old[first:old_end], b=new[first:new_end], autojunk=False)
    return sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("replace", "delete"))


def _changed_window(before: list[str], after: list[str], context: int) -> tuple[int, int, int]:
    """(first, before_end, after_end): the lines outside before[first:before_end] and
    after[first:after_end] are the same in both, less `context` lines kept around the change."""
    shortest = min(len(before), len(after))
    prefix = 0
    while prefix < shortest and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    first = max(0, prefix - context)
    kept = max(0, suffix - context)
    return first, len(before) - kept, len(after) - kept


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def _shift_hunk(line: str, offset: int) -> str:
    """A hunk header of a diff of a window of the file, renumbered as lines of the whole file."""
    match = _HUNK.match(line)
    if not match or not offset:
        return line
    old, old_count, new, new_count = match.groups()
    return (f"@@ -{int(old) + offset}{old_count or ''} +{int(new) + offset}{new_count or ''} @@"
            + line[match.end():])


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


def _attach_trailing_comment(node: Any, token: Any) -> None:
    """Put back a comment token that _detach_trailing_comment took, after the node's last entry
    (after a comment already on that entry's line)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.tokens import CommentToken

    last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    if isinstance(node[last], (CommentedMap, CommentedSeq)) and node[last]:
        _attach_trailing_comment(node[last], token)
        return
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.setdefault(last, [None, None, None, None] if slot == 2 else [None, None])
    same_line = entry[slot]
    entry[slot] = CommentToken(same_line.value + token.value[1:], same_line.start_mark) if same_line else token


def _plain_safe(value: Any) -> Any:
    """A string that YAML 1.1 would read as something else (yes, off, 12:30) is written quoted;
    a date is a fresh object, so that records sharing one day are never written as an anchor
    and its aliases (&id001 … *id001)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, date):
        return date.fromordinal(value.toordinal())

    if isinstance(value, str):
        import yaml

        try:
            reads_back = yaml.safe_load(value)
        except yaml.YAMLError:
            reads_back = None
        if reads_back != value:
            return DoubleQuotedScalarString(value)
    return value


def _round_trip_yaml(indentation: tuple[int, int, int]) -> Any:
    # ruamel.yaml keeps comments, key order, flow style and quoting of what it does not touch;
    # the indentation is read from the file (guess_indentation) so that the rest of it is
    # written back unchanged.
    from ruamel.yaml import YAML

    mapping, sequence, offset = indentation
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
    lines = (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    for line, following in itertools.pairwise(lines):
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
        if mapping is not None and offset is not None:
            break  # found both near the top: the rest of a big file is not read
    if offset is None:
        offset, sequence = 2, 4
    return mapping or 2, sequence or offset + 2, offset


def _dump(yaml: Any, data: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
