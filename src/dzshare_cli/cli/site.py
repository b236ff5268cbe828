"""The dashboard's command: site (a static site of lights per unit, built for CI to publish)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

from dzshare_cli.errors import UsageError
from dzshare_cli.models import TaskTable
from dzshare_cli.query import DEFAULT_SOON_DAYS
from dzshare_cli.render import Lang, count_text, source_label
from dzshare_cli.sources import SourceKind
from dzshare_cli.units import UnitRegistry
from dzshare_cli.cli import common
from dzshare_cli.cli.common import AsOfOption, DocOption, FileOption, LangOption, SoonOption, app, load, message


@app.command()
def site(
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="The folder to write the site to.")],
    as_of: AsOfOption = None,
    soon_days: SoonOption = DEFAULT_SOON_DAYS,
    lang: LangOption = Lang.ZH,
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder that holds other files (they are left alone).")] = False,
    file: FileOption = None,
    docs: DocOption = None,
) -> None:
    """Build a static site (亮灯督办): a light per unit, a page per unit and per document, the timeline.

    Red: the unit leads or holds overdue work; yellow: a milestone is due within --soon-days;
    green: open work on track; grey: nothing open. Each unit's page lists its tasks by role,
    their milestones and progress notes, and links its calendar (ics) and list (xlsx). Pages
    need no server and no network: open DIR/index.html, or publish DIR under any path. Every
    page shows the as-of date and the table's version (its git commit, else a content hash);
    the same table and date give the same bytes. A previous site in DIR is replaced whole, at
    once; a folder holding other files is refused unless --force.

    Example: dzshare site --as-of 2022-07-01 -o site/
    """
    from dzshare_cli.site.model import TableVersion, build_model, content_hash  # noqa: PLC0415 - only this command
    from dzshare_cli.site.pages import build_site  # noqa: PLC0415
    from dzshare_cli.site.write import write_site  # noqa: PLC0415

    as_of = as_of or common.today()
    if output == "-":
        raise UsageError("site writes a folder of pages: name it with -o DIR")
    table = load(file, docs)
    registry = UnitRegistry.from_table(table)
    commit, dirty = _git_version(table, Path(output))
    version = TableVersion(content_hash(table), commit, dirty)
    model = build_model(table, registry, as_of, soon_days, version)
    written = write_site(Path(output), build_site(model, lang), force)
    units = [standing for standing in model.units if not standing.is_group]
    groups = len(model.units) - len(units)
    red = sum(standing.light.value == "red" for standing in units)  # units, as the overview counts them
    pages = count_text(len(units), "unit page") + (f" and {count_text(groups, 'group page')}" if groups else "")
    verb = "replaced the site in" if written.replaced else "wrote"
    message(f"{verb} {output}: {count_text(written.files, 'file')}, {pages}, "
            f"{red} red · as of {as_of}{source_label(table, Lang.EN)}")


def _git_version(table: TaskTable, output: Path) -> tuple[str | None, bool]:
    """The commit of the git repository holding the table's files, and whether those files differ
    from it; (None, False) for the bundled table, standard input, or a table outside git."""
    source = table.source
    if source is None or source.kind in (SourceKind.BUNDLED, SourceKind.STDIN):
        return None, False
    paths = _table_files(source)
    folder = paths[0].resolve().parent
    head = _git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
    if head is None:
        return None, False
    # Only the files the site is made from: the site itself may be written inside the repository.
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--",
                  *(str(path.resolve()) for path in paths))
    return head, bool(status)


def _table_files(source) -> list[Path]:  # noqa: ANN001 - a sources.Source
    if not source.is_ledger:
        return [Path(source.path)]
    from dzshare_cli.ledger import read_manifest  # noqa: PLC0415

    files = read_manifest(Path(source.shown))
    units = [files.units_path] if files.units_path is not None else []
    return [files.manifest, *units, *files.documents.values()]


def _git(folder: Path, *args: str) -> str | None:
    """git's output in `folder`, or None when git is missing or the folder is in no repository."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                              encoding="utf-8", check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
