"""The typer app: parse options, call the core, render; the only module that prints or exits."""

from __future__ import annotations

import errno
import gc
import re
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from dzshare_cli import __version__
from dzshare_cli.errors import (EXIT_INVALID, EXIT_OUTPUT, DzshareError, PeriodError, TableError,
                                UsageError)
from dzshare_cli.exporters import FORMATTERS, Format, file_bytes
from dzshare_cli.exporters.ics import DEFAULT_REMIND_DAYS
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.exporters.timeline_picture import TIMELINE_RENDERERS, TimelineFormat, timeline_heading
from dzshare_cli.timeline import build_timeline
from dzshare_cli.files import writable_target, write_atomic
from dzshare_cli.locks import DEFAULT_LOCK_TIMEOUT
from dzshare_cli.diff import DIFF_RENDERERS, DiffFormat, check_revision, compare, read_revision
from dzshare_cli.loader import (bundled_table_path, check_table, is_packaged_table, is_stdin,
                                load_table, parse_table, read_text)
from dzshare_cli.models import TaskTable, table_schema_json
from dzshare_cli.query import (DEFAULT_SOON_DAYS, DueWindow, Period, TaskFilter, due_milestones,
                               filter_tasks, parse_day, parse_period, summarize, task_index,
                               unit_tasks)
from dzshare_cli.reporters import REPORTERS, ReportFormat
from dzshare_cli.render import (Lang, View, count_text, plain_text, dept_view, due_view, list_view, matrix_view, report_view, show_view,
                                units_view)
from dzshare_cli.units import Role, UnitRegistry

if TYPE_CHECKING:
    from dzshare_cli.edit import Edit

# Modules that only one command needs (edit, per_unit, report) are imported in that command:
# every run of dzshare would otherwise pay for them at start-up.

EnumT = TypeVar("EnumT", bound=Enum)

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dzshare, not in the user's input
SCHEMA_NAME = "tasks.schema.json"  # what `dzshare init` writes beside a copied table

console = Console()
err_console = Console(stderr=True)


def _message(text: str) -> None:
    """One line on stderr, never re-wrapped: CI logs and editors match `path:line:col:`."""
    err_console.print(text, markup=False, highlight=False, soft_wrap=True)


class OutputStreamError(DzshareError):
    """Standard output cannot take what dzshare writes: a full disk, a closed device, an encoding."""

    exit_code = EXIT_OUTPUT


#: Failures of the device behind stdout, not of dzshare: say so, with the output exit code.
_STREAM_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.ENXIO,
                            errno.EBADF, errno.EROFS})


def _stream_failure(error: BaseException) -> OutputStreamError | None:
    """What went wrong writing to stdout, as a user's error; None when `error` is a bug."""
    if isinstance(error, UnicodeEncodeError):
        encoding = getattr(sys.stdout, "encoding", None) or error.encoding
        return OutputStreamError(
            f"standard output uses the {encoding} encoding, which cannot show characters such as "
            f"U+{ord(error.object[error.start]):04X}; "
            "set PYTHONIOENCODING=utf-8 (or a UTF-8 locale such as LANG=C.UTF-8), or write a file with -o")
    if isinstance(error, OSError) and error.errno in _STREAM_ERRNOS and error.filename is None:
        return OutputStreamError(f"cannot write the output: {error.strerror}; nothing more was written")
    return None


