"""`dzshare validate` and `dzshare schema`: every broken file at its line, in every report format."""

import json
import re

import pytest

from dzshare_cli.reporters import ReportFormat
from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table
from tests.test_loader import BAD_FILES, INCOMPLETE_FILES, _expectation


def test_bundled_table_validates_clean():
    result = run("validate", "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "ok: 1 file, 18 tasks, 0 errors, 0 warnings · bundled table\n"


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_text_report(path):
    line, col, code = _expectation(path)
    result = run("validate", str(path), "--as-of", "2022-01-15")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:{line}:{col}: error[{code}]: ")
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: (error|warning)\[[a-z-]+\]: ", row)
               for row in result.stdout.splitlines())
    assert result.stderr.startswith("fail: 1 file")


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_json_report(path):
    line, col, code = _expectation(path)
    result = run("validate", str(path), "--format", "json", "--as-of", "2022-01-15")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["status"] == "fail"
    first = report["problems"][0]
    assert (first["path"], first["line"], first["col"], first["severity"], first["code"]) == (
        str(path), line, col, "error", code)
    assert set(first) == {"path", "line", "col", "severity", "code", "message", "hint"}


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_github_report(path):
    line, col, code = _expectation(path)
    result = run("validate", str(path), "--format", "github", "--as-of", "2022-01-15")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"::error file={path},line={line},col={col},title=dzshare {code}::")


def test_every_report_format_is_implemented():
    for report in ReportFormat:
        assert run("validate", "--format", report.value, "--as-of", "2022-01-15").exit_code == 0


def test_json_report_of_a_clean_file():
    result = run("validate", "--format", "json", "--as-of", "2022-01-15")
    assert json.loads(result.stdout) == {"status": "ok", "problems": []}


def test_github_escapes_newlines_and_separators(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 'a%b,c:\\nd'"),
                       name="x,y.yaml")
    result = run("validate", str(path), "--format", "github")
    annotation = result.stdout.splitlines()[0]
    assert "file=" + str(path).replace(",", "%2C") in annotation
    assert "%25" in annotation and "\n" not in annotation.rstrip("\n")


def _done_later_table(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底",
                                 "deadline: {milestones: [{due: 2021-09, done: 2021-09-20}]}")
    return write_table(tmp_path, body)


def test_done_after_as_of_is_a_warning(tmp_path):
    path = _done_later_table(tmp_path)
    result = run("validate", str(path), "--as-of", "2021-09-01")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}:10:50: warning[done-in-future]: ")
    assert result.stderr == "ok: 1 file, 3 tasks, 0 errors, 1 warning\n"
    assert run("validate", str(path), "--as-of", "2021-09-01", "--strict").exit_code == 1
    assert run("validate", str(path), "--as-of", "2021-10-01").stdout == ""


def test_several_files_at_once(tmp_path):
    good = write_table(tmp_path, MINIMAL_TABLE)
    result = run("validate", str(good), str(BAD_FILES[0]), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    paths = [row.split(":")[0] for row in result.stdout.splitlines()]
    assert str(BAD_FILES[0]) in paths and str(tmp_path / "missing.yaml") in paths
    assert str(good) not in paths
    assert result.stderr == "fail: 3 files, 4 tasks, 2 errors, 0 warnings\n"


def test_unknown_report_format_is_a_usage_error():
    assert run("validate", "--format", "xml").exit_code == 2


def test_schema_command_prints_the_stored_schema():
    from pathlib import Path

    stored = Path(__file__).resolve().parents[2] / "schema" / "tasks.schema.json"
    assert run("schema").stdout == stored.read_text(encoding="utf-8"), \
        "schema/tasks.schema.json is stale: run `dzshare schema > schema/tasks.schema.json`"


@pytest.mark.parametrize("path", INCOMPLETE_FILES, ids=lambda p: p.stem)
def test_incomplete_table_passes_with_a_warning_and_fails_strict(path):
    line, col, code = _expectation(path)
    plain = run("validate", str(path), "--as-of", "2022-01-15")
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.startswith(f"{path}:{line}:{col}: warning[{code}]: ")
    assert plain.stderr == "ok: 1 file, 1 task, 0 errors, 1 warning\n"
    strict = run("validate", str(path), "--strict", "--as-of", "2022-01-15")
    assert strict.exit_code == 1
    assert strict.stdout == plain.stdout


def test_bundled_table_passes_strict():
    result = run("validate", "--strict", "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output


def test_the_hint_for_a_missing_deadline_is_in_the_tables_year(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("document: {title: t, year: 2017}\ntasks:\n  - {id: 1, text: 任务。, lead: [办公室]}\n",
                    encoding="utf-8")
    result = run("validate", str(path))
    assert "add deadline: 2017年6月底 (or 长期推进)" in result.stdout
