"""Commands that check, compare, bring in and describe tables: validate, diff, import, schema, completion."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dzshare_cli.errors import EXIT_INVALID, NotALedgerError, Problem, TableError, UsageError
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.files import write_atomic
from dzshare_cli.exporters import DiffFormat
from dzshare_cli.loader import (check_table, decode, is_stdin, parse_table, read_bytes,
                                read_text, source_name)
from dzshare_cli.models import TaskTable, table_schema_json
from dzshare_cli.reporters import REPORTERS, ReportFormat
from dzshare_cli.render import count_text
from dzshare_cli.validate import uses_working_days
from dzshare_cli.workdays import describe_calendar
from dzshare_cli.cli import common
from dzshare_cli.sources import Source, SourceKind, find_source, named_source
from dzshare_cli.cli.common import (AsOfOption, DocOption, FileOption, ForceOption, OutputOption, app, message,
                                    one_of, own_table_path)

if TYPE_CHECKING:
    from dzshare_cli.importers.importer import Imported
    from dzshare_cli.ledger_write import Added



@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", help="Table files or ledgers (a folder, or its ledger.yaml) to check (- is standard "
        "input); default: the selected table (--file, else the nearest ledger).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    report: Annotated[ReportFormat, typer.Option(
        "--format", parser=one_of(ReportFormat), help="Report format.")] = ReportFormat.TEXT,
    as_of: AsOfOption = None,
    file: FileOption = None,
    docs: DocOption = None,
) -> None:
    """Check table files and ledgers; report every problem with its file:line:col, a code and a hint.

    A ledger is checked whole: its manifest, its shared units file, every document (a broken
    one does not stop the others) and the registry across them.
    Exit 0 when clean (warnings allowed unless --strict), 1 when a file has errors.

    Example: dzshare validate data/tasks.yaml --format github
    """
    from dzshare_cli.ledger_check import check_ledger

    as_of = as_of or common.today()
    sources = [named_source(path) for path in paths] if paths else [find_source(file, Path.cwd())]
    if docs and not any(source.is_ledger for source in sources):
        raise NotALedgerError()
    problems: list[Problem] = []
    tables: list[TaskTable] = []
    files = 0
    for source in sources:
        if source.is_ledger:
            checked = check_ledger(Path(source.shown), as_of, docs)
            problems += checked.problems
            tables += checked.tables
            files += checked.files
            continue
        result = check_table(source.path, as_of)
        problems += result.problems
        tables += [result.table] if result.table is not None else []
        files += 1
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    typer.echo(REPORTERS[report](problems, failed), nl=False)
    if any(uses_working_days(table) for table in tables):
        message(f"calendar: working days counted by {describe_calendar()}")
    # Paths typed on the command line need no naming again; a table found another way does.
    read = "" if paths else f" · {_named(sources[0])}"
    message(f"{'fail' if failed else 'ok'}: {count_text(files, 'file')}, "
            f"{count_text(sum(len(table.tasks) for table in tables), 'task')}, "
            f"{count_text(errors, 'error')}, {count_text(warnings, 'warning')}{read}")
    raise typer.Exit(EXIT_INVALID if failed else 0)




def _named(source: Source) -> str:
    """What validate read when no path was typed: the ledger or table found, or the bundled table."""
    if source.kind is SourceKind.BUNDLED:
        return "bundled table"
    return f"ledger {source.shown}" if source.is_ledger else source.shown


@app.command("diff")
def diff_command(
    revision: Annotated[str, typer.Argument(metavar="REV", help="The git revision to compare from (HEAD, main~3, a tag).")],
    revision2: Annotated[str | None, typer.Argument(
        metavar="[REV2]", help="The revision to compare to; default: the file as it is now.")] = None,
    report: Annotated[DiffFormat, typer.Option(
        "--format", parser=one_of(DiffFormat), help="text, md (for a pull request) or json.")] = DiffFormat.TEXT,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
        help="Table file (YAML) or ledger in a git repository, such as data/tasks.yaml; default: the "
             "nearest ledger.")] = None,
    docs: DocOption = None,
) -> None:
    """What changed in the table between two git revisions, in its own terms: tasks, deadlines, units.

    In a ledger, document by document: documents added and removed, and each change naming its
    task KEY:ID.

    Example: dzshare diff HEAD --format md -f data/tasks.yaml
    """
    source = find_source(file, Path.cwd())
    if source.is_ledger:
        _diff_ledger(Path(source.shown), revision, revision2, report, docs)
        return
    if docs:
        raise NotALedgerError()
    from dzshare_cli.diff import DIFF_RENDERERS, check_revision, compare, read_revision  # noqa: PLC0415

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


def _diff_ledger(manifest: Path, revision: str, revision2: str | None, report: DiffFormat,
                 docs: list[str] | None) -> None:
    from dzshare_cli.diff import DIFF_RENDERERS, check_revision, compare_ledgers  # noqa: PLC0415
    from dzshare_cli.ledger_diff import ledger_version

    check_revision(revision)
    if revision2 is not None:
        check_revision(revision2)
    old_label = f"{manifest}@{revision}"
    new_label = f"{manifest}@{revision2}" if revision2 else str(manifest)
    old = ledger_version(manifest, revision)
    new = ledger_version(manifest, revision2)
    if docs:
        unknown = [key for key in docs if key not in old.documents and key not in new.documents]
        if unknown:
            known = ", ".join(dict.fromkeys([*new.documents, *old.documents]))
            raise UsageError(f"no document '{unknown[0]}' in the ledger; its documents are {known}")
    changes = compare_ledgers(old, new, docs or None)
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
    into: IntoOption = None,
    key: KeyOption = None,
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

    With --into DIR the table joins the ledger in DIR as DIR/tables/KEY.yaml, listed in its
    ledger.yaml; a table with errors is not added.

    Example: dzshare import 附件2.docx -o tasks.yaml
    """
    from dzshare_cli.importers.importer import STDIN, import_stream, import_table

    manifest = None
    if into is not None:
        if output is not None:
            raise UsageError("give either -o FILE or --into DIR, not both")
        manifest, key = _ledger_target(into, key, source, force)
    elif key is not None:
        raise UsageError("--key names a document of a ledger: use it with --into DIR")
    if str(source) == "-":
        imported = import_stream(typer.get_binary_stream("stdin"), source_format, year, units)
    else:
        imported = import_table(source, source_format, year, units)
    for warning in imported.warnings:
        message(f"warning: {warning}")
    for error in imported.errors:
        message(f"error: {error}")
    if manifest is not None:
        _import_into(manifest, key, imported, STDIN if str(source) == "-" else str(source), force)
        return
    if output is None or output == "-":
        typer.echo(imported.text, nl=False)
    else:
        write_atomic(Path(output), imported.text.encode("utf-8"), force)
    message(f"imported {count_text(imported.tasks, 'task')} from {STDIN if str(source) == '-' else source}"
             + (f"; wrote {output}" if output not in (None, "-") else "")
             + (f"; {count_text(len(imported.errors), 'error')} to fix before it loads" if imported.errors else ""))
    if imported.errors:
        raise typer.Exit(EXIT_INVALID)




