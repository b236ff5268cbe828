"""The ledger generator of benchmarks/ledger.py writes valid tables, the same bytes for the same seed,
and a manifest naming every table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from dzshare_cli.loader import check_table
from tests.helpers import load_benchmark



bench = load_benchmark("ledger")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _with_shared_units(table: Path, units: Path, into: Path) -> Path:
    """The table with the ledger's shared registry as its own `units:`, as a ledger checks it."""
    into.write_text(table.read_text(encoding="utf-8") + "units:\n" + units.read_text(encoding="utf-8"),
                    encoding="utf-8")
    return into


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ledger")
    bench.generate_ledger(folder, 2, 3, seed=5)
    return folder


def test_every_generated_table_validates_against_the_shared_units(ledger, tmp_path):
    tables = sorted((ledger / "tables").glob("*.yaml"))
    assert len(tables) == 2
    for table in tables:
        checked = _with_shared_units(table, ledger / "units.yaml", tmp_path / table.name)
        result = check_table(checked, as_of=date(2024, 6, 30))
        assert result.errors == [], [str(problem) for problem in result.errors]
        assert result.table is not None and result.table.units  # the registry is in force


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(ledger, tmp_path):
    bench.generate_ledger(tmp_path / "again", 2, 3, seed=5)
    bench.generate_ledger(tmp_path / "other", 2, 3, seed=6)
    assert _files(tmp_path / "again") == _files(ledger)
    assert _files(tmp_path / "other") != _files(ledger)


def test_the_manifest_lists_every_table_and_the_shared_units(ledger):
    manifest = yaml.safe_load((ledger / "ledger.yaml").read_text(encoding="utf-8"))
    on_disk = sorted(str(path.relative_to(ledger)) for path in (ledger / "tables").glob("*.yaml"))
    assert sorted(manifest["documents"].values()) == on_disk
    assert all(Path(path).stem == key for key, path in manifest["documents"].items())
    assert (ledger / manifest["units"]).is_file()


def test_the_documents_hold_the_tasks_asked_for(ledger):
    counts = [len(yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"])
              for path in sorted((ledger / "tables").glob("*.yaml"))]
    assert sum(counts) == 2 * 3


def test_a_task_of_a_broken_table_is_reported_so_the_check_above_can_fail(ledger, tmp_path):
    """The validity test would pass vacuously if check_table accepted anything: a unit that is not
    in the shared registry must be an error."""
    table = ledger / "tables" / "d0001.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text(table.read_text(encoding="utf-8").replace("    lead: [", "    lead: [市不存在局, ", 1),
                      encoding="utf-8")
    result = check_table(_with_shared_units(broken, ledger / "units.yaml", tmp_path / "merged.yaml"))
    assert any("市不存在局" in str(problem) for problem in result.errors)


def test_a_ledger_of_realistic_size_validates_and_is_in_use(tmp_path):
    """Enough tasks for every deadline form, the groups and aliases, and done records to appear."""
    bench.generate_ledger(tmp_path / "ledger", 12, 33)
    units = tmp_path / "ledger" / "units.yaml"
    texts, recorded = [], 0
    for table in sorted((tmp_path / "ledger" / "tables").glob("*.yaml")):
        result = check_table(_with_shared_units(table, units, tmp_path / table.name), as_of=date(2024, 6, 30))
        assert result.errors == [], [str(problem) for problem in result.errors]
        texts.append(table.read_text(encoding="utf-8"))
        recorded += sum(len(task.done) for task in result.table.tasks)
    text = "".join(texts)
    for form in ("deadline: 长期推进\n", "deadline: 每季度末", "月底前", ";", "上半年", "年底前", "period: "):
        assert form in text, form
    for unit in (bench.ALL_DEPARTMENTS, bench.ALL_TOWNSHIPS, "财政局", "progress:"):
        assert unit in text, unit
    assert recorded > 100
