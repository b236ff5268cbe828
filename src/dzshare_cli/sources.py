"""Which table a command reads: a table file, a ledger (folder or manifest), standard input, or
the bundled table, found the way git finds its repository."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from dzshare_cli.loader import bundled_table_path, is_stdin

#: The manifest that makes a folder a ledger (督办台账).
MANIFEST_NAME = "ledger.yaml"


class SourceKind(str, Enum):
    TABLE = "table"
    LEDGER = "ledger"
    BUNDLED = "bundled"
    STDIN = "stdin"


@dataclass(frozen=True)
class Source:
    """What a command reads: its kind and path (a table file, or a ledger's manifest)."""

    kind: SourceKind
    path: Path
    shown: str = ""  # how messages name it: as typed, or relative to the working folder when found

    def __post_init__(self) -> None:
        if not self.shown:
            object.__setattr__(self, "shown", "<stdin>" if self.kind is SourceKind.STDIN else str(self.path))

    @property
    def is_ledger(self) -> bool:
        return self.kind is SourceKind.LEDGER


def find_source(file: Path | None, cwd: Path) -> Source:
    """`--file`/DZSHARE_FILE when given (a table file, a ledger folder, or its manifest); else the
    nearest ledger at or above `cwd`; else the bundled table."""
    if file is not None:
        return named_source(file)
    manifest = nearest_manifest(cwd)
    if manifest is not None:
        return Source(SourceKind.LEDGER, manifest, os.path.relpath(manifest, cwd.resolve()))
    return Source(SourceKind.BUNDLED, bundled_table_path())


def named_source(file: Path) -> Source:
    """What a path names: a folder is a ledger (its manifest is checked when read)."""
    if is_stdin(file):
        return Source(SourceKind.STDIN, file)
    if _is_dir(file):
        return Source(SourceKind.LEDGER, file / MANIFEST_NAME)
    if file.name == MANIFEST_NAME:
        return Source(SourceKind.LEDGER, file)
    return Source(SourceKind.TABLE, file)


def nearest_manifest(start: Path) -> Path | None:
    """The ledger manifest in `start` or the closest folder above it, if any."""
    try:
        here = start.resolve()
    except OSError:  # the working folder was deleted under us
        return None
    for folder in (here, *here.parents):
        candidate = folder / MANIFEST_NAME
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a folder above that cannot be looked into holds no ledger of ours
            continue
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # reading it says why
        return False
