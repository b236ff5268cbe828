"""The ledger cache seen from the command line: the same answers warm and cold, --no-cache and
DZSHARE_NO_CACHE, `cache: local`, and the debug line that says which files were parsed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"

QUERIES = [
    ["due", "--as-of", "2024-06-30", "--format", "json"],
    ["due", "--before", "2024-09", "--as-of", "2024-07-01", "--format", "json"],
    ["due", "--after", "2024-06", "--by", "2024-12", "--all", "--as-of", "2024-07-01", "--format", "json"],
    ["dept", "市财政局", "--as-of", "2024-06-01", "--format", "json"],
    ["dept", "东亭镇", "--as-of", "2024-06-01", "--format", "json"],
    ["report", "--as-of", "2024-06-30", "--format", "json"],
    ["list", "--as-of", "2024-06-30", "--format", "json"],
]


@pytest.fixture
def ledger(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "ledger")
    return tmp_path / "ledger"


def entries(folder: Path) -> list[Path]:
    """The documents' entries (not the ledger's index)."""
    return sorted(path for path in folder.rglob("*.json") if not path.name.startswith("ledger-")) \
        if folder.exists() else []


def indexes(folder: Path) -> list[Path]:
    return sorted(folder.rglob("ledger-*.json")) if folder.exists() else []


@pytest.mark.parametrize("query", QUERIES, ids=lambda query: " ".join(query[:2]))
def test_warm_answers_equal_cold_ones_and_uncached_ones(ledger, tmp_path, query):
    env = {"DZSHARE_CACHE_DIR": str(tmp_path / "cache")}
    cold = run(*query, "-f", str(ledger), env=env)
    warm = run(*query, "-f", str(ledger), env=env)
    uncached = run("--no-cache", *query, "-f", str(ledger))
    assert cold.exit_code == 0, cold.output
    assert json.loads(cold.stdout) and cold.stdout == warm.stdout == uncached.stdout
    assert cold.stderr == warm.stderr
    assert len(entries(tmp_path / "cache")) == 3
    assert len(indexes(tmp_path / "cache")) == 1


def test_after_an_edit_the_next_due_parses_that_file_only_and_shows_the_edit(ledger, tmp_path):
    env = {"DZSHARE_CACHE_DIR": str(tmp_path / "cache"), "DZSHARE_CACHE_DEBUG": "1"}
    first = run("due", "--before", "2025-01", "--as-of", "2024-07-01", "-f", str(ledger), "--format", "json", env=env)
    assert "3 parsed" in first.stderr
    table = ledger / "tables" / "gzbg2024.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "  - id: 1\n", "  - id: 99\n    text: 新加的任务。\n    lead: [市财政局]\n    deadline: 2024年10月底前\n"
        "  - id: 1\n", 1), encoding="utf-8")
    second = run("due", "--before", "2025-01", "--as-of", "2024-07-01", "-f", str(ledger), "--format", "json", env=env)
    assert second.exit_code == 0, second.output
    assert "2 of 3 documents from the cache, 1 parsed" in second.stderr
    assert [line for line in second.stderr.splitlines() if "cache: parsed" in line] == [f"cache: parsed {table}"]
    assert {"gzbg2024:99"} == {f"{item['document']}:{item['id']}" for item in json.loads(second.stdout)
                               if item["id"] == 99}


def test_the_cache_says_nothing_unless_asked(ledger, tmp_path):
    result = run("due", "--as-of", "2024-06-30", "-f", str(ledger), env={"DZSHARE_CACHE_DIR": str(tmp_path / "c")})
    assert "cache" not in result.stderr


@pytest.mark.parametrize("off", [["--no-cache"], []])
def test_no_cache_writes_nothing(ledger, tmp_path, off):
    env = {"DZSHARE_CACHE_DIR": str(tmp_path / "cache")}
    if not off:
        env["DZSHARE_NO_CACHE"] = "1"
    result = run(*off, "due", "--as-of", "2024-06-30", "-f", str(ledger), env=env)
    assert result.exit_code == 0, result.output
    assert entries(tmp_path / "cache") == [] and indexes(tmp_path / "cache") == []


def test_cache_local_keeps_it_beside_the_manifest(ledger, monkeypatch):
    monkeypatch.delenv("DZSHARE_CACHE_DIR")
    manifest = ledger / "ledger.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "cache: local\n", encoding="utf-8")
    result = run("due", "--as-of", "2024-06-30", "-f", str(ledger))
    assert result.exit_code == 0, result.output
    assert len(entries(ledger / ".dzshare-cache")) == 3
