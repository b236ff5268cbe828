"""ICS export, the timeline and the semantic diff."""

import io
import json
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from rich.cells import cell_len
from rich.console import Console

from dzshare_cli.diff import compare
from dzshare_cli.exporters.ics import event_uid
from dzshare_cli.exporters.timeline_picture import to_svg, to_terminal
from dzshare_cli.loader import bundled_table_path, load_table
from dzshare_cli.render import Lang
from dzshare_cli.timeline import build_timeline
from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table


def _events(*args: str) -> list:
    result = run("export", "--format", "ics", "-o", "-", *args)
    assert result.exit_code == 0, result.output
    return list(Calendar.from_ical(result.stdout_bytes).walk("VEVENT"))


def test_one_event_per_open_milestone_with_stable_uids():
    first = _events("--as-of", "2021-08-01")
    assert len(first) == 12
    uids = [str(event["uid"]) for event in first]
    assert len(set(uids)) == 12
    assert uids == [str(event["uid"]) for event in _events("--as-of", "2022-03-01")]


def test_event_content():
    event = next(e for e in _events("--as-of", "2021-08-01") if str(e["uid"]).startswith("task-5-milestone-2-"))
    assert event["dtstart"].dt == date(2022, 10, 31)
    assert event["dtend"].dt == date(2022, 11, 1)
    assert str(event["summary"]) == "[5] 建设一体化政务大数据中心 · 基本建成"
    description = str(event["description"])
    assert "牵头单位: 市政务数据共享协调机制" in description and "依托市一体化政务服务平台" in description
    alarm = next(iter(event.walk("VALARM")))
    assert alarm["trigger"].dt == -timedelta(days=7)


def test_remind_days_and_unit():
    events = _events("--as-of", "2021-08-01", "--unit", "东亭镇", "--remind-days", "3")
    assert [str(e["uid"]).split("-milestone")[0] for e in events] == ["task-3"]
    assert next(iter(events[0].walk("VALARM")))["trigger"].dt == -timedelta(days=3)
    assert not list(_events("--as-of", "2021-08-01", "--remind-days", "0")[0].walk("VALARM"))


