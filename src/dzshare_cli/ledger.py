"""A ledger (督办台账): a folder whose ledger.yaml lists many table files. Reading its manifest,
merging the unit registries of its documents, and combining them into one table."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import Annotated

from dzshare_cli.errors import Finding, NotALedgerError, Problem, TableError, UsageError, shown_keys
from dzshare_cli.loader import LoadResult, check_table, decode, locate, parse_model, read_bytes, read_text
from dzshare_cli.models import Document, Task, TaskTable, Unit
from dzshare_cli.digest import Digest, Interest, digest
from dzshare_cli.units import UnitRegistry, fold, member_findings, task_unit_findings

#: A document's key: short, and without a colon, since tasks are named KEY:ID.
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
KEY_HINT = "a key is letters, digits, '_', '-' or '.', starting with a letter or digit (dz2021)"
#: Far above a province's ledger (thousands of documents); bounds what one run may read.
MAX_DOCUMENTS = 20_000
#: All the table files of a ledger together (3,000 documents are about 40 MB).
MAX_LEDGER_BYTES = 400 * 1024 * 1024

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Manifest(BaseModel):
    """ledger.yaml: the ledger's title, its shared registry and its documents by key."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, description="The ledger's name (定州市督办台账).")
    issuer: str | None = Field(default=None, description="The office that keeps it (督查室).")
    units: str | None = Field(default=None, description="A units file shared by every document.")
    documents: dict[Key, str] = Field(default={}, description="Key -> table file, relative to the folder.")
    include: list[str] = Field(default=[], description="Globs of more table files; the key is the file's stem.")
    cache: Literal["local"] | None = Field(default=None, description="local: keep the cache beside the manifest.")


class UnitsFile(BaseModel):
    """A shared registry file: `units:` as in a table."""

    model_config = ConfigDict(extra="forbid")

    units: list[Unit]


@dataclass(frozen=True)
class LedgerDocument:
    """One document of a ledger: its key, its table file and its document header."""

    key: str
    path: Path
    document: Document


@dataclass
class LedgerFiles:
    """The manifest read: the title, the shared units file and each document's key and path."""

    manifest: Path
    title: str
    issuer: str | None
    units_path: Path | None
    documents: dict[str, Path]
    cache_local: bool = False
    #: What the manifest says that may not be meant (a glob that matches nothing), for validate.
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class LedgerLoad:
    """Every document read and checked: the combined table (None when errors stop it) and the
    problems of every file, each naming its file."""

    table: TaskTable | None
    problems: list[Problem]
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]


