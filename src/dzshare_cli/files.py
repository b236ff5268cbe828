"""Writing files the user owns: atomically, never replacing one without `force`, safe names."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from dzshare_cli.errors import EXIT_OUTPUT, DzshareError


class OutputError(DzshareError):
    """An output file that cannot or may not be written; nothing was changed."""

    exit_code = EXIT_OUTPUT


#: Characters no file name may hold on Windows, macOS or Linux (plus control characters).
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME_BYTES = 200  # of the 255 most file systems allow, leaving room for " (2).xlsx"


def safe_file_name(name: str) -> str:
    """A file name made from a unit name: no separators, no '..', no reserved Windows names,
    and short enough in UTF-8 bytes (the limit file systems count) to take a suffix."""
    cleaned = _UNSAFE.sub("_", name).strip(" .").replace("..", "_")
    while len(cleaned.encode("utf-8")) > MAX_NAME_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned or "_"
    return f"_{cleaned}" if _RESERVED.match(cleaned) else cleaned


def file_names(names: list[str], suffix: str) -> list[str]:
    """Safe, distinct file names (case-insensitively, as on Windows) for the given names."""
    used: set[str] = set()
    result = []
    for name in names:
        base = safe_file_name(name)
        candidate, number = f"{base}{suffix}", 2
        while candidate.casefold() in used:
            candidate, number = f"{base} ({number}){suffix}", number + 1
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def inside(directory: Path, file_name: str) -> Path:
    """`directory / file_name`, refusing any name that would land outside the directory."""
    target = (directory / file_name).resolve()
    if target.parent != directory.resolve():
        raise OutputError(f"{file_name}: refusing to write outside {directory}")
    return target


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Raise before anything is written when a file exists and `force` is not given."""
    if force:
        return
    existing = [path for path in paths if path.exists()]
    if existing:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise OutputError(f"{existing[0]}: file exists{more}; pass --force to replace it")


def write_atomic(path: Path, data: bytes, force: bool = False) -> None:
    """Write all of `data` to `path` or nothing: a temporary file beside it, then a rename.

    Without `force` an existing file is never replaced, even one created while we wrote.
    """
    if path.is_symlink():  # write the file the link points to; keep the link
        path = path.resolve()
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; name a file")
    refuse_existing([path], force)
    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        _move_into_place(temporary, path, force)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, FileExistsError):
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        raise


def _mode_for(path: Path) -> int:
    """Keep a replaced file's permissions; a new file gets the usual ones (0666 less umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _move_into_place(temporary: str, path: Path, force: bool) -> None:
    if force:
        os.replace(temporary, path)
        return
    try:
        # A hard link fails if the target exists: no window in which another file is clobbered.
        os.link(temporary, path)
    except FileExistsError:
        raise OutputError(f"{path}: file exists; pass --force to replace it") from None
    except OSError:  # file systems without hard links
        if path.exists():
            raise OutputError(f"{path}: file exists; pass --force to replace it") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)
