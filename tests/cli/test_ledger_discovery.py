"""Which table a command reads: -f and DZSHARE_FILE (a table, a ledger folder, its manifest), the
nearest ledger above the working folder, the bundled table; and a manifest that is wrong."""

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "ledger"
LEDGER_TASKS = 23  # dz2021 (the bundled table, 18) + gzbg2024 (3) + hy2024-03 (2)
BUNDLED_TASKS = 18


@pytest.fixture(autouse=True)
def no_file_from_the_environment(monkeypatch):
    monkeypatch.delenv("DZSHARE_FILE", raising=False)


@pytest.fixture
def ledger(tmp_path):
    folder = tmp_path / "台账"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _list(*args: str, env: dict[str, str] | None = None):
    """`dzshare list` as JSON: (exit code, the tasks' document keys, the heading on stderr)."""
    result = run("list", "--as-of", "2022-01-01", "--format", "json", *args, env=env)
    if result.exit_code != 0:
        return result.exit_code, None, result.stderr
    tasks = json.loads(result.stdout)
    return 0, [task["document"] for task in tasks], result.stderr.strip()


def _ledger_heading(shown: str) -> str:
    return f"共 {LEDGER_TASKS} 项任务 · 截至 2022-01-01 · 台账 {shown} (3 个文件)"


@pytest.mark.parametrize("how", ["option", "environment"])
@pytest.mark.parametrize(("name", "shown"), [
    ("{ledger}", "{ledger}/ledger.yaml"),
    ("{ledger}/", "{ledger}/ledger.yaml"),
    ("{ledger}/ledger.yaml", "{ledger}/ledger.yaml"),
])
def test_a_ledger_is_named_by_its_folder_or_its_manifest(ledger, tmp_path, monkeypatch, how, name, shown):
    monkeypatch.chdir(tmp_path)  # outside the ledger: only the name given finds it
    name = name.format(ledger=ledger)
    args, env = (["-f", name], None) if how == "option" else ([], {"DZSHARE_FILE": name})
    code, documents, heading = _list(*args, env=env)
    assert code == 0, heading
    assert sorted(set(documents)) == ["dz2021", "gzbg2024", "hy2024-03"] and len(documents) == LEDGER_TASKS
    assert heading == _ledger_heading(shown.format(ledger=ledger))


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_table_file_is_read_alone_even_inside_a_ledger(ledger, monkeypatch, how):
    monkeypatch.chdir(ledger)
    args, env = (["-f", "tables/dz2021.yaml"], None) if how == "option" else \
        ([], {"DZSHARE_FILE": "tables/dz2021.yaml"})
    code, documents, heading = _list(*args, env=env)
    assert code == 0, heading
    assert documents == [None] * BUNDLED_TASKS  # a single table file: no document keys
    assert heading == f"共 {BUNDLED_TASKS} 项任务 · 截至 2022-01-01 · tables/dz2021.yaml"


@pytest.mark.parametrize(("where", "shown"), [
    (".", "ledger.yaml"),
    ("tables", "../ledger.yaml"),
    ("meetings", "../ledger.yaml"),
])
def test_without_an_option_the_nearest_ledger_above_is_read(ledger, monkeypatch, where, shown):
    monkeypatch.chdir(ledger / where)
    code, documents, heading = _list()
    assert code == 0, heading
    assert len(documents) == LEDGER_TASKS
    assert heading == _ledger_heading(shown)


def test_a_deeper_folder_walks_up_several_levels(ledger, monkeypatch):
    deep = ledger / "meetings" / "2024" / "03"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert _list()[2] == _ledger_heading("../../../ledger.yaml")


def test_outside_any_ledger_the_bundled_table_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, documents, heading = _list()
    assert code == 0, heading
    assert documents == [None] * BUNDLED_TASKS
    assert heading == f"共 {BUNDLED_TASKS} 项任务 · 截至 2022-01-01 · 内置表"
    assert _list("--lang", "en")[2] == f"{BUNDLED_TASKS} tasks · as of 2022-01-01 · bundled table"


