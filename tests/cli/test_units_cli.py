"""`dzshare dept`, `units` and `matrix` end to end."""

import csv
import io
import json

import pytest

from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table

AS_OF = "2022-01-15"


def _dept(*args: str) -> list[dict]:
    result = run("dept", *args, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_finance_bureau_leads_16_and_reaches_the_rest_via_groups():
    tasks = {task["id"]: task for task in _dept("市财政局")}
    assert (tasks[16]["role"], tasks[16]["via"]) == ("lead", None)
    assert (tasks[1]["role"], tasks[1]["via"]) == ("responsible", "市直相关部门")
    assert (tasks[2]["role"], tasks[2]["via"]) == ("lead", "市直相关部门")
    assert len(tasks) == 18
    # the task objects of the core contract, plus role, role_label and via
    assert set(tasks[16]) == {"document", "id", "title", "category", "text", "lead", "responsible", "roles", "start", "deadline",
                              "ongoing", "milestones", "recurrence", "state", "progress", "role", "role_label", "via"}


def test_dongting_lists_exactly_four_tasks():
    assert [task["id"] for task in _dept("东亭镇")] == [3, 4, 17, 18]


def test_role_and_direct_options():
    assert [task["id"] for task in _dept("审批局", "--role", "lead", "--direct")] == [1, 12, 13, 17, 18]
    assert [task["id"] for task in _dept("审批局", "--role", "responsible", "--direct")] == [11]


def test_dept_table_shows_roles_groups_and_totals():
    result = run("dept", "东亭镇", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [  # the heading wraps at the terminal width, between parts
        "东亭镇 · 共 4 项任务:牵头 0 项, 责任 0 项, 经由组 4 项 ·", "未完成节点 1 个, 其中逾期 1 个 · 截至 2022-01-15 · 内置表"]
    wide = run("dept", "东亭镇", "--as-of", AS_OF, "--lang", "en", env={"COLUMNS": "200"})
    assert wide.stdout.splitlines()[0] == (
        "东亭镇 · 4 tasks: 0 lead, 0 responsible, 4 via groups · 1 open milestone, 1 overdue · as of 2022-01-15 · bundled table")
    assert "经由" in result.stdout and "各乡镇(街道)" in result.stdout and "责任" in result.stdout
    assert "2021-12-31 逾期 15 天" in result.stdout  # each milestone with its state
    english = run("dept", "东亭镇", "--as-of", AS_OF, "--lang", "en", "--format", "csv")
    assert english.stdout.splitlines()[1] == (
        "3,建设政务数据共享应用平台,responsible (via 各乡镇(街道)),2021年12月底,2021-12-31 overdue 15 days")


def test_dept_shows_every_milestone():
    rows = run("dept", "财政局", "--as-of", AS_OF, "--format", "csv").stdout.splitlines()
    five = next(row for row in rows if row.startswith("5,"))
    assert five.endswith(",2021-12-31 逾期 15 天; 2022-10-31 未到期")
    six = next(row for row in rows if row.startswith("6,"))
    assert six.endswith(",2021-12-31 逾期 15 天; 长期推进")


def test_unit_alias_command():
    assert run("unit", "东亭镇", "--as-of", AS_OF, "--format", "json").stdout == \
        run("dept", "东亭镇", "--as-of", AS_OF, "--format", "json").stdout


def test_xicheng_is_ambiguous():
    result = run("dept", "西城")
    assert result.exit_code == 2
    assert "西城区街道" in result.stderr and "西城乡" in result.stderr


def test_misspelt_unit_gets_a_suggestion():
    result = run("dept", "市财正局")
    assert result.exit_code == 2
    assert result.stderr == "'市财正局' is not a known unit; did you mean '市财政局'?\n"


def test_units_json_counts():
    result = run("units", "--as-of", AS_OF, "--format", "json")
    units = {unit["name"]: unit for unit in json.loads(result.stdout)}
    assert len(units) == 38
    approval = units["市行政审批局"]
    assert (approval["kind"], approval["lead"], approval["responsible"], approval["via_groups"],
            approval["open_milestones"], approval["overdue"]) == ("department", 5, 1, 11, 12, 6)
    assert units["东亭镇"]["via_groups"] == 4 and units["东亭镇"]["kind"] == "township"
    assert len(units["各乡镇(街道)"]["members"]) == 25


def test_matrix_csv_marks_direct_and_group_responsibility():
    result = run("matrix", "--format", "csv")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(result.stdout))}
    assert rows["单位"] == [str(n) for n in range(1, 19)]
    assert rows["市财政局"][15] == "牵"  # task 16
    assert rows["市财政局"][1] == "(牵)"  # task 2, led by 市直相关部门
    assert rows["东亭镇"] == ["", "", "(责)", "(责)"] + [""] * 12 + ["(责)", "(责)"]
    assert rows["市行政审批局"][10] == "责"  # task 11


def test_matrix_json_is_one_record_per_mark():
    records = json.loads(run("matrix", "--format", "json").stdout)
    assert {"unit": "市财政局", "document": None, "task": 16, "role": "lead", "role_label": None, "via": None} in records
    assert {"unit": "东亭镇", "document": None, "task": 3, "role": "responsible", "role_label": None, "via": "各乡镇(街道)"} in records


def test_matrix_heading_in_both_languages():
    assert run("matrix").stdout.splitlines()[0] == "38 个单位 × 18 项任务 · 牵=牵头, 责=责任, (牵)/(责)=经由组 · 内置表"
    assert run("matrix", "--lang", "en", env={"COLUMNS": "200"}).stdout.splitlines()[0] == (
        "38 units × 18 tasks · 牵 lead, 责 responsible, (牵)/(责) through a group · bundled table")


def test_units_heading_in_both_languages():
    assert run("units", "--as-of", AS_OF).stdout.splitlines()[0] == "共 38 个单位 · 截至 2022-01-15 · 内置表"
    assert run("units", "--as-of", AS_OF, "--lang", "en").stdout.splitlines()[0] == "38 units · as of 2022-01-15 · bundled table"


@pytest.mark.parametrize(("columns", "blocks"), [("80", 3), ("200", 1)])
def test_matrix_table_shows_every_task_in_blocks_that_fit(columns, blocks):
    result = run("matrix", env={"COLUMNS": columns})
    assert result.exit_code == 0
    headers = [line.split() for line in result.stdout.splitlines() if line.startswith("单位 ")]
    assert len(headers) == blocks
    assert [task for header in headers for task in header[1:]] == [str(n) for n in range(1, 19)]
    assert max(map(len, result.stdout.splitlines())) <= int(columns)


def test_table_without_units_still_answers(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE)
    result = run("dept", "财政", "-f", str(path), "--as-of", AS_OF, "--format", "json")
    assert [task["id"] for task in json.loads(result.stdout)] == [3]
    assert json.loads(run("units", "-f", str(path), "--format", "json").stdout)[0]["kind"] is None


@pytest.mark.parametrize("command", ["dept", "units", "matrix"])
def test_bad_table_is_one_line(command, tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE.replace("lead: [市财政局]", "lead: 市财政局"))
    args = [command, "东亭镇"] if command == "dept" else [command]
    result = run(*args, "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:18:11: error[wrong-type]: tasks[2].lead: expected a list")
