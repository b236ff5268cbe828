"""What changed between two versions of a table, in the table's own terms (moved deadlines, units).

Reading a version from git is here too; comparing is pure and never touches git.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from dzshare_cli.errors import DzshareError, Problem, TableError, UsageError, quoted
from dzshare_cli.exporters import DiffFormat
from dzshare_cli.loader import decode, read_limited
from dzshare_cli.deadlines import recurrence_text
from dzshare_cli.models import Document, Milestone, ProgressNote, Recurring, Task, TaskTable, Unit

GIT_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Change:
    """One change: what kind, which task (None for registry changes), and before / after; in a
    ledger, the document it is in (None for the ledger's own header and registry)."""

    kind: str
    task: int | str | None
    message: str
    old: Any = None
    new: Any = None
    document: str | None = None

    def record(self) -> dict[str, Any]:
        return {"document": self.document, "kind": self.kind, "task": self.task, "message": self.message,
                "old": self.old, "new": self.new}


def compare(old: TaskTable, new: TaskTable) -> list[Change]:
    """Every change from `old` to `new`, tasks in the new table's order, then the registry."""
    return _document_changes(old, new) + _task_list_changes(old.tasks, new.tasks) + \
        _registry_changes(old.units or [], new.units or [])


def compare_ledgers(old: TaskTable, new: TaskTable, keys: list[str] | None = None) -> list[Change]:
    """Every change from one version of a ledger to another, document by document (in the new
    manifest's order, then those removed), then the ledger's registry; `keys` narrows it to some
    documents. Tasks are named KEY:ID."""
    changes = [Change("ledger-changed", None, f"ledger {field}: {getattr(old.document, field)} → "
                      f"{getattr(new.document, field)}", old=getattr(old.document, field),
                      new=getattr(new.document, field))
               for field in ("title", "issuer") if getattr(old.document, field) != getattr(new.document, field)]
    old_tasks, new_tasks = _by_document(old), _by_document(new)
    for key in [*new.documents, *(key for key in old.documents if key not in new.documents)]:
        if keys is not None and key not in keys:
            continue
        if key not in old.documents:
            title = new.documents[key].document.title
            changes.append(Change("document-added", None, f"document {key} added: {title} "
                                  f"({_tasks(len(new_tasks.get(key, [])))})", new=title, document=key))
        elif key not in new.documents:
            title = old.documents[key].document.title
            changes.append(Change("document-removed", None, f"document {key} removed: {title} "
                                  f"({_tasks(len(old_tasks.get(key, [])))})", old=title, document=key))
        else:
            changes += _header_changes(old.documents[key].document, new.documents[key].document, key)
            changes += _task_list_changes(old_tasks.get(key, []), new_tasks.get(key, []))
    return changes + _registry_changes(old.units or [], new.units or [])


def _tasks(count: int) -> str:
    return f"{count} task" if count == 1 else f"{count} tasks"


def _by_document(table: TaskTable) -> dict[str | None, list[Task]]:
    grouped: dict[str | None, list[Task]] = {}
    for task in table.tasks:
        grouped.setdefault(task.document, []).append(task)
    return grouped


def _task_list_changes(old: list[Task], new: list[Task]) -> list[Change]:
    old_tasks = {str(task.id): task for task in old}
    new_tasks = {str(task.id): task for task in new}
    changes = [Change("task-removed", task.id, f"task {task.ref} removed: {task.short_title}",
                      old=task.text, document=task.document) for key, task in old_tasks.items()
               if key not in new_tasks]
    for key, task in new_tasks.items():
        if key not in old_tasks:
            changes.append(Change("task-added", task.id, f"task {task.ref} added: {task.short_title}",
                                  new=task.text, document=task.document))
        else:
            changes += _task_changes(old_tasks[key], task)
    return changes


def _document_changes(old: TaskTable, new: TaskTable) -> list[Change]:
    return _header_changes(old.document, new.document)


def _header_changes(old: Document, new: Document, key: str | None = None) -> list[Change]:
    """A document's header fields that changed; in a ledger, named by the document's key."""
    which = f"document {key}" if key is not None else "document"
    return [Change("document-changed", None, f"{which} {field}: {getattr(old, field)} → "
                   f"{getattr(new, field)}", old=_plain(getattr(old, field)),
                   new=_plain(getattr(new, field)), document=key)
            for field in ("title", "attachment", "issuer", "year", "date")
            if getattr(old, field) != getattr(new, field)]


def _plain(value: Any) -> Any:
    """A value as JSON holds it: a date (document.date) as its ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _task_changes(old: Task, new: Task) -> list[Change]:
    """The changes of one task; messages name it as commands do (KEY:ID in a ledger), records
    by its id and document."""
    name = new.ref
    changes = []
    if old.text != new.text:
        changes.append(Change("text-changed", name, f"task {name}: text reworded",
                              old=old.text, new=new.text))
    if old.title != new.title:
        changes.append(Change("title-changed", name, f"task {name}: title {old.title} → {new.title}",
                              old=old.title, new=new.title))
    for field, label in (("lead", "lead"), ("responsible", "responsible")):
        before, after = getattr(old, field), getattr(new, field)
        changes += [Change(f"{field}-added", name, f"task {name}: {unit} added as {label}", new=unit)
                    for unit in after if unit not in before]
        changes += [Change(f"{field}-removed", name, f"task {name}: {unit} no longer {label}", old=unit)
                    for unit in before if unit not in after]
    for role in dict.fromkeys([*old.roles, *new.roles]):
        before, after = old.roles.get(role, []), new.roles.get(role, [])
        changes += [Change("role-added", name, f"task {name}: {unit} added as {role}", new=unit)
                    for unit in after if unit not in before]
        changes += [Change("role-removed", name, f"task {name}: {unit} no longer {role}", old=unit)
                    for unit in before if unit not in after]
    changes += _deadline_changes(name, old, new)
    changes += [Change("progress-added", name, f"task {name}: progress note{_note_source(note)}: "
                       f"{note.note}", new=note.note)
                for note in new.progress if note not in old.progress]
    return [replace(change, task=new.id, document=new.document) for change in changes]


def _note_source(note: ProgressNote) -> str:
    """' from 市财政局 on 2022-03-01', or as much of it as the note says (an imported one: none)."""
    return (f" from {note.unit}" if note.unit else "") + (f" on {note.date}" if note.date else "")


def _deadline_changes(task_id: Any, old: Task, new: Task) -> list[Change]:
    before, after = old.deadline, new.deadline
    changes = []
    if before.ongoing != after.ongoing:
        state = "now open-ended (长期推进)" if after.ongoing else "no longer open-ended"
        changes.append(Change("ongoing-changed", task_id, f"task {task_id}: {state}",
                              old=before.ongoing, new=after.ongoing))
    for number in range(1, max(len(before.milestones), len(after.milestones)) + 1):
        was = before.milestones[number - 1] if number <= len(before.milestones) else None
        now = after.milestones[number - 1] if number <= len(after.milestones) else None
        changes += _milestone_changes(task_id, number, was, now)
    changes += _recurrence_changes(task_id, before.recurrence, after.recurrence)
    if old.start != new.start:
        changes.append(Change("start-changed", task_id, f"task {task_id}: start {old.start or '—'} → "
                              f"{new.start or '—'}", old=_plain(old.start), new=_plain(new.start)))
    changes += _period_changes(task_id, old, new)
    if before.text != after.text and not changes:
        changes.append(Change("deadline-text-changed", task_id,
                              f"task {task_id}: deadline reworded, same dates: {before.text} → {after.text}",
                              old=before.text, new=after.text))
    return changes


def _recurrence_summary(recurrence: Recurring | None) -> str | None:
    """'每月25日前 (2022-01-01 – 2022-12-31)': the rule and the span its occurrences fall in."""
    if recurrence is None:
        return None
    return (f"{recurrence_text(recurrence.rule)} ({recurrence.start or '?'} – "
            f"{recurrence.end or '长期'})")


def _recurrence_changes(task_id: Any, was: Recurring | None, now: Recurring | None) -> list[Change]:
    """A recurrence added, removed or changed in its rule or its span: every due date moves with it."""
    before, after = _recurrence_summary(was), _recurrence_summary(now)
    if before == after:
        return []
    if before is None:
        return [Change("recurrence-added", task_id, f"task {task_id}: now recurs {after}", new=after)]
    if after is None:
        return [Change("recurrence-removed", task_id, f"task {task_id}: no longer recurs (was {before})",
                       old=before)]
    return [Change("recurrence-changed", task_id, f"task {task_id}: recurrence {before} → {after}",
                   old=before, new=after)]


def _period_changes(task_id: Any, old: Task, new: Task) -> list[Change]:
    """Occurrences of a recurrence recorded done (done --period), or whose record changed."""
    before = {record.period: record.date for record in old.done if record.period is not None}
    after = {record.period: record.date for record in new.done if record.period is not None}
    changes = []
    for period in dict.fromkeys([*after, *before]):
        was, now = before.get(period), after.get(period)
        if was == now:
            continue
        message = (f"task {task_id}, period {period}: marked done on {now}" if was is None
                   else f"task {task_id}, period {period}: no longer recorded done" if now is None
                   else f"task {task_id}, period {period}: done date {was} → {now}")
        changes.append(Change("period-done", task_id, message, old=_plain(was), new=_plain(now)))
    return changes


def _milestone_changes(task_id: Any, number: int, was: Milestone | None,
                       now: Milestone | None) -> list[Change]:
    where = f"task {task_id}, milestone {number}"
    if was is None and now is not None:
        return [Change("milestone-added", task_id, f"{where} added: due {now.due} {now.goal or ''}".rstrip(),
                       new=now.due.isoformat())]
    if now is None and was is not None:
        return [Change("milestone-removed", task_id, f"{where} removed (was due {was.due})",
                       old=was.due.isoformat())]
    assert was is not None and now is not None
    changes = []
    if was.due != now.due:
        changes.append(Change("deadline-moved", task_id, f"{where}: deadline moved {was.due} → {now.due}",
                              old=was.due.isoformat(), new=now.due.isoformat()))
    if was.goal != now.goal:
        changes.append(Change("goal-changed", task_id, f"{where}: goal {was.goal} → {now.goal}",
                              old=was.goal, new=now.goal))
    if was.done != now.done:
        message = (f"{where}: marked done on {now.done}" if was.done is None
                   else f"{where}: done date {was.done} → {now.done}")
        changes.append(Change("milestone-done", task_id, message,
                              old=was.done.isoformat() if was.done else None,
                              new=now.done.isoformat() if now.done else None))
    return changes


def _registry_changes(old: list[Unit], new: list[Unit]) -> list[Change]:
    before = {unit.name: unit for unit in old}
    after = {unit.name: unit for unit in new}
    changes = [Change("unit-removed", None, f"unit {name} removed from the registry", old=name)
               for name in before if name not in after]
    for name, unit in after.items():
        if name not in before:
            changes.append(Change("unit-added", None, f"unit {name} added to the registry", new=name))
            continue
        if before[name].kind != unit.kind:
            was_kind = before[name].kind.value if before[name].kind else None
            now_kind = unit.kind.value if unit.kind else None
            changes.append(Change("unit-kind-changed", None, f"unit {name}: kind {was_kind} → {now_kind}",
                                  old=was_kind, new=now_kind))
        for field, kind in (("aliases", "alias"), ("members", "member")):
            was, now = getattr(before[name], field), getattr(unit, field)
            changes += [Change(f"{kind}-added", None, f"unit {name}: {item} added to its {field}",
                               new=item) for item in now if item not in was]
            changes += [Change(f"{kind}-removed", None, f"unit {name}: {item} removed from its {field}",
                               old=item) for item in was if item not in now]
    return changes


class GitError(DzshareError):
    """A version of the table that git cannot give: not a repository, no such revision or file."""


def check_revision(revision: str) -> None:
    """Refuse what git would not read as a revision: an option (`--output=FILE` makes git write
    a file) or nothing at all (`:./tasks.yaml` is the index, not a commit)."""
    if not revision.strip():
        raise UsageError("the revision is empty; name a commit, a branch or a tag, such as HEAD~1")
    if revision.startswith("-"):
        raise UsageError(f"revision {quoted(revision)} starts with '-': git would read it as an "
                         "option; name a commit, a branch or a tag, such as HEAD~1")


def read_revision(path: Path, revision: str) -> str:
    """The text of `path` as it was at a git revision, read like a file: at most the size limit."""
    check_revision(revision)
    directory = path.resolve().parent
    name = f"{path.name}@{revision}"
    command = ["git", "-C", str(directory), "show", *_end_of_options(), f"{revision}:./{path.name}"]
    data, returncode, error = _run_git(command, name)
    if returncode == 0:
        return decode(data, name)  # the checks any table file gets
    if "not a git repository" in error:
        raise UsageError(f"{path}: not in a git repository; dzshare diff compares git revisions")
    if "exists on disk, but not in" in error or "does not exist in" in error:
        raise UsageError(f"{path.name} is not in revision {revision}")
    last_line = error.strip().splitlines()[-1] if error.strip() else f"git exited with {returncode}"
    raise UsageError(f"git cannot read {path.name} at {revision}: {last_line}")


def read_folder_revision(folder: Path, revision: str, into: Path, limit: int) -> None:
    """Write the files of `folder` as they were at a git revision into the empty folder `into`
    (a ledger's manifest and tables, read as they were). Regular files only, at most `limit`
    bytes in all, none outside `into`."""
    import subprocess
    import tarfile
    import tempfile

    check_revision(revision)
    name = f"{folder}@{revision}"
    top, prefix = _repository_place(folder, revision)
    with tempfile.TemporaryFile() as archive, tempfile.TemporaryFile() as messages:
        try:
            # git archive limits itself to the working folder when run below the top of the
            # repository: it is run at the top, on the folder's tree at the revision.
            completed = subprocess.run(
                ["git", "-C", top, "archive", "--format=tar", *_end_of_options(), f"{revision}:{prefix}"],
                stdin=subprocess.DEVNULL, stdout=archive, stderr=messages,
                timeout=GIT_TIMEOUT_SECONDS, check=False)
        except FileNotFoundError:
            raise GitError("git is not installed; dzshare diff reads older versions with it") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git did not answer within {GIT_TIMEOUT_SECONDS} s") from None
        if completed.returncode != 0:
            messages.seek(0)
            if not _is_commit(top, revision):  # git says "not a valid object name" for both
                raise UsageError(f"git knows no revision '{revision}' (a commit, branch or tag) in {top}")
            _git_refusal(folder, revision, messages.read(_GIT_MESSAGE_BYTES).decode("utf-8", errors="replace"),
                         completed.returncode)
        if archive.tell() > limit * 2:  # tar headers and padding add to the files' own bytes
            raise TableError([Problem(name, None, None, f"the ledger at {revision} is larger than the "
                                      f"limit of {limit:,} bytes", code="too-large")])
        archive.seek(0)
        total = 0
        with tarfile.open(fileobj=archive, mode="r:") as tar:
            for member in tar:
                parts = Path(member.name).parts
                if not member.isfile() or Path(member.name).is_absolute() or ".." in parts:
                    continue
                total += member.size
                if total > limit:
                    raise TableError([Problem(name, None, None, f"the ledger at {revision} is larger than "
                                              f"the limit of {limit:,} bytes", code="too-large")])
                target = into.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file has its bytes
                target.write_bytes(source.read())


def _is_commit(top: str, revision: str) -> bool:
    """Whether git knows `revision` as a commit (a ledger's folder may be missing from one it knows)."""
    import subprocess

    try:
        completed = subprocess.run(["git", "-C", top, "rev-parse", "--verify", "--quiet", *_end_of_options(),
                                    f"{revision}^{{commit}}"], stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: the message about the folder stands
    return completed.returncode == 0


def _repository_place(folder: Path, revision: str) -> tuple[str, str]:
    """The top of the git repository holding `folder`, and the folder's path below it."""
    import subprocess

    try:
        completed = subprocess.run(["git", "-C", str(folder.resolve()), "rev-parse", "--show-toplevel",
                                    "--show-prefix"], stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=GIT_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; dzshare diff reads older versions with it") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git did not answer within {GIT_TIMEOUT_SECONDS} s") from None
    lines = completed.stdout.decode("utf-8", errors="replace").splitlines()
    if completed.returncode != 0 or not lines:
        _git_refusal(folder, revision, completed.stderr[:_GIT_MESSAGE_BYTES].decode("utf-8", errors="replace"),
                     completed.returncode)
    return lines[0], lines[1] if len(lines) > 1 else ""


def _git_refusal(path: Path, revision: str, error: str, returncode: int) -> NoReturn:
    """Why git could not give a version, as a user's error."""
    if "not a git repository" in error:
        raise UsageError(f"{path}: not in a git repository; dzshare diff compares git revisions")
    if "exists on disk, but not in" in error or "does not exist in" in error or "not a valid object" in error \
            or "not a tree object" in error:
        raise UsageError(f"{path} is not in revision {revision}")
    last_line = error.strip().splitlines()[-1] if error.strip() else f"git exited with {returncode}"
    raise UsageError(f"git cannot read {path} at {revision}: {last_line}")


#: What git writes on stderr is read up to this much: a message, not data.
_GIT_MESSAGE_BYTES = 64 * 1024


def _run_git(command: list[str], name: str) -> tuple[bytes, int, str]:
    """git's output (at most the size limit for a table), exit code and message.

    Read through a pipe and stopped at the limit, so a huge blob never sits in memory whole;
    stderr goes to a temporary file so that neither pipe can fill up and stall git.
    """
    import subprocess  # only diff runs git
    import tempfile
    import threading

    with tempfile.TemporaryFile() as messages:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=messages)
        except FileNotFoundError:
            raise GitError("git is not installed; dzshare diff reads older versions with it") from None
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(GIT_TIMEOUT_SECONDS, expire)
        timer.start()
        try:
            assert process.stdout is not None
            with process.stdout:
                data = read_limited(process.stdout, name)
        except TableError:
            process.kill()
            raise
        finally:
            returncode = process.wait()
            timer.cancel()
        if expired.is_set():
            raise GitError(f"git did not answer within {GIT_TIMEOUT_SECONDS} s")
        messages.seek(0)
        error = messages.read(_GIT_MESSAGE_BYTES).decode("utf-8", errors="replace")
    return data, returncode, error


#: The first git that takes --end-of-options, which keeps any later argument from being an option.
_END_OF_OPTIONS_SINCE = (2, 24)


@functools.cache
def _end_of_options() -> tuple[str, ...]:
    """`--end-of-options` when this git knows it; older ones refuse it, and there the refusal of
    revisions that start with '-' is what keeps them from being options."""
    import subprocess

    try:
        completed = subprocess.run(["git", "--version"], capture_output=True,
                                   timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()  # reading the revision will say what is wrong with git
    found = re.search(rb"(\d+)\.(\d+)", completed.stdout)
    version = (int(found[1]), int(found[2])) if found else (0, 0)
    return ("--end-of-options",) if version >= _END_OF_OPTIONS_SINCE else ()


def diff_text(changes: list[Change], old_label: str, new_label: str) -> str:
    return "".join(f"{change.message}\n" for change in changes)


def diff_markdown(changes: list[Change], old_label: str, new_label: str) -> str:
    """A pull-request comment: the changes grouped by task, then the registry; every text from
    the table escaped as the markdown format escapes it (no HTML or links pass through)."""
    from dzshare_cli.exporters.markdown import md_line, md_text

    lines = [f"**dzshare diff** {_code_span(old_label)} → {_code_span(new_label)}: "
             f"{len(changes)} change(s)", ""]
    if not changes:
        lines.append("No change to tasks, deadlines or units.")
    groups: dict[tuple[str | None, Any], list[Change]] = {}
    for change in changes:
        groups.setdefault((change.document, change.task), []).append(change)
    for (document, task), group in groups.items():
        if task is not None:
            name = f"{document}:{task}" if document is not None else str(task)
            lines.append(f"- **Task {md_text(name)}**")
            lines += [f"  - {md_line(change.message)}" for change in group]
            continue
        # Changes of no task: the document's header, then the unit registry, each under its name.
        whole = f"Document {md_text(document)}" if document is not None else "Document"
        for heading, kinds in ((whole, _DOCUMENT_KINDS), ("Unit registry", None)):
            part = [c for c in group if (c.kind in kinds if kinds else c.kind not in _DOCUMENT_KINDS)]
            if part:
                lines.append(f"- **{heading}**")
                lines += [f"  - {md_line(change.message)}" for change in part]
    return "\n".join(lines) + "\n"


#: Changes of a document (or of the ledger) as a whole, not of a task or of the registry.
_DOCUMENT_KINDS = ("document-changed", "document-added", "document-removed", "ledger-changed")


def _code_span(text: str) -> str:
    """A file name or revision as inline code, which shows its characters as they are; only a
    backtick or a line break could end it early."""
    return "`" + " ".join(text.replace("`", "'").splitlines()) + "`"


def diff_json(changes: list[Change], old_label: str, new_label: str) -> str:
    import json

    return json.dumps({"old": old_label, "new": new_label, "changes": [c.record() for c in changes]},
                      ensure_ascii=False, indent=2) + "\n"


DIFF_RENDERERS: dict[DiffFormat, Callable[[list[Change], str, str], str]] = {
    DiffFormat.TEXT: diff_text,
    DiffFormat.MD: diff_markdown,
    DiffFormat.JSON: diff_json,
}
