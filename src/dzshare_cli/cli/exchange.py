"""Commands that check, compare, bring in and describe tables: validate, diff, import, schema, completion."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dzshare_cli.errors import EXIT_INVALID, TableError
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.files import write_atomic
from dzshare_cli.exporters import DiffFormat
from dzshare_cli.loader import bundled_table_path, check_table, parse_table, read_text
from dzshare_cli.models import TaskTable, table_schema_json
from dzshare_cli.reporters import REPORTERS, ReportFormat
from dzshare_cli.render import count_text
from dzshare_cli.validate import uses_working_days
from dzshare_cli.workdays import describe_calendar
from dzshare_cli.cli import common
from dzshare_cli.cli.common import (AsOfOption, FileOption, ForceOption, OutputOption, app, message,
                                    one_of, own_table_path)



@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", help="Table files to check (- is standard input); default: the selected table (--file).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    report: Annotated[ReportFormat, typer.Option(
        "--format", parser=one_of(ReportFormat), help="Report format.")] = ReportFormat.TEXT,
    as_of: AsOfOption = None,
    file: FileOption = None,
) -> None:
    """Check table files and report every problem with its file:line:col, a code and a hint.

    Exit 0 when clean (warnings allowed unless --strict), 1 when a file has errors.

    Example: dzshare validate data/tasks.yaml --format github
    """
    as_of = as_of or common.today()
    targets = paths or [file if file is not None else bundled_table_path()]
    results = [check_table(path, as_of) for path in targets]
    problems = [problem for result in results for problem in result.problems]
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    typer.echo(REPORTERS[report](problems, failed), nl=False)
    tasks = sum(len(result.table.tasks) for result in results if result.table is not None)
    if any(result.table is not None and uses_working_days(result.table) for result in results):
        message(f"calendar: working days counted by {describe_calendar()}")
    message(f"{'fail' if failed else 'ok'}: {count_text(len(targets), 'file')}, {count_text(tasks, 'task')}, "
             f"{count_text(errors, 'error')}, {count_text(warnings, 'warning')}")
    raise typer.Exit(EXIT_INVALID if failed else 0)




@app.command("diff")
def diff_command(
    revision: Annotated[str, typer.Argument(metavar="REV", help="The git revision to compare from (HEAD, main~3, a tag).")],
    revision2: Annotated[str | None, typer.Argument(
        metavar="[REV2]", help="The revision to compare to; default: the file as it is now.")] = None,
    report: Annotated[DiffFormat, typer.Option(
        "--format", parser=one_of(DiffFormat), help="text, md (for a pull request) or json.")] = DiffFormat.TEXT,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
        help="Table file (YAML) in a git repository, such as data/tasks.yaml.")] = None,
) -> None:
    """What changed in the table between two git revisions, in its own terms: tasks, deadlines, units.

    Example: dzshare diff HEAD --format md -f data/tasks.yaml
    """
    from dzshare_cli.diff import DIFF_RENDERERS, check_revision, compare, read_revision

    path = own_table_path(
        file,
        "dzshare diff reads the older version from git, and standard input (-f -) has no history: "
        "pass the table file's path",
        "dzshare diff compares versions of a table kept in git: pass --file data/tasks.yaml (or set DZSHARE_FILE)")
    check_revision(revision)  # both, before git runs at all
    if revision2 is not None:
        check_revision(revision2)
    old_label = f"{path.name}@{revision}"
    new_label = f"{path.name}@{revision2}" if revision2 else str(path)
    old = _table_version(read_revision(path, revision), old_label)
    new = _table_version(read_revision(path, revision2) if revision2 else read_text(path), new_label)
    changes = compare(old, new)
    typer.echo(DIFF_RENDERERS[report](changes, old_label, new_label), nl=False)
    message(f"{count_text(len(changes), 'change')} from {old_label} to {new_label}")


def _table_version(text: str, name: str) -> TaskTable:
    result = parse_table(text, name)
    if result.errors or result.table is None:
        raise TableError(result.errors)
    return result.table


@app.command("import")
def import_command(
    source: Annotated[Path, typer.Argument(help="The published table: a text dump, .docx, .xlsx, .html, .csv or text with notes; - reads it from stdin.")],
    output: OutputOption = None,
    source_format: Annotated[SourceFormat | None, typer.Option(
        "--from", parser=one_of(SourceFormat),
        help="Read the source as this format; default: told from its content.")] = None,
    year: Annotated[int | None, typer.Option(min=1949, max=2200, help="document.year, for year-less deadlines (6月底前).")] = None,
    units: Annotated[Path | None, typer.Option(help="A table file whose units: registry the names are mapped onto.")] = None,
    force: ForceOption = False,
) -> None:
    """Turn a published division-of-responsibility table (重点任务分工) into a dzshare table file.

    Columns are found by their headers (工作任务 / 重点任务 / 工作措施 …, 牵头单位 / 牵头部门, 责任单位 /
    责任部门, 完成时限 / 时间节点 / 时限 …, 进展情况 / 完成情况 → progress notes); further role
    columns (配合单位, 协办单位, 数据提供单位) are kept under their own name. Roles written in a unit
    cell (X牵头, Y配合, 按职责分工落实) are read and the role words left out of the names. Texts are
    kept as published; what a row lacks (a lead unit, a deadline) is left out, never invented, and
    a deadline that names no readable date is kept as {text: …}. Each of these is a warning on
    stderr with its source row. A source larger than a published table could be (rows, columns,
    cells, size) is refused with the limit it exceeds.

    Exit 0 when the written table loads (warnings allowed), 1 when it is written but has errors
    to fix (listed, e.g. a unit the --units registry does not know), 2 when no task table is found.

    Example: dzshare import 附件2.docx -o tasks.yaml
    """
    from dzshare_cli.importers.importer import STDIN, import_stream, import_table

    if str(source) == "-":
        imported = import_stream(typer.get_binary_stream("stdin"), source_format, year, units)
    else:
        imported = import_table(source, source_format, year, units)
    for warning in imported.warnings:
        message(f"warning: {warning}")
    for error in imported.errors:
        message(f"error: {error}")
    if output is None or output == "-":
        typer.echo(imported.text, nl=False)
    else:
        write_atomic(Path(output), imported.text.encode("utf-8"), force)
    message(f"imported {count_text(imported.tasks, 'task')} from {STDIN if str(source) == '-' else source}"
             + (f"; wrote {output}" if output not in (None, "-") else "")
             + (f"; {count_text(len(imported.errors), 'error')} to fix before it loads" if imported.errors else ""))
    if imported.errors:
        raise typer.Exit(EXIT_INVALID)




@app.command()
def schema() -> None:
    """Print the JSON Schema of the table format, for editors and other tools.

    Example: dzshare schema > schema/tasks.schema.json
    """
    typer.echo(table_schema_json(), nl=False)



class Shell(str, Enum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"
    POWERSHELL = "powershell"
    PWSH = "pwsh"


@app.command()
def completion(
    shell: Annotated[Shell, typer.Argument(parser=one_of(Shell), help="bash, zsh, fish, powershell or pwsh.")],
) -> None:
    """Print the shell completion script for SHELL, to install by hand (any shell, CI, cron).

    `dzshare --install-completion` installs it for the shell it finds running dzshare.

    Example: dzshare completion bash > ~/.local/share/bash-completion/completions/dzshare
    """
    # typer's own script, as --show-completion prints it, but for the shell named here rather
    # than the one guessed from the parent processes (which fails under sh, cron and CI).
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="dzshare", complete_var="_DZSHARE_COMPLETE",
                                     shell=shell.value), nl=False)
