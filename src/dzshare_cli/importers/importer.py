"""A published division-of-responsibility table, in any of its usual forms, as
a dzshare table file. One registry of readers; the format is told from the content."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from dzshare_cli.errors import DzshareError, Problem, TableError, UsageError, quoted
from dzshare_cli.importers.columns import SourceTable, fold, join_lines, tabulate
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.importers.notes import looks_like_notes, read_inline_notes
from dzshare_cli.importers.office import read_docx, read_xlsx
from dzshare_cli.importers.text_tables import read_csv, read_html, read_pipe_dump
from dzshare_cli.limits import ReadBudget, read_source
from dzshare_cli.loader import decode, load_table, parse_table
from dzshare_cli.units import UnitRegistry

#: Editors find the schema beside the file; `dzshare schema > tasks.schema.json` writes it there.
SCHEMA_MODELINE = "# yaml-language-server: $schema=tasks.schema.json"
#: Errors an imported table may still have: it is written, the importer lists them and exits 1,
#: the user fixes them. Any other error means the importer went wrong, and nothing is written.
_LEFT_TO_THE_USER = {"bad-deadline", "impossible-date", "unknown-unit", "missing-field",
                     "duplicate-id", "milestone-order"}
#: A year that no table names: a year-less deadline that reads with it but not without one
#: needs document.year.
_PROBE_YEAR = 2000
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ATTACHMENT = re.compile(r"^(附件\s*\d+)(?!\d)\s*")
#: How much of a source tells what it is.
_HEAD_BYTES = 65536


Reader = Callable[[bytes, ReadBudget], SourceTable]
#: How a source read from standard input (`dzshare import -`) is named in messages and the output.
STDIN = "<stdin>"


def _text_reader(read: Callable[[str, ReadBudget], SourceTable]) -> Reader:
    def reader(data: bytes, budget: ReadBudget) -> SourceTable:
        try:
            text = decode(data, budget.source)
        except TableError:
            try:  # Excel and WPS on Chinese Windows save CSV and text as GB18030
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise TableError([Problem(budget.source, None, None, "not UTF-8 or GB18030 text",
                                          "save it as UTF-8, or choose its form with --from",
                                          code="encoding")]) from None
        return read(text, budget)
    return reader


READERS: dict[SourceFormat, Reader] = {
    SourceFormat.TEXT_TABLE: _text_reader(read_pipe_dump),
    SourceFormat.CSV: _text_reader(read_csv),
    SourceFormat.HTML: _text_reader(read_html),
    SourceFormat.XLSX: read_xlsx,
    SourceFormat.DOCX: read_docx,
    SourceFormat.NOTES: _text_reader(read_inline_notes),
}


def detect_format(path: Path) -> SourceFormat:
    """What a source file is, from its content (its name can lie)."""
    with path.open("rb") as stream:
        return format_of(stream.read(_HEAD_BYTES), str(path))


def format_of(data: bytes, source: str) -> SourceFormat:
    """What a source is, from its first bytes."""
    head = data[:_HEAD_BYTES]
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return SourceFormat.DOCX
        if b"xl/" in head:
            return SourceFormat.XLSX
        raise UsageError(f"{source}: a zip file that is neither a Word nor an Excel file; use --from")
    text = _head_text(head)
    lowered = text.lower()
    if "<table" in lowered or "<html" in lowered:
        return SourceFormat.HTML
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and sum(line.startswith("|") for line in lines) >= max(2, len(lines) // 20):
        return SourceFormat.TEXT_TABLE
    if looks_like_notes(text):
        return SourceFormat.NOTES
    return SourceFormat.CSV


def _head_text(head: bytes) -> str:
    """The first bytes of a source as text: UTF-8 (its last character may be cut), else the
    GB18030 that Chinese Windows saves text in, so that what it says can tell its form."""
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the head's end
            return head[:error.start].decode("utf-8", errors="replace")
    return head.decode("gb18030", errors="replace")


@dataclass(frozen=True)
class Imported:
    """An import: the YAML text of the table, what the user should look at (warnings: it loads
    as it is) and what the user must fix before it loads (errors)."""

    text: str
    tasks: int
    warnings: list[str]
    errors: list[str] = field(default_factory=list)


def import_table(source: Path, source_format: SourceFormat | None = None, year: int | None = None,
                 units_file: Path | None = None) -> Imported:
    """Read a source table file and write it as dzshare YAML, checked as a table before it is returned."""
    if not source.exists():
        raise TableError([Problem(str(source), None, None, "no such file", "check the path", code="file")])
    if not source.is_file():
        raise TableError([Problem(str(source), None, None, "not a regular file",
                                  "name the published table's file", code="file")])
    try:
        with source.open("rb") as stream:
            data = read_source(stream, str(source))
    except OSError as error:
        raise TableError([Problem(str(source), None, None, f"cannot read: {error.strerror}",
                                  "check the file's permissions", code="file")]) from None
    return import_source(data, str(source), source_format, year, units_file)


def import_stream(stream: BinaryIO, source_format: SourceFormat | None = None, year: int | None = None,
                  units_file: Path | None = None) -> Imported:
    """The same from standard input (`dzshare import -`), bounded like a file; named <stdin>."""
    return import_source(read_source(stream, STDIN), STDIN, source_format, year, units_file)


def import_source(data: bytes, source: str, source_format: SourceFormat | None = None, year: int | None = None,
                  units_file: Path | None = None) -> Imported:
    """A source's bytes as dzshare YAML; `source` names it in messages (a path, or <stdin>)."""
    chosen = source_format or format_of(data, source)
    budget = ReadBudget(source)
    try:
        table = READERS[chosen](data, budget)
    except DzshareError:
        raise
    except Exception as error:  # a parser of someone else's file format gave up on this file
        while error.__cause__ is not None:  # openpyxl wraps what went wrong in "Unable to read"
            error = error.__cause__
        said = " ".join(str(error).split())  # one line, whatever the library's message holds
        raise UsageError(f"{source}: cannot be read as {chosen.value} ({type(error).__name__}: "
                         f"{said[:300]}); choose its form with --from") from None
    try:
        tabulated, header_at = tabulate(table)
    except UsageError as error:  # a cell no table can hold, named by its row
        raise UsageError(f"{source}: {error}") from None
    if header_at is None or not tabulated.tasks:
        raise UsageError(f"{source}: no task table found ({'; '.join(tabulated.warnings) or 'no rows'}); "
                         f"read as {chosen.value}, --from chooses another reader")
    preamble = table.preamble + [cell for row in table.rows[:header_at] for cell in row.cells]
    document = _document(preamble, year, table.title)
    warnings = [*table.warnings, *tabulated.warnings]
    units = _map_units(tabulated.tasks, units_file, warnings) if units_file else None
    content: dict[str, Any] = {"document": document,
                                "tasks": [{k: v for k, v in task.items() if k != "_where"} for task in tabulated.tasks]}
    if units is not None:
        content["units"] = units
    settled = _settle_deadlines(content, tabulated.tasks, year is not None, warnings)
    text = _yaml(content, source if source == STDIN else Path(source).name, chosen)
    found, errors = _check(text, tabulated.tasks, settled)
    return Imported(text, len(tabulated.tasks), warnings + found, errors)


