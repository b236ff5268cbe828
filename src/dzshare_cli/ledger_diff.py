"""A ledger as it was at a git revision (or as it is now), read whole for `dzshare diff`."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from dzshare_cli.diff import read_folder_revision
from dzshare_cli.errors import Problem, TableError
from dzshare_cli.ledger import MAX_LEDGER_BYTES, load_ledger, read_manifest
from dzshare_cli.models import TaskTable


def ledger_version(manifest: Path, revision: str | None = None) -> TaskTable:
    """Every document of the ledger at `revision` (None: the files as they are now), combined.

    A revision's files are read out of git into a temporary folder and read there as any
    ledger is; its problems name the files as `path@revision`.
    """
    if revision is None:
        return _combined(manifest, lambda problem: problem)
    with tempfile.TemporaryDirectory(prefix="dzshare-diff-") as folder:
        read_folder_revision(manifest.parent, revision, Path(folder), MAX_LEDGER_BYTES)

        def named(problem: Problem) -> Problem:
            relative = Path(problem.path).relative_to(folder) if problem.path.startswith(folder) else None
            where = manifest.parent / relative if relative is not None else Path(problem.path)
            return dataclasses.replace(problem, path=f"{where}@{revision}")

        return _combined(Path(folder) / manifest.name, named)


def _combined(manifest: Path, named: Callable[[Problem], Problem]) -> TaskTable:
    try:
        result = load_ledger(read_manifest(manifest))
    except TableError as error:
        raise TableError([named(problem) for problem in error.problems]) from None
    if result.table is None:
        raise TableError([named(problem) for problem in result.errors])
    return result.table