def test_the_ledger_heading_in_english(ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    assert _list("--lang", "en")[2] == f"{LEDGER_TASKS} tasks · as of 2022-01-01 · ledger ledger.yaml (3 documents)"


def test_an_option_wins_over_the_ledger_around(ledger, tmp_path, monkeypatch):
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    (other / "ledger.yaml").write_text((other / "ledger.yaml").read_text(encoding="utf-8")
                                       .replace("include: [meetings/*.yaml]\n", ""), encoding="utf-8")
    monkeypatch.chdir(ledger)
    code, documents, heading = _list("-f", str(other))
    assert code == 0, heading
    assert "hy2024-03" not in documents and heading.endswith(f"台账 {other}/ledger.yaml (2 个文件)")


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_folder_without_a_manifest_is_not_a_ledger(tmp_path, monkeypatch, how):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain").mkdir()
    args, env = (["-f", "plain"], None) if how == "option" else ([], {"DZSHARE_FILE": "plain"})
    code, _, stderr = _list(*args, env=env)
    assert code == 1
    assert stderr.splitlines() == [
        "plain: error[file]: is a directory with no ledger.yaml, so not a ledger; "
        "name the table's .yaml file, or make a ledger there with `dzshare init --ledger plain`"]


def test_a_folder_that_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, stderr = _list("-f", "nowhere/ledger.yaml")
    assert code == 1
    assert stderr.startswith("nowhere: error[file]: no such folder, so not a ledger; check the path")


# A manifest that is wrong: every problem at its line and column of ledger.yaml, exit 1.

MANIFEST = EXAMPLE.joinpath("ledger.yaml").read_text(encoding="utf-8")


def _line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def _broken(ledger: Path, old: str, new: str) -> tuple[int, str]:
    text = MANIFEST.replace(old, new)
    assert text != MANIFEST
    (ledger / "ledger.yaml").write_text(text, encoding="utf-8")
    code, _, stderr = _list("-f", str(ledger))
    return code, stderr


def test_a_bad_key_is_reported_at_its_line(ledger):
    code, stderr = _broken(ledger, "  gzbg2024:", "  gzbg:2024:")
    line = _line_of(MANIFEST, "gzbg2024:")
    assert code == 1
    assert stderr.startswith(f"{ledger}/ledger.yaml:{line}:")
    assert "error[bad-key]" in stderr and "'gzbg:2024' cannot be a document key" in stderr


def test_a_missing_document_file_is_reported_at_its_line_of_the_manifest(ledger):
    code, stderr = _broken(ledger, "tables/gzbg2024.yaml", "tables/gzbg2042.yaml")
    line = _line_of(MANIFEST, "gzbg2024:")
    assert code == 1
    assert stderr.splitlines() == [
        f"{ledger}/ledger.yaml:{line}:13: error[file]: documents.gzbg2024: {ledger}/tables/gzbg2042.yaml: "
        "no such file; correct the path (relative to the ledger's folder) or remove the line"]


def test_a_key_written_twice_is_reported_at_the_second(ledger):
    code, stderr = _broken(ledger, "  gzbg2024: tables/gzbg2024.yaml\n",
                           "  gzbg2024: tables/gzbg2024.yaml\n  dz2021: tables/gzbg2024.yaml\n")
    line = _line_of(MANIFEST, "gzbg2024:") + 1
    assert code == 1
    assert stderr.startswith(f"{ledger}/ledger.yaml:{line}:3: error[duplicate-key]: duplicate key 'dz2021'")


def test_a_key_given_by_documents_and_by_include_is_reported_at_the_include(ledger):
    shutil.copy(ledger / "meetings" / "hy2024-03.yaml", ledger / "meetings" / "gzbg2024.yaml")
    (ledger / "ledger.yaml").write_text(MANIFEST, encoding="utf-8")
    code, _, stderr = _list("-f", str(ledger))
    assert code == 1
    assert stderr.startswith(f"{ledger}/ledger.yaml:{_line_of(MANIFEST, 'include:')}:")
    assert "error[duplicate-key]: include[0]: document key 'gzbg2024' is given twice" in stderr


# --doc


def test_doc_narrows_to_the_documents_named(ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    code, documents, heading = _list("--doc", "gzbg2024", "--doc", "hy2024-03")
    assert code == 0, heading
    assert sorted(set(documents)) == ["gzbg2024", "hy2024-03"]
    assert heading.endswith("台账 ledger.yaml (2 个文件)")


def test_doc_with_an_unknown_key_is_a_usage_error_listing_the_keys(ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = run("list", "--doc", "gzbg2025")
    assert result.exit_code == 2
    assert result.stderr.strip() == "no document 'gzbg2025' in the ledger; its documents are dz2021, gzbg2024, hy2024-03"


@pytest.mark.parametrize("table", ["bundled", "file"])
def test_doc_on_a_single_table_is_a_usage_error(tmp_path, monkeypatch, table):
    monkeypatch.chdir(tmp_path)
    args = ["-f", str(EXAMPLE / "tables" / "dz2021.yaml")] if table == "file" else []
    result = run("list", "--doc", "dz2021", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == "--doc selects documents of a ledger; this is a single table file"
