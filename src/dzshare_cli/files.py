"""Writing files the user owns: atomically, never replacing one without `force`, safe names."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from dzshare_cli.errors import EXIT_OUTPUT, DzshareError


class OutputError(DzshareError):
    """An output file that cannot or may not be written; nothing was changed, unless the
    message says which files were."""

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
    """`directory / file_name`, refusing any name that would land outside the directory, also
    through a symbolic link (the names are made from the table, not chosen by the user).

    A link is returned as the link, not its target: `write_atomic` refuses a dangling one.
    """
    base = directory.resolve()
    target = Path(os.path.normpath(base / file_name))
    if target.parent != base or target.resolve().parent != base:
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


def writable_target(path: Path, force: bool) -> Path:
    """The file a write to `path` replaces or creates (a symbolic link's target), or an OutputError
    saying why it may not be written; checked before anything is written.

    A link to an existing file is written through (with `force`, as for the file itself); a link
    to nothing is refused rather than followed, so a planted link cannot make dzshare create a
    file elsewhere. Only regular files are replaced, and a read-only one is not.
    """
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            raise OutputError(f"{path}: is a symbolic link to {target}, which does not exist; "
                              "dzshare does not create files through a link: remove the link or "
                              "name another file")
        path = target
    try:
        status = path.stat()
    except FileNotFoundError:
        return path
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{path}: is a directory; name a file")
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"{path}: not a regular file (a {_file_kind(status.st_mode)}); "
                          "dzshare only writes regular files: name another file")
    refuse_existing([path], force)
    if _read_only(path, status):
        raise OutputError(f"{path}: the file is read-only (mode {stat.S_IMODE(status.st_mode):04o}); "
                          f"nothing was written; make it writable (chmod u+w {path}) to change it")
    return path


def _file_kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")]
    return next((name for test, name in kinds if test(mode)), "special file")


def _read_only(path: Path, status: os.stat_result) -> bool:
    # Replacing a file is a rename in its directory, which the file's own mode does not stop:
    # honour the mode here. The mode bits are read as well as os.access, because for root
    # os.access calls every file writable.
    return not status.st_mode & 0o222 or not os.access(path, os.W_OK)


def write_atomic(path: Path, data: bytes, force: bool = False) -> None:
    """Write all of `data` to `path` or nothing: a temporary file beside it, then a rename.

    Without `force` an existing file is never replaced, even one created while we wrote.
    """
    path = writable_target(path, force)  # a link's target; the link is kept
    temporary = _temporary_copy(path, data)
    try:
        _move_into_place(temporary, path, force)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, FileExistsError):
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        raise


def _temporary_copy(path: Path, data: bytes) -> str:
    """`data` in a new file beside `path`, flushed to disk, with the mode `path` will have."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        raise
    return temporary


def write_files(files: list[tuple[Path, bytes]], force: bool) -> list[Path]:
    """Write several files: every one is checked, then every one written beside its place, and
    only then are they moved into place, so that a failure while writing changes nothing.

    Moving into place is a rename and rarely fails; if one does, the error says exactly which
    files were already in place.
    """
    refuse_existing([path for path, _ in files], force)  # names how many exist, not only the first
    targets = [writable_target(path, force) for path, _ in files]
    staged: list[str] = []
    try:
        for target, (_, data) in zip(targets, files):
            try:
                staged.append(_temporary_copy(target, data))
            except OutputError as error:
                raise OutputError(f"{error}; nothing was written") from None
        for done, (temporary, target) in enumerate(zip(staged, targets)):
            try:
                _move_into_place(temporary, target, force)
            except OutputError as error:  # a file of that name appeared meanwhile
                raise OutputError(f"{error}; {_already_written(targets[:done])}") from None
            except OSError as error:
                raise OutputError(f"{target}: cannot write: {error.strerror}; "
                                  f"{_already_written(targets[:done])}") from None
    finally:
        for temporary in staged:
            Path(temporary).unlink(missing_ok=True)
    return targets


def _already_written(paths: list[Path]) -> str:
    if not paths:
        return "nothing was written"
    names = ", ".join(path.name for path in paths[:5])
    more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
    return f"{len(paths)} file(s) were already written: {names}{more}"


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
