"""The ledger cache: each document file's validated table and problems, kept as JSON data under the
sha256 of its bytes, so that a query after an edit parses only the files that changed.

An entry is two lines of JSON: a head (the format, its key, the document's problems and digest)
and the table. Queries read every head and build only the tables they need. Nothing in an entry
is ever run: it is data, read by json and rebuilt field by field (digest.table_from_data). An
entry that cannot be read is a miss, rebuilt from the file; entries are written to a temporary
file in the same folder and renamed, so a reader sees a whole entry or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dzshare_cli import __version__
from dzshare_cli.digest import digest, digest_data, digest_from_data, table_data, table_from_data, task_from_data
from dzshare_cli.errors import Problem, TableError
from dzshare_cli.ledger import DocumentEntry, LedgerFiles, read_document
from dzshare_cli.loader import LoadResult, decode, parse_table, read_bytes
from dzshare_cli.models import Task, TaskTable

#: Bumped whenever what an entry holds, or how a table is checked, changes in a way the dzshare
#: version would not show (a development build).
FORMAT = 1
LOCAL_FOLDER = ".dzshare-cache"
#: The cache folder is trimmed to TRIM_TO of this, oldest entries first, after a run that added to it.
MAX_CACHE_BYTES = 1024 * 1024 * 1024
TRIM_TO = 0.75
#: A temporary file this old was left by a run that died while writing; it is removed.
STALE_TEMPORARY_SECONDS = 3600
#: Cold reads parse in a process per core when at least this many files need it.
POOL_FROM_FILES = 16
_ENTRIES = f"documents-v{FORMAT}"


def cache_folder(files: LedgerFiles, environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """Where the ledger's cache lives: $DZSHARE_CACHE_DIR, else .dzshare-cache/ beside the manifest
    when it says `cache: local`, else the platform's cache folder (~/.cache/dzshare)."""
    named = environ.get("DZSHARE_CACHE_DIR")
    if named:
        return Path(named)
    if files.cache_local:
        return files.manifest.parent / LOCAL_FOLDER
    import platformdirs  # noqa: PLC0415 - only a ledger with the cache on needs it

    return Path(platformdirs.user_cache_dir("dzshare"))


