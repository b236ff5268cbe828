"""Reporters of `dzshare validate`: every problem found, as text, JSON or GitHub annotations.

Each reporter returns text and never prints; REPORTERS is the one list of `--format` choices.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from dzshare_cli.errors import Problem


class ReportFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def text_report(problems: list[Problem], failed: bool) -> str:
    """`path:line:col: severity[code]: message; hint`, one problem a line."""
    return "".join(f"{problem}\n" for problem in problems)


def json_report(problems: list[Problem], failed: bool) -> str:
    """{"status": "ok"|"fail", "problems": [{path, line, col, severity, code, message, hint}]}."""
    import json  # not at the top: the CLI imports this module for its choices, on every start-up

    return json.dumps({
        "status": "fail" if failed else "ok",
        "problems": [{"path": p.path, "line": p.line, "col": p.col, "severity": p.severity,
                      "code": p.code, "message": p.message, "hint": p.hint} for p in problems],
    }, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(problems: list[Problem], failed: bool) -> str:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    lines = []
    for problem in problems:
        where = [f"file={_escape_property(problem.path)}"]
        if problem.line is not None:
            where += [f"line={problem.line}", f"col={problem.col}"]
        where.append(f"title={_escape_property(f'dzshare {problem.code}')}")
        message = f"{problem.message}; {problem.hint}" if problem.hint else problem.message
        lines.append(f"::{problem.severity} {','.join(where)}::{_escape_data(message)}\n")
    return "".join(lines)


REPORTERS: dict[ReportFormat, Callable[[list[Problem], bool], str]] = {
    ReportFormat.TEXT: text_report,
    ReportFormat.JSON: json_report,
    ReportFormat.GITHUB: github_report,
}