class _ReportingGroup(TyperGroup):
    """Turns every DzshareError into its one-line message and exit code: no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DzshareError as error:
            _report(error)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:  # `dzshare list | head`: the reader has what it wanted
            _silence_stdout()
            raise typer.Exit(0) from None
        except Exception as error:  # a bug: say so plainly unless --debug asks for the traceback
            failure = _stream_failure(error)
            if failure is not None:
                _report(failure)
                raise typer.Exit(failure.exit_code) from None
            if ctx.meta.get("dzshare.debug"):
                raise
            _message(f"internal error: {type(error).__name__}: {error}; rerun with --debug and report it")
            raise typer.Exit(EXIT_INTERNAL) from None


def _report(error: DzshareError) -> None:
    for line in str(error).splitlines():
        _message(line)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test runner's buffer)
        pass


app = typer.Typer(
    cls=_ReportingGroup,
    help="dzshare: query the 重点任务责任分工 (division of responsibility) table and its deadlines.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    context_settings={"help_option_names": ["--help", "-h"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain `Usage: ... Error: ...` lines, easy to read in CI logs
)


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from None


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from None


def _one_of(kind: type[EnumT]) -> Callable[[str | EnumT], EnumT]:
    """The parser of an Enum option. Typer checks choices in a pydantic validator, whose
    ValueError reaches the user as `Value error, 'fr' is not one of …`; a BadParameter passes
    through pydantic unchanged. Help and completion still list the choices (from the type)."""
    def parse(value: str | EnumT) -> EnumT:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in kind)
            raise typer.BadParameter(f"{value!r} is not one of {choices}.") from None
    return parse


OutputOption = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="PATH", help="Write to this file (atomically) instead of stdout; - is stdout.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
FileOption = Annotated[Path | None, typer.Option(
    "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
    help="Table file (YAML); - reads it from standard input; default: the bundled table.")]
EditedFileOption = Annotated[Path | None, typer.Option(
    "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
    help="Table file (YAML) to change in place: your own copy (dzshare init), not the bundled table.")]
FormatOption = Annotated[Format, typer.Option("--format", parser=_one_of(Format), help="Output format.")]
LangOption = Annotated[Lang, typer.Option(
    "--lang", parser=_one_of(Lang), help="Label language: zh (中文, default) or en.")]
AsOfOption = Annotated[date | None, typer.Option(
    "--as-of", parser=_day, metavar="DATE",
    help="Judge states as of this day (YYYY-MM-DD); default: today.")]
SoonOption = Annotated[int, typer.Option(
    "--soon-days", min=0, help="A milestone due within this many days is 'due soon'.")]


def _today() -> date:
    """The default for --as-of; the only place dzshare reads the clock."""
    return date.today()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dzshare {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Query the 重点任务责任分工 table: what is due, who leads it, how late it is."""
    ctx.meta["dzshare.debug"] = debug


def _load(path: Path | None) -> TaskTable:
    return load_table(path if path is not None else bundled_table_path())


def _emit(view: View, table: TaskTable, fmt: Format, lang: Lang, output: str | None = None,
          force: bool = False) -> None:
    """Data to stdout (or atomically to a file); messages and data-format headings to stderr."""
    formatter = FORMATTERS[fmt]
    view.title = table.document.title or ""
    if output is not None and output != "-":
        write_atomic(Path(output), file_bytes(fmt, view, lang), force)
        _message(f"wrote {output}: {view.heading}")
        return
    rendered = formatter.render(view, lang)
    if not formatter.includes_heading:
        _message(view.heading)
    if formatter.binary:
        if output is None and sys.stdout.isatty():
            raise UsageError(f"{fmt.value} is binary; write it to a file with -o FILE, or pipe it with -o -")
        stream = typer.get_binary_stream("stdout")
        stream.write(rendered)
        stream.flush()
    elif isinstance(rendered, str):
        typer.echo(rendered, nl=False)
    else:
        console.print(rendered)  # fitted to the terminal: a wide grid comes in blocks of columns


