"""Acceptance on real published tables (tests/fixtures/published/, sources in its README.md): each
imports through the CLI, the written file answers list, due, dept and report, and every task keeps
its published text and units (role words such as 牵头 / 配合 removed) and its deadline text."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.helpers import run
from tests.helpers import FIXTURES
from tests.published_builders import BUILDERS

PUBLISHED = FIXTURES / "published"
EXPECTATIONS = sorted(PUBLISHED.glob("*.expected.yaml"))
#: The number a table or a list puts before a task (1. / 1、 / 1．, a space or not, or a bracketed
#: （1） / （一） when the sub-items are the tasks): the task's label, not its text, whichever of the
#: two an importer keeps it in.
_ENUMERATOR = re.compile(r"^\s*(?:\d+\s*[.、．]|[（(](?:\d+|[一二三四五六七八九十]+)[）)])\s*")


def _expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def _source(expected: dict[str, Any], tmp_path: Path) -> Path:
    name = expected["source"]
    return BUILDERS[name](tmp_path / name) if name in BUILDERS else PUBLISHED / name


def _imported(expected: dict[str, Any], tmp_path: Path) -> Path:
    """The table file `dzshare import` wrote; the import exits 0 unless the expectation names the
    real errors of its source (import_exit: 1)."""
    out = tmp_path / "tasks.yaml"
    result = run("import", str(_source(expected, tmp_path)), "-o", str(out),
                 *[str(arg) for arg in expected.get("import_args", [])])
    assert result.exit_code == expected.get("import_exit", 0), result.output
    assert out.is_file(), f"import wrote no table: {result.output}"
    return out


def _ids(paths: list[Path]) -> list[str]:
    return [path.name.removesuffix(".expected.yaml") for path in paths]


def test_the_corpus_is_there():
    assert len(EXPECTATIONS) >= 8
    for path in EXPECTATIONS:
        expected = _expected(path)
        assert expected["source"] in BUILDERS or (PUBLISHED / expected["source"]).is_file(), path
        assert expected["source"].split(".")[0] in (PUBLISHED / "README.md").read_text("utf-8"), path


@pytest.mark.parametrize("path", EXPECTATIONS, ids=_ids(EXPECTATIONS))
def test_published_table_loads_and_answers_queries(path, tmp_path):
    expected = _expected(path)
    table = str(_imported(expected, tmp_path))
    as_of = str(expected["as_of"])
    for command in (["list", "--format", "json"], ["due", "--as-of", as_of], ["dept", expected["dept"], "--as-of", as_of],
                    ["report", "--as-of", as_of]):
        result = run(*command, "-f", table)
        assert result.exit_code == 0, f"dzshare {' '.join(command)}: {result.output}"


def _units(task: dict[str, Any]) -> list[str]:
    others = [unit for units in (task.get("roles") or {}).values() for unit in units]
    return [*task["lead"], *task["responsible"], *others]


def _text(text: str) -> str:
    return _ENUMERATOR.sub("", text)


def _differences(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    """Every way the imported tasks differ from the published ones, one line each."""
    found = []
    if len(actual) != len(expected):
        found.append(f"{len(actual)} tasks imported, {len(expected)} published: "
                     f"{[_text(t['text'])[:20] for t in actual]}")
    for number, (want, got) in enumerate(zip(expected, actual), start=1):
        where = f"task {number} ({want['text'][:12]}…)"
        if _text(got["text"]) != want["text"]:
            found.append(f"{where}: text {got['text']!r}")
        if Counter(_units(got)) != Counter(want["units"]):
            found.append(f"{where}: units {_units(got)} (lead {got['lead']}), published {want['units']}")
        if "lead" in want and Counter(got["lead"]) != Counter(want["lead"]):
            found.append(f"{where}: lead {got['lead']}, published {want['lead']}")
        if got["deadline"] != want["deadline"]:
            found.append(f"{where}: deadline {got['deadline']!r}, published {want['deadline']!r}")
        if "progress" in want and [note.get("note") for note in got.get("progress", [])] != want["progress"]:
            found.append(f"{where}: progress {got.get('progress')}, published {len(want['progress'])} notes")
    return found


@pytest.mark.parametrize("path", EXPECTATIONS, ids=_ids(EXPECTATIONS))
def test_published_table_keeps_texts_units_and_deadlines(path, tmp_path):
    expected = _expected(path)
    table = str(_imported(expected, tmp_path))
    listed = run("list", "--format", "json", "-f", table, "--as-of", str(expected["as_of"]))
    assert listed.exit_code == 0, listed.output
    differences = _differences(expected["tasks"], json.loads(listed.stdout))
    assert not differences, "\n".join(differences)
