"""`dzshare done`, `note` and `report` end to end."""

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dzshare_cli import cli, loader
from dzshare_cli.loader import bundled_table_path, load_table
from tests.cli.helpers import run, progress_json
from tests.helpers import MINIMAL_TABLE, write_table

AS_OF = "2022-07-01"


@pytest.fixture
def copy(tmp_path) -> Path:
    path = tmp_path / "tasks.yaml"
    path.write_bytes(bundled_table_path().read_bytes())
    return path


def _report(*args: str) -> dict:
    result = run("report", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_with_no_progress():
    report = _report()
    assert report["as_of"] == AS_OF
    assert report["totals"] == {"done_on_time": 0, "done_late": 0, "overdue": 10, "due_soon": 0, "upcoming": 2}
    assert [item["task"] for item in report["overdue"]] == [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]
    assert report["overdue"][0] == {"document": None, "task": 1, "title": "成立政务数据共享协调推进机制", "milestone": 1, "period": None,
                                    "due": "2021-09-30", "goal": None, "days_overdue": 274,
                                    "lead": ["市行政审批局"]}
    assert len(report["units"]) == 38
    assert set(report["units"][0]) == {"name", "kind", "lead", "responsible"}


def test_done_then_report_and_validate(copy):
    comments = [line for line in copy.read_text("utf-8").splitlines() if line.lstrip().startswith("#")]
    result = run("done", "1", "--on", "2021-09-20", "-f", str(copy))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # a message, not data
    assert result.stderr == "task 1: milestone 1 (due 2021-09-30) recorded done on 2021-09-20\n"
    report = _report("-f", str(copy))
    assert report["totals"]["done_on_time"] == 1 and report["totals"]["overdue"] == 9
    after = copy.read_text("utf-8").splitlines()
    assert [line for line in after if line.lstrip().startswith("#")] == comments
    assert run("validate", str(copy)).exit_code == 0


def test_done_late_is_counted_late(copy):
    run("done", "1", "--on", "2021-10-15", "-f", str(copy))
    assert _report("-f", str(copy))["totals"]["done_late"] == 1


def test_dry_run_writes_nothing(copy):
    before = copy.read_bytes()
    result = run("done", "1", "--on", "2021-09-20", "--dry-run", "-f", str(copy))
    assert result.exit_code == 0
    assert "+    done:" in result.stdout
    assert result.stderr.endswith("(dry run: " + str(copy) + " is unchanged)\n")
    assert copy.read_bytes() == before


def test_note_is_shown_by_show(copy):
    result = run("note", "4", "外网已延伸到全部村街", "--unit", "东亭镇", "--on", "2021-10-01", "-f", str(copy))
    assert result.exit_code == 0, result.output
    task = json.loads(run("show", "4", "-f", str(copy), "--format", "json").stdout)
    assert task["progress"] == [progress_json("2021-10-01", "东亭镇", "外网已延伸到全部村街")]


def test_write_commands_refuse_the_installed_table(monkeypatch, tmp_path):
    installed = tmp_path / "site-packages" / "tasks.yaml"
    installed.parent.mkdir()
    installed.write_bytes(bundled_table_path().read_bytes())
    monkeypatch.setattr(loader, "_PACKAGED_TABLE", installed)
    monkeypatch.setattr(cli.progress, "bundled_table_path", lambda: installed)
    result = run("done", "1")
    assert result.exit_code == 2
    assert "dzshare init tasks.yaml" in result.stderr


def test_init_copies_the_bundled_table_without_clobbering(tmp_path):
    target = tmp_path / "tasks.yaml"
    assert run("init", str(target)).exit_code == 0
    copied, bundled = target.read_text("utf-8").splitlines(), bundled_table_path().read_text("utf-8").splitlines()
    assert copied[0] == "# yaml-language-server: $schema=tasks.schema.json"  # a schema beside the copy
    assert copied[1:] == bundled[1:]
    assert json.loads((tmp_path / "tasks.schema.json").read_text("utf-8"))["title"] == "TaskTable"
    target.write_text("mine", encoding="utf-8")
    assert run("init", str(target)).exit_code == 3
    assert target.read_text(encoding="utf-8") == "mine"


def test_report_table_headings_in_both_languages():
    zh = run("report", "--as-of", AS_OF).stdout.splitlines()
    assert zh[0] == "督办通报 · 截至 2022-07-01 · 逾期 10 个节点, 即将到期 0 个 · 内置表"
    assert {"节点统计", "牵头单位情况", "责任单位情况", "逾期事项", "拟通报单位"} <= set(zh)
    assert "长期推进(任务)" in run("report", "--as-of", AS_OF).stdout
    en = run("report", "--as-of", AS_OF, "--lang", "en", env={"COLUMNS": "120"}).stdout.splitlines()
    assert en[0] == "supervision report · as of 2022-07-01 · 10 overdue, 0 due soon · bundled table"
    assert {"Milestones by state", "Units as lead", "Units as responsible", "Overdue milestones",
            "Units to be named"} <= set(en)


def test_report_narrowed_to_a_unit():
    report = _report("--unit", "东亭镇")
    assert [unit["name"] for unit in report["units"]] == ["东亭镇"]
    assert [item["task"] for item in report["overdue"]] == [3]


@pytest.mark.parametrize(("as_of", "fail_on", "code"), [
    ("2022-07-01", "overdue", 1),
    ("2021-08-01", "overdue", 0),
    ("2021-09-15", "due-soon", 1),
    ("2021-09-15", "overdue", 0),
])
def test_fail_on(as_of, fail_on, code):
    assert run("report", "--as-of", as_of, "--fail-on", fail_on, "--format", "json").exit_code == code


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.external = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.external += [value for name, value in attrs if name in ("src", "href")]

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_one_self_contained_page():
    result = run("report", "--as-of", AS_OF, "--format", "html")
    page = _Tables()
    page.feed(result.stdout)
    text = "".join(page.text)
    assert page.tags.count("table") == 5 and "script" not in page.tags and not page.external
    assert "关于建立健全政务数据共享协调机制加快推进数据有序共享的重点任务责任分工" in text
    assert "督办通报 · 截至 2022-07-01 · 逾期" in text and "牵头单位情况" in text and "@page" in text
    english = run("report", "--as-of", AS_OF, "--format", "html", "--lang", "en").stdout
    assert "supervision report · as of 2022-07-01 · " in english and "Units as lead" in english


def test_xlsx_report_has_a_sheet_per_section(tmp_path):
    out = tmp_path / "report.xlsx"
    assert run("report", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["节点统计", "牵头单位情况", "责任单位情况", "逾期事项", "拟通报单位"]
    assert book["逾期事项"]["A4"].value == 1 and book["逾期事项"]["D4"].value == 274


def test_markdown_report_sections():
    text = run("report", "--as-of", AS_OF, "--format", "md", "--lang", "en").stdout
    assert text.startswith("# 关于建立健全")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Milestones by state", "## Units as lead", "## Units as responsible",
        "## Overdue milestones", "## Units to be named"]


def test_csv_report_is_refused():
    result = run("report", "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 2 and "use xlsx" in result.stderr


def test_done_in_the_future_is_refused(copy, monkeypatch):
    monkeypatch.setattr(cli.common, "today", lambda: date(2022, 1, 1))
    result = run("done", "1", "--on", "2030-01-01", "-f", str(copy))
    assert result.exit_code == 2 and "after today" in result.stderr


def test_full_width_ids_find_their_task(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE.replace("- id: 1", "- id: (一)"))
    assert run("show", "（一）", "-f", str(path), "--format", "json").exit_code == 0
    result = run("note", "（一）", "进展顺利", "--unit", "不在表中的单位", "--on", "2021-09-01", "-f", str(path))
    assert result.exit_code == 0, result.output  # a table without a registry takes any unit


def test_note_in_the_future_is_refused(copy, monkeypatch):
    monkeypatch.setattr(cli.common, "today", lambda: date(2022, 1, 1))
    result = run("note", "4", "x", "--unit", "东亭镇", "--on", "2099-10-01", "-f", str(copy))
    assert result.exit_code == 2 and "after today" in result.stderr


def test_a_read_only_table_is_not_replaced(copy):
    before = copy.read_bytes()
    copy.chmod(0o444)
    result = run("note", "4", "进展", "--unit", "东亭镇", "--on", "2021-10-01", "-f", str(copy))
    assert result.exit_code == 3
    assert result.stderr == (f"{copy}: the file is read-only (mode 0444); nothing was written; "
                             f"make it writable (chmod u+w {copy}) to change it\n")
    assert copy.read_bytes() == before and copy.stat().st_mode & 0o777 == 0o444
    dry_run = run("note", "4", "进展", "--unit", "东亭镇", "--on", "2021-10-01", "--dry-run", "-f", str(copy))
    assert dry_run.exit_code == 0, dry_run.output  # showing the change needs no write


def test_a_dry_run_takes_no_lock(copy):
    result = run("done", "1", "--on", "2021-09-20", "--dry-run", "-f", str(copy))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in copy.parent.iterdir()) == ["tasks.yaml"]


def test_a_symlinked_table_is_locked_and_written_beside_the_real_file(copy, tmp_path):
    link_directory = tmp_path / "links"
    link_directory.mkdir()
    link = link_directory / "mine.yaml"
    link.symlink_to(copy)
    result = run("note", "4", "进展", "--unit", "东亭镇", "--on", "2021-10-01", "-f", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and [note.note for note in load_table(copy).task("4").progress] == ["进展"]
    assert (copy.parent / ".tasks.yaml.lock").is_file()  # the same lock whichever name is used
    assert [path.name for path in link_directory.iterdir()] == ["mine.yaml"]


def test_a_missing_table_leaves_no_lock_file(tmp_path):
    result = run("note", "4", "进展", "--unit", "东亭镇", "-f", str(tmp_path / "typo.yaml"))
    assert result.exit_code == 1 and "typo.yaml: error[file]: no such file; check the path" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_dangling_symlink(tmp_path):
    target = tmp_path / "tasks.yaml"
    target.symlink_to(tmp_path / "planted.yaml")
    result = run("init", str(target))
    assert result.exit_code == 3 and "which does not exist" in result.stderr
    assert not (tmp_path / "planted.yaml").exists() and not (tmp_path / "tasks.schema.json").exists()


def test_init_refuses_a_dangling_symlink_where_the_schema_goes(tmp_path):
    schema = tmp_path / "tasks.schema.json"
    schema.symlink_to(tmp_path / "planted.json")
    result = run("init", str(tmp_path / "tasks.yaml"))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{schema}: is a symbolic link to {tmp_path / 'planted.json'}, "
                                    "which does not exist")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tasks.schema.json"]  # nothing written


@pytest.mark.parametrize("command", [
    ("done", "1", "--on", "2021-09-20", "--dry-run"),
    ("note", "4", "--unit", "东亭镇", "进展", "--on", "2021-10-01", "--dry-run"),
    ("collect", "nothing.xlsx", "--on", "2022-06-10", "--dry-run"),
    ("diff", "HEAD"),
])
def test_without_a_file_no_command_changes_or_diffs_the_bundled_table(tmp_path, monkeypatch, command):
    # In a source checkout the bundled table is the repository's data/tasks.yaml: without --file
    # it is no more the user's to change than the copy installed inside the package.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DZSHARE_FILE", raising=False)
    before = bundled_table_path().read_bytes()
    if command[0] == "collect":
        (tmp_path / "nothing.xlsx").write_bytes(b"PK")
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert "--file" in result.output and "Traceback" not in result.output
    assert bundled_table_path().read_bytes() == before
