"""Commands that change a table file: done and note (through the one writer), and init."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dzshare_cli.errors import NotALedgerError, UsageError
from dzshare_cli.files import writable_target, write_atomic
from dzshare_cli.locks import DEFAULT_LOCK_TIMEOUT
from dzshare_cli.loader import bundled_table_path, is_stdin
from dzshare_cli.models import Unit, table_schema_json
from dzshare_cli.query import task_index
from dzshare_cli.sources import find_source

from dzshare_cli.cli import common
from dzshare_cli.cli.common import (SCHEMA_NAME, DocOption, EditedFileOption, ForceOption, app, day_option,
                                    load, message, own_table_path)
if TYPE_CHECKING:
    from dzshare_cli.edit import Edit



@dataclass(frozen=True)
class _Target:
    """The file an edit goes into, the task as that file names it, and, in a ledger, the
    document's key and the ledger's registry."""

    path: Path
    task_id: str
    document: str | None = None
    units: list[Unit] | None = None


def _target(file: Path | None, docs: list[str] | None, reference: str) -> _Target:
    """A task reference (KEY:ID, or an id unambiguous in the ledger) resolved to its document's
    file; a single table file as before."""
    if file is None or not is_stdin(file):
        source = find_source(file, Path.cwd())
        if source.is_ledger:
            table = load(file, docs)
            task = table.tasks[task_index(table, reference)]
            path = _editable(table.documents[task.document].path)
            return _Target(path, str(task.id), task.document, table.units)
    if docs:
        raise NotALedgerError()
    return _Target(_editable(file), reference)


def _editable(file: Path | None) -> Path:
    return own_table_path(
        file,
        "-f - reads a table from standard input, which cannot be edited in place; pass the table file's path",
        "the bundled table ships inside dzshare and is not changed in place; make your own copy with "
        "`dzshare init tasks.yaml`, then pass --file tasks.yaml (or set DZSHARE_FILE)")


def _write_or_show(edit: Edit, dry_run: bool) -> None:
    if dry_run:
        typer.echo(edit.diff(), nl=False)
        message(f"{edit.summary} (dry run: {edit.path} is unchanged)")
        return
    message(edit.summary)


DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
LockTimeoutOption = Annotated[float, typer.Option(
    "--lock-timeout", min=0, metavar="SECONDS", envvar="DZSHARE_LOCK_TIMEOUT", show_envvar=True,
    help="How long to wait while another dzshare command is changing the same table.")]


@app.command()
def done(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号; in a ledger KEY:ID (gzbg2024:2).")],
    milestone: Annotated[int | None, typer.Option(
        min=1, help="Which milestone (1 = the first); default: the earliest not yet done.")] = None,
    period: Annotated[str | None, typer.Option(
        metavar="PERIOD", help="Which occurrence of a recurring deadline: 2022-03, 2022-Q1, 2022-H1 or 2022.")] = None,
    on: Annotated[date | None, typer.Option(
        "--on", parser=day_option, metavar="DATE", help="The day it was done; default: today.")] = None,
    evidence: Annotated[str | None, typer.Option(help="A note or link showing it was done.")] = None,
    dry_run: DryRunOption = False,
    file: EditedFileOption = None,
    docs: DocOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
) -> None:
    """Record a milestone of a task as done, editing the table file in place.

    Comments, key order and quoting are kept; the result is validated before the file is
    replaced. Commands changing one table take turns (a lock file .NAME.lock beside it).

    A recurring deadline (每月25日前) is done one period at a time: --period 2022-03.

    Example: dzshare done 1 --on 2021-09-20 --evidence 定政办字〔2021〕12号 -f data/tasks.yaml
    """
    from dzshare_cli.edit import change_table, mark_done

    if on is not None and on > common.today():
        raise UsageError(f"--on {on} is after today; record work when it is done")
    target = _target(file, docs, task_id)
    edit = change_table(target.path, mark_done(target.task_id, milestone, on or common.today(), evidence, period),
                        dry_run=dry_run, lock_timeout=lock_timeout, document=target.document)
    _write_or_show(edit, dry_run)


@app.command()
def note(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号; in a ledger KEY:ID (gzbg2024:2).")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The progress note.")],
    unit: Annotated[str, typer.Option(help="The unit reporting progress (its name or an alias).")],
    on: Annotated[date | None, typer.Option(
        "--on", parser=day_option, metavar="DATE", help="The day of the note; default: today.")] = None,
    dry_run: DryRunOption = False,
    file: EditedFileOption = None,
    docs: DocOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
) -> None:
    """Add a dated progress note from a unit to a task, editing the table file in place.

    Example: dzshare note 4 --unit 东亭镇 "电子政务外网已延伸到全部村街" -f data/tasks.yaml
    """
    from dzshare_cli.edit import add_note, change_table

    if on is not None and on > common.today():
        raise UsageError(f"--on {on} is after today; record progress when it is made")
    target = _target(file, docs, task_id)
    edit = change_table(target.path, add_note(target.task_id, unit, text, on or common.today(), target.units),
                        dry_run=dry_run, lock_timeout=lock_timeout, document=target.document)
    _write_or_show(edit, dry_run)




@app.command()
def init(
    path: Annotated[Path | None, typer.Argument(help="Where to write the copy, e.g. tasks.yaml.")] = None,
    ledger: Annotated[Path | None, typer.Option(
        "--ledger", metavar="DIR", help="Make a ledger (督办台账) instead: DIR/ledger.yaml, listing no documents yet.")] = None,
    title: Annotated[str | None, typer.Option(
        metavar="TEXT", help="The ledger's title (with --ledger); default: the folder's name.")] = None,
    force: ForceOption = False,
) -> None:
    """Copy the bundled table to a file of your own, to record progress in and edit; or, with
    --ledger DIR, make a ledger that import --into and add fill with documents.

    Example: dzshare init tasks.yaml && export DZSHARE_FILE=$PWD/tasks.yaml
    """
    if ledger is not None:
        if path is not None:
            raise UsageError(f"give either a table file to write ({path}) or --ledger DIR, not both")
        _init_ledger(ledger, title, force)
        return
    if title is not None:
        raise UsageError("--title names a ledger: use it with --ledger DIR")
    if path is None:
        raise UsageError("name the file to write (dzshare init tasks.yaml), or make a ledger with --ledger DIR")
    text = bundled_table_path().read_text(encoding="utf-8")
    # The bundled modeline points into the source tree; the copy points at a schema beside it.
    text = re.sub(r"^# yaml-language-server: \$schema=\S+", f"# yaml-language-server: $schema={SCHEMA_NAME}",
                  text, count=1)
    schema_path = path.parent / SCHEMA_NAME
    with_schema = not schema_path.exists()  # one already there is the user's: left as it is
    if with_schema:
        writable_target(schema_path, force=False)  # refused before the table is written
    write_atomic(path, text.encode("utf-8"), force)
    if with_schema:
        write_atomic(schema_path, table_schema_json().encode("utf-8"))
    message(f"wrote {path}: the bundled table; use it with --file {path} or DZSHARE_FILE")


def _init_ledger(folder: Path, title: str | None, force: bool) -> None:
    from dzshare_cli.ledger_write import init_ledger  # noqa: PLC0415 - ledgers only

    title = title if title is not None else (folder.resolve().name or "督办台账")
    manifest = init_ledger(folder, title, force)
    message(f"wrote {manifest}: the ledger '{title.strip()}', no documents yet; add them with "
            f"dzshare import SRC --into {folder} or dzshare add FILE --into {folder}")
