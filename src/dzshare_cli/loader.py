"""YAML file -> TaskTable, reporting every problem with its file:line:col and a hint.

The file is composed into YAML nodes first (which keep their positions), turned into plain
Python values while checking what PyYAML would silently accept (duplicate keys, alias bombs),
then validated by the pydantic models; each validation error is mapped back to the node it
came from.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from pydantic import BaseModel, ValidationError

from dzshare_cli.errors import Finding, Problem, TableError, quoted, shown_value
from dzshare_cli.models import (Deadline, Document, DoneRecord, Milestone, ProgressNote, Task,
                                TaskTable, Unit)
from dzshare_cli.validate import raw_findings, table_findings

try:  # libyaml is several times faster; PyYAML wheels ship it, source builds may not
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

#: Far above any real table (a 10,000-task table is under 2 MB); loading takes about 60 times
#: the file's size in memory, so this also bounds memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Problems listed for one file; a file with more is broken as a whole.
MAX_PROBLEMS = 200
#: Values the file may expand to once aliases are followed; far above any real table.
MAX_EXPANDED_NODES = 5_000_000
#: Characters of text the file may expand to once aliases are followed (each appearance counts):
#: as much as the largest file could hold, so that aliases cannot make a table bigger than that.
MAX_EXPANDED_CHARS = MAX_FILE_BYTES
MAX_DEPTH = 64

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_TIMESTAMP_TAG = _YAML_TAG_PREFIX + "timestamp"
_STR_TAG = _YAML_TAG_PREFIX + "str"
_INT_TAG = _YAML_TAG_PREFIX + "int"
#: The most digits a number in a table may have: as many as a JSON reader keeps exactly.
MAX_NUMBER_DIGITS = 15
#: C0 and C1 controls (and DEL) other than tab and line feed. A carriage return is refused too:
#: YAML turns every line break in the file into a line feed, so a CR in a value was typed as the
#: escape "\r", and it would split rows in csv and markdown and overwrite text on a terminal.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_HINT = ("delete it; text may hold tabs and line breaks (write those as new lines), "
                 "no other control characters")
_PLAIN_TAGS = frozenset(_YAML_TAG_PREFIX + kind for kind in
                        ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))

#: Which model describes the mapping at each place of the file (`*` stands for a list index).
_MODEL_AT: dict[tuple[str, ...], type[BaseModel]] = {
    (): TaskTable,
    ("document",): Document,
    ("tasks", "*"): Task,
    ("tasks", "*", "deadline"): Deadline,
    ("tasks", "*", "deadline", "milestones", "*"): Milestone,
    ("units", "*"): Unit,
    ("tasks", "*", "done", "*"): DoneRecord,
    ("tasks", "*", "progress", "*"): ProgressNote,
}


_PACKAGED_TABLE = Path(__file__).resolve().parent / "data" / "tasks.yaml"


def bundled_table_path() -> Path:
    """The table shipped inside the package (data/tasks.yaml in a source checkout)."""
    if _PACKAGED_TABLE.is_file():
        return _PACKAGED_TABLE
    return Path(__file__).resolve().parents[2] / "data" / "tasks.yaml"


def is_packaged_table(path: Path) -> bool:
    """True for the copy installed inside the package, which is not the user's to change."""
    return path.resolve() == _PACKAGED_TABLE


@dataclass(frozen=True)
class LoadResult:
    """A checked table file: the table (None when it could not be built) and every problem."""

    table: TaskTable | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]


def load_table(path: Path | str) -> TaskTable:
    """Read and validate a table file; raise TableError listing every error found."""
    result = check_table(path)
    if result.errors or result.table is None:
        raise TableError(result.errors)
    return result.table


