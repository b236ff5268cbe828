"""The app every command registers on: its options, errors turned into messages and exit codes,
output to stdout or files, the shared option types, and the console-script entry point."""

from __future__ import annotations

import copy
import errno
import gc
import os
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
from dzshare_cli.errors import EXIT_OUTPUT, DzshareError, NotALedgerError, PeriodError, TableError, UsageError
from dzshare_cli.exporters import FORMATTERS, Format, file_bytes
from dzshare_cli.files import write_atomic
from dzshare_cli.loader import is_packaged_table, is_stdin, load_table
from dzshare_cli.models import TaskTable, Unit
from dzshare_cli.query import Period, parse_day, parse_period
from dzshare_cli.render import Lang, View, add_document_column, source_label
from dzshare_cli.sources import find_source
from dzshare_cli.units import UnitRegistry

if TYPE_CHECKING:
    from dzshare_cli.digest import Interest

# Modules that only one command needs (edit, per_unit, report) are imported in that command:
# every run of dzshare would otherwise pay for them at start-up.

EnumT = TypeVar("EnumT", bound=Enum)

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dzshare, not in the user's input
SCHEMA_NAME = "tasks.schema.json"  # what `dzshare init` writes beside a copied table

console = Console()
err_console = Console(stderr=True)


def message(text: str) -> None:
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
            message(f"internal error: {type(error).__name__}: {error}; rerun with --debug and report it")
            raise typer.Exit(EXIT_INTERNAL) from None


def _report(error: DzshareError) -> None:
    for line in str(error).splitlines():
        message(line)


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


def day_option(text: str) -> date:
    try:
        return parse_day(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from None


def period_option(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from None


def one_of(kind: type[EnumT]) -> Callable[[str | EnumT], EnumT]:
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
    help="Table file (YAML) or ledger (its folder or ledger.yaml); - reads standard input; default: the "
         "nearest ledger.yaml at or above this folder, else the bundled table.")]
EditedFileOption = Annotated[Path | None, typer.Option(
    "--file", "-f", envvar="DZSHARE_FILE", show_envvar=True,
    help="Table file (YAML) or ledger to change in place: your own copy (dzshare init), not the bundled table.")]
FormatOption = Annotated[Format, typer.Option("--format", parser=one_of(Format), help="Output format.")]
LangOption = Annotated[Lang, typer.Option(
    "--lang", parser=one_of(Lang), help="Label language: zh (中文, default) or en.")]
AsOfOption = Annotated[date | None, typer.Option(
    "--as-of", parser=day_option, metavar="DATE",
    help="Judge states as of this day (YYYY-MM-DD); default: today.")]
DocOption = Annotated[list[str] | None, typer.Option(
    "--doc", metavar="KEY", help="Only this document of the ledger (文件); repeat for more.")]
SoonOption = Annotated[int, typer.Option(
    "--soon-days", min=0, help="A milestone due within this many days is 'due soon'.")]


def today() -> date:
    """The default for --as-of; the only place dzshare reads the clock."""
    return date.today()


def _version(value: bool) -> None:
    if value:
        from dzshare_cli.workdays import describe_calendar  # noqa: PLC0415 - only --version reads it

        typer.echo(f"dzshare {__version__}")
        typer.echo(f"working-day calendar: {describe_calendar()}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", envvar="DZSHARE_NO_CACHE", show_envvar=True,
        help="Read every file of a ledger afresh, without its cache.")] = False,
) -> None:
    """Query the 重点任务责任分工 table: what is due, who leads it, how late it is."""
    ctx.meta["dzshare.debug"] = debug
    _run.no_cache = no_cache


class _RunOptions:
    """App options that load() reads; the app callback sets them on every run."""

    no_cache = False


_run = _RunOptions()


def own_table_path(file: Path | None, from_stdin: str, packaged: str) -> Path:
    """The table file a command works on in place or in git: never standard input, never the
    copy that ships inside dzshare; each refusal says why, in the command's words."""
    # With no --file (and no ledger around), the table is the bundled one: in a source checkout
    # that is the repository's data/tasks.yaml, which is no more the user's than the installed copy.
    if file is None or is_packaged_table(file):
        raise UsageError(packaged)
    if is_stdin(file):
        raise UsageError(from_stdin)
    return file