def cache_disabled(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    return environ.get("DZSHARE_NO_CACHE", "") not in ("", "0")


def entry_key(data: bytes, salt: str) -> str:
    """The entry of a file's bytes: what it holds depends on nothing else (the path is restored
    into its problems when read), given the salt (format, dzshare and calendar versions)."""
    digest_of = hashlib.sha256(salt.encode())
    digest_of.update(b"\0")
    digest_of.update(data)
    return digest_of.hexdigest()


def key_salt() -> str:
    from dzshare_cli.workdays import calendar_version  # noqa: PLC0415

    return f"dzshare-cache {FORMAT} {__version__} chinesecalendar {calendar_version()}"


@dataclass
class CacheStats:
    """What a read did, for DZSHARE_CACHE_DEBUG and the tests: the files parsed, the entries used,
    and why an entry present was not used."""

    parsed: list[Path] = field(default_factory=list)
    hits: int = 0
    notes: list[str] = field(default_factory=list)
    written: int = 0


class CachedReader:
    """A ledger.DocumentReader that keeps each file's checked table in `folder` (None: no cache,
    every file parsed, several at a time when there are many)."""

    def __init__(self, folder: Path | None, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers if workers is not None else _cores()
        self.stats = CacheStats()
        self._salt = key_salt()

    @property
    def entries(self) -> Path | None:
        return None if self.folder is None else self.folder / _ENTRIES

    def __call__(self, paths: list[Path]) -> list[DocumentEntry]:
        found: list[DocumentEntry | None] = []
        to_parse: list[tuple[int, Path, str, bytes]] = []
        for index, path in enumerate(paths):
            try:
                data = read_bytes(path)
            except TableError as error:
                found.append(DocumentEntry(error.problems, None))
                continue
            key = entry_key(data, self._salt)
            entry = self._cached(path, key)
            if entry is None:
                to_parse.append((index, path, key, data))
            else:
                self.stats.hits += 1
            found.append(entry)
        for index, entry in self._parse(to_parse):
            found[index] = entry
        if self.stats.written:
            self._trim()
        return [entry for entry in found if entry is not None]

    # ------------------------------------------------------------------ reading entries

    def _entry_path(self, key: str) -> Path | None:
        entries = self.entries
        return None if entries is None else entries / f"{key}.json"

    def _cached(self, path: Path, key: str) -> DocumentEntry | None:
        where = self._entry_path(key)
        if where is None:
            return None
        try:
            with where.open("rb") as stream:
                head_line = stream.readline()
            head = json.loads(head_line)
            body = _Body(lambda: _read_from(where, len(head_line)), path, self.stats, str(where))
            return _entry_from_head(head, key, path, body)
        except OSError:  # no entry yet, or a cache folder that cannot be read: a miss, nothing to say
            return None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            self.stats.notes.append(f"{where}: unreadable entry for {path} ({type(error).__name__}); rebuilt")
            return None

    # ------------------------------------------------------------------ parsing and writing

    def _parse(self, to_parse: list[tuple[int, Path, str, bytes]]) -> Iterator[tuple[int, DocumentEntry]]:
        self.stats.parsed += [path for _, path, _, _ in to_parse]
        entries = self.entries
        if len(to_parse) >= POOL_FROM_FILES and self.workers > 1:
            jobs = [(str(path), key, data, None if entries is None else str(entries))
                    for _, path, key, data in to_parse]
            with ProcessPoolExecutor(self.workers) as pool:
                results = pool.map(_parse_entry, jobs, chunksize=max(1, len(jobs) // (self.workers * 8)))
                for (index, path, key, _), (head_text, body_text, written) in zip(to_parse, results):
                    self.stats.written += written
                    body = _Body(lambda text=body_text: text.encode(), path, self.stats, "a parse")
                    yield index, _entry_from_head(json.loads(head_text), key, path, body)
            return
        for index, path, key, data in to_parse:
            result = _check(path, data)
            if entries is not None:
                self.stats.written += _write(entries, key, *_entry_texts(result, key))
            yield index, DocumentEntry.of(result)

    def _trim(self) -> None:
        """Keep the cache folder under MAX_CACHE_BYTES: remove the oldest entries (and temporary
        files a killed run left) once it is over. A removed entry is only rebuilt when used."""
        entries = self.entries
        if entries is None:
            return
        try:
            trim(entries, MAX_CACHE_BYTES, time.time())
        except OSError:
            pass


def trim(entries: Path, limit: int, now: float) -> None:
    found = []
    for item in os.scandir(entries):
        try:
            stat = item.stat()
        except OSError:
            continue
        if item.name.endswith(".tmp"):
            if now - stat.st_mtime > STALE_TEMPORARY_SECONDS:
                _remove(item.path)
            continue
        found.append((stat.st_mtime, stat.st_size, item.path))
    total = sum(size for _, size, _ in found)
    if total <= limit:
        return
    for _, size, path in sorted(found):
        _remove(path)
        total -= size
        if total <= limit * TRIM_TO:
            return


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check(path: Path, data: bytes) -> LoadResult:
    """What ledger.read_document finds, from bytes already read."""
    try:
        text = decode(data, str(path))
    except TableError as error:
        return LoadResult(None, error.problems)
    return parse_table(text, str(path), None, in_ledger=True)


def _entry_texts(result: LoadResult, key: str) -> tuple[str, str]:
    """The head line of an entry, and its body: the table without its tasks, then a line per task,
    so that a query builds only the tasks it wants. Problems are kept without their path, which is
    put back when read: the same bytes at another path, or named another way, are one entry."""
    head = {
        "format": FORMAT, "key": key,
        "problems": [[p.line, p.col, p.message, p.hint, p.code, p.severity] for p in result.problems],
        "digest": None if result.table is None else digest_data(digest(result.table)),
    }
    if result.table is None:
        return _dumps(head), ""
    data = table_data(result.table)
    tasks = data.pop("tasks")
    return _dumps(head), "\n".join([_dumps(data), *(_dumps(task) for task in tasks)])


def _dumps(data: Any) -> str:
    # ensure_ascii=False keeps Chinese text at its size; JSON escapes line breaks, so each is one line.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _Body:
    """The table lines of an entry, read when first needed. If the entry went away or broke since
    its head was read, the document file is parsed again: it is the truth; the entry only saves time."""

    def __init__(self, read: Callable[[], bytes], path: Path, stats: CacheStats, where: str) -> None:
        self._read = read
        self._lines: list[bytes] | None = None
        self._fallback: TaskTable | None = None
        self.path, self.stats, self.where = path, stats, where
        self.count = 0  # the tasks the entry's digest counts; its body must hold as many lines

    def header(self) -> TaskTable:
        lines = self._body()
        if lines is None:
            return self._parsed().model_copy(update={"tasks": []})
        data = json.loads(lines[0])
        data["tasks"] = []
        return table_from_data(data)

    def tasks(self, wanted: list[int] | None) -> list[Task]:
        lines = self._body()
        if lines is not None:
            try:
                chosen = lines[1:] if wanted is None else [lines[1 + index] for index in wanted]
                return [task_from_data(json.loads(line)) for line in chosen]
            except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
                self._broken(error)
        tasks = self._parsed().tasks
        return tasks if wanted is None else [tasks[index] for index in wanted]

    def _body(self) -> list[bytes] | None:
        if self._lines is None and self._fallback is None:
            try:
                lines = self._read().split(b"\n")
                if len(lines) != 1 + self.count:
                    raise ValueError(f"{len(lines) - 1} task lines for {self.count} tasks")
                self._lines = lines
            except (OSError, ValueError) as error:
                self._broken(error)
        return self._lines

    def _broken(self, error: Exception) -> None:
        self.stats.notes.append(f"{self.where}: unreadable table for {self.path} ({type(error).__name__}); "
                                "parsed again")
        self._lines = None
        self._parsed()

    def _parsed(self) -> TaskTable:
        if self._fallback is None:
            self.stats.parsed.append(self.path)
            result = read_document(self.path)
            if result.table is None:  # the file broke since its entry was made: say so as it is now
                raise TableError(result.errors or result.problems)
            self._fallback = result.table
        return self._fallback


def _read_from(where: Path, offset: int) -> bytes:
    with where.open("rb") as stream:
        stream.seek(offset)
        return stream.read()


def _entry_from_head(head: dict[str, Any], key: str, path: Path, body: _Body) -> DocumentEntry:
    if head["format"] != FORMAT or head["key"] != key:
        raise ValueError("not this entry")
    problems = [Problem(str(path), line, col, message, hint, code, severity)
                for line, col, message, hint, code, severity in head["problems"]]
    if head["digest"] is None:
        return DocumentEntry(problems, None)
    found = digest_from_data(head["digest"])
    body.count = found.tasks
    return DocumentEntry(problems, found, None, body.tasks, body.header)


def _write(entries: Path, key: str, head: str, table: str) -> int:
    """Write an entry atomically; 1 when written, 0 when the folder cannot take it (the cache is
    then only slower, never wrong, and says nothing)."""
    try:
        entries.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entries, prefix=f".{key[:16]}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(head + "\n" + table)
            os.replace(temporary, entries / f"{key}.json")
        except BaseException:
            _remove(temporary)
            raise
    except OSError:
        return 0
    return 1


def _parse_entry(job: tuple[str, str, bytes, str | None]) -> tuple[str, str, int]:
    """In a worker process: parse one file, write its entry, and return the entry's two lines."""
    path, key, data, entries = job
    head, table = _entry_texts(_check(Path(path), data), key)
    written = _write(Path(entries), key, head, table) if entries is not None else 0
    return head, table, written
