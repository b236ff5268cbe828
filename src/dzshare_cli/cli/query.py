"""Commands that read a table and show it: due, list, show, dept, units, matrix, export, report, timeline."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dzshare_cli.digest import DueInterest, UnitInterest
from dzshare_cli.errors import EXIT_INVALID, UsageError
from dzshare_cli.exporters import DEFAULT_REMIND_DAYS, Format, TimelineFormat
from dzshare_cli.files import write_atomic
from dzshare_cli.query import (DEFAULT_SOON_DAYS, DueWindow, MilestoneStatus, Period, TaskFilter, due_milestones,
                               filter_tasks, summarize, task_index, unit_summaries, unit_tasks)
from dzshare_cli.render import (Lang, count_text, source_label, dept_view, due_view, list_view, matrix_view, plain_text,
                                report_view, show_view, units_view)
from dzshare_cli.units import Role, UnitRegistry
from dzshare_cli.cli import common
from dzshare_cli.cli.common import (AsOfOption, DocOption, FileOption, ForceOption, FormatOption, LangOption,
                                    OutputOption, SoonOption, app, console, emit, load, message,
                                    one_of, period_option)

if TYPE_CHECKING:
    from datetime import date

    from dzshare_cli.reporting import ReportingPeriod


@app.command()
def due(
    before: Annotated[Period | None, typer.Option(
        parser=period_option, metavar="X", help="Due before X (exclusive): YYYY, YYYY-MM, YYYY-MM-DD or 2022年6月.")] = None,
    by: Annotated[Period | None, typer.Option(
        parser=period_option, metavar="X", help="Due by the end of X (inclusive).")] = None,
    after: Annotated[Period | None, typer.Option(
        parser=period_option, metavar="X", help="Due after the end of X.")] = None,
    include_done: Annotated[bool, typer.Option("--all", help="Include milestones already done.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """List open milestones (完成时限) due in a window, by date, with their lead units and lateness.

    Example: dzshare due --before 2022-06 --as-of 2021-08-01
    """
    as_of = as_of or common.today()
    window = DueWindow(before=before, by=by, after=after)
    table = load(file, docs, DueInterest(window, as_of, include_done))
    statuses_of: dict[int, list[MilestoneStatus]] = {}
    matches = due_milestones(table.tasks, window, as_of, soon_days, include_done, statuses_of)
    emit(due_view(matches, window, as_of, soon_days, lang, statuses_of), table, fmt, lang, output, force)


@app.command("list")
def list_tasks(
    unit: Annotated[str | None, typer.Option(
        help="Only tasks of this unit (单位), as lead or responsible, directly or via a group.")] = None,
    lead: Annotated[str | None, typer.Option(help="Only tasks this unit leads (牵头).")] = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="Only open-ended tasks (长期推进).")] = False,
    search: Annotated[str | None, typer.Option(help="Only tasks whose text contains this.")] = None,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """List tasks (工作任务) with their units, deadline and state.

    Example: dzshare list --unit 审批局 --ongoing
    """
    as_of = as_of or common.today()
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    task_filter = TaskFilter(unit=registry.resolve(unit) if unit is not None else None,
                             lead=registry.resolve(lead) if lead is not None else None,
                             ongoing=True if ongoing else None, search=search)
    tasks = filter_tasks(table, registry, task_filter)
    emit(list_view(tasks, as_of, soon_days, lang), table, fmt, lang, output, force)


@app.command()
def show(
    task_id: Annotated[str, typer.Argument(metavar="ID", help="The task's 序号.")],
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show every field of one task, each milestone with its state.

    Example: dzshare show 5 --as-of 2022-01-15
    """
    as_of = as_of or common.today()
    table = load(file, docs)
    task = table.tasks[task_index(table, task_id)]
    emit(show_view(task, as_of, soon_days, lang), table, fmt, lang, output, force)


