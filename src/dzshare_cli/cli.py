"""The typer app: parse options, call the core, render; the only module that prints or exits."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from dzshare_cli import __version__
from dzshare_cli.errors import DzshareError, PeriodError, UsageError
from dzshare_cli.loader import bundled_table_path, load_table
from dzshare_cli.models import TaskTable
from dzshare_cli.query import (DEFAULT_SOON_DAYS, DueWindow, Period, TaskFilter, due_milestones,
                               filter_tasks, parse_day, parse_period)
from dzshare_cli.render import FORMATTERS, Format, Lang, View, due_view, list_view, show_view

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dzshare, not in the user's input

console = Console()
err_console = Console(stderr=True)


class _ReportingGroup(TyperGroup):
    """Turns every DzshareError into its one-line message and exit code: no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DzshareError as error:
            for line in str(error).splitlines():
                err_console.print(line, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as error:  # a bug: say so plainly unless --debug asks for the traceback
            if ctx.meta.get("dzshare.debug"):
                raise
            err_console.print(f"internal error: {type(error).__name__}: {error}; "
                              "rerun with --debug and report it", markup=False, highlight=False)
            raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    cls=_ReportingGroup,
    help="dzshare: query the 重点任务责任分工 (division of responsibility) table and its deadlines.",
    no_args_is_help=True,
    add_completion=False,
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


FileOption = Annotated[Optional[Path], typer.Option(
    "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
    help="Table file (YAML); default: the bundled table.")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Label language: zh (中文, default) or en.")]
AsOfOption = Annotated[Optional[date], typer.Option(
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Query the 重点任务责任分工 table: what is due, who leads it, how late it is."""
    ctx.meta["dzshare.debug"] = debug


def _load(path: Path | None) -> TaskTable:
    table = load_table(path if path is not None else bundled_table_path())
    # The table lives until the process exits and holds no cycles: keep the garbage collector
    # from walking it again on every collection while a large table is queried and rendered.
    gc.freeze()
    return table


def _emit(view: View, fmt: Format, lang: Lang) -> None:
    """Data to stdout; for data formats the heading line goes to stderr."""
    formatter = FORMATTERS[fmt]
    if not formatter.includes_heading:
        err_console.print(view.heading, markup=False, highlight=False)
    output = formatter.render(view, lang)
    if isinstance(output, str):
        typer.echo(output, nl=False)
    else:
        console.print(output)


@app.command()
def due(
    before: Annotated[Optional[Period], typer.Option(
        parser=_period, metavar="X", help="Due before X (exclusive): YYYY, YYYY-MM, YYYY-MM-DD or 2022年6月.")] = None,
    by: Annotated[Optional[Period], typer.Option(
        parser=_period, metavar="X", help="Due by the end of X (inclusive).")] = None,
    after: Annotated[Optional[Period], typer.Option(
        parser=_period, metavar="X", help="Due after the end of X.")] = None,
    include_done: Annotated[bool, typer.Option("--all", help="Include milestones already done.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """List open milestones (完成时限) due in a window, by date, with their lead units and lateness.

    Example: dzshare due --before 2022-06 --as-of 2021-08-01
    """
    as_of = as_of or _today()
    table = _load(file)
    window = DueWindow(before=before, by=by, after=after)
    matches = due_milestones(table.tasks, window, as_of, soon_days, include_done)
    _emit(due_view(matches, window, as_of, soon_days, lang), fmt, lang)


@app.command("list")
def list_tasks(
    unit: Annotated[Optional[str], typer.Option(help="Only tasks naming this unit as lead or responsible.")] = None,
    lead: Annotated[Optional[str], typer.Option(help="Only tasks this unit leads (牵头).")] = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="Only open-ended tasks (长期推进).")] = False,
    search: Annotated[Optional[str], typer.Option(help="Only tasks whose text contains this.")] = None,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """List tasks (工作任务) with their units, deadline and state.

    Example: dzshare list --unit 市行政审批局
    """
    as_of = as_of or _today()
    table = _load(file)
    task_filter = TaskFilter(unit=unit, lead=lead, ongoing=True if ongoing else None, search=search)
    _emit(list_view(filter_tasks(table, task_filter), as_of, soon_days, lang), fmt, lang)


@app.command()
def show(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号.")],
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Show every field of one task, each milestone with its state.

    Example: dzshare show 5 --as-of 2022-01-15
    """
    as_of = as_of or _today()
    table = _load(file)
    task = table.task(task_id)
    if task is None:
        ids = ", ".join(str(t.id) for t in table.tasks[:3])
        raise UsageError(f"no task with id '{task_id}' in the table; ids are {ids}, … "
                         "(see dzshare list)")
    _emit(show_view(task, as_of, soon_days, lang), fmt, lang)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="dzshare")


if __name__ == "__main__":  # pragma: no cover
    main()