def test_done_milestones_have_no_event(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 2021年9月底\n    done: [{date: 2021-09-20}]")
    events = _events("-f", str(write_table(tmp_path, body)), "--as-of", "2021-10-01")
    assert [str(e["uid"]).split("-milestone")[0] for e in events] == ["task-2", "task-2"]


def test_uid_depends_on_the_table():
    assert event_uid("表一", 1, 1) != event_uid("表二", 1, 1)
    assert event_uid("表一", 1, 1) == event_uid("表一", 1, 1)


def test_per_unit_calendars(tmp_path):
    result = run("export", "--per-unit", "--format", "ics", "-o", str(tmp_path), "--as-of", "2021-08-01")
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical((tmp_path / "东亭镇.ics").read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 1


def test_ics_is_not_for_unit_counts():
    result = run("units", "--format", "ics", "-o", "-")
    assert result.exit_code == 2 and "ics format is for tasks" in result.stderr


def _terminal(layout, width=100) -> str:
    console = Console(width=200, color_system=None, file=io.StringIO())
    console.print(to_terminal(layout, Lang.ZH, "", width), crop=False)
    return console.file.getvalue()


def test_terminal_timeline_fits_100_columns(table):
    text = _terminal(build_timeline(table.tasks, date(2022, 1, 15)))
    lines = text.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= 100
    assert len(lines) == 3 + 18 + 1
    row5 = next(line for line in lines if line.split()[0] == "5")
    assert (row5.count("!"), row5.count("◇")) == (1, 1)  # overdue, then upcoming


def test_timeline_axis_and_marks(table):
    layout = build_timeline(table.tasks, date(2022, 1, 15))
    assert (layout.months[0], layout.months[-1]) == ((2021, 9), (2022, 10))
    assert layout.as_of_month == (2022, 1)
    five = layout.rows[4]
    assert [(month, state.value) for month, state in five.marks.items()] == [
        ((2021, 12), "overdue"), ((2022, 10), "upcoming")]
    far = build_timeline(table.tasks, date(2026, 11, 28))
    assert far.months[-1] == (2022, 10) and far.as_of_month is None


def test_narrow_axis_numbers_quarters(table):
    text = _terminal(build_timeline(table.tasks, date(2022, 1, 15)), width=50)
    months = text.splitlines()[2]
    assert "10" in months and "1011" not in months
    assert max(cell_len(line.rstrip()) for line in text.splitlines()[1:]) <= 50  # the heading is one line


def test_timeline_for_hundreds_of_tasks_stays_narrow(tmp_path):
    tasks = "".join(f"  - {{id: {n}, text: 任务{n}, lead: [单位{n % 7}], deadline: {2021 + n % 3}年{1 + n % 12}月底}}\n"
                    for n in range(300))
    table = load_table(write_table(tmp_path, f"document: {{}}\ntasks:\n{tasks}"))
    layout = build_timeline(table.tasks, date(2022, 1, 15), by_lead=True)
    text = _terminal(layout, width=100)
    assert max(cell_len(line.rstrip()) for line in text.splitlines()) <= 100
    assert text.count("牵头: ") == 7  # grouped under the lead units
    ElementTree.fromstring(to_svg(layout, Lang.ZH))


def test_svg_is_well_formed(tmp_path, table):
    out = tmp_path / "t.svg"
    result = run("timeline", "--format", "svg", "-o", str(out), "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    root = ElementTree.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    diamonds = root.findall(".//{http://www.w3.org/2000/svg}polygon/{http://www.w3.org/2000/svg}title")
    assert len(diamonds) == 12


def _moved(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_compare_finds_moved_deadlines_and_units(tmp_path):
    old = load_table(bundled_table_path())
    text = bundled_table_path().read_text(encoding="utf-8")
    text = _moved(text, "    deadline: 2022年9月底", "    deadline: 2022年12月底")
    text = _moved(text, "      - 市财政局\n", "      - 市财政局\n      - 市委网信办\n")
    changes = compare(old, load_table(write_table(tmp_path, text)))
    assert [(c.kind, c.task, c.old, c.new) for c in changes] == [
        ("deadline-moved", 13, "2022-09-30", "2022-12-31"),
        ("lead-added", 16, None, "市委网信办"),
    ]


def test_compare_added_removed_done_and_registry(tmp_path):
    old = load_table(write_table(tmp_path, MINIMAL_TABLE, "old.yaml"))
    body = MINIMAL_TABLE.replace("  - id: 3\n    text: 长期工作。\n    lead: [市财政局]\n    responsible: []\n    deadline: 长期推进\n", "")
    body = body.replace("deadline: 2021年9月底", "deadline: 2021年9月底\n    done: [{date: 2021-09-20}]")
    body += "  - {id: 4, text: 新任务, lead: [市财政局], deadline: 2022年底}\nunits:\n  - {name: 市财政局}\n" \
            "  - {name: 市行政审批局}\n  - {name: 市直相关部门}\n  - {name: 市政务数据共享协调机制}\n"
    changes = compare(old, load_table(write_table(tmp_path, body, "new.yaml")))
    kinds = [(c.kind, c.task) for c in changes]
    assert ("task-removed", 3) in kinds and ("task-added", 4) in kinds
    assert ("milestone-done", 1) in kinds
    assert [c for c in changes if c.kind == "unit-added"][0].new == "市财政局"


@pytest.fixture
def repo(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    path = tmp_path / "tasks.yaml"
    path.write_bytes(bundled_table_path().read_bytes())
    for command in (["add", "tasks.yaml"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "table"]):
        subprocess.run(["git", "-C", str(tmp_path), *command], check=True)
    return path


def test_diff_head_reports_the_moved_deadline(repo):
    repo.write_text(_moved(repo.read_text("utf-8"), "    deadline: 2022年9月底", "    deadline: 2022年12月底"), "utf-8")
    result = run("diff", "HEAD", "-f", str(repo))
    assert result.exit_code == 0, result.output
    assert result.stdout == "task 13, milestone 1: deadline moved 2022-09-30 → 2022-12-31\n"
    report = json.loads(run("diff", "HEAD", "-f", str(repo), "--format", "json").stdout)
    assert report["changes"][0]["kind"] == "deadline-moved"
    markdown = run("diff", "HEAD", "-f", str(repo), "--format", "md").stdout
    assert "- **Task 13**" in markdown and "2022-09-30 → 2022-12-31" in markdown



def test_diff_markdown_passes_no_html_or_link_from_the_table(repo):
    from markdown_it import MarkdownIt

    hostile = "<img src=x onerror=alert(1)> **b** [l](javascript:x)"
    result = run("note", "4", "--unit", "东亭镇", hostile, "--on", "2021-10-01", "-f", str(repo))
    assert result.exit_code == 0, result.output
    markdown = run("diff", "HEAD", "-f", str(repo), "--format", "md").stdout
    tokens = MarkdownIt("gfm-like").disable("linkify").parse(markdown)
    inline = [child for token in tokens if token.children for child in token.children]
    assert not [t for t in tokens + inline if t.type in ("html_block", "html_inline", "link_open", "strong_open")
                and not (t.type == "strong_open" and t.markup == "**" and _is_ours(t, inline))]
    text = "".join(child.content for child in inline if child.type == "text")
    assert hostile in text  # shown as typed, not as markup

def test_diff_of_an_unchanged_table(repo):
    result = run("diff", "HEAD", "-f", str(repo))
    assert result.stdout == "" and result.stderr == f"0 changes from tasks.yaml@HEAD to {repo}\n"


def tmp_path_factory_dir() -> Path:
    return Path(tempfile.mkdtemp())


def test_diff_outside_git_and_unknown_revisions(repo):
    outside = write_table(repo.parent, MINIMAL_TABLE, "x.yaml")  # in the repository, never committed
    lonely = write_table(tmp_path_factory_dir(), MINIMAL_TABLE, "t.yaml")
    result = run("diff", "HEAD", "-f", str(lonely))
    assert result.exit_code == 2 and "not in a git repository" in result.stderr
    result = run("diff", "no-such-rev", "-f", str(repo))
    assert result.exit_code == 2 and "no-such-rev" in result.stderr
    result = run("diff", "HEAD", "-f", str(outside))
    assert result.exit_code == 2 and "x.yaml is not in revision HEAD" in result.stderr


def test_compare_reports_document_and_unit_kind_changes(tmp_path):
    body = MINIMAL_TABLE + "units:\n  - {name: 市财政局, kind: office}\n  - {name: 市行政审批局}\n" \
        "  - {name: 市直相关部门}\n  - {name: 市政务数据共享协调机制}\n"
    old = load_table(write_table(tmp_path, body, "old.yaml"))
    new = load_table(write_table(tmp_path, body.replace("year: 2021", "year: 2022")
                                 .replace("kind: office", "kind: department"), "new.yaml"))
    assert [(c.kind, c.old, c.new) for c in compare(old, new)] == [
        ("document-changed", 2021, 2022), ("unit-kind-changed", "office", "department")]


def test_the_last_possible_day_and_long_reminders(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 9999年12月底")
    events = _events("-f", str(write_table(tmp_path, body)), "--as-of", "2021-08-01")
    assert any(event["dtstart"].dt == date(9999, 12, 31) and "dtend" not in event for event in events)
    assert run("export", "--format", "ics", "-o", "-", "--remind-days", "1000000000").exit_code == 2


def test_per_unit_and_unit_do_not_go_together(tmp_path):
    result = run("export", "--per-unit", "--unit", "财政局", "-o", str(tmp_path))
    assert result.exit_code == 2 and "--per-unit" in result.stderr


def test_diff_checks_the_old_version_like_any_table(repo):
    repo.write_bytes(bundled_table_path().read_text("utf-8").encode("gb18030"))
    subprocess.run(["git", "-C", str(repo.parent), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qam", "gbk"], check=True)
    result = run("diff", "HEAD", "-f", str(repo))
    assert result.exit_code == 1
    assert result.stderr.startswith("tasks.yaml@HEAD:") and "GB18030" in result.stderr


def _is_ours(token, inline) -> bool:
    """The bold markup dzshare itself writes: around 'dzshare diff' and 'Task N'."""
    following = inline[inline.index(token) + 1]
    return following.content in ("dzshare diff", "Task 4")


RECURRING = """\
document:
  title: 按月报送表
  year: 2022
tasks:
  - id: 1
    text: 报送。
    lead: [市财政局]
    deadline: 2022年6月底前
  - id: 2
    text: 总结。
    lead: [市财政局]
    deadline: 每季度末
  - id: 3
    text: 进展。
    lead: [市财政局]
    deadline: 每月25日前
"""


def test_compare_sees_recurrences_starts_and_done_periods(tmp_path):
    old = load_table(write_table(tmp_path, RECURRING, "old.yaml"))
    body = (RECURRING.replace("year: 2022", "year: 2022\n  date: 2022-03-10")
            .replace("    deadline: 每月25日前\n", "    start: 2022-02-01\n    deadline: 每月25日前\n"
                     "    done: [{period: 2022-02, date: 2022-02-20}]\n")
            .replace("2022年6月底前", "每月25日前").replace("每季度末", "每季度第1个月的20日前"))
    changes = compare(old, load_table(write_table(tmp_path, body, "new.yaml")))
    found = [(c.kind, c.task, c.old, c.new) for c in changes]
    assert ("document-changed", None, None, "2022-03-10") in found  # as JSON writes it
    assert ("milestone-removed", 1, "2022-06-30", None) in found
    assert ("recurrence-added", 1, None, "每月25日前 (2022-03-10 – 2022-12-31)") in found
    assert ("recurrence-changed", 2, "每季度末 (2022-01-01 – 2022-12-31)",
            "每季度第1个月的20日前 (2022-03-10 – 2022-12-31)") in found
    assert ("start-changed", 3, None, "2022-02-01") in found
    assert ("period-done", 3, None, "2022-02-20") in found
    assert not any(c.kind == "deadline-text-changed" for c in changes)


def test_diff_markdown_heads_document_changes_as_the_document(tmp_path):
    from dzshare_cli.diff import diff_markdown

    old = load_table(write_table(tmp_path, RECURRING, "old.yaml"))
    dated = RECURRING.replace("year: 2022", "year: 2022\n  date: 2022-03-10")
    new = load_table(write_table(tmp_path, dated, "new.yaml"))
    text = diff_markdown([c for c in compare(old, new) if c.kind == "document-changed"], "old", "new")
    assert "- **Document**\n  - document date: None → 2022-03-10" in text
    assert "Unit registry" not in text
