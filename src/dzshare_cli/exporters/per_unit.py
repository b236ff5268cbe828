"""Each unit's own task list as files in a directory, or as one workbook with a summary sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dzshare_cli.exporters import DEFAULT_REMIND_DAYS, FORMATTERS, Format, file_bytes
from dzshare_cli.exporters.xlsx import workbook
from dzshare_cli.files import OutputError, file_names, inside, write_files
from dzshare_cli.models import TaskTable, Unit, UnitKind
from dzshare_cli.query import UnitSummary, UnitTask, summarize, unit_tasks
from dzshare_cli.render import Lang, View, add_document_column, dept_view, units_view
from dzshare_cli.units import UnitRegistry

WORKBOOK_NAME = "units.xlsx"


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    data: bytes


def unit_views(table: TaskTable, registry: UnitRegistry, units: list[Unit], lang: Lang, as_of: date,
               soon_days: int, remind_days: int = DEFAULT_REMIND_DAYS) -> list[tuple[View, UnitSummary]]:
    """Each unit's own task list (the full published texts) with its summary, as its files show
    it: the per-unit export and the site's downloads are made from these."""
    return [unit_view(table, unit, unit_tasks(table, registry, unit), lang, as_of, soon_days, remind_days)
            for unit in units]


def unit_view(table: TaskTable, unit: Unit, entries: list[UnitTask], lang: Lang, as_of: date, soon_days: int,
              remind_days: int = DEFAULT_REMIND_DAYS) -> tuple[View, UnitSummary]:
    """One unit's list from its tasks (`unit_tasks`, or its part of `tasks_by_unit`)."""
    summary = summarize(unit, entries, as_of, soon_days)
    view = dept_view(unit, entries, summary, as_of, soon_days, lang, full_text=True)
    if table.multi_document:  # a unit's tasks from several documents: say which each is from
        add_document_column(view)
    view.title = table.document.title or ""
    view.options["remind_days"] = remind_days
    return view, summary


def recipients(registry: UnitRegistry) -> list[Unit]:
    """The units that get files of their own. Groups (市直相关部门, 各乡镇(街道)) do not: their
    tasks appear in the list of each member."""
    return [unit for unit in registry.units if unit.kind is not UnitKind.GROUP]


def plan_unit_export(table: TaskTable, registry: UnitRegistry, directory: Path, fmt: Format,
                     lang: Lang, as_of: date, soon_days: int, one_workbook: bool,
                     remind_days: int = DEFAULT_REMIND_DAYS) -> list[PlannedFile]:
    """Every file of a per-unit export, rendered but not yet written (see `recipients`)."""
    units = recipients(registry)
    found = unit_views(table, registry, units, lang, as_of, soon_days, remind_days)
    views = [view for view, _ in found]
    if one_workbook:
        overview = units_view([summary for _, summary in found], as_of, lang)
        overview.title = table.document.title or ""
        sheets = [("汇总" if lang is Lang.ZH else "Summary", overview)]
        sheets += [(unit.name, view) for unit, view in zip(units, views)]
        return [PlannedFile(inside(directory, WORKBOOK_NAME), workbook(sheets, lang))]
    names = file_names([unit.name for unit in units], FORMATTERS[fmt].suffix)
    return [PlannedFile(inside(directory, name), file_bytes(fmt, view, lang))
            for name, view in zip(names, views)]


def write_export(plan: list[PlannedFile], force: bool) -> list[Path]:
    """Write every planned file, or none: each is checked and written beside its place before
    any is moved into place (see files.write_files)."""
    for directory in {planned.path.parent for planned in plan}:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"{directory}: cannot create the directory: {error.strerror}") from None
    write_files([(planned.path, planned.data) for planned in plan], force)
    return [planned.path for planned in plan]
