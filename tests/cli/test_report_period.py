"""dzshare report --period: 报送情况 (未报送 / 已报送) in every format, on a table, the bundled table
with notes added and a ledger; members reporting a group's milestone done."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dzshare_cli.cli import common
from dzshare_cli.loader import bundled_table_path
from tests.cli.helpers import run
from tests.helpers import write_table
from tests.test_reporting import TABLE

LEDGER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"


@pytest.fixture
def table_file(tmp_path):
    return str(write_table(tmp_path, TABLE))


def _json(*args: str) -> dict:
    result = run("report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_is_pinned(table_file):
    report = _json("-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06")
    assert report["reporting"] == {
        "period": "2022-06",
        "reported": [{"unit": "市审计局", "rows": 1, "last": "2022-06-05", "open": 0},
                     {"unit": "市财政局", "rows": 3, "last": "2022-06-30", "open": 3}],
        "not_reported": [{"unit": "市科学技术局", "open": 2}, {"unit": "市发展改革局", "open": 1}],
    }
    assert report["group_reports"] == [{"document": None, "task": 3, "milestone": 1, "period": None,
                                        "group": "市直相关部门", "reported_done": 2, "members": 3}]
    assert list(report)[-2:] == ["group_reports", "reporting"]


def test_without_period_there_is_no_reporting_key(table_file):
    report = _json("-f", table_file, "--as-of", "2022-07-05")
    assert "reporting" not in report
    assert report["group_reports"][0]["reported_done"] == 2  # shown whenever a member has said so


def test_the_bundled_report_is_unchanged_without_period_and_notes():
    for fmt in ("json", "md", "table"):
        result = run("report", "--as-of", "2022-07-01", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "reporting" not in result.stdout and "group_reports" not in result.stdout
        assert "报送情况" not in result.stdout and "成员报告已完成" not in result.stdout


def test_the_first_day_of_the_next_month_does_not_count(table_file):
    june = _json("-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06")["reporting"]
    july = _json("-f", table_file, "--as-of", "2022-07-05", "--period", "2022-07")["reporting"]
    assert "市发展改革局" in [line["unit"] for line in june["not_reported"]]  # wrote on 2022-07-01
    assert [line["unit"] for line in july["reported"]] == ["市发展改革局"]
    assert june["reported"][1] == {"unit": "市财政局", "rows": 3, "last": "2022-06-30", "open": 3}  # on 06-30


def test_text_lists_who_has_not_reported_first(table_file):
    result = run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06")
    assert result.exit_code == 0, result.output
    heading = "".join(result.stdout.split("\n\n")[0].split())  # wrapped at the terminal's width
    assert "逾期1个节点,即将到期0个·2022-06报送情况:未报送2个单位,已报送2个·/" in heading
    section = result.stdout.split("\n报送情况\n")[1]
    names = [name for name in ("市科学技术局", "市发展改革局", "市审计局", "市财政局") if name in section]
    assert sorted(names, key=section.index) == ["市科学技术局", "市发展改革局", "市审计局", "市财政局"]
    assert "未报送" in section and "2022-06-30" in section
    assert "成员报告已完成" in result.stdout and "2/3" in result.stdout


def test_english_labels(table_file, tmp_path):
    result = run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--lang", "en",
                 "--format", "md")
    assert result.exit_code == 0, result.output
    assert "reporting 2022-06: 2 units not reported, 2 reported" in result.stdout
    assert "## Reporting\n\n| Unit | Reporting | Open rows | Rows reported | Last report |" in result.stdout
    assert "| 市科学技术局 | not reported | 2 | 0 | — |" in result.stdout
    out = tmp_path / "en.xlsx"
    assert run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--lang", "en",
               "-o", str(out), "--format", "xlsx").exit_code == 0
    assert load_workbook(out).sheetnames[-2:] == ["Group milestones reported done", "Reporting"]
    assert "## Group milestones reported done\n\n| ID | Task | Due | Status | Group | Members reporting done |" in result.stdout


def test_markdown_has_the_section(table_file):
    result = run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "## 报送情况\n\n| 单位 | 报送情况 | 未完成事项 | 已报送事项 | 最近报送 |\n|---|---|---|---|---|\n" \
           "| 市科学技术局 | 未报送 | 2 | 0 | — |\n| 市发展改革局 | 未报送 | 1 | 0 | — |\n" \
           "| 市审计局 | 已报送 | 0 | 1 | 2022-06-05 |\n| 市财政局 | 已报送 | 3 | 3 | 2022-06-30 |\n" in result.stdout
    assert "| 3 | 各部门梳理数据目录。 | 2022-08-31 | 未到期 | 市直相关部门 | 2/3 |" in result.stdout


def test_html_has_the_section(table_file, tmp_path):
    out = tmp_path / "report.html"
    result = run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--format", "html",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<h2>报送情况</h2>" in page and "<h2>组内成员报告完成情况</h2>" in page
    assert '<tr class="overdue"><td class="nowrap">市科学技术局</td><td class="nowrap styled">未报送</td>' in page
    assert '<tr class="done"><td class="nowrap">市财政局</td>' in page


def test_xlsx_has_a_reporting_sheet(table_file, tmp_path):
    out = tmp_path / "report.xlsx"
    result = run("report", "-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--format", "xlsx",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[-2:] == ["组内成员报告完成情况", "报送情况"]
    rows = [row for row in book["报送情况"].iter_rows(min_row=3, values_only=True)]
    assert rows == [("单位", "报送情况", "未完成事项", "已报送事项", "最近报送"),
                    ("市科学技术局", "未报送", 2, 0, "—"), ("市发展改革局", "未报送", 1, 0, "—"),
                    ("市审计局", "已报送", 0, 1, "2022-06-05"), ("市财政局", "已报送", 3, 3, "2022-06-30")]
    group = list(book["组内成员报告完成情况"].iter_rows(min_row=4, values_only=True))
    assert group == [(3, "各部门梳理数据目录。", "2022-08-31", "未到期", "市直相关部门", "2/3")]


def test_xlsx_without_period_has_no_reporting_sheet(table_file, tmp_path):
    out = tmp_path / "report.xlsx"
    assert run("report", "-f", table_file, "--as-of", "2022-07-05", "--format", "xlsx", "-o", str(out)).exit_code == 0
    assert "报送情况" not in load_workbook(out).sheetnames


@pytest.mark.parametrize("period", ["2022-6-30", "2022-13", "june", "2022/06"])
def test_a_bad_period_is_one_line_and_exit_2(table_file, period):
    result = run("report", "-f", table_file, "--period", period)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "YYYY-MM" in result.stderr and period in result.stderr


def test_unit_narrows_the_section(table_file):
    reporting = _json("-f", table_file, "--as-of", "2022-07-05", "--period", "2022-06", "--unit", "发改局")["reporting"]
    assert reporting == {"period": "2022-06", "reported": [], "not_reported": [{"unit": "市发展改革局", "open": 1}]}


# the bundled table with notes added ---------------------------------------------------------

@pytest.fixture
def bundled_with_notes(tmp_path):
    """Task 2 (led by 市直相关部门) reported done by two members, one by its alias; task 16 (市财政局,
    ongoing) with a plain note."""
    text = bundled_table_path().read_text("utf-8")
    task2 = "    responsible: []\n    deadline: 2021年9月底\n"
    task16 = "      - 市财政局\n    responsible: []\n    deadline: 长期推进\n"
    assert text.count(task2) == 1 and text.count(task16) == 1
    text = text.replace(task2, task2 + (
        "    progress:\n"
        "      - {date: 2022-06-20, unit: 财政局, note: 已指定专门处室, milestone: 1, status: done, done_on: 2021-09-15}\n"
        "      - {date: 2022-06-30, unit: 审批局, note: 已完成, milestone: 1, status: done, done_on: 2021-09-20}\n"))
    text = text.replace(task16, task16 + "    progress:\n      - {date: 2022-06-10, unit: 市财政局, note: 经费已安排}\n")
    return str(write_table(tmp_path, text))


def test_bundled_table_with_notes(bundled_with_notes):
    report = _json("-f", bundled_with_notes, "--as-of", "2022-07-01", "--period", "2022-06")
    assert report["reporting"]["reported"] == [
        {"unit": "市行政审批局", "rows": 1, "last": "2022-06-30", "open": 18},
        {"unit": "市财政局", "rows": 2, "last": "2022-06-20", "open": 19}]
    not_reported = report["reporting"]["not_reported"]
    assert len(not_reported) == 33 and not_reported[0] == {"unit": "市发展改革局", "open": 18}
    assert not_reported[-1] == {"unit": "督查室", "open": 1}
    assert {"市财政局", "市行政审批局", "市直相关部门"}.isdisjoint(line["unit"] for line in not_reported)
    assert report["group_reports"] == [{"document": None, "task": 2, "milestone": 1, "period": None,
                                        "group": "市直相关部门", "reported_done": 2, "members": 8}]


# a ledger ------------------------------------------------------------------------------------

@pytest.fixture
def ledger(tmp_path, monkeypatch):
    """The example ledger with 市财政局 reporting in April 2024 in two documents: in gzbg2024 by the
    alias 财政局, in the meeting's file by 市财政, an alias gzbg2024 declares."""
    monkeypatch.delenv("DZSHARE_FILE", raising=False)
    folder = tmp_path / "ledger"
    shutil.copytree(LEDGER, folder)
    gzbg = folder / "tables" / "gzbg2024.yaml"
    deadline = "    deadline: 2024年6月底前完成评价;2024年12月底前结果公开\n"
    text = gzbg.read_text("utf-8")
    assert text.count(deadline) == 1
    gzbg.write_text(text.replace(deadline, deadline + (
        "    progress:\n      - {date: 2024-04-30, unit: 财政局, note: 评价方案已印发, milestone: 1, "
        "status: in_progress}\n")), "utf-8")
    meeting = folder / "meetings" / "hy2024-03.yaml"
    deadline = "    deadline: 2024年4月底前\n"
    text = meeting.read_text("utf-8")
    assert text.count(deadline) == 1
    meeting.write_text(text.replace(deadline, deadline + (
        "    progress:\n      - {date: 2024-04-10, unit: 市财政, note: 资金方案已起草}\n")), "utf-8")
    assert run("validate", str(folder)).exit_code == 0
    return str(folder)


