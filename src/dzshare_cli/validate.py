"""Whole-table checks beyond the schema (duplicate ids, unit names); returns findings, never prints."""

from __future__ import annotations

from dzshare_cli.errors import Finding
from dzshare_cli.models import TaskTable
from dzshare_cli.units import unit_findings


def table_findings(table: TaskTable) -> list[Finding]:
    """Every problem of a table whose shape is valid, in the order of the file."""
    return [*_duplicate_ids(table), *unit_findings(table)]


def _duplicate_ids(table: TaskTable) -> list[Finding]:
    first_index: dict[str, int] = {}
    findings = []
    for index, task in enumerate(table.tasks):
        key = str(task.id)
        if key in first_index:
            findings.append(Finding(("tasks", index, "id"),
                                    f"duplicate task id {key} (also tasks[{first_index[key]}])",
                                    "each 序号 must be unique; renumber one of them", "duplicate-id"))
        else:
            first_index[key] = index
    return findings