def _document(preamble: list[str], year: int | None, title: str | None = None) -> dict[str, Any]:
    """附件N and the title from the text above the table (a merged title cell counts once), or
    the title the reader found in it."""
    document: dict[str, Any] = {}
    lines = list(dict.fromkeys(line.strip() for text in preamble for line in text.splitlines() if line.strip()))
    if lines:
        attachment = _ATTACHMENT.match(lines[0])
        if attachment:
            document["attachment"] = fold(attachment.group(1))
            lines[0] = lines[0][attachment.end():].strip()
    title = title or join_lines("\n".join(lines))
    if title:
        document["title"] = title
    if year is not None:
        document["year"] = year
    return document


def _map_units(tasks: list[dict[str, Any]], units_file: Path, warnings: list[str]) -> list[dict[str, Any]]:
    """Unit names onto an existing registry (its canonical names); the registry is copied along."""
    registry_table = load_table(units_file)
    if registry_table.units is None:
        raise UsageError(f"{units_file}: has no units: registry to map names onto")
    registry = UnitRegistry.from_table(registry_table)
    for task in tasks:
        named = [(task, "lead"), (task, "responsible"), *((task.get("roles", {}), name) for name in task.get("roles", {}))]
        for holder, key in named:
            mapped = []
            for name in holder[key]:
                unit = registry.exact(name)
                if unit is None:
                    warnings.append(f"{task['_where']}: '{name}' is not in {units_file.name}'s registry")
                mapped.append(unit.name if unit else name)
            holder[key] = mapped
    return [unit.model_dump(exclude_defaults=True, mode="json") for unit in registry_table.units]