def read_manifest(manifest: Path) -> LedgerFiles:
    """The manifest's documents as paths, or a TableError naming what is wrong and where."""
    if _not_a_file(manifest) == "no such file":
        folder = manifest.parent
        if _not_a_file(folder) == "no such file":
            raise TableError([Problem(str(folder), None, None, "no such folder, so not a ledger",
                                      "check the path; `dzshare init --ledger DIR` makes a ledger", code="file")])
        raise TableError([Problem(str(folder), None, None,
                                  f"is a directory with no {manifest.name}, so not a ledger",
                                  "name the table's .yaml file, or make a ledger there with "
                                  f"`dzshare init --ledger {folder}`", code="file")])
    text = read_text(manifest)
    model, problems = parse_model(text, str(manifest), Manifest, "a ledger manifest")
    if model is None:
        raise TableError(problems)
    folder = manifest.parent
    documents: dict[str, Path] = {}
    owner: dict[object, str] = {}  # the file's identity -> its key
    problems = []

    def add(key: str, path: Path, loc: tuple[str | int, ...]) -> None:
        if not KEY_PATTERN.match(key):
            problems.append(locate(text, str(manifest), Finding(loc, f"'{key}' cannot be a document key", KEY_HINT,
                                                                 "bad-key")))
        elif key in documents:
            problems.append(locate(text, str(manifest), Finding(
                loc, f"document key '{key}' is given twice: {documents[key]} and {path}",
                "give each document its own key (the include key is the file's stem)", "duplicate-key")))
        elif _identity(path) in owner:
            problems.append(locate(text, str(manifest), Finding(
                loc, f"{path} is already document '{owner[_identity(path)]}'", "list each table once",
                "duplicate-key")))
        else:
            documents[key] = path
            owner[_identity(path)] = key

    for key, relative in model.documents.items():
        path = folder / relative
        what = _not_a_file(path)
        if what:  # named in the manifest: say where, before reading any document
            problems.append(locate(text, str(manifest), Finding(
                ("documents", key), f"{path}: {what}",
                "correct the path (relative to the ledger's folder) or remove the line", "file")))
        add(key, path, ("documents", key))
    shared = folder / model.units if model.units else None
    what = _not_a_file(shared) if shared is not None else None
    if what:  # as for a document: say where it is named
        problems.append(locate(text, str(manifest), Finding(
            ("units",), f"{shared}: {what}",
            "correct the path (relative to the ledger's folder) or remove the line", "file")))
    not_documents = {_identity(manifest), shared and _identity(shared)}
    warnings: list[Problem] = []
    for position, pattern in enumerate(model.include):
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            problems.append(locate(text, str(manifest), Finding(
                ("include", position), f"'{pattern}' reaches outside the ledger's folder",
                "include globs are relative to the folder, such as meetings/*.yaml", "bad-include")))
            continue
        matched = _matches(folder, pattern)
        if not matched.inside and not matched.outside:
            warnings.append(locate(text, str(manifest), Finding(
                ("include", position), f"'{pattern}' matches no table file", "check the pattern "
                "(relative to the ledger's folder; hidden folders are not searched)", "empty-include",
                severity="warning")))
        for path in matched.dangling:
            warnings.append(locate(text, str(manifest), Finding(
                ("include", position), f"'{pattern}' matches {path}, a link to nothing; it is left out",
                "remove the link, or restore what it points to", "empty-include", severity="warning")))
        for path in matched.outside:
            problems.append(locate(text, str(manifest), Finding(
                ("include", position), f"'{pattern}' matches {path}, a link to a file outside the ledger's folder",
                "list a table outside the folder under documents: if it belongs to the ledger", "bad-include")))
        for path in matched.inside:
            if _identity(path) not in not_documents:
                if _identity(path) not in owner:  # a file listed by key and matched by a glob is listed once
                    add(path.stem, path, ("include", position))
    if len(documents) > MAX_DOCUMENTS:
        problems.append(Problem(str(manifest), None, None, f"the ledger lists over {MAX_DOCUMENTS:,} "
                                "documents, the limit for one ledger", "split it into several ledgers",
                                code="too-large"))
    elif _total_bytes(documents.values()) > MAX_LEDGER_BYTES:
        problems.append(Problem(str(manifest), None, None, f"the ledger's tables are over "
                                f"{MAX_LEDGER_BYTES // 2**20} MB together, the limit for one ledger",
                                "split it into several ledgers", code="too-large"))
    if problems:
        raise TableError(problems)
    return LedgerFiles(manifest, model.title, model.issuer, shared, documents, model.cache == "local", warnings)


def _not_a_file(path: Path) -> str | None:
    """Why a path named in the manifest cannot be read as a table, or None when it is a file."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "permission denied (check the permissions of the file and its folders)"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    return None if stat.S_ISREG(found.st_mode) else "not a regular file"


@dataclass
class _Matched:
    inside: list[Path] = field(default_factory=list)
    outside: list[Path] = field(default_factory=list)  # links that lead out of the folder
    dangling: list[Path] = field(default_factory=list)  # links that lead nowhere


def _matches(folder: Path, pattern: str) -> _Matched:
    """The files a glob matches, in path order; no more than a ledger may hold, however wide it
    is. Hidden files and folders (.git, .dzshare-cache) are not documents."""
    found = _Matched()
    root = os.path.realpath(folder)
    for path in folder.glob(pattern):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if _not_a_file(path):
            if path.is_symlink() and not path.exists():
                found.dangling.append(path)
            continue
        real = os.path.realpath(path)
        (found.inside if real.startswith(root + os.sep) else found.outside).append(path)
        if len(found.inside) > MAX_DOCUMENTS:
            break
    found.inside.sort()
    return found


def _total_bytes(paths: Iterable[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:  # reported when the document is read
            pass
    return total


def _identity(path: Path) -> object:
    """What makes two paths one file: its device and inode (one stat, where resolving a path costs a
    stat per folder of it: a second at 3,000 documents), else the absolute path."""
    try:
        found = os.stat(path)
    except OSError:
        return os.path.abspath(path)
    return (found.st_dev, found.st_ino)


def read_shared_units(path: Path) -> tuple[list[Unit], list[Problem]]:
    """The units of a shared registry file, or its problems."""
    try:
        text = decode(read_bytes(path), str(path))
    except TableError as error:
        return [], error.problems
    model, problems = parse_model(text, str(path), UnitsFile, "a units file", list_field="units")
    return (model.units if model else []), problems


class DocumentEntry:
    """One document file read: its problems, its digest (None when the table could not be built),
    and its tasks, built when first asked for (a cache entry holds them as data until then)."""

    def __init__(self, problems: list[Problem], found: Digest | None, table: TaskTable | None = None,
                 build: Callable[[list[int] | None], list[Task]] | None = None,
                 header: Callable[[], TaskTable] | None = None) -> None:
        self.problems = problems
        self.digest = found
        self._table = table
        self._build = build  # the tasks at these positions (None: all), from the entry's data
        self._header = header  # the table without its tasks

    @classmethod
    def of(cls, result: LoadResult) -> DocumentEntry:
        return cls(result.problems, None if result.table is None else digest(result.table), result.table)

    def tasks(self, wanted: list[int] | None = None) -> list[Task]:
        """The document's tasks at the positions wanted (None: all), in table order."""
        if self._table is not None:
            return self._table.tasks if wanted is None else [self._table.tasks[index] for index in wanted]
        if self._build is None or wanted == []:
            return []
        return self._build(wanted)

    def table(self) -> TaskTable | None:
        """The whole table."""
        if self._table is None and self._build is not None and self._header is not None:
            table = self._header()
            table.tasks = self._build(None)
            self._table = table
        return self._table


