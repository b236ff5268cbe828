"""The advisory lock that serialises the writers of a file: a lock file beside it, held from the
read to the rename.

Why the `filelock` package and not fcntl: tables are kept and edited on Windows too (the CRLF
and BOM handling in edit.py exist for them), where fcntl does not exist; filelock uses the
native lock of each system (flock on Unix, a Windows file lock there), waits with a timeout, opens
the lock file without following links (a planted symlink cannot redirect it), and a lock held
by a process that dies is released by the system, so a crash never leaves a table locked.
It is imported only by the commands that write a table, so the others do not pay for it.

The lock file stays after the command ends (deleting it would let two writers lock two
different files of one name); it is empty and hidden: `.tasks.yaml.lock` beside `tasks.yaml`.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dzshare_cli.files import OutputError

#: Seconds a writer waits for the others. An edit holds the lock while it reads the table, edits
#: it and validates the result: about two loads of the table, a fraction of a second for the
#: bundled one but some seconds for 20,000 tasks (benchmarks/edit.py), so a few writers queued
#: on a large table must not time out; only a writer that hangs should.
DEFAULT_LOCK_TIMEOUT = 60.0


class LockTimeoutError(OutputError):
    """Another writer held the file's lock for longer than we were willing to wait."""


def lock_file_for(path: Path) -> Path:
    """The lock file of `path`: beside the file itself, after following symbolic links, so that
    every name by which a table is reached locks the same lock file."""
    real = path.resolve()
    return real.with_name(f".{real.name}.lock")


def _shared_mode(path: Path) -> int:
    """The lock file's permissions: the table's own read and write bits, so that everyone who may
    change a table shared by a group may also take its lock (whatever their umask)."""
    try:
        return stat.S_IMODE(path.resolve().stat().st_mode) & 0o666 | 0o600
    except OSError:
        return 0o644


@contextmanager
def locked(path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of `path` for the body of the `with`, waiting at most `timeout` seconds."""
    from filelock import FileLock, Timeout

    lock_file = lock_file_for(path)
    lock = FileLock(lock_file, timeout=timeout, mode=_shared_mode(path))
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeoutError(
            f"{path}: another dzshare command is changing this table (it holds the lock "
            f"{lock_file}); waited {timeout:g} s; nothing was written: run the command again, "
            "or wait longer with --lock-timeout SECONDS") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot create its lock file {lock_file}: {error.strerror}; "
                          "nothing was written") from None
    try:
        yield
    finally:
        lock.release()
