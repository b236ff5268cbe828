"""Making a ledger and filling it: `init --ledger`, `import --into`, `add`."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dzshare_cli.cli import app

from dzshare_cli.ledger import read_manifest
from tests.cli.helpers import run
from tests.cli.test_concurrent_edits import _run_together
from tests.helpers import FIXTURES, MINIMAL_TABLE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "ledger"
PUBLISHED = FIXTURES / "published_table.txt"


@pytest.fixture
def ledger(tmp_path):
    """A new, empty ledger in tmp_path/台账."""
    folder = tmp_path / "台账"
    result = run("init", "--ledger", str(folder), "--title", "测试台账")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def example(tmp_path):
    """A copy of docs/examples/ledger: three documents, a shared units file, comments."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _keys(folder: Path) -> list[str]:
    return list(read_manifest(folder / "ledger.yaml").documents)


def _table(tmp_path: Path, body: str = MINIMAL_TABLE, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# init --ledger


def test_init_makes_a_ledger_that_every_command_reads(ledger):
    assert "wrote" in run("init", "--ledger", str(ledger), "--force").stderr
    files = read_manifest(ledger / "ledger.yaml")
    assert files.documents == {} and files.units_path is None
    result = run("list", "-f", str(ledger), "--as-of", "2022-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert not (ledger / "units.yaml").exists()  # an empty registry would make every unit unknown


def test_init_names_the_ledger_after_its_folder_unless_told(tmp_path):
    assert run("init", "--ledger", str(tmp_path / "2024督办")).exit_code == 0
    assert read_manifest(tmp_path / "2024督办" / "ledger.yaml").title == "2024督办"


def test_init_keeps_its_title_as_given(ledger):
    assert read_manifest(ledger / "ledger.yaml").title == "测试台账"


def test_init_never_replaces_a_manifest_without_force(ledger):
    manifest = ledger / "ledger.yaml"
    manifest.write_text("title: 我的台账\ndocuments: {}\n", encoding="utf-8")
    result = run("init", "--ledger", str(ledger))
    assert result.exit_code == 3
    assert "file exists; pass --force" in result.stderr
    assert manifest.read_text(encoding="utf-8") == "title: 我的台账\ndocuments: {}\n"
    assert run("init", "--ledger", str(ledger), "--force").exit_code == 0
    assert read_manifest(manifest).title == "台账"


@pytest.mark.parametrize(("args", "says"), [
    (["init"], "name the file to write"),
    (["init", "t.yaml", "--ledger", "L"], "not both"),
    (["init", "t.yaml", "--title", "x"], "--title names a ledger"),
    (["init", "--ledger", "L", "--title", "a\nb"], "line break"),
])
def test_init_usage_errors(tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_of_a_table_is_unchanged(tmp_path):
    result = run("init", str(tmp_path / "tasks.yaml"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tasks.yaml").is_file() and (tmp_path / "tasks.schema.json").is_file()


# import --into


def test_import_into_writes_the_table_and_lists_it(ledger):
    expected = run("import", str(PUBLISHED), "-o", "-").stdout
    result = run("import", str(PUBLISHED), "--into", str(ledger), "--key", "pub")
    assert result.exit_code == 0, result.output
    assert (ledger / "tables" / "pub.yaml").read_text(encoding="utf-8") == expected
    assert _keys(ledger) == ["pub"]
    assert result.stderr.splitlines()[-1] == (
        f"imported 18 tasks from {PUBLISHED}; wrote {ledger}/tables/pub.yaml as document pub, "
        f"listed in {ledger}/ledger.yaml (1 document)")
    listed = run("list", "-f", str(ledger), "--as-of", "2022-01-01", "--format", "json")
    assert len(json.loads(listed.stdout)) == 18


def test_import_into_takes_the_source_name_as_the_key(ledger):
    assert run("import", str(PUBLISHED), "--into", str(ledger)).exit_code == 0
    assert _keys(ledger) == ["published_table"]


def test_import_into_a_key_the_ledger_has_needs_force(ledger):
    assert run("import", str(PUBLISHED), "--into", str(ledger), "--key", "pub").exit_code == 0
    table = ledger / "tables" / "pub.yaml"
    table.write_text(MINIMAL_TABLE, encoding="utf-8")
    refused = run("import", str(PUBLISHED), "--into", str(ledger), "--key", "pub")
    assert refused.exit_code == 3
    assert "already has a document 'pub'" in refused.stderr
    assert table.read_text(encoding="utf-8") == MINIMAL_TABLE
    replaced = run("import", str(PUBLISHED), "--into", str(ledger), "--key", "pub", "--force")
    assert replaced.exit_code == 0, replaced.output
    assert "replaced" in replaced.stderr and table.read_text(encoding="utf-8") != MINIMAL_TABLE
    assert _keys(ledger) == ["pub"]


def test_import_into_refuses_a_table_with_errors_and_writes_nothing(example):
    # The example's registry knows 市发展改革局, not roles.csv's 市发展和改革局.
    before = (example / "ledger.yaml").read_bytes()
    result = run("import", str(ROOT / "docs" / "examples" / "roles.csv"), "--into", str(example))
    assert result.exit_code == 1
    assert f"{example}/tables/roles.yaml:12:9: error[unknown-unit]: tasks[0].lead[0]: '市发展和改革局'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (example / "tables" / "roles.yaml").exists()
    assert (example / "ledger.yaml").read_bytes() == before


@pytest.mark.parametrize(("args", "code", "says"), [
    (["--into", "{ledger}", "-o", "x.yaml"], 2, "not both"),
    (["--key", "pub", "-o", "-"], 2, "use it with --into"),
    (["--into", "{ledger}", "--key", "gz:1"], 2, "cannot be a document key"),
    (["--into", "{tmp}"], 1, "not a ledger"),
])
def test_import_into_refusals(ledger, tmp_path, args, code, says):
    args = [arg.format(ledger=ledger, tmp=tmp_path) for arg in args]
    result = run("import", str(PUBLISHED), *args)
    assert result.exit_code == code, result.output
    assert says in result.stderr
    assert not (ledger / "tables").exists()


# add


def test_add_copies_the_file_as_it_is_and_keeps_the_manifests_comments(example, tmp_path):
    source = _table(tmp_path, "# 会议交办\n" + MINIMAL_TABLE)
    before = (example / "ledger.yaml").read_text(encoding="utf-8")
    result = run("add", str(source), "--into", str(example), "--key", "hy2024-05")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"wrote {example}/tables/hy2024-05.yaml as document hy2024-05, listed in {example}/ledger.yaml (4 documents)"]
    assert (example / "tables" / "hy2024-05.yaml").read_bytes() == source.read_bytes()
    after = (example / "ledger.yaml").read_text(encoding="utf-8")
    lines = before.splitlines()
    assert after.splitlines() == [*lines[:7], "  hy2024-05: tables/hy2024-05.yaml", *lines[7:]]
    assert _keys(example) == ["dz2021", "gzbg2024", "hy2024-05", "hy2024-03"]


def test_add_takes_the_file_name_as_the_key(ledger, tmp_path):
    assert run("add", str(_table(tmp_path, name="hy2024-06.yaml")), "--into", str(ledger)).exit_code == 0
    assert _keys(ledger) == ["hy2024-06"]


def test_add_asks_for_a_key_when_the_file_name_cannot_be_one(ledger, tmp_path):
    result = run("add", str(_table(tmp_path, name="会议纪要.yaml")), "--into", str(ledger))
    assert result.exit_code == 2
    assert "--key" in result.stderr
    assert _keys(ledger) == []


def test_add_reads_standard_input(ledger):
    result = CliRunner().invoke(app, ["add", "-", "--into", str(ledger), "--key", "stdin1"], input=MINIMAL_TABLE)
    assert result.exit_code == 0, result.output
    assert (ledger / "tables" / "stdin1.yaml").read_text(encoding="utf-8") == MINIMAL_TABLE


def test_add_refuses_a_table_that_does_not_load_with_its_problems(ledger):
    bad = FIXTURES / "bad" / "unknown_unit.yaml"
    result = run("add", str(bad), "--into", str(ledger), "--key", "bad")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:12:12: error[unknown-unit]")
    assert _keys(ledger) == [] and not (ledger / "tables").exists()


def test_add_checks_units_against_the_ledgers_registry(example):
    # gzbg2024 names 教育局, which only the shared units file declares: valid in this ledger.
    fine = run("add", str(EXAMPLE / "tables" / "gzbg2024.yaml"), "--into", str(example), "--key", "gz-copy")
    assert fine.exit_code == 0, fine.output
    # ...but not in a ledger without that registry.
    other = example.parent / "other"
    assert run("init", "--ledger", str(other)).exit_code == 0
    refused = run("add", str(EXAMPLE / "tables" / "gzbg2024.yaml"), "--into", str(other))
    assert refused.exit_code == 1
    assert "'教育局' is not a known unit" in refused.stderr


def test_add_refuses_a_registry_that_would_make_another_documents_units_unknown(ledger):
    assert run("add", str(ROOT / "docs" / "examples" / "roles.yaml"), "--into", str(ledger)).exit_code == 0
    # The bundled table declares its units: with it, roles.yaml's 市发展和改革局 would be unknown.
    result = run("add", str(ROOT / "data" / "tasks.yaml"), "--into", str(ledger), "--key", "dz2021")
    assert result.exit_code == 1
    assert f"{ledger}/tables/roles.yaml:12:9: error[unknown-unit]: tasks[0].lead[0]: '市发展和改革局'" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("nothing was written: its units: registry would make")
    assert _keys(ledger) == ["roles"] and not (ledger / "tables" / "dz2021.yaml").exists()


def test_problems_the_ledger_has_already_do_not_stop_an_add(example, tmp_path):
    broken = example / "meetings" / "hy2024-03.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("[住建局]", "[住建委]"), encoding="utf-8")
    result = run("add", str(_table(tmp_path)), "--into", str(example), "--key", "new")
    assert result.exit_code == 0, result.output
    assert "new" in _keys(example)


def test_add_refuses_an_alias_that_names_another_unit_in_the_ledger(example, tmp_path):
    clash = MINIMAL_TABLE + "units:\n  - {name: 市行政审批局, aliases: [财政局]}\n" \
        "  - {name: 市政务数据共享协调机制}\n  - {name: 市直相关部门}\n  - {name: 市财政局}\n"
    source = _table(tmp_path, clash)
    result = run("add", str(source), "--into", str(example), "--key", "clash")
    assert result.exit_code == 1
    assert f"{source}:" in result.stderr and "error[registry-clash]" in result.stderr
    assert "units.yaml" in result.stderr  # names the other file
    assert "clash" not in _keys(example)


def test_add_of_a_key_the_ledger_has(example, tmp_path):
    source = _table(tmp_path)
    before = (example / "ledger.yaml").read_bytes()
    refused = run("add", str(source), "--into", str(example), "--key", "gzbg2024")
    assert refused.exit_code == 3
    assert "pass --force to replace its table" in refused.stderr
    # the key is looked at first: a table that would not load is not the reason given
    bad = run("add", str(FIXTURES / "bad" / "unknown_unit.yaml"), "--into", str(example), "--key", "dz2021")
    assert bad.exit_code == 3 and "already has a document 'dz2021'" in bad.stderr
    replaced = run("add", str(source), "--into", str(example), "--key", "hy2024-03", "--force")
    assert replaced.exit_code == 0, replaced.output
    # a key the include glob gives: its own file is replaced, the manifest is unchanged
    assert (example / "meetings" / "hy2024-03.yaml").read_text(encoding="utf-8") == MINIMAL_TABLE
    assert (example / "ledger.yaml").read_bytes() == before


def test_add_of_a_file_already_in_place_lists_it(ledger):
    (ledger / "tables").mkdir()
    in_place = _table(ledger / "tables", name="late.yaml")
    result = run("add", str(in_place), "--into", str(ledger))
    assert result.exit_code == 0, result.output
    assert _keys(ledger) == ["late"] and in_place.read_text(encoding="utf-8") == MINIMAL_TABLE


def test_add_does_not_write_over_a_file_no_document_owns(ledger, tmp_path):
    (ledger / "tables").mkdir()
    stray = _table(ledger / "tables", "stray", name="x.yaml")
    result = run("add", str(_table(tmp_path)), "--into", str(ledger), "--key", "x")
    assert result.exit_code == 3
    assert stray.read_text(encoding="utf-8") == "stray" and _keys(ledger) == []


@pytest.mark.parametrize("into", ["{tmp}/nowhere", "{tmp}"])
def test_add_into_what_is_not_a_ledger(tmp_path, into):
    result = run("add", str(_table(tmp_path)), "--into", into.format(tmp=tmp_path), "--key", "x")
    assert result.exit_code == 1
    assert "not a ledger" in result.stderr


ROUNDS = 4


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_adds_at_once_both_land(ledger, tmp_path, round_number):
    keys = ["first", "second"]
    sources = [_table(tmp_path, name=f"{key}.yaml") for key in keys]
    codes, messages = _run_together([["add", str(source), "--into", str(ledger)] for source in sources],
                                    tmp_path / "errors")
    assert codes == [0, 0], messages
    assert sorted(_keys(ledger)) == keys
    result = run("list", "-f", str(ledger), "--as-of", "2022-01-01", "--format", "json")
    assert sorted({task["document"] for task in json.loads(result.stdout)}) == keys
