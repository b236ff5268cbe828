"""`dzshare validate` on a ledger: the manifest, the shared units file, every document and the
registry across them, every problem collected and each naming its own file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dzshare_cli.errors import Problem, TableError, UsageError
from dzshare_cli.ledger import DocumentEntry, LedgerFiles, load_ledger, read_manifest
from dzshare_cli.loader import check_table
from dzshare_cli.models import TaskTable


@dataclass
class LedgerCheck:
    """What validating a ledger found: every problem, the files read and the tasks that loaded."""

    problems: list[Problem]
    files: int
    tasks: int
    tables: list[TaskTable] = field(default_factory=list)  # the documents that loaded (checked)


def check_ledger(manifest: Path, as_of: date | None = None, docs: Iterable[str] | None = None) -> LedgerCheck:
    """Check a ledger without stopping at the first broken file.

    A broken manifest is all there is to say (its documents are unknown). Otherwise every
    document is read, since the registry spans them all; with `docs`, only those documents'
    own problems are reported, while the manifest, the shared units file and clashes of the
    registry still are.
    """
    try:
        files = read_manifest(manifest)
    except TableError as error:
        return LedgerCheck(error.problems, 1, 0)
    chosen = _chosen(files, docs)
    loaded: dict[Path, TaskTable] = {}

    def read(paths: list[Path]) -> list[DocumentEntry]:
        entries = []
        for path in paths:
            result = check_table(path, as_of, in_ledger=True)
            if result.table is not None:
                loaded[path] = result.table
            entries.append(DocumentEntry.of(result))
        return entries

    result = load_ledger(files, read=read)
    reported = {str(files.manifest), *([str(files.units_path)] if files.units_path else []),
                *(str(files.documents[key]) for key in chosen)}
    problems = [problem for problem in result.problems
                if problem.path in reported or problem.code == "registry-clash"]
    tables = [loaded[files.documents[key]] for key in chosen if files.documents[key] in loaded]
    checked = 1 + (files.units_path is not None) + len(chosen)
    return LedgerCheck(problems, checked, sum(len(table.tasks) for table in tables), tables)


def _chosen(files: LedgerFiles, docs: Iterable[str] | None) -> list[str]:
    """The document keys to report on: those named with --doc (each must exist), else all."""
    if not docs:
        return list(files.documents)
    wanted = list(dict.fromkeys(docs))
    unknown = [key for key in wanted if key not in files.documents]
    if unknown:
        raise UsageError(f"no document '{unknown[0]}' in the ledger; its documents are "
                         f"{', '.join(files.documents)}")
    return wanted
