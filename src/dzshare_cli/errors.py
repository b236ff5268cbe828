"""Every error dzshare reports to a user, each class carrying its exit code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Exit codes, documented in the README and docs/validate.md.
EXIT_OK = 0
EXIT_INVALID = 1  # the table (or another input file) cannot be read or is invalid
EXIT_USAGE = 2  # a bad option or argument on the command line
EXIT_OUTPUT = 3  # an output file exists (without --force) or cannot be written


MAX_QUOTED = 40
_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\u2028": "\\u2028",
                           "\u2029": "\\u2029",
                           # every other control too: a message must not drive the terminal
                           **{chr(code): f"\\x{code:02x}" for code in
                              [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\n\r\t"}})


def quoted(text: str) -> str:
    """'text' for a message, shortened so that a runaway value cannot flood the terminal."""
    return f"'{text}'" if len(text) <= MAX_QUOTED else f"'{text[:MAX_QUOTED]}…'"


def shown_value(value: Any) -> str:
    """A value from a YAML file for a message: short, and in YAML's words (null, true)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return quoted(value if isinstance(value, str) else str(value))


class DzshareError(Exception):
    """Base class: an error with a one-line message meant for the user."""

    exit_code = EXIT_INVALID


class UsageError(DzshareError):
    """The command line names something that does not exist (a task id, a unit)."""

    exit_code = EXIT_USAGE


class NotALedgerError(UsageError):
    """`--doc` given for a single table file, which has no documents to choose from."""

    def __init__(self) -> None:
        super().__init__("--doc selects documents of a ledger; this is a single table file")


#: Document keys named in one message: a province's ledger has thousands.
MAX_KEYS_SHOWN = 10


def shown_keys(keys: list[str]) -> str:
    """'dz2021, gzbg2024, …': the first keys of a ledger, for a message."""
    return ", ".join(keys[:MAX_KEYS_SHOWN]) + (", …" if len(keys) > MAX_KEYS_SHOWN else "")


class DeadlineError(ValueError):
    """A deadline text (完成时限) that cannot be read; the loader adds its file position."""

    def __init__(self, message: str, hint: str | None = None, code: str = "bad-deadline") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code  # "impossible-date" when the text names a date that does not exist


class PeriodError(ValueError):
    """A date or period typed on the command line that cannot be read."""


@dataclass(frozen=True)
class Finding:
    """A problem in a table that parsed, at a place (`('tasks', 3, 'lead', 0)`) not yet a line."""

    loc: tuple[str | int, ...]
    message: str
    hint: str | None
    code: str
    severity: str = "error"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table file, at a 1-based line and column."""

    path: str
    line: int | None
    col: int | None
    message: str
    hint: str | None = None
    code: str = "invalid"
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.col}"
        text = f"{where}: {self.severity}[{self.code}]: {self.message}"
        text = f"{text}; {self.hint}" if self.hint else text
        # One problem, one line, whatever a value in the message holds.
        return text.translate(_ONE_LINE)


class TableError(DzshareError):
    """A table file that cannot be loaded; carries every problem found, first one first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