def check_table(path: Path | str, as_of: date | None = None, in_ledger: bool = False) -> LoadResult:
    """Read and check a table file, collecting problems instead of raising them.

    With `as_of`, checks that depend on a date run too (a `done` date after it is a warning).
    `in_ledger` leaves the task unit names to the ledger, whose registry spans its documents.
    """
    path = Path(path)
    try:
        text = read_text(path)
    except TableError as error:
        return LoadResult(None, error.problems)
    return parse_table(text, source_name(path), as_of, in_ledger)


#: What `--file -` stands for, and how problems name it.
STDIN = "-"
STDIN_NAME = "<stdin>"


def is_stdin(path: Path | str) -> bool:
    """True for `-`, the table read from standard input."""
    return str(path) == STDIN


def source_name(path: Path | str) -> str:
    """How problems name a table: its path, or <stdin>."""
    return STDIN_NAME if is_stdin(path) else str(path)


def read_text(path: Path) -> str:
    """The file's text (standard input for `-`), decoded as UTF-8 (with or without BOM), or one
    clear TableError."""
    return decode(read_bytes(path), source_name(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes (standard input for `-`), or one clear TableError.

    At most the size limit is read, so a huge file, a device or a pipe cannot exhaust memory.
    """
    if is_stdin(path):
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise _file_error(STDIN_NAME, "there is no standard input to read", "name the table file")
        return read_limited(stream, STDIN_NAME)
    name = str(path)
    try:
        with path.open("rb") as stream:
            return read_limited(stream, name)
    except FileNotFoundError:
        raise _file_error(name, "no such file",
                          "check the path (--file or DZSHARE_FILE selects the table)") from None
    except IsADirectoryError:
        raise _file_error(name, "is a directory, not a table file", "name the .yaml file") from None
    except PermissionError:
        raise _file_error(name, "permission denied", "check the file's permissions") from None
    except OSError as error:
        raise _file_error(name, f"cannot read: {error.strerror}", None) from None


def read_limited(stream: BinaryIO, name: str) -> bytes:
    """What an open stream holds, up to the size limit for a table; a TableError beyond it."""
    # read(n) allocates n bytes first: asking for the limit costs 20 MB a file, which a ledger of
    # 3,000 files pays in full; a regular file says its size, and is read to it (and past it, in
    # case it grew meanwhile).
    size = _regular_file_size(stream)
    wanted = MAX_FILE_BYTES + 1 if size is None else min(size, MAX_FILE_BYTES) + 1
    data = stream.read(wanted)
    if size is not None and len(data) == wanted and len(data) <= MAX_FILE_BYTES:
        data += stream.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise too_large(name)
    return data


def _regular_file_size(stream: BinaryIO) -> int | None:
    try:
        found = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):  # not a real file (a test's buffer)
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None


def too_large(name: str) -> TableError:
    """The error for a table over the size limit, wherever it was read from."""
    limit_mb = MAX_FILE_BYTES // (1024 * 1024)
    return _file_error(name, f"the file is over the {limit_mb} MB limit for a table",
                       "is this the right file?", code="too-large")


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); other encodings and binary files are refused."""
    utf16 = _looks_utf16(data)
    if utf16:
        raise TableError([Problem(name, 1, 1, f"the file is {utf16} text, not UTF-8",
                                  f"save it as UTF-8, or convert it with `iconv -f {utf16} -t UTF-8 "
                                  f"{name} > fixed.yaml`", code="encoding")])
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise TableError([Problem(name, line, col, "a NUL byte: this is a binary file, not a YAML table",
                                  "name the .yaml file", code="encoding")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            data.decode("gb18030")
            hint = ("it looks like GBK/GB18030; convert it with "
                    f"`iconv -f GB18030 -t UTF-8 {name} > fixed.yaml`")
        except UnicodeDecodeError:
            pass
        raise TableError([Problem(name, line, 1, "the file is not UTF-8 text", hint,
                                  code="encoding")]) from None


def _looks_utf16(data: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' for a file saved as "Unicode" by Notepad or Excel, else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16LE" if data.startswith(b"\xff\xfe") else "UTF-16BE"
    head = data[:512]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "UTF-16LE"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "UTF-16BE"
    return None


def parse_table(text: str, name: str, as_of: date | None = None, in_ledger: bool = False) -> LoadResult:
    """Check table text; `name` is the path shown in problems."""
    try:
        result = _parse_table(text, name, as_of, in_ledger)
    except TableError as error:  # a stage that cannot go on: what it found is all there is
        result = LoadResult(None, error.problems)
    if len(result.problems) <= MAX_PROBLEMS:
        return result
    more = len(result.problems) - MAX_PROBLEMS
    last = result.problems[MAX_PROBLEMS - 1]
    summary = Problem(name, last.line, last.col, f"{more:,} more problems are not listed",
                      "fix the ones above and check again", code="too-many-problems")
    return LoadResult(result.table, [*result.problems[:MAX_PROBLEMS], summary])


def _parse_table(text: str, name: str, as_of: date | None, in_ledger: bool = False) -> LoadResult:
    root = _compose(text, name)
    # The YAML reader refuses raw control characters; inside a scalar one can only be an escape
    # such as "\e", so a file without a backslash needs no look at each scalar.
    builder = _Builder(name, escapes_possible="\\" in text)
    data = builder.build(root)
    if not isinstance(data, dict):
        raise TableError(builder.problems or [_problem_at(
            name, root, "the table must be a mapping with `document:` and `tasks:`",
            "see docs/table-format.md", code="wrong-type")])
    # Validate even when the builder found problems (it keeps the first of duplicate keys),
    # so that one run reports everything wrong with the file.
    problems = list(builder.problems)
    problems += [_locate(name, root, finding) for finding in raw_findings(data)]
    try:
        table = TaskTable.model_validate(data, context=validation_context(data))
    except ValidationError as error:
        # A value the builder already reported (and replaced by None) would be reported again.
        reported = {(p.line, p.col) for p in problems}
        problems += [p for p in _validation_problems(name, root, error)
                     if (p.line, p.col) not in reported]
        return LoadResult(None, _in_file_order(problems))
    # A value the builder refused (a !!python tag) reads as empty: no second report of it.
    reported = {(p.line, p.col) for p in problems}
    problems += [problem for problem in (_locate(name, root, finding) for finding in table_findings(table, as_of, in_ledger))
                 if (problem.line, problem.col) not in reported]
    return LoadResult(table, _in_file_order(problems))


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))


def _file_error(name: str, message: str, hint: str | None, code: str = "file") -> TableError:
    return TableError([Problem(name, None, None, message, hint, code=code)])


_CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")


def _conflict_markers(text: str, name: str) -> list[Problem]:
    return [Problem(name, number, 1, "merge-conflict marker",
                    "resolve the conflict and delete the <<<<<<< ======= >>>>>>> lines",
                    code="merge-conflict")
            for number, line in enumerate(_lines(text), start=1)
            if line.startswith(_CONFLICT_MARKERS) or line == "<<<<<<<"]


_YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _lines(text: str) -> list[str]:
    """The lines as the YAML parser counts them (str.splitlines also splits at form feeds and
    other characters YAML does not count, which would throw line numbers off)."""
    return _YAML_LINE_BREAK.split(text)


def _tab_indents(text: str, name: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(_lines(text), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(name, number, indent.index("\t") + 1, "tab in the indentation",
                                    "indent with spaces; YAML does not allow tabs there",
                                    code="tab-indent"))
    return problems


def _compose(text: str, name: str) -> yaml.Node:
    # Conflict markers make YAML errors that point elsewhere; name every one of them first.
    markers = _conflict_markers(text, name)
    if markers:
        raise TableError(markers)
    try:
        root = yaml.compose(text, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as error:
        # A tab in the indentation stops the parser at the first one; name them all instead.
        # (Only when parsing fails: a tab inside a block of text is fine.)
        tabs = _tab_indents(text, name)
        if tabs:
            raise TableError(tabs) from None
        mark = error.problem_mark or error.context_mark
        if "maximum nesting depth" in str(error.problem):
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise TableError([Problem(name, line, col, "the document is nested too deeply",
                                      "a table is only a few levels deep", code="too-deep")]) from None
        raise TableError([_syntax_problem(text, name, error)]) from None
    except yaml.reader.ReaderError:
        raise TableError([_unreadable_character(text, name)]) from None
    if root is None:
        raise TableError([Problem(name, 1, 1, "the file is empty",
                                  "a table needs `document:` and `tasks:`", code="wrong-type")])
    return root


def _unreadable_character(text: str, name: str) -> Problem:
    """The first character the YAML reader refuses, found again here: libyaml reports a byte
    offset, which is not a column in text that is not ASCII."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    offset = found.start() if found else 0
    before = _lines(text[:offset])
    character = f"U+{ord(found.group()):04X}" if found else "a character"
    kind = "control character" if found and CONTROL_CHARACTER.match(found.group()) else "character"
    return Problem(name, len(before), len(before[-1]) + 1, f"{kind} {character} is not allowed in YAML",
                   "delete it; it was probably pasted in by accident", code="control-character")


def _syntax_problem(text: str, name: str, error: yaml.MarkedYAMLError) -> Problem:
    """The parser's error, or what most likely caused it when that can be told: the parser
    stops on the line after a full-width colon, and calls a key indented wrongly a value."""
    lines = _lines(text)
    cause = _full_width_colon(lines, name, error) or _misindented_field(lines, name, error)
    if cause is not None:
        return cause
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.context and error.context_mark and mark and error.context_mark.line != mark.line:
        message += f" ({error.context} that starts at line {error.context_mark.line + 1})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(name, line, col, message, _syntax_hint(text, error), code="yaml-syntax")


def _syntax_hint(text: str, error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem or "")
    if "\t" in text and "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    return "check the indentation and quoting near this position"


def _models_by_field() -> dict[str, set[type[BaseModel]]]:
    models: dict[str, set[type[BaseModel]]] = {}
    for model in _MODEL_AT.values():
        for field_name in model.model_fields:
            models.setdefault(field_name, set()).add(model)
    return models


#: The models each field name belongs to (text: a task's and a deadline's).
_FIELD_MODELS = _models_by_field()
_MODEL_WORDS: dict[type[BaseModel], str] = {
    TaskTable: "the top level", Document: "document:", Task: "this task", Deadline: "this deadline",
    Milestone: "this milestone", Unit: "this unit", DoneRecord: "this done record",
    ProgressNote: "this progress note",
}
#: `  - name：` with the full-width colon a Chinese input method types.
_FULL_WIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)*([A-Za-z_]+)[ \t]*：")
#: `    name: value`, the dash of a list item apart.
_KEY_LINE = re.compile(r"^([ ]*)((?:-[ ]+)*)([A-Za-z_]+)[ \t]*:(?:[ \t]|$)")
#: How far above the parser's position a full-width colon is looked for when the parser does not
#: say where the key it was reading started.
_LINES_BEFORE = 2


def _full_width_colon(lines: list[str], name: str, error: yaml.MarkedYAMLError) -> Problem | None:
    """`deadline：2021年9月底` is one plain text to YAML, not a key; the parser complains at a
    later line. Name the known field written with a full-width colon at or just above it."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    first = mark.line - _LINES_BEFORE
    if error.context_mark is not None:
        first = min(first, error.context_mark.line)
    for number in range(min(mark.line, len(lines) - 1), max(first, 0) - 1, -1):
        found = _FULL_WIDTH_KEY.match(lines[number])
        if found and found.group(1) in _FIELD_MODELS:
            key = found.group(1)
            return Problem(name, number + 1, found.end(), f"full-width colon '：' after '{key}'",
                           f"type an ASCII colon and a space: `{key}: …` (a Chinese input "
                           "method types ：)", code="yaml-syntax")
    return None


def _misindented_field(lines: list[str], name: str, error: yaml.MarkedYAMLError) -> Problem | None:
    """A known field on the parser's line that is not indented like the field above it of the
    same kind: YAML reads it as part of the value above, or as a new structure."""
    mark = error.problem_mark
    if mark is None or mark.line >= len(lines):
        return None
    found = _KEY_LINE.match(lines[mark.line])
    if not found or found.group(2) or found.group(3) not in _FIELD_MODELS:
        return None  # a list item's own indentation is its dash's; too many readings to guess
    key, column = found.group(3), len(found.group(1))
    models = _FIELD_MODELS[key]
    for number in range(mark.line - 1, -1, -1):
        sibling = _KEY_LINE.match(lines[number])
        # Only a field of one kind tells which mapping this is (`text` is a task's or a deadline's).
        sibling_models = _FIELD_MODELS.get(sibling.group(3), set()) if sibling else set()
        if len(sibling_models) != 1 or not sibling_models & models:
            continue
        assert sibling is not None
        sibling_column = len(sibling.group(1)) + len(sibling.group(2))
        if sibling_column == column:
            return None
        what = _MODEL_WORDS[next(iter(sibling_models))]
        return Problem(name, mark.line + 1, column + 1,
                       f"'{key}' is indented {column} spaces; the other fields of {what} are at "
                       f"{sibling_column}", f"indent it {sibling_column} spaces, like them: YAML "
                       "reads indentation as structure", code="yaml-syntax")
    return None


class _Expanded(Exception):
    """The file expands past a limit; carries the node where it crossed it."""

    def __init__(self, place: yaml.Node) -> None:
        super().__init__()
        self.place = place


@dataclass
class _Builder:
    """Turns composed nodes into Python values, recording duplicate keys, runaway aliases and
    control characters.

    Aliases make a node appear more than once; it is built once, but every appearance is
    counted (values and characters of text), so that a file that expands through aliases is
    refused before anyone walks or prints it.
    """

    name: str
    escapes_possible: bool = True
    problems: list[Problem] = field(default_factory=list)
    #: node id -> (value, values, characters) of the node's whole subtree, for its aliases
    _built: dict[int, tuple[Any, int, int]] = field(default_factory=dict)
    _constructor: Any = field(default_factory=lambda: yaml.SafeLoader(""))
    _values: int = 0  # values and characters so far, each alias counted in full
    _chars: int = 0
    _aliased_values: int = 0  # how much of the above came through aliases
    _aliased_chars: int = 0

    def build(self, node: yaml.Node) -> Any:
        try:
            value = self._build(node, depth=0)
            self._check_expansion(node)
        except _Expanded as expanded:
            self.problems.append(self._expansion_problem(expanded.place))
            return None
        return value

    def _build(self, node: yaml.Node, depth: int, key: bool = False) -> Any:
        known = self._built.get(id(node))
        if known is not None:  # an alias: its whole subtree appears again
            value, values, chars = known
            self._count(values, chars)
            self._aliased_values += values
            self._aliased_chars += chars
            return value
        values_before, chars_before = self._values, self._chars
        is_scalar = isinstance(node, yaml.ScalarNode)
        self._values += 1  # (inline: this runs for every value of a 100,000-value file)
        if is_scalar:
            self._chars += len(node.value)
        if not self._check_tag(node):
            value: Any = None
        elif depth > MAX_DEPTH:
            self.problems.append(_problem_at(self.name, node, f"nested more than {MAX_DEPTH} "
                                             "levels deep", "a table is only a few levels deep",
                                             code="too-deep"))
            value = None
        elif not is_scalar:
            value = (self._build_mapping(node, depth) if isinstance(node, yaml.MappingNode)
                     else self._build_sequence(node, depth))
        elif self.escapes_possible and self._has_control_character(node):
            value = node.value if key else None  # a key stays, so that it is not reported twice
        else:
            value = self._scalar(node)
        self._built[id(node)] = (value, self._values - values_before, self._chars - chars_before)
        return value

    def _count(self, values: int, chars: int) -> None:
        self._values += values
        self._chars += chars

    def _check_expansion(self, place: yaml.Node) -> None:
        if self._values > MAX_EXPANDED_NODES or self._chars > MAX_EXPANDED_CHARS:
            raise _Expanded(place)

    def _expansion_problem(self, place: yaml.Node) -> Problem:
        if self._chars > MAX_EXPANDED_CHARS:
            total, aliased = self._chars, self._aliased_chars
            amount = f"{MAX_EXPANDED_CHARS:,} characters of text"
            alias_hint = ("write long text out once; an alias repeats all of its text wherever "
                          "it is used")
        else:
            total, aliased = self._values, self._aliased_values
            amount = f"{MAX_EXPANDED_NODES:,} values"
            alias_hint = "remove the nested aliases (a 'billion laughs' file)"
        if aliased * 2 > total:  # most of it is repeats
            return _problem_at(self.name, place, f"the file expands to over {amount} through YAML "
                               "aliases by here", alias_hint, code="yaml-alias")
        return _problem_at(self.name, place, f"the file holds over {amount}",
                           "is this the right file?", code="too-large")

    def _has_control_character(self, node: yaml.Node) -> bool:
        """Reports a control character in a scalar (typed as an escape such as "\\e" or "\\x01";
        the YAML reader already refuses raw ones): it would reach terminals, workbooks and
        calendars as it is."""
        found = CONTROL_CHARACTER.search(node.value)
        if found is None:
            return False
        code_point = f"U+{ord(found.group()):04X}"
        self.problems.append(_problem_at(
            self.name, node, f"control character {code_point} at character "
            f"{found.start() + 1} of this text", _CONTROL_HINT, code="control-character"))
        return True

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:  # most values; PyYAML's constructor would cost twice the parse
            return node.value
        if node.tag == _INT_TAG and len(node.value) > MAX_NUMBER_DIGITS:
            # No number in a table is that long (an id, a year, a milestone); Python would also
            # refuse to read past 4,300 digits with a message about its own internals.
            self.problems.append(_problem_at(
                self.name, node, f"a number of {len(node.value):,} characters, longer than any "
                f"task number, year or milestone (at most {MAX_NUMBER_DIGITS} digits)",
                f"check the value; quote it ('{node.value[:8]}…') to keep it as a label", code="wrong-type"))
            return None
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            if node.tag == _TIMESTAMP_TAG:
                message, hint, code = f"'{node.value}' is not a real date", "check the month and day", "impossible-date"
            else:
                message = f"cannot read value: {getattr(error, 'problem', None) or error}"
                hint, code = "write plain text, a number or a date", "wrong-type"
            self.problems.append(_problem_at(self.name, node, message, hint, code=code))
            return None

    def _check_tag(self, node: yaml.Node) -> bool:
        # Only the plain YAML types: a tag such as !!python/object must never build anything.
        if node.tag in _PLAIN_TAGS:
            return True
        self.problems.append(_problem_at(self.name, node, f"YAML tag '{node.tag.replace(_YAML_TAG_PREFIX, '!!')}' is not allowed",
                                         "remove the tag; a table holds only text, numbers, "
                                         "dates, lists and mappings", code="yaml-tag"))
        return False

    def _build_sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        items = []
        for child in node.value:
            # An alias item has its anchor's position; the list's own is the nearest true place.
            place = node if id(child) in self._built else child
            items.append(self._build(child, depth + 1))
            self._check_expansion(place)
        return items

    def _build_mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self._build(key_node, depth + 1, key=True)
            self._check_expansion(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.problems.append(_problem_at(self.name, key_node, "a key must be plain text",
                                                 "write `name: value`", code="wrong-type"))
                continue
            if key in mapping:
                self.problems.append(_problem_at(
                    self.name, key_node,
                    f"duplicate key {shown_value(key)} (first at line {first_line[key]})",
                    "YAML keeps only the last one; remove or rename one of them",
                    code="duplicate-key"))
                continue
            mapping[key] = self._build(value_node, depth + 1)
            first_line[key] = key_node.start_mark.line + 1
            self._check_expansion(key_node)
        return mapping


def _problem_at(name: str, node: yaml.Node, message: str, hint: str | None,
                code: str, severity: str = "error") -> Problem:
    """A problem at the start of a node."""
    mark = node.start_mark
    return Problem(name, mark.line + 1, mark.column + 1, message, hint, code=code, severity=severity)


def validation_context(data: dict[Any, Any]) -> dict[str, Any]:
    """What tasks read from the document while validating: the year of year-less deadlines
    (document.year, else the year of document.date) and the issue date that counts start from."""
    document = data.get("document")
    document = document if isinstance(document, dict) else {}
    year, issued = document.get("year"), document.get("date")
    if isinstance(issued, str):  # `date: "2022-01-28"` in quotes; anything else the model reports
        try:
            issued = date.fromisoformat(issued)
        except ValueError:
            issued = None
    issued = issued if isinstance(issued, date) and not isinstance(issued, datetime) else None
    if not isinstance(year, int) or isinstance(year, bool):
        year = issued.year if issued else None
    return {"year": year, "date": issued}


def _node_at(root: yaml.Node, loc: tuple[Any, ...], want_key: bool = False) -> yaml.Node:
    """The deepest node along a validation error's location (the key node if `want_key`)."""
    node = root
    for depth, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(step)), None)
            if pair is None:
                return node
            is_last = depth == len(loc) - 1
            node = pair[0] if (want_key and is_last) else pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node


def format_loc(loc: tuple[Any, ...]) -> str:
    """tasks[3].lead[0] for ('tasks', 3, 'lead', 0)."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    return _MODEL_AT.get(tuple("*" if isinstance(step, int) else step for step in loc))


def _validation_problems(name: str, root: yaml.Node, error: ValidationError) -> list[Problem]:
    located = [(item, _validation_problem(name, root, item)) for item in error.errors()]
    # A misspelt field shows up twice, as unknown (deadine) and as missing (deadline); the
    # unknown one already says "did you mean 'deadline'?", so the missing one is dropped.
    suggested = {
        (*item["loc"][:-1], problem.hint.split("'")[1])
        for item, problem in located
        if item["type"] == "extra_forbidden" and problem.hint and problem.hint.startswith("did you mean")
    }
    return [problem for item, problem in located
            if not (item["type"] == "missing" and tuple(item["loc"]) in suggested)]


def _validation_problem(name: str, root: yaml.Node, error: dict[str, Any]) -> Problem:
    # Union branches add their type names ('int', 'str') to the location; they are not places.
    loc = tuple(step for step in error["loc"] if not (isinstance(step, str) and
                                                      step in {"int", "str"}))
    kind = error["type"]
    where = format_loc(loc)
    node = _node_at(root, loc, want_key=kind == "extra_forbidden")
    message, hint, code = _describe(kind, loc, error)
    return _problem_at(name, node, f"{where}: {message}" if where else message, hint, code)


_EXPECTED_BY_TYPE = {
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "dataclass_type": "a mapping (key: value)", "string_too_long": "shorter text",
}


def _describe(kind: str, loc: tuple[Any, ...], error: dict[str, Any]) -> tuple[str, str | None, str]:
    """A user's message, hint and problem code for one pydantic error."""
    field_name = loc[-1] if loc else ""
    context = error.get("ctx") or {}
    if kind == "deadline":
        return context["message"], context.get("hint"), context.get("code", "bad-deadline")
    if kind == "id":
        return context["message"], context.get("hint"), "wrong-type"
    if kind == "missing":
        return f"missing field '{field_name}'", f"add `{field_name}:`", "missing-field"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = list(model.model_fields) if model else []
        before_colon = str(field_name).partition("：")[0].strip()
        if "：" in str(field_name) and before_colon in known:
            # `{name：市财政局}` in a flow mapping is one key with no value, not name: 市财政局.
            return (f"unknown field {quoted(str(field_name))}: a full-width colon '：' after '{before_colon}'",
                    f"did you mean '{before_colon}'? type an ASCII colon and a space: `{before_colon}: …` "
                    "(a Chinese input method types ：)", "unknown-field")
        close = difflib.get_close_matches(str(field_name), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
        return f"unknown field '{field_name}'", hint, "unknown-field"
    if kind == "too_short" and field_name == "lead":
        return "a task needs at least one lead unit (牵头单位)", "add a unit under `lead:`", "missing-field"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty", None, "missing-field"
    value = shown_value(error.get("input"))
    if kind == "list_type":
        example = f"`{field_name}: [{error['input']}]`" if isinstance(error.get("input"), str) else \
            f"`{field_name}:` followed by `- item` lines, or `[]`"
        return f"expected a list, got {value}", f"write it as a list: {example}", "wrong-type"
    if kind.startswith("date"):
        return f"expected a date, got {value}", "write a date such as 2021-09-30", "wrong-type"
    expected = _EXPECTED_BY_TYPE.get(kind)
    if expected:
        return f"expected {expected}, got {value}", f"write {expected} here", "wrong-type"
    message = str(error["msg"])
    return message[:1].lower() + message[1:], None, "wrong-type"


def locate(text: str, name: str, finding: Finding) -> Problem:
    """A finding about a file already read (the ledger's checks across files), at its line and column."""
    try:
        root = _compose(text, name)
    except TableError:  # the file was read once already; a position is all that is missing
        return Problem(name, None, None, f"{format_loc(finding.loc)}: {finding.message}", finding.hint,
                       code=finding.code, severity=finding.severity)
    if isinstance(root, yaml.SequenceNode) and finding.loc[:1] == ("units",):  # a bare list of units
        finding = Finding(finding.loc[1:], finding.message, finding.hint, finding.code, severity=finding.severity)
    return _locate(name, root, finding)


def parse_model(text: str, name: str, model: type[BaseModel], describe: str,
                list_field: str | None = None) -> tuple[Any, list[Problem]]:
    """A small YAML file of another shape (a ledger manifest, a units file) as `model`, with the
    same checks and positions as a table: (the model or None, problems). With `list_field`, a
    file that is only a list is read as that field's value (a units file may be a bare list)."""
    try:
        root = _compose(text, name)
    except TableError as error:
        return None, error.problems
    builder = _Builder(name, escapes_possible="\\" in text)
    data = builder.build(root)
    if builder.problems:
        return None, builder.problems
    bare_list = list_field is not None and isinstance(data, list)
    if bare_list:
        data = {list_field: data}
    if not isinstance(data, dict):
        return None, [_problem_at(name, root, f"{describe} must be a mapping", "see docs/ledger.md",
                                  code="wrong-type")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])[1:] if bare_list else tuple(item["loc"])
            node = _node_at(root, loc, want_key=item["type"] == "extra_forbidden")
            message, hint, code = _describe(item["type"], loc, item)
            if item["type"] == "extra_forbidden":
                hint = f"known fields: {', '.join(model.model_fields)}"
            where = format_loc(loc)
            problems.append(_problem_at(name, node, f"{where}: {message}" if where else message, hint, code))
        return None, _in_file_order(problems)


def _locate(name: str, root: yaml.Node, finding: Finding) -> Problem:
    node = _node_at(root, finding.loc)
    where = format_loc(finding.loc)
    return _problem_at(name, node, f"{where}: {finding.message}", finding.hint, finding.code,
                       finding.severity)
