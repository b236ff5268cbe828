"""Writing a ledger (督办台账): the manifest `init --ledger` makes, and a document added to it
(`import --into`, `add`), registered in the manifest by a line-level edit that keeps every
other line, comment and key order as it was."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from dzshare_cli.errors import Problem, UsageError
from dzshare_cli.files import OutputError, write_atomic, writable_target
from dzshare_cli.ledger import (KEY_HINT, KEY_PATTERN, DocumentReader, Manifest, load_ledger, read_documents,
                                read_manifest)
from dzshare_cli.loader import decode, parse_model, read_bytes
from dzshare_cli.locks import DEFAULT_LOCK_TIMEOUT, locked
from dzshare_cli.sources import MANIFEST_NAME

#: Where an added document's table goes, relative to the ledger's folder.
TABLES_FOLDER = "tables"
UTF8_BOM = b"\xef\xbb\xbf"

# The optional fields are written as comments, so that the file says what it may hold; a shared
# units file is not made: an empty registry would make every unit name of every document unknown.
_MANIFEST = """\
# A ledger (督办台账): dzshare reads every document listed here as one table; see docs/ledger.md.
title: {title}
# issuer: 定州市人民政府督查室    # the office that keeps the ledger
# units: units.yaml            # a unit registry shared by every document (units: [...])
# include: [more/*.yaml]       # globs of more table files; each one's key is its file name's stem
# cache: local                 # keep the cache in .dzshare-cache/ beside this file
# A short key per document (letters, digits, _ - .) and its table file, relative to this folder.
# `dzshare import SRC --into DIR --key KEY` and `dzshare add FILE --into DIR --key KEY` add them:
#   dz2021: tables/dz2021.yaml
documents: {{}}
"""


@dataclass(frozen=True)
class Added:
    """A document written into a ledger: its key, its table file, and whether it replaced one."""

    key: str
    path: Path
    manifest: Path
    replaced: bool
    documents: int


def manifest_text(title: str) -> str:
    """The text of a new ledger's manifest, or a UsageError when the title cannot be one."""
    if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", title):
        raise UsageError(f"--title {title!r} cannot be a ledger's title: it holds a line break or a "
                         "control character; give one line of text")
    text = _MANIFEST.format(title=_scalar(title.strip()))
    model, problems = parse_model(text, "--title", Manifest, "a ledger manifest")
    if model is None or model.title != title.strip():
        reason = problems[0].message if problems else "it does not read back as written"
        raise UsageError(f"--title {title!r} cannot be a ledger's title: {reason}; give one line of text")
    return text


def init_ledger(folder: Path, title: str, force: bool = False) -> Path:
    """Make `folder` a ledger: write its manifest (never over one without `force`)."""
    text = manifest_text(title)
    manifest = folder / MANIFEST_NAME
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; name the folder to make the ledger in")
    writable_target(manifest, force)  # refused before the folder is made
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot make the folder: {error.strerror}") from None
    write_atomic(manifest, text.encode("utf-8"), force)
    return manifest


def checked_key(key: str) -> str:
    """`key` when it can name a document (no colon: tasks are named KEY:ID), else a UsageError."""
    if not KEY_PATTERN.match(key):
        raise UsageError(f"--key {key!r} cannot be a document key; {KEY_HINT}")
    return key


def default_key(path: Path) -> str | None:
    """The key a file is added under when --key is not given: its name's stem, if that can be one."""
    stem = path.stem
    return stem if KEY_PATTERN.match(stem) and str(path) != "-" else None


def ledger_target(folder: Path, key: str, force: bool = False) -> Path:
    """The manifest of the ledger in `folder` that may take a document `key`, checked before a
    slow import or a copy: a TableError (exit 1) when there is no ledger there, an OutputError
    when the key is taken and `force` is not given."""
    manifest = folder if folder.name == MANIFEST_NAME else folder / MANIFEST_NAME
    _refuse_taken(manifest, read_manifest(manifest).documents.get(key), key, force)
    return manifest


def _refuse_taken(manifest: Path, existing: Path | None, key: str, force: bool) -> None:
    if existing is not None and not force:
        raise OutputError(f"{manifest}: the ledger already has a document '{key}' ({existing}); "
                          "pass --force to replace its table, or choose another --key")


def problems_in_ledger(manifest: Path, key: str, table: bytes, shown: str,
                       read: DocumentReader = read_documents) -> list[Problem]:
    """What adding the table as document `key` would bring into the ledger: every problem of
    the table itself, named `shown` (its own checks, its unit names against the ledger's merged
    registry, its registry against the other files'), and any problem it would cause in another
    document (the first registry in a ledger makes every document's unit names checked).

    A table valid in its ledger may name units only the shared units file declares, so it is
    checked there, not on its own. Problems the ledger has already are not the table's.
    """
    files = read_manifest(manifest)
    already = set(load_ledger(files, read).problems)
    with tempfile.TemporaryDirectory(prefix="dzshare-add-") as folder:
        staged = Path(folder) / f"{key}.yaml"  # the ledger reads files: the table as it will be
        staged.write_bytes(table)
        documents = {name: path for name, path in files.documents.items() if name != key}
        loaded = load_ledger(replace(files, documents={**documents, key: staged}), read)
    return [replace(problem, path=shown) if problem.path == str(staged) else problem
            for problem in loaded.problems if problem.path == str(staged) or problem not in already]


