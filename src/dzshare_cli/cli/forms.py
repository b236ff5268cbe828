"""The reporting round trip's commands: forms (报送表 out to every unit) and collect (returned forms
written into the tables)."""

from __future__ import annotations

import os
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dzshare_cli.errors import EXIT_INVALID, UsageError
from dzshare_cli.locks import DEFAULT_LOCK_TIMEOUT
from dzshare_cli.render import count_text, source_label, Lang
from dzshare_cli.units import UnitRegistry
from dzshare_cli.cli import common
from dzshare_cli.cli.common import (AsOfOption, DocOption, EditedFileOption, FileOption, ForceOption, app, day_option,
                                    load, load_for_unit_files, message, one_of, own_table_path)
from dzshare_cli.cli.progress import DryRunOption, LockTimeoutOption


@app.command()
def forms(
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="The directory to write the forms to.")],
    unit: Annotated[str | None, typer.Option(help="Only this unit's form.")] = None,
    period: Annotated[str | None, typer.Option(
        metavar="YYYY-MM", help="The month reported on; default: the month of --as-of.")] = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    docs: DocOption = None,
) -> None:
    """Write a reporting form (报送表, xlsx) per unit: its open milestones and ongoing tasks to fill in.

    Each unit that leads or is responsible for open work, directly or through a group, gets
    DIR/<unit>.xlsx: the fixed columns (文件, 序号, 工作任务, 本单位角色, 完成时限, 当前状态) are
    locked, 进展情况, 是否完成 (a drop-down), 完成日期, 佐证材料 and 存在问题 are to fill in, with
    填报人 and 联系电话 once. A hidden sheet records the table, its content version, the unit and
    the period, so that a returned form can be checked. Files are written atomically; an existing
    file is only replaced with --force.

    Example: dzshare forms --as-of 2022-06-01 -o forms/
    """
    from dzshare_cli.forms import default_period, form_source_name, plan_forms  # noqa: PLC0415 - openpyxl
    from dzshare_cli.exporters.per_unit import PlannedFile, write_export  # noqa: PLC0415

    as_of = as_of or common.today()
    table, registry, chosen = load_for_unit_files(output, "forms", file, docs, unit)
    source = form_source_name(table)
    plan = plan_forms(table, registry, Path(output), as_of, period or default_period(as_of), source, chosen)
    if chosen is not None and plan[0].rows == 0:
        raise UsageError(f"{chosen.name} has no open milestone or ongoing task as of {as_of}: no form to write")
    written = write_export([PlannedFile(planned.path, planned.data) for planned in plan], force)
    rows = sum(planned.rows for planned in plan)
    message(f"wrote {count_text(len(written), 'form')} ({count_text(rows, 'row')}) to {output}"
            f"{source_label(table, Lang.EN)}")



class CollectFormat(str, Enum):
    """What collect prints: a line per form on stderr (text), or a summary per form on stdout (json)."""

    TEXT = "text"
    JSON = "json"


@app.command()
def collect(
    forms_returned: Annotated[list[str], typer.Argument(
        metavar="FILE", help="Returned forms (.xlsx), as dzshare forms wrote them and the units filled them in.")],
    on: Annotated[date | None, typer.Option(
        "--on", parser=day_option, metavar="DATE", help="The day of the progress notes; default: today.")] = None,
    report: Annotated[CollectFormat, typer.Option(
        "--format", parser=one_of(CollectFormat), help="text (a line per form) or json.")] = CollectFormat.TEXT,
    dry_run: DryRunOption = False,
    file: EditedFileOption = None,
    docs: DocOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
) -> None:
    """Read returned reporting forms and write what they say into the table (or the ledger's documents).

    Each filled row becomes a progress note from the form's unit, dated --on; a row marked
    已完成 with its 完成日期 also records the milestone done (with 佐证材料 as evidence) when the
    unit holds it itself; a member of a group that holds it keeps its 已完成 in its note. Every
    form is checked first: a form of another table, a changed task, an edited locked cell, a
    formula, an unreadable or impossible date is named as FILE!CELL and nothing of that form is
    written; the other forms go through (exit 1 when any was refused). Collecting a form again
    adds nothing (unchanged); a form sent back with nothing filled in is told apart (empty). Two forms giving one milestone different done dates are both refused.

    Example: dzshare collect forms/市财政局.xlsx --on 2022-06-01 -f data/tasks.yaml
    """
    from dzshare_cli import collect as core  # noqa: PLC0415 - only this command reads forms back
    from dzshare_cli.edit import change_tables  # noqa: PLC0415

    if on is not None and on > common.today():
        raise UsageError(f"--on {on} is after today; collect forms when they come back")
    on = on or common.today()
    table = load(file, docs)
    path_of = _table_paths(file, table)
    registry = UnitRegistry.from_table(table)
    plans: dict[int, core.FormPlan] = {}
    outcomes: dict[int, core.FormOutcome] = {}
    for position, shown in enumerate(forms_returned):
        try:
            form = core.read_form_file(Path(shown), shown)
        except core.FormError as error:
            outcomes[position] = core.refused(shown, None, [error.problem])
            continue
        plans[position] = core.plan_form(form, table, registry, on)
    core.cross_check(list(plans.values()))
    for position, plan in plans.items():
        if plan.refused:
            outcomes[position] = core.refused(plan.form.shown, plan.form.unit_name, plan.problems)
            continue
        try:
            edits = change_tables(core.form_targets(plan, registry, path_of), dry_run=dry_run,
                                  lock_timeout=lock_timeout)
        except core.FormRefused as error:  # another writer, a moment ago, recorded what the form contradicts
            outcomes[position] = core.refused(plan.form.shown, plan.form.unit_name, error.problems)
            continue
        outcomes[position] = core.outcome(plan, edits)
    ordered = [outcomes[position] for position in range(len(forms_returned))]
    _COLLECT_REPORTERS[report](ordered, dry_run, _diff_name(table))
    if any(outcome.status is core.Status.REFUSED for outcome in ordered):
        raise typer.Exit(EXIT_INVALID)