class _IndentedDumper(yaml.SafeDumper):
    """Block sequences indented under their key, as in data/tasks.yaml."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _yaml(data: dict[str, Any], source_name: str, chosen: SourceFormat) -> str:
    body = yaml.dump(data, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, indent=2)
    return (f"{SCHEMA_MODELINE}\n"
            f"# Imported by dzshare from {source_name} ({chosen.value}); texts as published.\n"
            "# Check it with `dzshare validate`, then add titles and a units: registry;\n"
            f"# `dzshare schema > tasks.schema.json` lets editors check it as you type.\n{body}")


_TASK_INDEX = re.compile(r"^tasks\[(\d+)\]")


def _problems(content: dict[str, Any]) -> list[Problem]:
    return parse_table(yaml.dump(content, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                                 width=1_000_000), "<import>").problems


#: Errors of a published deadline text that keep a table from loading: a text that is no date,
#: a date that does not exist, milestones out of order, a count past the holiday calendar.
_DEADLINE_ERRORS = {"bad-deadline", "impossible-date", "milestone-order", "calendar-year"}


def _unreadable_deadlines(content: dict[str, Any]) -> dict[int, Problem]:
    """The tasks whose deadline text cannot be read as a deadline, by index, with the problem.
    A published table always loads: such a text is kept, as published, without its dates."""
    found = {}
    for problem in _problems(content):
        index = _TASK_INDEX.match(problem.message)
        if (index and problem.severity == "error" and problem.code in _DEADLINE_ERRORS
                and ".deadline" in problem.message):
            found.setdefault(int(index.group(1)), problem)
    return found


def _settle_deadlines(content: dict[str, Any], tasks: list[dict[str, Any]], year_given: bool,
                      warnings: list[str]) -> set[int]:
    """Deadline texts that name no date we can read are kept as `{text: …}` (the task loads,
    with no deadline), each with a warning naming its row, the text and the fix. Year-less ones
    (6月底前) take the year of the document's title when it names exactly one. Returns the
    indexes of the tasks so kept."""
    unreadable = _unreadable_deadlines(content)
    if not unreadable:
        return set()
    document = content["document"]
    yearless: set[int] = set()
    if not year_given:
        probe = {**content, "document": {**document, "year": _PROBE_YEAR}}
        yearless = set(unreadable) - set(_unreadable_deadlines(probe))
        title_years = set(_TITLE_YEAR.findall(document.get("title", "")))
        if yearless and len(title_years) == 1:
            document["year"] = int(title_years.pop())
            warnings.append(f"document.year is {document['year']}, the year the title names, for the "
                            f"year-less deadlines (6月底前); import with --year to set another")
            unreadable, yearless = _unreadable_deadlines(content), set()
    for index, problem in unreadable.items():
        task, published = content["tasks"][index], content["tasks"][index]["deadline"]
        task["deadline"] = {"text": published}
        if index in yearless:
            warnings.append(f"{tasks[index]['_where']}: the deadline {quoted(published)} has no year, and "
                            "neither --year nor the title names one: kept as deadline: {text: …}, the task "
                            "has no deadline until you set document.year and write it back as deadline: "
                            f"{published}")
        else:
            said = problem.message.split(": ", 1)[-1]
            warnings.append(f"{tasks[index]['_where']}: the deadline {quoted(published)} cannot be read as "
                            f"dates ({said}): kept as deadline: {{text: …}}, the task has no deadline until "
                            "you write the date it means (2022年6月底, 长期推进) or milestones: [{due: 2022-06-30}]")
    return set(unreadable)


def _check(text: str, tasks: list[dict[str, Any]], explained: set[int]) -> tuple[list[str], list[str]]:
    """The result checked as a table: its warnings and the errors the user must fix, each naming
    the source row; any other problem means the importer went wrong, and nothing is written.
    `explained`: tasks whose undated deadline the importer has already warned about."""
    result = parse_table(text, "<import>")
    refused = [p for p in result.errors if p.code not in _LEFT_TO_THE_USER]
    if refused:
        raise TableError(refused)
    warnings, errors = [], []
    for problem in result.problems:
        index = _TASK_INDEX.match(problem.message)
        if index and problem.code == "undated-deadline" and int(index.group(1)) in explained:
            continue
        where = tasks[int(index.group(1))]["_where"] if index else "the table"
        said = f"{where}: {problem.message}" + (f"; {problem.hint}" if problem.hint else "")
        (errors if problem.severity == "error" else warnings).append(said)
    return warnings, errors
