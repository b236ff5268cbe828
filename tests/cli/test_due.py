"""`dzshare due` end to end: windows, the heading line, every format, the JSON contract."""

import csv
import io
import json
from datetime import date

import pytest

from dzshare_cli import cli
from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table


def _ids(*args: str) -> list:
    result = run("due", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [task["id"] for task in json.loads(result.stdout)]


def test_before_june_2022_as_of_august_2021():
    assert _ids("--before", "2022-06", "--as-of", "2021-08-01") == [1, 2, 3, 5, 6, 8]


def test_by_june_2022_adds_the_june_milestones():
    assert _ids("--by", "2022-06", "--as-of", "2021-08-01") == [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]


@pytest.mark.parametrize("spelling", ["2022-06", "2022年6月", "2022-6", "２０２２年６月"])
def test_month_spellings_agree(spelling):
    assert _ids("--before", spelling, "--as-of", "2021-08-01") == [1, 2, 3, 5, 6, 8]


def test_after_and_year_forms():
    assert _ids("--after", "2022-06", "--as-of", "2021-08-01") == [13, 5]
    assert _ids("--by", "2021", "--as-of", "2021-08-01") == [1, 2, 3, 5, 6, 8]


def test_table_output_starts_with_the_window_line():
    result = run("due", "--before", "2022-06", "--as-of", "2021-08-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2022-06-01 前到期 · 截至 2021-08-01 · 6 个节点, 涉及 6 项任务 · 内置表"
    assert result.stderr == ""
    english = run("due", "--before", "2022-06", "--as-of", "2021-08-01", "--lang", "en")
    assert english.stdout.splitlines()[0] == "due before 2022-06-01 · as of 2021-08-01 · 6 milestones in 6 tasks ·"


@pytest.mark.parametrize(("window", "zh", "en"), [
    (("--by", "2022-06"), "2022-06-30 及之前到期", "due by 2022-06-30"),
    (("--after", "2021", "--by", "2022"), "2021-12-31 之后、2022-12-31 及之前到期",
     "due after 2021-12-31 and by 2022-12-31"),
    ((), "不限到期时间", "due any time"),
])
def test_window_line_in_both_languages(window, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        result = run("due", *window, "--as-of", "2021-08-01", "--lang", lang)
        assert result.stdout.splitlines()[0].startswith(f"{expected} · "), result.stdout


def test_json_keeps_stdout_parseable_and_the_window_line_on_stderr():
    result = run("due", "--by", "2022-06", "--as-of", "2021-08-01", "--format", "json")
    assert result.stderr.strip() == "2022-06-30 及之前到期 · 截至 2021-08-01 · 10 个节点, 涉及 10 项任务 · 内置表"
    json.loads(result.stdout)


def test_json_counts_milestones_as_the_heading_does():
    """The bundled table has 12 open milestones in 11 tasks: task 5 is due twice."""
    result = run("due", "--as-of", "2021-08-01", "--format", "json", "--lang", "en")
    tasks = json.loads(result.stdout)
    assert result.stderr.strip() == "due any time · as of 2021-08-01 · 12 milestones in 11 tasks · bundled table"
    assert (sum(len(task["milestones"]) for task in tasks), len(tasks)) == (12, 11)
    five = next(task for task in tasks if task["id"] == 5)
    assert (len(five["milestones"]), five["milestones_total"]) == (2, 2)
    narrow = json.loads(run("due", "--before", "2022-06", "--as-of", "2021-08-01", "--format", "json").stdout)
    five = next(task for task in narrow if task["id"] == 5)
    assert (len(five["milestones"]), five["milestones_total"]) == (1, 2)


def test_json_contract_is_pinned(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE)
    result = run("due", "-f", str(path), "--as-of", "2021-10-15", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "document": None,
            "id": 1,
            "title": "第一项",
            "category": None,
            "text": "成立协调推进机制。",
            "lead": ["市行政审批局"],
            "responsible": ["市直相关部门"],
            "roles": {},
            "start": None,
            "deadline": "2021年9月底",
            "ongoing": False,
            "milestones": [{"due": "2021-09-30", "goal": None, "done": None, "state": "overdue",
                            "number": 1, "days_late": 15, "days_left": None, "evidence": None, "period": None}],
            "recurrence": None,
            "state": "overdue",
            "progress": [],
            "milestones_total": 1,
        },
        {
            "document": None,
            "id": 2,
            "title": None,
            "category": None,
            "text": "建设平台。",
            "lead": ["市政务数据共享协调机制"],
            "responsible": [],
            "roles": {},
            "start": None,
            "deadline": "2021年12月底取得阶段成效;2022年10月底基本建成",
            "ongoing": False,
            "milestones": [
                {"due": "2021-12-31", "goal": "取得阶段成效", "done": None, "state": "upcoming",
                 "number": 1, "days_late": None, "days_left": 77, "evidence": None, "period": None},
                {"due": "2022-10-31", "goal": "基本建成", "done": None, "state": "upcoming",
                 "number": 2, "days_late": None, "days_left": 381, "evidence": None, "period": None},
            ],
            "recurrence": None,
            "state": "upcoming",
            "progress": [],
            "milestones_total": 2,
        },
    ]


def test_json_lists_only_the_matching_milestones_of_a_task():
    result = run("due", "--before", "2022-06", "--as-of", "2021-08-01", "--format", "json")
    five = next(task for task in json.loads(result.stdout) if task["id"] == 5)
    assert [m["due"] for m in five["milestones"]] == ["2021-12-31"]
    assert five["deadline"] == "2021年12月底取得阶段成效;2022年10月底基本建成"


def test_all_includes_done_milestones(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底",
                                 "deadline: {milestones: [{due: 2021-09, done: 2021-09-20}]}")
    path = write_table(tmp_path, body)
    open_only = run("due", "-f", str(path), "--as-of", "2021-10-01", "--format", "json")
    with_done = run("due", "-f", str(path), "--as-of", "2021-10-01", "--format", "json", "--all")
    assert [t["id"] for t in json.loads(open_only.stdout)] == [2]
    assert [t["id"] for t in json.loads(with_done.stdout)] == [1, 2]
    assert json.loads(with_done.stdout)[0]["milestones"][0]["state"] == "done"


def test_csv_reads_back_with_localized_headers():
    result = run("due", "--before", "2022-06", "--as-of", "2021-11-15", "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["ID"] for row in rows] == ["1", "2", "3", "5", "6", "8"]
    assert rows[0]["Status"] == "overdue 46 days"
    assert rows[3]["Goal"] == "取得阶段成效"


def test_markdown_has_heading_and_chinese_headers():
    result = run("due", "--before", "2022-06", "--as-of", "2021-08-01", "--format", "md")
    lines = result.stdout.splitlines()
    assert lines[0] == "2022-06-01 前到期 · 截至 2021-08-01 · 6 个节点, 涉及 6 项任务 · 内置表"
    assert lines[2] == "| 序号 | 工作任务 | 牵头单位 | 完成时限 | 目标 | 状态 |"
    assert len([line for line in lines if line.startswith("| ")]) == 7


def test_soon_days_changes_the_state():
    args = ("due", "--before", "2021-10", "--as-of", "2021-09-10", "--format", "json")
    assert {t["state"] for t in json.loads(run(*args).stdout)} == {"due_soon"}
    assert {t["state"] for t in json.loads(run(*args, "--soon-days", "7").stdout)} == {"upcoming"}


def test_as_of_defaults_to_today(monkeypatch):
    monkeypatch.setattr(cli.common, "today", lambda: date(2022, 7, 1))
    result = run("due", "--before", "2022-06")
    assert "截至 2022-07-01" in result.stdout.splitlines()[0]
    assert "逾期" in result.stdout


def test_dzshare_file_environment_variable(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE)
    result = run("due", "--as-of", "2021-08-01", "--format", "json", env={"DZSHARE_FILE": str(path)})
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)
    assert [t["id"] for t in tasks] == [1, 2]
    assert len(tasks[1]["milestones"]) == 2


@pytest.mark.parametrize("bad", ["2022-13", "June", "2022/06/01x", ""])
def test_malformed_window_is_a_usage_error(bad):
    result = run("due", "--before", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: dzshare due [OPTIONS]\nTry 'dzshare due --help' for help.")
    assert "Error: Invalid value for '--before'" in result.stderr
    assert "Traceback" not in result.output


def test_malformed_as_of_is_a_usage_error():
    result = run("due", "--as-of", "2021-08")
    assert result.exit_code == 2
    assert "single day" in result.stderr