def _table_paths(file: Path | None, table):  # noqa: ANN001, ANN202
    """Where each document's rows are written: the table file itself, or a ledger document's file."""
    if table.documents:
        return lambda document: table.documents[document].path
    path = own_table_path(
        file, "-f - reads a table from standard input, which cannot be changed; pass the table file's path",
        "the bundled table ships inside dzshare and is not changed in place; make your own copy with "
        "`dzshare init tasks.yaml`, then pass --file tasks.yaml (or set DZSHARE_FILE)")
    return lambda document: path


def _diff_name(table):  # noqa: ANN001, ANN202
    """How a diff's headers name a changed file: a ledger document by its path in the ledger's
    folder (meetings/hy2024-03.yaml), a table by its file name."""
    if not table.documents or table.source is None:
        return lambda path: path.name
    folder = Path(table.source.shown).parent

    def name(path: Path) -> str:
        inside = os.path.relpath(path, folder)
        return Path(inside).as_posix() if not inside.startswith("..") else str(path)

    return name


def _text_report(outcomes, dry_run: bool, diff_name) -> None:  # noqa: ANN001
    """A line per form on stderr (the problems of a refused one, each at its cell); with
    --dry-run the diffs on stdout."""
    from dzshare_cli.collect import Status  # noqa: PLC0415

    for outcome in outcomes:
        if outcome.status is Status.REFUSED:
            for problem in outcome.problems:
                message(problem.line(outcome.file))
            continue
        if dry_run:
            for edit in outcome.edits:
                if edit.changed:
                    typer.echo(edit.diff(diff_name(edit.path)), nl=False)
        if outcome.status is Status.UNCHANGED:
            message(f"{outcome.file}: {outcome.unit} · nothing new (every filled row is already in the table)")
            continue
        if outcome.status is Status.EMPTY:
            message(f"{outcome.file}: {outcome.unit} · nothing filled in")
            continue
        added = f"{count_text(outcome.notes, 'progress note')}, {count_text(outcome.done, 'done record')}"
        tail = " (dry run: nothing written)" if dry_run else ""
        message(f"{outcome.file}: {outcome.unit} · {added} → {', '.join(outcome.tables)}{tail}")
    if len(outcomes) > 1:
        counts = {status: sum(outcome.status is status for outcome in outcomes) for status in Status}
        message(f"{count_text(len(outcomes), 'form')}: " + ", ".join(
            f"{count} {status.value}" for status, count in counts.items()))


def _json_report(outcomes, dry_run: bool, diff_name) -> None:  # noqa: ANN001, ARG001 - json has no diff
    import json  # noqa: PLC0415

    typer.echo(json.dumps({"dry_run": dry_run, "forms": [outcome.as_json() for outcome in outcomes]},
                          ensure_ascii=False, indent=2))


#: The one list of collect's formats: --format is built from CollectFormat, each has its reporter.
_COLLECT_REPORTERS = {CollectFormat.TEXT: _text_report, CollectFormat.JSON: _json_report}
