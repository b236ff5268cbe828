"""The issue's checks on a ledger holding the bundled table (dz2021) and two more documents."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"


@pytest.fixture()
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(folder / "tables")  # found by walking up, as git finds its repository
    return folder


def test_due_lists_the_bundled_tables_six_milestones_under_its_key(ledger):
    result = run("due", "--before", "2022-06", "--as-of", "2022-07-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    alone = run("due", "--before", "2022-06", "--as-of", "2022-07-01", "--format", "csv",
                "-f", str(ledger / "tables" / "dz2021.yaml"))
    expected = list(csv.reader(io.StringIO(alone.stdout)))
    assert len(expected) == 7  # a header and six milestones
    assert rows == [["文件", *expected[0]], *(["dz2021", *row] for row in expected[1:])]
    assert result.stderr.strip().endswith("· 台账 ../ledger.yaml (3 个文件)")


def test_the_table_shows_the_document_column(ledger):
    lines = run("due", "--before", "2022-06", "--as-of", "2022-07-01").stdout.splitlines()
    header = next(line for line in lines if "序号" in line)
    assert header.startswith("文件")
    assert sum(line.startswith("dz2021") for line in lines) == 6


def test_dept_returns_a_units_tasks_from_every_document(ledger):
    result = run("dept", "市财政局", "--format", "json", "--as-of", "2024-05-01")
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)
    assert {task["document"] for task in tasks} == {"dz2021", "gzbg2024", "hy2024-03"}
    found = {(task["document"], task["id"]): (task["role"], task["via"]) for task in tasks}
    assert found[("dz2021", 16)] == ("lead", None)             # named directly
    assert found[("dz2021", 1)] == ("responsible", "市直相关部门")  # through a group
    assert found[("gzbg2024", 2)] == ("lead", None)            # as 财政局, an alias
    assert found[("hy2024-03", 1)] == ("responsible", None)    # as 市财政, an alias only gzbg2024 declares
    assert ("hy2024-03", 2) not in found
    assert list(tasks[0])[:2] == ["document", "id"]


def test_doc_narrows_and_drops_the_document_column(ledger):
    result = run("list", "--doc", "gzbg2024", "--as-of", "2024-05-01", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "序号" and [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert json.loads(run("list", "--doc", "gzbg2024", "--format", "json", "--as-of", "2024-05-01").stdout)[0][
        "document"] == "gzbg2024"


def test_show_takes_key_and_id_and_refuses_an_ambiguous_id(ledger):
    shown = run("show", "hy2024-03:1", "--as-of", "2024-05-01", "--format", "json")
    assert json.loads(shown.stdout)["text"].startswith("研究制定老旧小区改造资金筹措方案")
    ambiguous = run("show", "1", "--as-of", "2024-05-01")
    assert ambiguous.exit_code == 2
    assert "task '1' is in 3 documents: dz2021:1, gzbg2024:1, hy2024-03:1; name one as KEY:ID" in ambiguous.stderr
    assert run("show", "16", "--as-of", "2024-05-01").exit_code == 0  # only dz2021 has a task 16


def test_problems_name_files_as_seen_from_the_working_folder(ledger):
    (ledger / "tables" / "gzbg2024.yaml").write_text("document: {}\ntasks: [\n", encoding="utf-8")
    result = run("due", "--as-of", "2024-05-01")
    assert result.exit_code == 1
    assert result.stderr.startswith("../tables/gzbg2024.yaml:3:1: error[yaml-syntax]")  # run in tables/


def test_the_timeline_heading_names_the_ledger_and_its_picture_does_not(ledger, tmp_path):
    shown = run("timeline", "--as-of", "2024-05-01")
    heading = " ".join(shown.stdout.splitlines()[:2])  # wrapped at the terminal's width
    assert "截至 2024-05-01 · 台账 ../ledger.yaml (3 个文件)" in " ".join(heading.split())
    written = run("timeline", "--as-of", "2024-05-01", "--format", "svg", "-o", str(tmp_path / "t.svg"))
    assert written.stderr.strip().endswith("· 台账 ../ledger.yaml (3 个文件)")
    assert "ledger.yaml" not in (tmp_path / "t.svg").read_text(encoding="utf-8")
