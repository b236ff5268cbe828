"""`dzshare list` and `dzshare show` end to end, in every format and both languages."""

import csv
import io
import json
import os
import re

import pytest

from dzshare_cli.exporters import Format
from dzshare_cli.render import CELL_CHARS
from tests.cli.helpers import run
from tests.peak_memory import run_measured


def _list_ids(*args: str) -> list:
    result = run("list", "--as-of", "2021-08-01", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [task["id"] for task in json.loads(result.stdout)]


def test_list_everything():
    assert _list_ids() == list(range(1, 19))


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--unit", "东亭镇"), [3, 4, 17, 18]),
        (("--lead", "审批局"), [1, 2, 9, 10, 12, 13, 14, 15, 17, 18]),
        (("--unit", "各乡镇（街道）"), [3, 4, 17, 18]),
        (("--ongoing",), [4, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 18]),
        (("--search", "区块链"), [13]),
        (("--unit", "市直相关部门", "--ongoing", "--search", "安全"), [7, 15]),
    ],
)
def test_list_filters(args, ids):
    assert _list_ids(*args) == ids


def test_list_json_states_as_of():
    tasks = json.loads(run("list", "--as-of", "2022-07-01", "--format", "json").stdout)
    states = {task["id"]: task["state"] for task in tasks}
    assert states[1] == "overdue" and states[4] == "ongoing" and states[13] == "upcoming"
    assert states[5] == "overdue"  # its first milestone (2021-12-31) is still open
    later = json.loads(run("list", "--as-of", "2022-09-10", "--format", "json").stdout)
    assert next(task for task in later if task["id"] == 13)["state"] == "due_soon"


def test_list_table_in_english():
    result = run("list", "--as-of", "2022-01-01", "--lang", "en", "--search", "区块链")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "1 task · as of 2022-01-01 · bundled table"
    assert "Lead units" in result.stdout and "upcoming" in result.stdout


def test_list_heading_is_chinese_by_default():
    result = run("list", "--as-of", "2022-01-01")
    assert result.stdout.splitlines()[0] == "共 18 项任务 · 截至 2022-01-01 · 内置表"
    assert run("list", "--as-of", "2022-01-01", "--lang", "en").stdout.splitlines()[0] == \
        "18 tasks · as of 2022-01-01 · bundled table"


def test_list_csv_has_one_row_per_task():
    rows = list(csv.reader(io.StringIO(run("list", "--as-of", "2021-08-01", "--format", "csv").stdout)))
    assert rows[0] == ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "状态"]
    assert len(rows) == 19
    assert rows[18][2] == "市行政审批局、市纪委监委、督查室"


def test_show_json_is_one_task_object():
    task = json.loads(run("show", "5", "--as-of", "2022-01-15", "--format", "json").stdout)
    assert task["id"] == 5 and task["state"] == "overdue"
    assert [(m["number"], m["state"], m["days_late"], m["days_left"]) for m in task["milestones"]] == [
        (1, "overdue", 15, None), (2, "upcoming", None, 289)]


def test_show_table_lists_every_field_and_milestone():
    result = run("show", "5", "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "任务 5 · 截至 2022-01-15 · 内置表"
    for expected in ("序号", "工作任务", "牵头单位", "责任单位", "完成时限", "节点 1", "节点 2",
                     "逾期 15 天", "未到期", "市政务数据共享协调机制"):
        assert expected in result.stdout


def test_show_markdown_in_english():
    lines = run("show", "16", "--as-of", "2022-01-15", "--format", "md", "--lang", "en").stdout.splitlines()
    assert lines[0] == "task 16 · as of 2022-01-15 · bundled table"
    assert "| Lead units | 市财政局 |" in lines
    assert "| Status | ongoing |" in lines


@pytest.mark.parametrize(("name", "message"), [
    ("西城", "'西城' matches 2 units: 西城区街道、西城乡; type more of the name"),
    ("市财正局", "'市财正局' is not a known unit; did you mean '市财政局'?"),
])
def test_list_unit_that_does_not_resolve_is_a_usage_error(name, message):
    result = run("list", "--unit", name)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_show_unknown_id_is_a_usage_error():
    result = run("show", "99")
    assert result.exit_code == 2
    assert result.stderr.strip() == "no task with id '99' in the table; ids are 1, 2, 3, … (see dzshare list)"


@pytest.mark.parametrize("command", [("list",), ("due",), ("show", "1")])
@pytest.mark.parametrize("fmt", list(Format))
def test_every_command_renders_every_format(command, fmt):
    result = run(*command, "--as-of", "2021-08-01", "--format", fmt.value)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_list_of_a_10_mb_task_text_stays_small(tmp_path):
    """The terminal table shows the first CELL_CHARS characters of a cell; wrapping the whole
    10 MB text took 540 MB (and 83 s). Memory is measured, never time."""
    path = tmp_path / "long.yaml"
    text = "数据共享" * (10 * 1024 * 1024 // 12)
    path.write_text("document:\n  title: 长文本\n  year: 2021\ntasks:\n  - id: 1\n"
                    f"    text: {text}\n    lead: [市行政审批局]\n    deadline: 2021年9月底\n", encoding="utf-8")
    shown = tmp_path / "shown.txt"
    code, _, peak = run_measured(["list", "-f", str(path), "--as-of", "2021-08-01"], stdout=shown,
                                 env={**os.environ, "COLUMNS": "80"})
    assert code == 0
    assert peak < 300 * 1024 * 1024
    compact = re.sub(r"[\s│]", "", shown.read_text(encoding="utf-8"))
    assert compact.count("数") == CELL_CHARS // 4 and "…(已截断,全文3495252字)" in compact