def dept(
    name: Annotated[str, typer.Argument(help="The unit: its name, an alias (财政局) or a unique part of it.")],
    role: Annotated[Role | None, typer.Option(
        parser=one_of(Role), help="Only tasks where the unit has this role.")] = None,
    direct: Annotated[bool, typer.Option("--direct", help="Only tasks that name the unit itself, not a group of it.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """What a unit (单位) is responsible for: its tasks, its role in each (牵头 / 责任), and totals.

    Tasks that name a group the unit belongs to (市直相关部门, 各乡镇(街道)) are included and
    marked "经由 <group>". Also available as `dzshare unit`.

    Example: dzshare dept 财政局 --as-of 2022-01-15
    """
    as_of = as_of or common.today()
    table = load(file, docs, UnitInterest(name))
    registry = UnitRegistry.from_table(table)
    unit = registry.resolve(name)
    entries = unit_tasks(table, registry, unit, role, direct)
    summary = summarize(unit, entries, as_of, soon_days)
    emit(dept_view(unit, entries, summary, as_of, soon_days, lang), table, fmt, lang, output, force)


app.command("dept")(dept)
app.command("unit", hidden=True)(dept)


@app.command("units")
def units_command(
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every unit (单位) with its task counts, open milestones and overdue ones.

    Example: dzshare units --as-of 2022-07-01
    """
    as_of = as_of or common.today()
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    summaries = unit_summaries(table, registry, as_of, soon_days)
    emit(units_view(summaries, as_of, lang), table, fmt, lang, output, force)


@app.command()
def matrix(
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """The responsibility matrix: units x tasks, 牵 (lead) / 责 (responsible), (牵)/(责) via a group.

    Example: dzshare matrix --format xlsx -o matrix.xlsx
    """
    table = load(file, docs)
    emit(matrix_view(table, UnitRegistry.from_table(table), lang), table, fmt, lang, output, force)


@app.command()
def export(
    fmt: Annotated[Format, typer.Option("--format", parser=one_of(Format), help="File format.")] = Format.CSV,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="PATH",
        help="File to write (- for stdout); with --per-unit, the directory.")] = None,
    per_unit: Annotated[bool, typer.Option("--per-unit", help="One file per unit, into the -o directory.")] = False,
    workbook: Annotated[bool, typer.Option(
        "--workbook", help="With --per-unit --format xlsx: one workbook, a sheet per unit plus a summary.")] = False,
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks, with its role in each.")] = None,
    remind_days: Annotated[int, typer.Option(
        min=0, max=366, help="ics: a reminder this many days before each milestone (0: none).")] = DEFAULT_REMIND_DAYS,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """Export the table, one unit's list, or each unit's own list: csv / xlsx / md / json / html / ics.

    CSV files start with a UTF-8 BOM so that Excel and WPS show Chinese correctly; cells a
    spreadsheet would run as formulas are neutralised. The ics calendar has an all-day event
    per open milestone, with a stable UID and a reminder. Files are written atomically and an
    existing file is only replaced with --force.

    Example: dzshare export --per-unit --format xlsx --workbook -o out/
    """
    as_of = as_of or common.today()
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    if not per_unit:
        if workbook:
            raise UsageError("--workbook goes with --per-unit")
        if unit is not None:
            chosen = registry.resolve(unit)
            entries = unit_tasks(table, registry, chosen)
            view = dept_view(chosen, entries, summarize(chosen, entries, as_of, soon_days), as_of,
                             soon_days, lang, full_text=True)
        else:
            view = list_view(table.tasks, as_of, soon_days, lang, full_text=True)
        view.options["remind_days"] = remind_days
        emit(view, table, fmt, lang, output, force)
        return
    if unit is not None:
        raise UsageError("--unit picks one unit's list; --per-unit writes every unit's: use one of them")
    if output is None or output == "-":
        raise UsageError("--per-unit writes one file per unit: name a directory with -o DIR")
    if workbook and fmt is not Format.XLSX:
        raise UsageError("--workbook needs --format xlsx")
    from dzshare_cli.exporters.per_unit import plan_unit_export, write_export

    plan = plan_unit_export(table, registry, Path(output), fmt, lang, as_of, soon_days, workbook,
                            remind_days)
    written = write_export(plan, force)
    message(f"wrote {count_text(len(written), 'file')} to {output}{source_label(table, lang)}")


class FailOn(str, Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"


@app.command()
def report(
    unit: Annotated[str | None, typer.Option(help="Only the tasks of this unit (单位).")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        parser=one_of(FailOn),
        help="Exit 1 when any milestone is overdue (or due soon, or overdue), for scheduled jobs.")] = None,
    period: Annotated[str | None, typer.Option(
        metavar="YYYY-MM", help="Add who has reported in this month (报送情况): 未报送 and 已报送 units.")] = None,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """The supervision report (督办通报): milestones by state, each unit's record, overdue work.

    Units are counted as lead and as responsible, directly or through their groups; those that
    themselves lead the most overdue milestones are listed to be named. Where members of a group
    (市直相关部门) have reported a milestone the group holds done, it shows how many: 2/8.

    With --period YYYY-MM, the 报送情况 section: 未报送, the units with open work as of --as-of
    (by default the month's last day, or today while the month lasts; those `dzshare forms`
    writes a form for) that sent no progress note dated in that month,
    most open rows first; then 已报送, the units that sent one, with the form rows reported and
    their latest note's date. A row is a task's milestone, or a recurrence's occurrence, that a
    note names (as `collect` writes them); a note naming none (`dzshare note`) reports on the
    task as one row. Notes are counted by unit name or alias.

    Example: dzshare report --as-of 2022-07-01 --format html -o report.html
    Example: dzshare report --period 2022-06 --as-of 2022-06-26
    """
    from dzshare_cli.report import Outcome, build_report
    from dzshare_cli.reporting import parse_reporting_period

    reporting_period = parse_reporting_period(period) if period is not None else None
    as_of = as_of or _report_day(reporting_period, common.today())
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    if fmt is Format.CSV:
        raise UsageError("the report has several tables, which one CSV cannot hold; use xlsx "
                         "(a sheet each), md, html or json")
    supervision = build_report(table, registry, as_of, soon_days,
                               registry.resolve(unit) if unit is not None else None, reporting_period)
    emit(report_view(supervision, lang), table, fmt, lang, output, force)
    if fail_on is None:
        return
    failing = [(Outcome.OVERDUE, "overdue")]
    if fail_on is FailOn.DUE_SOON:
        failing.append((Outcome.DUE_SOON, "due soon"))
    reasons = [(supervision.totals[outcome], what) for outcome, what in failing if supervision.totals[outcome]]
    if reasons:  # a scheduled job's log says why it failed, not only that it did
        (count, what), *others = reasons
        message(f"fail-on {fail_on.value}: {count_text(count, 'milestone')} {what}"
                 + "".join(f", {count} {what}" for count, what in others))
        raise typer.Exit(EXIT_INVALID)


def _report_day(period: ReportingPeriod | None, today: date) -> date:
    """The report's as-of day when --as-of is not given: today, or for a past --period its last
    day, so that a month's report says where things stood then, not years later."""
    return today if period is None else min(today, period.last)


@app.command("timeline")
def timeline_command(
    fmt: Annotated[TimelineFormat, typer.Option(
        "--format", parser=one_of(TimelineFormat), help="table (the terminal), svg or html.")] = TimelineFormat.TABLE,
    unit: Annotated[str | None, typer.Option(help="Only this unit's tasks.")] = None,
    by_lead: Annotated[bool, typer.Option("--by-lead", help="Group the rows under their lead unit.")] = False,
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    file: FileOption = None,
    docs: DocOption = None,
    lang: LangOption = Lang.ZH,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Milestones on a month axis: one row per task, coloured by state, open-ended work as a bar.

    Example: dzshare timeline --format svg -o timeline.svg
    """
    from dzshare_cli.exporters.timeline_picture import TIMELINE_RENDERERS, timeline_heading
    from dzshare_cli.timeline import build_timeline

    as_of = as_of or common.today()
    table = load(file, docs)
    tasks = table.tasks
    if unit is not None:
        registry = UnitRegistry.from_table(table)
        tasks = [entry.task for entry in unit_tasks(table, registry, registry.resolve(unit))]
    layout = replace(build_timeline(tasks, as_of, soon_days, by_lead, refs=table.multi_document),
                     source=source_label(table, lang))
    rendered = TIMELINE_RENDERERS[fmt](layout, lang, table.document.title or "", console.width)
    text = rendered if isinstance(rendered, str) else None
    if output is not None and output != "-":
        data = (text if text is not None else plain_text(rendered)).encode("utf-8")
        write_atomic(Path(output), data, force)
        message(f"wrote {output}: {timeline_heading(layout, lang)}{layout.source}")
    elif text is not None:
        typer.echo(text, nl=False)
    else:
        console.print(rendered, crop=False)