def load_for_unit_files(output: str, command: str, file: Path | None, docs: list[str] | None,
                        unit: str | None) -> tuple[TaskTable, UnitRegistry, Unit | None]:
    """The table, its registry and the unit asked for (--unit), for a command that writes a file
    per unit into the directory -o names (forms, notice)."""
    if output == "-":
        raise UsageError(f"{command} writes one file per unit: name a directory with -o DIR")
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    return table, registry, registry.resolve(unit) if unit is not None else None


def load(file: Path | None, docs: list[str] | None = None, interest: Interest | None = None) -> TaskTable:
    """The table a command reads: --file/DZSHARE_FILE, else the nearest ledger, else the bundled
    table; a ledger is every document combined, narrowed by --doc. With an `interest`, a ledger's
    table holds only the tasks of the documents it wants (digest.Interest)."""
    source = find_source(file, Path.cwd())
    if source.is_ledger:
        from dzshare_cli.cache import CachedReader, cache_disabled, cache_folder  # noqa: PLC0415 - ledgers only
        from dzshare_cli.ledger import load_ledger, narrow, read_manifest  # noqa: PLC0415

        files = read_manifest(Path(source.shown))  # paths in messages as the user sees them
        off = _run.no_cache or cache_disabled()
        reader = CachedReader(None if off else cache_folder(files), ledger=files.manifest)
        result = load_ledger(files, reader, interest)
        if os.environ.get("DZSHARE_CACHE_DEBUG", "") not in ("", "0"):
            _cache_debug(reader, len(files.documents))
        if result.table is None:
            raise TableError(result.errors)
        table = result.table
        table._source = source
        return narrow(table, docs) if docs else table
    if docs:
        raise NotALedgerError()
    table = load_table(source.path)
    table._source = source
    return table


def _cache_debug(reader: Any, documents: int) -> None:
    stats = reader.stats
    where = reader.folder if reader.folder is not None else "off"
    for note in stats.notes:
        message(f"cache: {note}")
    message(f"cache: {where}: {stats.hits} of {documents} documents from the cache, "
            f"{len(stats.parsed)} parsed, {stats.written} entries written")
    for path in stats.parsed:
        message(f"cache: parsed {path}")


def emit(view: View, table: TaskTable, fmt: Format, lang: Lang, output: str | None = None,
          force: bool = False) -> None:
    """Data to stdout (or atomically to a file); messages and data-format headings to stderr."""
    formatter = FORMATTERS[fmt]
    view.title = table.document.title or ""
    view.heading += source_label(table, lang)
    if table.multi_document:
        add_document_column(view)
    if output is not None and output != "-":
        write_atomic(Path(output), file_bytes(fmt, view, lang), force)
        message(f"wrote {output}: {view.heading}")
        return
    rendered = formatter.render(view, lang)
    if not formatter.includes_heading:
        message(view.heading)
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




#: Options of the app itself that may come before the command's name.
_APP_FLAGS = frozenset({"--debug"})


def command_app(args: list[str]) -> typer.Typer:
    """The app to run for a command line: one with only the command it names, when it names one.

    typer turns every command's signature into click parameters before it parses anything; for
    one command that is what `dzshare due` spends most of its start-up on, so only the command
    that runs is built. The whole app serves everything else: `--help`, `--version`, a name that
    is no command (for click's "did you mean"), and shell completion.
    """
    if any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ):
        return app
    words = iter(args)
    name = next((word for word in words if word not in _APP_FLAGS), None)
    if name is None or name.startswith("-"):
        return app
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen:
        return app
    single = copy.copy(app)
    single.registered_commands = chosen
    return single


def _command_name(info: Any) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def main() -> None:
    """Console-script entry point."""
    # A command runs for a moment and builds no reference cycles worth collecting, but loading
    # a 10,000-task table allocates a million objects, and each pass of the cycle collector would
    # walk them all again (that took loading from 0.6 s to 2 s): it stays off.
    gc.disable()
    try:
        command_app(sys.argv[1:])(prog_name="dzshare")
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
        message(f"internal error: {type(error).__name__}: {error}; rerun with --debug and report it")
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