#: Reads a ledger's document files, in order: the cache (cache.CachedReader) supplies a faster one.
DocumentReader = Callable[[list[Path]], list[DocumentEntry]]


def read_document(path: Path) -> LoadResult:
    return check_table(path, in_ledger=True)


def read_documents(paths: list[Path]) -> list[DocumentEntry]:
    return [DocumentEntry.of(read_document(path)) for path in paths]


def load_ledger(files: LedgerFiles, read: DocumentReader = read_documents,
                interest: Interest | None = None) -> LedgerLoad:
    """Read every document of a ledger, check each against the merged registry, and combine them.

    With an `interest`, only the documents it wants have their tasks in the table (every document
    is still read, checked and listed in `table.documents`): `due` over a 100,000-task ledger
    builds the few hundred documents that can answer it.
    """
    problems: list[Problem] = list(files.warnings)
    shared: list[Unit] = []
    if files.units_path is not None:
        shared, found = read_shared_units(files.units_path)
        problems += found
    paths = list(files.documents.values())
    read_entries = read(paths)
    entries: dict[str, tuple[Path, DocumentEntry]] = {}
    for key, path, entry in zip(files.documents, paths, read_entries):
        problems += entry.problems
        if entry.digest is not None:
            entries[key] = (path, entry)
    registry_units, clashes = merge_registries(files.units_path, shared,
                                               [(path, entry.digest.units) for path, entry in entries.values()])
    problems += clashes
    unread = [path for key, path in files.documents.items() if key not in entries]
    if files.units_path is not None and any(p.severity == "error" for p in problems if p.path == str(files.units_path)):
        unread.insert(0, files.units_path)  # the shared units are what the documents name
    problems += _unknown_units(entries.values(), registry_units, unread)
    if any(problem.severity == "error" for problem in problems):
        return LedgerLoad(None, problems, len(files.documents))
    registry = UnitRegistry(registry_units, declared=True) if registry_units is not None else None
    return LedgerLoad(combine(files, entries, registry_units, registry, interest), problems, len(files.documents))


def combine(files: LedgerFiles, entries: dict[str, tuple[Path, DocumentEntry]], units: list[Unit] | None,
            registry: UnitRegistry | None = None, interest: Interest | None = None) -> TaskTable:
    """One table of every document's tasks (of those the interest wants), each task carrying its
    document's key; every document is in `documents`."""
    tasks = []
    documents = {}
    for key, (path, entry) in entries.items():
        assert entry.digest is not None
        documents[key] = LedgerDocument(key, path, entry.digest.document)
        for task in entry.tasks(interest.wants(entry.digest, registry) if interest is not None else None):
            task._document = key
            tasks.append(task)
    combined = TaskTable.model_construct(document=Document(title=files.title, issuer=files.issuer),
                                         tasks=tasks, units=units)
    combined._documents = documents
    return combined


def narrow(table: TaskTable, keys: Iterable[str]) -> TaskTable:
    """The table with only the named documents' tasks (--doc); the registry stays whole."""
    wanted = list(dict.fromkeys(keys))
    unknown = [key for key in wanted if key not in table.documents]
    if not table.documents:
        raise NotALedgerError()
    if unknown:
        known = shown_keys(list(table.documents))
        raise UsageError(f"no document '{unknown[0]}' in the ledger; its documents are {known}")
    chosen = set(wanted)
    narrowed = TaskTable.model_construct(document=table.document,
                                         tasks=[task for task in table.tasks if task.document in chosen],
                                         units=table.units)
    narrowed._documents = {key: document for key, document in table.documents.items() if key in chosen}
    narrowed._source = table.source
    return narrowed


