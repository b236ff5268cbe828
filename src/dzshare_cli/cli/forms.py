"""The reporting round trip's commands: forms (报送表 out to every unit)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dzshare_cli.errors import UsageError
from dzshare_cli.render import count_text, source_label, Lang
from dzshare_cli.units import UnitRegistry
from dzshare_cli.cli import common
from dzshare_cli.cli.common import AsOfOption, DocOption, FileOption, ForceOption, app, load, message


@app.command()
def forms(
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="The directory to write the forms to.")],
    unit: Annotated[str | None, typer.Option(help="Only this unit's form.")] = None,
    period: Annotated[str | None, typer.Option(
        metavar="YYYY-MM", help="The month reported on; default: the month of --as-of.")] = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    docs: DocOption = None,
) -> None:
    """Write a reporting form (报送表, xlsx) per unit: its open milestones and ongoing tasks to fill in.

    Each unit that leads or is responsible for open work, directly or through a group, gets
    DIR/<unit>.xlsx: the fixed columns (文件, 序号, 工作任务, 本单位角色, 完成时限, 当前状态) are
    locked, 进展情况, 是否完成 (a drop-down), 完成日期, 佐证材料 and 存在问题 are to fill in, with
    填报人 and 联系电话 once. A hidden sheet records the table, its content version, the unit and
    the period, so that a returned form can be checked. Files are written atomically; an existing
    file is only replaced with --force.

    Example: dzshare forms --as-of 2022-06-01 -o forms/
    """
    from dzshare_cli.forms import default_period, plan_forms  # noqa: PLC0415 - only this command needs openpyxl
    from dzshare_cli.exporters.per_unit import PlannedFile, write_export  # noqa: PLC0415

    as_of = as_of or common.today()
    if output == "-":
        raise UsageError("forms writes one file per unit: name a directory with -o DIR")
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    chosen = registry.resolve(unit) if unit is not None else None
    source = _source_name(table)
    plan = plan_forms(table, registry, Path(output), as_of, period or default_period(as_of), source, chosen)
    if chosen is not None and plan[0].rows == 0:
        raise UsageError(f"{chosen.name} has no open milestone or ongoing task as of {as_of}: no form to write")
    written = write_export([PlannedFile(planned.path, planned.data) for planned in plan], force)
    rows = sum(planned.rows for planned in plan)
    message(f"wrote {count_text(len(written), 'form')} ({count_text(rows, 'row')}) to {output}"
            f"{source_label(table, Lang.EN)}")


def _source_name(table) -> str:  # noqa: ANN001
    """What the form names as its source: the table's file name, or the ledger's folder name;
    never a full path, which would tell every unit where the office keeps its files."""
    if table.source is None:
        return ""
    shown = Path(table.source.shown)
    return (shown.parent.name or shown.name) if table.source.is_ledger else shown.name