def test_a_ledger_counts_across_documents(ledger):
    reporting = _json("-f", ledger, "--as-of", "2024-05-01", "--period", "2024-04")["reporting"]
    assert [(line["unit"], line["rows"], line["last"]) for line in reporting["reported"]] == [
        ("市财政局", 2, "2024-04-30")]
    assert "市住房城乡建设局" in [line["unit"] for line in reporting["not_reported"]]


def test_doc_narrows_the_ledger(ledger):
    reporting = _json("-f", ledger, "--as-of", "2024-05-01", "--period", "2024-04", "--doc", "hy2024-03")["reporting"]
    assert reporting == {"period": "2024-04",
                         "reported": [{"unit": "市财政局", "rows": 1, "last": "2024-04-10", "open": 1}],
                         "not_reported": [{"unit": "市住房城乡建设局", "open": 1}, {"unit": "市教育局", "open": 1}]}


def test_a_ledgers_group_reports_name_the_document(ledger):
    dz2021 = Path(ledger) / "tables" / "dz2021.yaml"
    task2 = "    responsible: []\n    deadline: 2021年9月底\n"
    text = dz2021.read_text("utf-8")
    assert text.count(task2) == 1
    dz2021.write_text(text.replace(task2, task2 + (
        "    progress:\n      - {date: 2024-04-02, unit: 财政局, note: 已完成, milestone: 1, status: done}\n")), "utf-8")
    report = _json("-f", ledger, "--as-of", "2024-05-01")
    assert report["group_reports"] == [{"document": "dz2021", "task": 2, "milestone": 1, "period": None,
                                        "group": "市直相关部门", "reported_done": 1, "members": 8}]
    result = run("report", "-f", ledger, "--as-of", "2024-05-01", "--period", "2024-04", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "| dz2021 | 2 | 指定专门处室负责数据共享 | 2021-09-30 | 逾期 944 天 | 市直相关部门 | 1/8 |" in result.stdout
    assert "| 市财政局 | 已报送 | " in result.stdout.split("## 报送情况")[1]


def test_a_past_period_without_as_of_is_judged_on_its_last_day(monkeypatch):
    # Run years later, `report --period 2022-06` says where things stood at the end of June 2022.
    monkeypatch.setattr(common, "today", lambda: date(2026, 11, 29))
    plain = run("report", "--period", "2022-06", "--format", "json")
    pinned = run("report", "--period", "2022-06", "--as-of", "2022-06-30", "--format", "json")
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout) == json.loads(pinned.stdout)
    assert json.loads(plain.stdout)["as_of"] == "2022-06-30"


def test_the_current_period_without_as_of_is_judged_today(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: date(2022, 6, 10))
    result = run("report", "--period", "2022-06", "--format", "json")
    assert json.loads(result.stdout)["as_of"] == "2022-06-10"