@dataclass
class _Declared:
    """A unit as first declared, and where."""

    unit: Unit
    where: Path
    aliases: list[str] = field(default_factory=list)


def merge_registries(shared_path: Path | None, shared: list[Unit],
                     documents: list[tuple[Path, list[Unit] | None]]) -> tuple[list[Unit] | None, list[Problem]]:
    """The ledger's registry: the shared file's units, then each document's own, merged.

    The same unit declared in several files merges (aliases add up); one spelling naming two
    units, or one group with two different member lists, is an error naming both files.
    """
    sources = ([(shared_path, shared)] if shared_path is not None else []) + \
        [(path, units) for path, units in documents if units is not None]
    if not sources:
        return None, []
    declared: dict[str, _Declared] = {}
    owner: dict[str, tuple[str, Path]] = {}  # folded spelling -> (unit name, file)
    problems = []
    for path, units in sources:
        findings = [finding for index, unit in enumerate(units)
                    for finding in _merge_unit(declared, owner, path, index, unit)]
        if findings:  # rare: read the file again for the positions
            text = read_text(path)
            problems += [locate(text, str(path), finding) for finding in findings]
    merged = [entry.unit.model_copy(update={"aliases": entry.aliases}) for entry in declared.values()]
    registry = UnitRegistry(merged, declared=True)
    for path, units in sources:  # a group in one file may name units another file declares
        findings = [finding for _, finding in member_findings(units, registry)]
        if findings:
            text = read_text(path)
            problems += [locate(text, str(path), finding) for finding in findings]
    return merged, problems


def _merge_unit(declared: dict[str, _Declared], owner: dict[str, tuple[str, Path]], path: Path,
                index: int, unit: Unit) -> list[Finding]:
    findings = []
    entry = declared.get(fold(unit.name))
    if entry is None:
        entry = declared[fold(unit.name)] = _Declared(unit, path, list(unit.aliases))
    elif unit.members and entry.unit.members and \
            {fold(m) for m in unit.members} != {fold(m) for m in entry.unit.members}:
        findings.append(Finding(("units", index, "members"),
                                f"group '{unit.name}' has other members here than in {entry.where}",
                                "declare the group once, in the ledger's shared units file", "registry-clash"))
    elif unit.members and not entry.unit.members:
        entry.unit = entry.unit.model_copy(update={"members": unit.members, "kind": unit.kind or entry.unit.kind})
    spellings = [(("units", index, "name"), unit.name)] + \
        [(("units", index, "aliases", position), alias) for position, alias in enumerate(unit.aliases)]
    for loc, spelling in spellings:
        named, where = owner.setdefault(fold(spelling), (entry.unit.name, path))
        if fold(named) != fold(entry.unit.name):
            findings.append(Finding(loc, f"'{spelling}' names '{entry.unit.name}' here but '{named}' in {where}",
                                    "a name or alias may belong to one unit only in a ledger", "registry-clash"))
        elif spelling != unit.name and all(fold(spelling) != fold(known) for known in
                                           (entry.unit.name, *entry.aliases)):
            entry.aliases.append(spelling)
    return findings


def _unknown_units(entries: Iterable[tuple[Path, DocumentEntry]], units: list[Unit] | None,
                   unread: list[Path]) -> list[Problem]:
    """Task unit names the ledger's registry does not know, at their place in their own file.

    Each document's digest lists the names its tasks use, so a ledger of 100,000 tasks asks about
    a few hundred names; only a document with an unknown one is built to say where it is. While a
    document cannot be read, its own units are unknown too: a name it may declare is a warning
    that says so, not an error of the file that names it.
    """
    if units is None:
        return []
    registry = UnitRegistry(units, declared=True)
    entries = list(entries)
    used: set[str] = set().union(*(entry.digest.names for _, entry in entries if entry.digest is not None))
    unknown = {name for name in used if registry.exact(name) is None}
    problems = []
    for path, entry in entries:
        if not unknown or entry.digest is None or unknown.isdisjoint(entry.digest.names):
            continue
        table = entry.table()
        findings = task_unit_findings(table, registry) if table is not None else []
        if unread:
            findings = [Finding(f.loc, f.message, f"{unread[0]} could not be read and may declare it; "
                                f"{f.hint}", f.code, severity="warning") for f in findings]
        if findings:  # rare: read the file again for the positions
            text = read_text(path)
            problems += [locate(text, str(path), finding) for finding in findings]
    return problems