@app.command()
def due(
    before: Annotated[Period | None, typer.Option(
        parser=_period, metavar="X", help="Due before X (exclusive): YYYY, YYYY-MM, YYYY-MM-DD or 2022年6月.")] = None,
    by: Annotated[Period | None, typer.Option(
        parser=_period, metavar="X", help="Due by the end of X (inclusive).")] = None,
    after: Annotated[Period | None, typer.Option(
        parser=_period, metavar="X", help="Due after the end of X.")] = None,
    include_done: Annotated[bool, typer.Option("--all", help="Include milestones already done.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """List open milestones (完成时限) due in a window, by date, with their lead units and lateness.

    Example: dzshare due --before 2022-06 --as-of 2021-08-01
    """
    as_of = as_of or _today()
    table = _load(file)
    window = DueWindow(before=before, by=by, after=after)
    matches = due_milestones(table.tasks, window, as_of, soon_days, include_done)
    _emit(due_view(matches, window, as_of, soon_days, lang), table, fmt, lang, output, force)


@app.command("list")
def list_tasks(
    unit: Annotated[str | None, typer.Option(
        help="Only tasks of this unit (单位), as lead or responsible, directly or via a group.")] = None,
    lead: Annotated[str | None, typer.Option(help="Only tasks this unit leads (牵头).")] = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="Only open-ended tasks (长期推进).")] = False,
    search: Annotated[str | None, typer.Option(help="Only tasks whose text contains this.")] = None,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """List tasks (工作任务) with their units, deadline and state.

    Example: dzshare list --unit 审批局 --ongoing
    """
    as_of = as_of or _today()
    table = _load(file)
    registry = UnitRegistry.from_table(table)
    task_filter = TaskFilter(unit=registry.resolve(unit) if unit is not None else None,
                             lead=registry.resolve(lead) if lead is not None else None,
                             ongoing=True if ongoing else None, search=search)
    tasks = filter_tasks(table, registry, task_filter)
    _emit(list_view(tasks, as_of, soon_days, lang), table, fmt, lang, output, force)


@app.command()
def show(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号.")],
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show every field of one task, each milestone with its state.

    Example: dzshare show 5 --as-of 2022-01-15
    """
    as_of = as_of or _today()
    table = _load(file)
    task = table.tasks[task_index(table, task_id)]
    _emit(show_view(task, as_of, soon_days, lang), table, fmt, lang, output, force)


def dept(
    name: Annotated[str, typer.Argument(help="The unit: its name, an alias (财政局) or a unique part of it.")],
    role: Annotated[Role | None, typer.Option(
        parser=_one_of(Role), help="Only tasks where the unit has this role.")] = None,
    direct: Annotated[bool, typer.Option("--direct", help="Only tasks that name the unit itself, not a group of it.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """What a unit (单位) is responsible for: its tasks, its role in each (牵头 / 责任), and totals.

    Tasks that name a group the unit belongs to (市直相关部门, 各乡镇(街道)) are included and
    marked "经由 <group>". Also available as `dzshare unit`.

    Example: dzshare dept 财政局 --as-of 2022-01-15
    """
    as_of = as_of or _today()
    table = _load(file)
    registry = UnitRegistry.from_table(table)
    unit = registry.resolve(name)
    entries = unit_tasks(table, registry, unit, role, direct)
    summary = summarize(unit, entries, as_of, soon_days)
    _emit(dept_view(unit, entries, summary, as_of, soon_days, lang), table, fmt, lang, output, force)


app.command("dept")(dept)
app.command("unit", hidden=True)(dept)


@app.command("units")
def units_command(
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every unit (单位) with its task counts, open milestones and overdue ones.

    Example: dzshare units --as-of 2022-07-01
    """
    as_of = as_of or _today()
    table = _load(file)
    registry = UnitRegistry.from_table(table)
    summaries = [summarize(unit, unit_tasks(table, registry, unit), as_of, soon_days)
                 for unit in registry.units]
    _emit(units_view(summaries, as_of, lang), table, fmt, lang, output, force)


@app.command()
def matrix(
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """The responsibility matrix: units x tasks, 牵 (lead) / 责 (responsible), (牵)/(责) via a group.

    Example: dzshare matrix --format xlsx -o matrix.xlsx
    """
    table = _load(file)
    _emit(matrix_view(table, UnitRegistry.from_table(table), lang), table, fmt, lang, output, force)


@app.command()
def export(
    fmt: Annotated[Format, typer.Option("--format", parser=_one_of(Format), help="File format.")] = Format.CSV,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="PATH",
        help="File to write (- for stdout); with --per-unit, the directory.")] = None,
    per_unit: Annotated[bool, typer.Option("--per-unit", help="One file per unit, into the -o directory.")] = False,
    workbook: Annotated[bool, typer.Option(
        "--workbook", help="With --per-unit --format xlsx: one workbook, a sheet per unit plus a summary.")] = False,
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks, with its role in each.")] = None,
    remind_days: Annotated[int, typer.Option(
        min=0, max=366, help="ics: a reminder this many days before each milestone (0: none).")] = DEFAULT_REMIND_DAYS,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """Export the table, one unit's list, or each unit's own list: csv / xlsx / md / json / html / ics.

    CSV files start with a UTF-8 BOM so that Excel and WPS show Chinese correctly; cells a
    spreadsheet would run as formulas are neutralised. The ics calendar has an all-day event
    per open milestone, with a stable UID and a reminder. Files are written atomically and an
    existing file is only replaced with --force.

    Example: dzshare export --per-unit --format xlsx --workbook -o out/
    """
    as_of = as_of or _today()
    table = _load(file)
    registry = UnitRegistry.from_table(table)
    if not per_unit:
        if workbook:
            raise UsageError("--workbook goes with --per-unit")
        if unit is not None:
            chosen = registry.resolve(unit)
            entries = unit_tasks(table, registry, chosen)
            view = dept_view(chosen, entries, summarize(chosen, entries, as_of, soon_days), as_of,
                             soon_days, lang, full_text=True)
        else:
            view = list_view(table.tasks, as_of, soon_days, lang, full_text=True)
        view.options["remind_days"] = remind_days
        _emit(view, table, fmt, lang, output, force)
        return
    if unit is not None:
        raise UsageError("--unit picks one unit's list; --per-unit writes every unit's: use one of them")
    if output is None or output == "-":
        raise UsageError("--per-unit writes one file per unit: name a directory with -o DIR")
    if workbook and fmt is not Format.XLSX:
        raise UsageError("--workbook needs --format xlsx")
    from dzshare_cli.exporters.per_unit import plan_unit_export, write_export

    plan = plan_unit_export(table, registry, Path(output), fmt, lang, as_of, soon_days, workbook,
                            remind_days)
    written = write_export(plan, force)
    _message(f"wrote {count_text(len(written), 'file')} to {output}")


class FailOn(str, Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"


@app.command()
def report(
    unit: Annotated[str | None, typer.Option(help="Only the tasks of this unit (单位).")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        parser=_one_of(FailOn),
        help="Exit 1 when any milestone is overdue (or due soon, or overdue), for scheduled jobs.")] = None,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """The supervision report (督办通报): milestones by state, each unit's record, overdue work.

    Units are counted as lead and as responsible, directly or through their groups; those that
    themselves lead the most overdue milestones are listed to be named.

    Example: dzshare report --as-of 2022-07-01 --format html -o report.html
    """
    from dzshare_cli.report import Outcome, build_report

    as_of = as_of or _today()
    table = _load(file)
    registry = UnitRegistry.from_table(table)
    if fmt is Format.CSV:
        raise UsageError("the report has several tables, which one CSV cannot hold; use xlsx "
                         "(a sheet each), md, html or json")
    supervision = build_report(table, registry, as_of, soon_days,
                               registry.resolve(unit) if unit is not None else None)
    _emit(report_view(supervision, lang), table, fmt, lang, output, force)
    if fail_on is None:
        return
    failing = [(Outcome.OVERDUE, "overdue")]
    if fail_on is FailOn.DUE_SOON:
        failing.append((Outcome.DUE_SOON, "due soon"))
    reasons = [(supervision.totals[outcome], what) for outcome, what in failing if supervision.totals[outcome]]
    if reasons:  # a scheduled job's log says why it failed, not only that it did
        (count, what), *others = reasons
        _message(f"fail-on {fail_on.value}: {count_text(count, 'milestone')} {what}"
                 + "".join(f", {count} {what}" for count, what in others))
        raise typer.Exit(EXIT_INVALID)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", help="Table files to check (- is standard input); default: the selected table (--file).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    report: Annotated[ReportFormat, typer.Option(
        "--format", parser=_one_of(ReportFormat), help="Report format.")] = ReportFormat.TEXT,
    as_of: AsOfOption = None,
    file: FileOption = None,
) -> None:
    """Check table files and report every problem with its file:line:col, a code and a hint.

    Exit 0 when clean (warnings allowed unless --strict), 1 when a file has errors.

    Example: dzshare validate data/tasks.yaml --format github
    """
    as_of = as_of or _today()
    targets = paths or [file if file is not None else bundled_table_path()]
    results = [check_table(path, as_of) for path in targets]
    problems = [problem for result in results for problem in result.problems]
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    typer.echo(REPORTERS[report](problems, failed), nl=False)
    tasks = sum(len(result.table.tasks) for result in results if result.table is not None)
    _message(f"{'fail' if failed else 'ok'}: {count_text(len(targets), 'file')}, {count_text(tasks, 'task')}, "
             f"{count_text(errors, 'error')}, {count_text(warnings, 'warning')}")
    raise typer.Exit(EXIT_INVALID if failed else 0)


def _editable(file: Path | None) -> Path:
    path = file if file is not None else bundled_table_path()
    if is_stdin(path):
        raise UsageError("-f - reads a table from standard input, which cannot be edited in place; "
                         "pass the table file's path")
    if is_packaged_table(path):
        raise UsageError("the bundled table ships inside dzshare and is not changed in place; "
                         "make your own copy with `dzshare init tasks.yaml`, then pass --file "
                         "tasks.yaml (or set DZSHARE_FILE)")
    return path


def _write_or_show(edit: Edit, dry_run: bool) -> None:
    if dry_run:
        typer.echo(edit.diff(), nl=False)
        _message(f"{edit.summary} (dry run: {edit.path} is unchanged)")
        return
    _message(edit.summary)


DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
LockTimeoutOption = Annotated[float, typer.Option(
    "--lock-timeout", min=0, metavar="SECONDS", envvar="DZSHARE_LOCK_TIMEOUT", show_envvar=True,
    help="How long to wait while another dzshare command is changing the same table.")]


@app.command()
def done(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号.")],
    milestone: Annotated[int | None, typer.Option(
        min=1, help="Which milestone (1 = the first); default: the earliest not yet done.")] = None,
    on: Annotated[date | None, typer.Option(
        "--on", parser=_day, metavar="DATE", help="The day it was done; default: today.")] = None,
    evidence: Annotated[str | None, typer.Option(help="A note or link showing it was done.")] = None,
    dry_run: DryRunOption = False,
    file: EditedFileOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
) -> None:
    """Record a milestone of a task as done, editing the table file in place.

    Comments, key order and quoting are kept; the result is validated before the file is
    replaced. Commands changing one table take turns (a lock file .NAME.lock beside it).

    Example: dzshare done 1 --on 2021-09-20 --evidence 定政办字〔2021〕12号 -f data/tasks.yaml
    """
    from dzshare_cli.edit import change_table, mark_done

    if on is not None and on > _today():
        raise UsageError(f"--on {on} is after today; record work when it is done")
    edit = change_table(_editable(file), mark_done(task_id, milestone, on or _today(), evidence),
                        dry_run=dry_run, lock_timeout=lock_timeout)
    _write_or_show(edit, dry_run)


@app.command()
def note(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The progress note.")],
    unit: Annotated[str, typer.Option(help="The unit reporting progress (its name or an alias).")],
    on: Annotated[date | None, typer.Option(
        "--on", parser=_day, metavar="DATE", help="The day of the note; default: today.")] = None,
    dry_run: DryRunOption = False,
    file: EditedFileOption = None,
    lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
) -> None:
    """Add a dated progress note from a unit to a task, editing the table file in place.

    Example: dzshare note 4 --unit 东亭镇 "电子政务外网已延伸到全部村街" -f data/tasks.yaml
    """
    from dzshare_cli.edit import add_note, change_table

    if on is not None and on > _today():
        raise UsageError(f"--on {on} is after today; record progress when it is made")
    edit = change_table(_editable(file), add_note(task_id, unit, text, on or _today()),
                        dry_run=dry_run, lock_timeout=lock_timeout)
    _write_or_show(edit, dry_run)


@app.command("timeline")
def timeline_command(
    fmt: Annotated[TimelineFormat, typer.Option(
        "--format", parser=_one_of(TimelineFormat), help="table (the terminal), svg or html.")] = TimelineFormat.TABLE,
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks.")] = None,
    by_lead: Annotated[bool, typer.Option("--by-lead", help="Group the rows under their lead unit.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Milestones on a month axis: one row per task, coloured by state, open-ended work as a bar.

    Example: dzshare timeline --format svg -o timeline.svg
    """
    as_of = as_of or _today()
    table = _load(file)
    tasks = table.tasks
    if unit is not None:
        registry = UnitRegistry.from_table(table)
        tasks = [entry.task for entry in unit_tasks(table, registry, registry.resolve(unit))]
    layout = build_timeline(tasks, as_of, soon_days, by_lead)
    rendered = TIMELINE_RENDERERS[fmt](layout, lang, table.document.title or "", console.width)
    text = rendered if isinstance(rendered, str) else None
    if output is not None and output != "-":
        data = (text if text is not None else plain_text(rendered)).encode("utf-8")
        write_atomic(Path(output), data, force)
        _message(f"wrote {output}: {timeline_heading(layout, lang)}")
    elif text is not None:
        typer.echo(text, nl=False)
    else:
        console.print(rendered, crop=False)


@app.command("diff")
def diff_command(
    revision: Annotated[str, typer.Argument(metavar="REV", help="The git revision to compare from (HEAD, main~3, a tag).")],
    revision2: Annotated[str | None, typer.Argument(
        metavar="[REV2]", help="The revision to compare to; default: the file as it is now.")] = None,
    report: Annotated[DiffFormat, typer.Option(
        "--format", parser=_one_of(DiffFormat), help="text, md (for a pull request) or json.")] = DiffFormat.TEXT,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
        help="Table file (YAML) in a git repository, such as data/tasks.yaml.")] = None,
) -> None:
    """What changed in the table between two git revisions, in its own terms: tasks, deadlines, units.

    Example: dzshare diff HEAD --format md -f data/tasks.yaml
    """
    path = file if file is not None else bundled_table_path()
    if is_stdin(path):
        raise UsageError("dzshare diff reads the older version from git, and standard input (-f -) "
                         "has no history: pass the table file's path")
    if is_packaged_table(path):
        raise UsageError("dzshare diff compares versions of a table kept in git: pass --file "
                         "data/tasks.yaml (or set DZSHARE_FILE)")
    check_revision(revision)  # both, before git runs at all
    if revision2 is not None:
        check_revision(revision2)
    old_label = f"{path.name}@{revision}"
    new_label = f"{path.name}@{revision2}" if revision2 else str(path)
    old = _table_version(read_revision(path, revision), old_label)
    new = _table_version(read_revision(path, revision2) if revision2 else read_text(path), new_label)
    changes = compare(old, new)
    typer.echo(DIFF_RENDERERS[report](changes, old_label, new_label), nl=False)
    _message(f"{count_text(len(changes), 'change')} from {old_label} to {new_label}")


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
        "--from", parser=_one_of(SourceFormat),
        help="Read the source as this format; default: told from its content.")] = None,
    year: Annotated[int | None, typer.Option(min=1949, max=2200, help="document.year, for year-less deadlines (6月底前).")] = None,
    units: Annotated[Path | None, typer.Option(help="A table file whose units: registry the names are mapped onto.")] = None,
    force: ForceOption = False,
) -> None:
    """Turn a published division-of-responsibility table (重点任务分工) into a dzshare table file.

    Columns are found by their headers (工作任务 / 重点任务 …, 牵头单位 / 牵头部门, 责任单位 / 配合单位,
    完成时限 / 时间节点 …), texts are kept as published, and the result is checked before it is
    written; what needs a person's eye is listed on stderr with its source row. A source larger
    than a published table could be (rows, columns, cells, size) is refused with the limit it exceeds.

    Example: dzshare import 附件2.docx -o tasks.yaml
    """
    from dzshare_cli.importers.importer import STDIN, import_stream, import_table

    if str(source) == "-":
        imported = import_stream(typer.get_binary_stream("stdin"), source_format, year, units)
    else:
        imported = import_table(source, source_format, year, units)
    for warning in imported.warnings:
        _message(f"warning: {warning}")
    if output is None or output == "-":
        typer.echo(imported.text, nl=False)
    else:
        write_atomic(Path(output), imported.text.encode("utf-8"), force)
    _message(f"imported {count_text(imported.tasks, 'task')} from {STDIN if str(source) == '-' else source}"
             + (f"; wrote {output}" if output not in (None, "-") else ""))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the copy, e.g. tasks.yaml.")],
    force: ForceOption = False,
) -> None:
    """Copy the bundled table to a file of your own, to record progress in and edit.

    Example: dzshare init tasks.yaml && export DZSHARE_FILE=$PWD/tasks.yaml
    """
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
    _message(f"wrote {path}: the bundled table; use it with --file {path} or DZSHARE_FILE")


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
    shell: Annotated[Shell, typer.Argument(parser=_one_of(Shell), help="bash, zsh, fish, powershell or pwsh.")],
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

def main() -> None:
    """Console-script entry point."""
    # A command runs for a moment and builds no reference cycles worth collecting, but loading
    # a 10,000-task table allocates a million objects, and each pass of the cycle collector would
    # walk them all again (that took loading from 0.6 s to 2 s): it stays off.
    gc.disable()
    try:
        app(prog_name="dzshare")
    except SystemExit:
        _flush_or_exit()  # a full disk shows at this last flush, while we can still say so
        raise
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except Exception as error:  # raised while parsing, before a command runs: still no traceback
        failure = _stream_failure(error)
        if failure is not None:
            _report(failure)
            sys.exit(failure.exit_code)
        if "--debug" in sys.argv:
            raise
        _message(f"internal error: {type(error).__name__}: {error}; rerun with --debug and report it")
        sys.exit(EXIT_INTERNAL)


def _flush_or_exit() -> None:
    """Flush stdout; a failure to do so is an output error, reported once."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        failure = _stream_failure(error)
        if failure is None:
            raise
        _report(failure)
        _silence_stdout()
        sys.exit(failure.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