IntoOption = Annotated[Path | None, typer.Option(
    "--into", metavar="DIR", help="The ledger (督办台账) to add the table to, as DIR/tables/KEY.yaml.")]
KeyOption = Annotated[str | None, typer.Option(
    "--key", metavar="KEY", help="The document's key in the ledger; default: the file's name without "
    "its extension, when that is a key (letters, digits, _ - .).")]


def _ledger_target(into: Path, key: str | None, source: Path, force: bool) -> tuple[Path, str]:
    """The manifest and key a table is added under, checked before any work is done."""
    from dzshare_cli.ledger_write import checked_key, default_key, ledger_target  # noqa: PLC0415

    if key is None:
        key = default_key(source)
        if key is None:
            raise UsageError(f"give the document's key with --key KEY: {source.name or str(source)!r} "
                             "cannot be one (letters, digits, _ - ., starting with a letter or digit)")
    return ledger_target(into, checked_key(key), force), key


def _added_text(added: Added) -> str:
    verb = "replaced" if added.replaced else "wrote"
    listed = "" if added.replaced else f", listed in {added.manifest}"
    return f"{verb} {added.path} as document {added.key}{listed} ({count_text(added.documents, 'document')})"


def _import_into(manifest: Path, key: str, imported: Imported, source_name: str, force: bool) -> None:
    from dzshare_cli.ledger_write import TABLES_FOLDER, add_document, problems_in_ledger  # noqa: PLC0415

    data = imported.text.encode("utf-8")
    shown = str(manifest.parent / TABLES_FOLDER / f"{key}.yaml")
    if not imported.errors:
        _refuse_errors(problems_in_ledger(manifest, key, data, shown), shown,
                       f"imported {count_text(imported.tasks, 'task')} from {source_name}; ")
    else:
        message(f"imported {count_text(imported.tasks, 'task')} from {source_name}; nothing was written: "
                "a table with errors is not added to a ledger; import it with -o FILE, fix it, then "
                f"dzshare add FILE --into {manifest.parent} --key {key}")
        raise typer.Exit(EXIT_INVALID)
    added = add_document(manifest, key, data, force)
    message(f"imported {count_text(imported.tasks, 'task')} from {source_name}; {_added_text(added)}")


def _refuse_errors(problems: list[Problem], shown: str, prefix: str = "") -> None:
    """Every error adding the table would bring into the ledger, and exit 1; else its warnings."""
    errors = [problem for problem in problems if problem.severity == "error"]
    for problem in errors or problems:
        message(str(problem))
    if not errors:
        return
    if any(problem.path != shown for problem in errors):
        reason = ("its units: registry would make the other documents' unit names above unknown; "
                  "declare them in the ledger's units file, or fix the names, first")
    else:
        reason = "a table with errors is not added to a ledger; fix them first"
    message(f"{prefix}nothing was written: {reason}")
    raise typer.Exit(EXIT_INVALID)


@app.command()
def add(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A table file (YAML) to copy into the ledger; - reads it from stdin.")],
    into: Annotated[Path, typer.Option(
        "--into", metavar="DIR", help="The ledger (督办台账) to add it to, as DIR/tables/KEY.yaml.")],
    key: KeyOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the table of a document the ledger already has.")] = False,
) -> None:
    """Copy a table file into a ledger and list it in its ledger.yaml, under a key.

    The table is checked as a document of the ledger (its unit names against the ledger's
    registry); one with errors is refused with its problems. The manifest's comments and order
    are kept; commands adding to one ledger at once take turns.

    Example: dzshare add gzbg2024.yaml --into 台账
    """
    from dzshare_cli.ledger_write import TABLES_FOLDER, add_document, problems_in_ledger  # noqa: PLC0415

    manifest, key = _ledger_target(into, key, file, force)
    name = source_name(file)
    data = read_bytes(file)
    decode(data, name)  # an encoding problem is said as for any table
    _refuse_errors(problems_in_ledger(manifest, key, data, name), name)
    in_place = not is_stdin(file) and file.resolve() == (manifest.parent / TABLES_FOLDER / f"{key}.yaml").resolve()
    added = add_document(manifest, key, None if in_place else data, force)
    message(_added_text(added))


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
