"""A table that leaves things out (no deadline, no lead unit, a text with no date) loads and
answers every query; what it lacks is shown as lacking."""

import json

import pytest

from tests.cli.helpers import run, progress_json
from tests.helpers import write_table

INCOMPLETE = """\
document:
  title: 测试表
  year: 2022
tasks:
  - id: 1
    text: 有时限的任务。
    lead: [市财政局]
    deadline: 2022年3月底
  - id: 2
    text: 没有完成时限的任务。
    lead: [市财政局]
    responsible: [市审计局]
  - id: 3
    text: 没有牵头单位的任务。
    responsible: [市审计局]
    deadline: 2022年6月底
  - id: 4
    text: 时限写作尽快的任务。
    lead: [市审计局]
    deadline: {text: 尽快}
"""
AS_OF = "2022-04-01"


@pytest.fixture
def table(tmp_path):
    return str(write_table(tmp_path, INCOMPLETE))


def test_list_json_gives_null_deadline_and_no_deadline_state(table):
    result = run("list", "-f", table, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    tasks = {task["id"]: task for task in json.loads(result.stdout)}
    assert (tasks[1]["deadline"], tasks[1]["state"]) == ("2022年3月底", "overdue")
    assert (tasks[2]["deadline"], tasks[2]["state"], tasks[2]["milestones"]) == (None, "no_deadline", [])
    assert (tasks[3]["lead"], tasks[3]["state"]) == ([], "upcoming")
    assert (tasks[4]["deadline"], tasks[4]["state"]) == ("尽快", "no_deadline")


def test_list_table_shows_the_lack(table):
    result = run("list", "-f", table, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "没有完成时限" in line)
    assert "—" in row and "未定时限" in row
    no_lead = next(line for line in result.stdout.splitlines() if "没有牵头单位" in line)
    assert no_lead.split("│")[3].strip() == "—"
    english = run("list", "-f", table, "--as-of", AS_OF, "--lang", "en")
    assert "no deadline" in english.stdout


def test_a_task_without_deadline_is_never_due(table):
    result = run("due", "-f", table, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [task["id"] for task in json.loads(result.stdout)] == [1, 3]


def test_report_counts_tasks_without_deadline(table):
    result = run("report", "-f", table, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["no_deadline_tasks"] == 2
    text = run("report", "-f", table, "--as-of", AS_OF)
    assert "未定时限(任务)" in text.stdout


def test_show_dept_units_matrix_timeline_and_exports_run(table, tmp_path):
    shown = run("show", "2", "-f", table, "--as-of", AS_OF)
    assert shown.exit_code == 0 and "未定时限" in shown.stdout
    dept = run("dept", "市审计局", "-f", table, "--as-of", AS_OF, "--format", "json")
    assert dept.exit_code == 0, dept.output
    assert [task["id"] for task in json.loads(dept.stdout)] == [2, 3, 4]
    assert run("matrix", "-f", table).exit_code == 0
    for args in (["units"], ["timeline"], ["timeline", "--by-lead"],
                 ["export", "--format", "csv"], ["export", "--format", "md"],
                 ["export", "--format", "ics"]):
        result = run(*args, "-f", table, "--as-of", AS_OF)
        assert result.exit_code == 0, (args, result.output)
    workbook = run("export", "--format", "xlsx", "-f", table, "--as-of", AS_OF,
                   "-o", str(tmp_path / "out.xlsx"))
    assert workbook.exit_code == 0, workbook.output


def test_csv_leaves_a_missing_deadline_empty(table):
    result = run("export", "--format", "csv", "-f", table, "--as-of", AS_OF)
    row = next(line for line in result.stdout.splitlines() if "没有完成时限" in line)
    assert "—" not in row and ",," in row


def test_ics_has_no_event_for_a_task_without_date(table):
    result = run("export", "--format", "ics", "-f", table, "--as-of", AS_OF)
    assert result.stdout.count("BEGIN:VEVENT") == 2


def test_validate_lists_each_lack_as_a_warning(table):
    result = run("validate", table, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    codes = [line.split("warning[")[1].split("]")[0] for line in result.stdout.splitlines()]
    assert codes == ["no-deadline", "no-lead", "undated-deadline"]
    assert run("validate", table, "--strict", "--as-of", AS_OF).exit_code == 1


@pytest.mark.parametrize("task_id", ["2", "4"])
def test_done_on_a_task_without_date_says_why_and_changes_nothing(table, task_id):
    before = open(table, encoding="utf-8").read()
    result = run("done", task_id, "-f", table, "--on", AS_OF)
    assert result.exit_code == 2
    assert f"task {task_id} has no dated deadline (未定时限)" in result.stderr
    assert open(table, encoding="utf-8").read() == before


def test_note_on_a_task_without_deadline_is_written(table):
    result = run("note", "2", "--unit", "市财政局", "--on", AS_OF, "-f", table, "已启动")
    assert result.exit_code == 0, result.output
    shown = run("show", "2", "-f", table, "--as-of", AS_OF, "--format", "json")
    assert json.loads(shown.stdout)["progress"] == [progress_json(AS_OF, "市财政局", "已启动")]


def test_a_kept_text_that_reads_as_a_date_says_how_to_use_it(tmp_path):
    # {text: …} is never read, so the warning must not claim the text names no date.
    path = write_table(tmp_path, "document: {title: 表, year: 2022}\ntasks:\n"
                                 "  - {id: 1, text: a, lead: [市财政局], deadline: {text: 6月底前}}\n")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "warning[undated-deadline]" in result.stdout
    assert "names no date we can read" not in result.stdout
    assert "write it as deadline: 6月底前" in result.stdout


def test_timeline_marks_a_task_without_date_and_explains_the_mark(table):
    result = run("timeline", "-f", table, "--as-of", AS_OF, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:1].isdigit()}
    assert "?" in rows["2"] and "?" in rows["4"]
    assert "?" not in rows["1"] and "?" not in rows["3"]
    assert result.stdout.splitlines()[-1].endswith("? 未定时限")
    svg = run("timeline", "-f", table, "--as-of", AS_OF, "--format", "svg", "--lang", "en")
    assert svg.stdout.count(">no deadline</text>") == 2
