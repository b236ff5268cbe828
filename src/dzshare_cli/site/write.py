"""Writing a site to its folder all at once: each file is written as it is built into a folder
beside it, which is renamed into place at the end, so that a reader (a web server, a person)
sees the old site or the new one, never half of each, and the whole site is never held in
memory; a folder that holds anything but a previous site is not replaced."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from dzshare_cli.files import OutputError, inside, write_atomic
from dzshare_cli.site.pages import MARKER


class Found(str, Enum):
    """What is at the site's path before it is written."""

    NOTHING = "nothing"
    EMPTY = "empty"  # an empty folder
    SITE = "site"  # a site dzshare wrote, and nothing else
    OTHER = "other"  # a folder holding anything else


@dataclass(frozen=True)
class Written:
    directory: Path
    files: int
    replaced: bool  # a previous site was replaced
    merged: bool  # --force into a folder with other files: the site's files were written among them


def write_site(directory: Path, files: Iterable[tuple[str, bytes]], force: bool) -> Written:
    """Write the site's files (relative paths with /, each once, its marker among them), taken
    one at a time as they are built, to `directory`, replacing a previous site whole. A folder
    holding other files is refused, before a file is built, unless `force`; with it, the site's
    files are written into it one by one (each atomically) and the rest is left alone."""
    found = examine(directory)
    if found is Found.OTHER:
        if not force:
            raise OutputError(f"{directory}: the folder is not empty and is not a site dzshare wrote "
                              f"(it has no {MARKER} listing its files); name a new or empty folder, or pass "
                              "--force to write the site's files into it, leaving its other files alone")
        written = _write_among(directory, ((path, data) for path, data in files if path != MARKER))
        return Written(directory, written, replaced=False, merged=True)
    parent = directory.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(dir=parent, prefix=f".{directory.name}.", suffix=".new"))
    except OSError as error:
        raise OutputError(f"{directory}: cannot create the folder: {error.strerror}") from None
    try:
        written = _write_tree(staged, files)
        os.chmod(staged, _folder_mode(directory))
        _swap(staged, directory, found)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return Written(directory, written, replaced=found is Found.SITE, merged=False)


def examine(directory: Path) -> Found:
    """Nothing, an empty folder, a previous site (its marker lists every file it holds) or other."""
    if directory.is_symlink():
        raise OutputError(f"{directory}: is a symbolic link; name the folder itself, which dzshare replaces whole")
    if not directory.exists():
        return Found.NOTHING
    if not directory.is_dir():
        raise OutputError(f"{directory}: is a file; name a folder for the site")
    try:
        present = {PurePosixPath(path.relative_to(directory).as_posix()).as_posix()
                   for path in directory.rglob("*") if not path.is_dir()}
    except OSError as error:
        raise OutputError(f"{directory}: cannot read the folder: {error.strerror}") from None
    if not present:
        return Found.EMPTY
    return Found.SITE if MARKER in present and present <= _listed(directory / MARKER) else Found.OTHER


def _listed(marker: Path) -> set[str]:
    """The files a site's marker lists (its first line says what it is), and the marker itself."""
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    if not lines or not lines[0].startswith("dzshare site"):
        return set()
    return {MARKER, *lines[1:]}


def _write_tree(root: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Each file into the staging folder as it comes (nothing is kept once written): how many."""
    written = 0
    for path, data in files:
        target = root.joinpath(*PurePosixPath(path).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as stream:  # x: a path given twice would lose a file unseen
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise OutputError(f"{target}: cannot write: {error.strerror}; nothing was written") from None
        written += 1
    return written


def _folder_mode(directory: Path) -> int:
    """The mode of the folder being replaced, else the usual one (0777 less umask): mkdtemp
    makes its folder private, which a web server could not read."""
    try:
        return stat.S_IMODE(directory.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def _swap(staged: Path, directory: Path, found: Found) -> None:
    """Put the staged site in place of what was there: renames only, so readers never see a mix."""
    try:
        if found is Found.EMPTY:
            directory.rmdir()
        if found is not Found.SITE:
            os.rename(staged, directory)
            return
        old = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.", suffix=".old"))
        os.rename(directory, old / "site")
        try:
            os.rename(staged, directory)
        except OSError:
            os.rename(old / "site", directory)  # the previous site back where it was
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        raise OutputError(f"{directory}: cannot put the site in place: {error.strerror}; "
                          "the previous content is unchanged") from None


def _write_among(directory: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """--force into a folder of other files: each of the site's files written atomically as it
    comes (files.write_atomic: a temporary file beside it, then a rename); how many."""
    written = 0
    for path, data in files:
        *folders, name = PurePosixPath(path).parts
        folder = directory.joinpath(*folders)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"{folder}: cannot create the folder: {error.strerror}") from None
        write_atomic(inside(folder, name), data, force=True)
        written += 1
    return written
