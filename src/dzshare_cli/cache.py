"""The ledger cache: each document file's validated table and problems, kept as JSON data under the
sha256 of its bytes, so that a query after an edit parses only the files that changed.

An entry is a line of JSON for its head (the format, its key, the document's problems and digest,
and where each of its lines starts) and then its table: a line for the table without its tasks
and a line per task. Queries read every head and build only the tasks they need. A ledger's index
(one file per manifest) holds the heads of all its documents, so that a warm run reads one file
instead of a head per document; each document file is still hashed, and a head is only used
under its file's hash, so the index cannot serve stale data either. Nothing in an entry or an
index is ever run: it is data, read by json and rebuilt field by field (digest.table_from_data).
An entry or index that cannot be read is a miss, rebuilt from the files; both are written to a
temporary file in the same folder and renamed, so a reader sees a whole file or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
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
FORMAT = 4  # 3: a document in a ledger leaves group members to the ledger; 4: structured progress notes
LOCAL_FOLDER = ".dzshare-cache"
#: The cache folder is trimmed to TRIM_TO of this, oldest entries first, after a run that added to it.
MAX_CACHE_BYTES = 1024 * 1024 * 1024
TRIM_TO = 0.75
#: A temporary file this old was left by a run that died while writing; it is removed.
STALE_TEMPORARY_SECONDS = 3600
#: Cold reads parse in a process per core when at least this many files need it.
POOL_FROM_FILES = 16
_ENTRIES = f"documents-v{FORMAT}"
#: The name of a ledger's index in the entries folder, before the hash of its manifest's path.
_INDEX_PREFIX = "ledger-"


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
    """What a read did, for DZSHARE_CACHE_DEBUG and the tests: the files parsed, the entries used
    (of them, those whose head came from the ledger's index), and why an entry or the index was
    not used."""

    parsed: list[Path] = field(default_factory=list)
    hits: int = 0
    notes: list[str] = field(default_factory=list)
    written: int = 0
    indexed: int = 0
    index_written: bool = False


@dataclass
class _Read:
    """One document file's part of a read: its entry and, when the entry is cached, its key, the
    offset of its table in the entry file and its head (what the ledger's index keeps)."""

    entry: DocumentEntry
    key: str | None = None
    body_at: int = 0
    head: dict[str, Any] | None = None


class CachedReader:
    """A ledger.DocumentReader that keeps each file's checked table in `folder` (None: no cache,
    every file parsed, several at a time when there are many), and, given the ledger's manifest,
    an index of every document's head."""

    def __init__(self, folder: Path | None, workers: int | None = None, ledger: Path | None = None) -> None:
        self.folder = folder
        self.workers = workers if workers is not None else _cores()
        self.ledger = ledger
        self.stats = CacheStats()
        self._salt = key_salt()
        self.entries = None if folder is None else folder / _ENTRIES
        # Paths as text: a Path per document costs more than the rest of a warm look-up.
        self._entries_text = None if self.entries is None else str(self.entries)
        self.index_path = None if self.entries is None or ledger is None else self.entries / _index_name(ledger)

    def __call__(self, paths: list[Path]) -> list[DocumentEntry]:
        index, index_keys = self._read_index()
        found: list[_Read | None] = []
        to_parse: list[tuple[int, Path, str, bytes]] = []
        for position, path in enumerate(paths):
            try:
                data = read_bytes(path)
            except TableError as error:
                found.append(_Read(DocumentEntry(error.problems, None)))
                continue
            key = entry_key(data, self._salt)
            read = self._indexed(index, path, key) if key in index else None
            if read is None:
                read = self._cached(path, key)
            else:
                self.stats.indexed += 1
            if read is None:
                to_parse.append((position, path, key, data))
            else:
                self.stats.hits += 1
            found.append(read)
        for position, read in self._parse(to_parse):
            found[position] = read
        reads = [read for read in found if read is not None]
        self._write_index(reads, index_keys)
        if self.stats.written:
            self._trim()
        return [read.entry for read in reads]

    # ------------------------------------------------------------------ reading entries

    def _entry_path(self, key: str) -> str | None:
        entries = self._entries_text
        return None if entries is None else f"{entries}{os.sep}{key}.json"

    def _cached(self, path: Path, key: str) -> _Read | None:
        where = self._entry_path(key)
        if where is None:
            return None
        try:
            with open(where, "rb") as stream:
                head_line = stream.readline()
            head = json.loads(head_line)
            if head["format"] != FORMAT or head["key"] != key:
                raise ValueError("not this entry")
            return self._from_head(path, key, len(head_line), head, where)
        except OSError:  # no entry yet, or a cache folder that cannot be read: a miss, nothing to say
            return None
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
            self.stats.notes.append(f"{where}: unreadable entry for {path} ({type(error).__name__}); rebuilt")
            return None

    def _from_head(self, path: Path, key: str, body_at: int, head: dict[str, Any], where: str,
                   body: bytes | None = None) -> _Read:
        """The entry a head describes; its table is read from the entry file at body_at when
        first needed (or from `body`, already in memory)."""
        if body is not None:
            source: Callable[[int, int], bytes] = lambda start, end: body[start:end]  # noqa: E731
        else:
            entry_file = self._entry_path(key)
            assert entry_file is not None
            source = _file_range(entry_file, body_at)
        table = _Body(source, path, self.stats, where, self._rewriter(key))
        return _Read(_entry_from_head(head, path, table), key, body_at, head)

    def _rewriter(self, key: str) -> Callable[[LoadResult], None] | None:
        """Writes a document's entry again when its table had to be parsed because the entry was
        gone or broken (trimmed, deleted, damaged): the next run finds it whole."""
        entries = self.entries
        if entries is None:
            return None

        def rewrite(result: LoadResult) -> None:
            _, head_text, body = _entry_texts(result, key)
            self.stats.written += _write(entries, key, head_text, body)
        return rewrite

    # ------------------------------------------------------------------ the ledger's index

    def _read_index(self) -> tuple[dict[str, list[Any]], list[str] | None]:
        """The index's heads by entry key, and its keys in order (None when there is no index to
        keep: no cache, no manifest, or a file that is missing or cannot be read)."""
        where = self.index_path
        if where is None:
            return {}, None
        try:
            with where.open("rb") as stream:
                data = json.loads(stream.read())
            if data["format"] != FORMAT or data["salt"] != self._salt:
                raise ValueError("another format or dzshare version")
            names = _strings_of(data["names"])
            documents = data["documents"]
            if type(documents) is not list:
                raise TypeError("documents is not a list")
            keys = [record[0] for record in documents]
            return {record[0]: [record, names] for record in documents}, keys
        except OSError:
            return {}, []
        except (ValueError, KeyError, TypeError, IndexError, RecursionError) as error:
            self.stats.notes.append(f"{where}: unreadable ledger index ({type(error).__name__}); rebuilt")
            return {}, []

    def _indexed(self, index: dict[str, list[Any]], path: Path, key: str) -> _Read | None:
        record, names = index[key]
        try:
            _, body_at, head = record
            if type(body_at) is not int:
                raise TypeError("the table's offset is not a number")
            head = _names_from_index(head, names)
            return self._from_head(path, key, body_at, head, str(self._entry_path(key)))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
            self.stats.notes.append(f"{self.index_path}: unreadable index record for {path} ({type(error).__name__}); "
                                    "its entry read instead")
            return None

    def _write_index(self, reads: list[_Read], index_keys: list[str] | None) -> None:
        """Write the index again when the documents' entries are not those it holds, in order."""
        where = self.index_path
        if where is None or index_keys is None:
            return
        if any(read.key is None for read in reads):  # a file that cannot be read is not indexed
            kept = [read for read in reads if read.key is not None]
        else:
            kept = reads
        if [read.key for read in kept] == index_keys and self.stats.indexed == len(kept):
            return  # every head came from it, as it is
        names: dict[str, int] = {}
        documents = [[read.key, read.body_at, _names_to_index(read.head, names)] for read in kept
                     if read.head is not None]
        text = _dumps({"format": FORMAT, "salt": self._salt, "manifest": os.path.abspath(self.ledger or ""),
                       "names": list(names), "documents": documents})
        if _write_file(where, text.encode()):
            self.stats.index_written = True

    # ------------------------------------------------------------------ parsing and writing

    def _parse(self, to_parse: list[tuple[int, Path, str, bytes]]) -> Iterator[tuple[int, _Read]]:
        self.stats.parsed += [path for _, path, _, _ in to_parse]
        entries = self.entries
        if len(to_parse) >= POOL_FROM_FILES and self.workers > 1:
            jobs = [(str(path), key, data, None if entries is None else str(entries))
                    for _, path, key, data in to_parse]
            from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - only a cold read needs it

            with ProcessPoolExecutor(self.workers) as pool:
                results = pool.map(_parse_entry, jobs, chunksize=max(1, len(jobs) // (self.workers * 8)))
                for (position, path, key, _), (head_text, body, written) in zip(to_parse, results):
                    self.stats.written += written
                    yield position, self._from_head(path, key, len(head_text.encode()) + 1, json.loads(head_text),
                                                    "a parse", body)
            return
        for position, path, key, data in to_parse:
            result = _check(path, data)
            head, head_text, body = _entry_texts(result, key)
            if entries is not None:
                self.stats.written += _write(entries, key, head_text, body)
            yield position, _Read(DocumentEntry.of(result), key, len(head_text.encode()) + 1, head)

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


def _entry_texts(result: LoadResult, key: str) -> tuple[dict[str, Any], str, bytes]:
    """The head of an entry (as data and as its line) and its table: the table without its tasks,
    then a line per task, so that a query builds only the tasks it wants; the head says where each
    line starts. Problems are kept without their path, which is put back when read: the same bytes
    at another path, or named another way, are one entry."""
    head: dict[str, Any] = {
        "format": FORMAT, "key": key,
        "problems": [[p.line, p.col, p.message, p.hint, p.code, p.severity] for p in result.problems],
        "digest": None if result.table is None else digest_data(digest(result.table)),
    }
    if result.table is None:
        return head, _dumps(head), b""
    data = table_data(result.table)
    tasks = data.pop("tasks")
    lines = [_dumps(data).encode(), *(_dumps(task).encode() for task in tasks)]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)  # the last is one past the end, as if a newline followed
    head["lines"] = starts
    return head, _dumps(head), b"\n".join(lines)


def _dumps(data: Any) -> str:
    # ensure_ascii=False keeps Chinese text at its size; JSON escapes line breaks, so each is one line.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _names_to_index(head: dict[str, Any] | None, names: dict[str, int]) -> dict[str, Any] | None:
    """A head for the index: its digest's unit names as positions in the index's one list of names
    (a ledger's documents name the same few hundred units)."""
    if head is None or head["digest"] is None:
        return head
    found = head["digest"]
    return {"problems": head["problems"],
            "digest": {**found, "names": [names.setdefault(name, len(names)) for name in found["names"]]},
            "lines": head["lines"]}


def _names_from_index(head: dict[str, Any], names: list[str]) -> dict[str, Any]:
    found = head["digest"]
    if found is None:
        return head
    positions = found["names"]
    if type(positions) is not list:
        raise TypeError("names is not a list")
    # a new head: the index's record stays as read (two documents may have the same bytes)
    return {**head, "digest": {**found, "names": [names[position] for position in positions]}}


def _strings_of(values: Any) -> list[str]:
    if type(values) is not list or not all(type(value) is str for value in values):
        raise TypeError("expected a list of text")
    return values


def _index_name(manifest: Path) -> str:
    """The file name of a ledger's index: the hash of its manifest's absolute path."""
    named = hashlib.sha256(os.path.abspath(manifest).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{_INDEX_PREFIX}{named[:32]}.json"


def _file_range(where: str, body_at: int) -> Callable[[int, int], bytes]:
    def read(start: int, end: int) -> bytes:
        with open(where, "rb") as stream:
            stream.seek(body_at + start)
            return stream.read(end - start)
    return read


class _Body:
    """The table lines of an entry, read when first needed: only the lines of the tasks wanted.
    If the entry went away or broke since its head was read, the document file is parsed again
    (and its entry written again): the file is the truth; the entry only saves time."""

    def __init__(self, read: Callable[[int, int], bytes], path: Path, stats: CacheStats, where: str,
                 rewrite: Callable[[LoadResult], None] | None = None) -> None:
        self._read = read
        self._rewrite = rewrite
        self._fallback: TaskTable | None = None
        self.path, self.stats, self.where = path, stats, where
        self.starts: list[int] = []  # where each line starts, from the entry's head; set with it

    def header(self) -> TaskTable:
        if self._fallback is None:
            try:
                data = json.loads(self._read(self.starts[0], self.starts[1] - 1))
                data["tasks"] = []
                return table_from_data(data)
            except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
                self._broken(error)
        return self._parsed().model_copy(update={"tasks": []})

    def tasks(self, wanted: list[int] | None) -> list[Task]:
        if self._fallback is None:
            try:
                return self._built(range(len(self.starts) - 2) if wanted is None else wanted)
            except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
                self._broken(error)
        tasks = self._parsed().tasks
        return tasks if wanted is None else [tasks[index] for index in wanted]

    def _built(self, wanted: list[int] | range) -> list[Task]:
        """The tasks at these positions: their lines, read in one span and decoded in one go."""
        if not wanted:
            return []
        starts = self.starts
        first, last = starts[1 + min(wanted)], starts[2 + max(wanted)] - 1
        span = self._read(first, last)
        if len(span) != last - first:
            raise ValueError("the entry is shorter than its head says")
        lines = [span[starts[1 + index] - first:starts[2 + index] - 1 - first] for index in wanted]
        found = json.loads(b"[" + b",".join(lines) + b"]")
        if len(found) != len(lines):
            raise ValueError("the task lines do not match the head")
        return [task_from_data(data) for data in found]

    def _broken(self, error: Exception) -> None:
        self.stats.notes.append(f"{self.where}: unreadable table for {self.path} ({type(error).__name__}); "
                                "parsed again")
        self._parsed()

    def _parsed(self) -> TaskTable:
        if self._fallback is None:
            self.stats.parsed.append(self.path)
            result = read_document(self.path)
            if result.table is None:  # the file broke since its entry was made: say so as it is now
                raise TableError(result.errors or result.problems)
            if self._rewrite is not None:
                self._rewrite(result)
            self._fallback = result.table
        return self._fallback


def _entry_from_head(head: dict[str, Any], path: Path, body: _Body) -> DocumentEntry:
    problems = [Problem(str(path), line, col, message, hint, code, severity)
                for line, col, message, hint, code, severity in head["problems"]]
    if head["digest"] is None:
        return DocumentEntry(problems, None)
    found = digest_from_data(head["digest"])
    starts = head["lines"]
    if type(starts) is not list or len(starts) != found.tasks + 2 or starts[0] != 0 or \
            not all(type(start) is int for start in starts):
        raise ValueError("line starts of the wrong shape")
    body.starts = starts
    return DocumentEntry(problems, found, None, body.tasks, body.header)


def _write(entries: Path, key: str, head: str, table: bytes) -> int:
    """Write an entry atomically; 1 when written, 0 when the folder cannot take it (the cache is
    then only slower, never wrong, and says nothing)."""
    return int(_write_file(entries / f"{key}.json", head.encode() + b"\n" + table))


def _write_file(where: Path, data: bytes) -> bool:
    """Write a cache file atomically (a temporary file in its folder, renamed): two processes
    writing it at once leave one whole file. False when the folder cannot take it."""
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=f".{where.stem[:16]}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, where)
        except BaseException:
            _remove(temporary)
            raise
    except OSError:
        return False
    return True


def _parse_entry(job: tuple[str, str, bytes, str | None]) -> tuple[str, bytes, int]:
    """In a worker process: parse one file, write its entry, and return its head line and table."""
    path, key, data, entries = job
    _, head, table = _entry_texts(_check(Path(path), data), key)
    written = _write(Path(entries), key, head, table) if entries is not None else 0
    return head, table, written