def add_document(manifest: Path, key: str, table: bytes | None, force: bool = False,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Added:
    """Write a table into the ledger as tables/KEY.yaml and list it under `documents:`.

    `table` is the file's bytes, or None when the file is already in place (tables/KEY.yaml
    itself, not yet listed). A key the ledger has is refused unless `force`, which replaces that
    document's file and leaves the manifest as it is. The manifest's lock is held from its read
    to its rename: two commands adding to one ledger at once both land.
    """
    checked_key(key)
    folder = manifest.parent
    with locked(manifest, lock_timeout):
        files = read_manifest(manifest)
        existing = files.documents.get(key)
        if existing is not None:
            _refuse_taken(manifest, existing, key, force)
            if table is not None:
                write_atomic(existing, table, force=True)
            return Added(key, existing, manifest, True, len(files.documents))
        relative = f"{TABLES_FOLDER}/{key}.yaml"
        target = folder / relative
        owner = {path.resolve(): name for name, path in files.documents.items()}
        if target.resolve() in owner:
            raise UsageError(f"{target} is already document '{owner[target.resolve()]}' of the ledger; "
                             "choose another --key")
        original = read_bytes(manifest)
        text = decode(original, str(manifest))
        updated = with_document(text, key, relative)
        _check_listed(text, updated, key, relative, manifest)
        created = table is not None and not target.exists()
        if table is not None:
            try:
                target.parent.mkdir(exist_ok=True)
            except OSError as error:
                raise OutputError(f"{target.parent}: cannot make the folder: {error.strerror}") from None
            write_atomic(target, table, force)
        try:
            bom = UTF8_BOM if original.startswith(UTF8_BOM) else b""
            write_atomic(manifest, bom + updated.encode("utf-8"), force=True)
        except BaseException:
            if created:  # a table no manifest lists would be a stray file (and an include might pick it up)
                target.unlink(missing_ok=True)
            raise
    return Added(key, target, manifest, False, len(files.documents) + 1)


def with_document(text: str, key: str, relative: str) -> str:
    """The manifest's text with `key: relative` as the last entry of its `documents:` mapping;
    every other line kept as it is (a block mapping grows by one line, `{}` becomes a block)."""
    entry = f"{_scalar(key)}: {_scalar(relative)}"
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise UsageError("the manifest is not a block mapping (one `field: value` per line); "
                         f"add `{entry}` under documents: by hand")
    for key_node, value in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "documents":
            return _insert(text, value, entry, newline)
    separator = newline if text and not text.endswith(("\n", "\r")) else ""
    return f"{text}{separator}documents:{newline}  {entry}{newline}"


def _insert(text: str, documents: yaml.Node, entry: str, newline: str) -> str:
    if not isinstance(documents, yaml.MappingNode):
        raise UsageError(f"documents: in the manifest is not a mapping; add `{entry}` under it by hand")
    start, end = documents.start_mark.index, documents.end_mark.index
    if documents.flow_style:
        if not documents.value:  # documents: {} -> a block of one line
            return f"{text[:start].rstrip(' ')}{newline}  {entry}{text[end:]}"
        closing = text.rindex("}", start, end)
        return f"{text[:closing].rstrip(' ')}, {entry}{text[closing:]}"
    indent = documents.value[0][0].start_mark.column
    last = documents.value[-1][1].end_mark
    at = last.index if last.column == 0 else _next_line(text, last.index)
    before = "" if at == 0 or text[at - 1] in "\r\n" else newline
    return f"{text[:at]}{before}{' ' * indent}{entry}{newline}{text[at:]}"


def _next_line(text: str, index: int) -> int:
    """Where the line after the one holding `index` starts (the end of the text if none does)."""
    match = re.compile(r"\r\n|\n|\r").search(text, index)
    return match.end() if match else len(text)


def _check_listed(before: str, after: str, key: str, relative: str, manifest: Path) -> None:
    """The edited manifest reads as the old one plus the one entry, last: anything else is a
    bug in the editing, and is not written."""
    old, _ = parse_model(before, str(manifest), Manifest, "a ledger manifest")
    new, _ = parse_model(after, str(manifest), Manifest, "a ledger manifest")
    expected = {**old.documents, key: relative} if old is not None else None
    if new is None or old is None or list(new.documents.items()) != list(expected.items()) or \
            new.model_dump(exclude={"documents"}) != old.model_dump(exclude={"documents"}):
        raise RuntimeError(f"adding '{key}' to {manifest} did not come out as intended; nothing was written")


_PLAIN = re.compile(r"[^\s#:'\"{}\[\],&*!|>%@`\\-][^#:{}\[\],\\]*")


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain where YAML reads it back as that text, else double-quoted."""
    if _PLAIN.fullmatch(text) and text == text.strip():
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)
