"""The reminder command: notice (督办通知单, a Word document per unit with overdue or due-soon work)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from dzshare_cli.query import DEFAULT_SOON_DAYS
from dzshare_cli.render import Lang, count_text, source_label
from dzshare_cli.cli import common
from dzshare_cli.cli.common import (AsOfOption, DocOption, FileOption, ForceOption, SoonOption, app, day_option,
                                    load_for_unit_files, message)


@app.command()
def notice(
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="The directory to write the notices to.")],
    unit: Annotated[str | None, typer.Option(help="Only this unit's notice.")] = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    reply_by: Annotated[date | None, typer.Option(
        "--reply-by", parser=day_option, metavar="DATE",
        help="The day the written reply is due (YYYY-MM-DD); default: 5 working days after --as-of.")] = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    docs: DocOption = None,
) -> None:
    """Write a reminder notice (督办通知单, docx) per unit with overdue or due-soon work.

    Each unit that leads or is responsible, directly or through a group, for a milestone that is
    overdue or due within --soon-days gets DIR/<unit>.docx: addressed to the unit, the items in a
    table (文件, 序号, 工作任务, 本单位角色, 完成时限, 逾期天数), most overdue first, the reply date
    and the issuing office of the table or ledger (a blank line to sign when it names none). A
    milestone the unit holds only through a group and has reported done (a progress note with
    status done, as collect writes for 已完成) is left out of its notice; one it holds itself
    stays until the table records it done. Files are written atomically; an existing file is
    only replaced with --force.

    Example: dzshare notice --as-of 2022-07-01 -o notices/
    """
    from dzshare_cli.notice import plan_notices, reply_date  # noqa: PLC0415 - only this command needs python-docx
    from dzshare_cli.exporters.per_unit import PlannedFile, write_export  # noqa: PLC0415

    as_of = as_of or common.today()
    table, registry, chosen = load_for_unit_files(output, "notice", file, docs, unit)
    reply = reply_date(as_of, reply_by)
    plan = plan_notices(table, registry, Path(output), as_of, soon_days, reply, chosen)
    where = source_label(table, Lang.EN)
    if not plan:
        message(f"no unit has anything overdue or due within {soon_days} days as of {as_of}: "
                f"no notice written{where}")
        return
    write_export([PlannedFile(planned.path, planned.data) for planned in plan], force)
    items = sum(planned.items for planned in plan)
    overdue = sum(planned.overdue for planned in plan)
    message(f"wrote {count_text(len(plan), 'notice')} ({count_text(items, 'item')}, {overdue} overdue) "
            f"to {output}, reply by {reply}{where}")
