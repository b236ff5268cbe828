"""Whole-table checks beyond the schema (duplicate ids, unit names); returns findings, never prints."""

from __future__ import annotations

from typing import Any

from dzshare_cli.errors import Finding
from dzshare_cli.models import TaskTable
from dzshare_cli.units import unit_findings


def table_findings(table: TaskTable) -> list[Finding]:
    """Problems that need a table whose shape is valid: unknown units, a broken registry."""
    return unit_findings(table)


def raw_findings(data: dict[Any, Any]) -> list[Finding]:
    """Problems found on the file's plain data, whether or not its shape is valid."""
    return _duplicate_ids(data)


def _duplicate_ids(data: dict[Any, Any]) -> list[Finding]:
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        return []
    first_index: dict[str, int] = {}
    findings = []
    for index, task in enumerate(tasks):
        task_id = task.get("id") if isinstance(task, dict) else None
        if not isinstance(task_id, (int, str)) or isinstance(task_id, bool):
            continue
        key = str(task_id).strip()
        if key in first_index:
            findings.append(Finding(("tasks", index, "id"),
                                    f"duplicate task id {key} (also tasks[{first_index[key]}])",
                                    "each 序号 must be unique; renumber one of them", "duplicate-id"))
        else:
            first_index[key] = index
    return findings
