"""Editing a table in place: only the changed lines change, and a bad or stale edit writes nothing."""

import difflib
import os
from datetime import date
from pathlib import Path

import pytest

from dzshare_cli import edit as edit_module
from dzshare_cli.edit import Edit, add_note, change_table, guess_indentation, mark_done
from dzshare_cli.errors import TableError, UsageError
from dzshare_cli.loader import bundled_table_path, load_table
from tests.helpers import MINIMAL_TABLE, write_table

BUNDLED = bundled_table_path().read_bytes()


@pytest.fixture
def copy(tmp_path) -> Path:
    path = tmp_path / "tasks.yaml"
    path.write_bytes(BUNDLED)
    return path


def preview(path: Path, change) -> Edit:
    """The edit `change` would make, as --dry-run shows it: nothing is written."""
    return change_table(path, change, dry_run=True)


def _only_added(before: bytes, after: bytes) -> list[str]:
    """The lines `after` adds to `before`, asserting that every line of `before` is kept, in order."""
    old, new = before.decode().splitlines(), after.decode().splitlines()
    added, position = [], 0
    for line in new:
        if position < len(old) and line == old[position]:
            position += 1
        else:
            added.append(line)
    assert position == len(old), "a line of the original file changed or went missing"
    return added


def test_done_adds_a_record_and_keeps_every_other_byte(copy):
    change = preview(copy, mark_done("1", None, date(2021, 9, 20), "定政办字〔2021〕12号"))
    assert _only_added(BUNDLED, change.updated) == [
        "    done:", "      - milestone: 1", "        date: 2021-09-20", "        evidence: 定政办字〔2021〕12号"]
    assert change.summary == "task 1: milestone 1 (due 2021-09-30) recorded done on 2021-09-20"
    assert copy.read_bytes() == BUNDLED  # a dry run writes nothing
    assert not (copy.parent / ".tasks.yaml.lock").exists()  # nor takes the lock
    assert change_table(copy, mark_done("1", None, date(2021, 9, 20), "定政办字〔2021〕12号")) == change
    milestone = load_table(copy).task("1").deadline.milestones[0]
    assert (milestone.done, milestone.evidence) == (date(2021, 9, 20), "定政办字〔2021〕12号")


def test_comments_survive(copy):
    change_table(copy, mark_done("5", 2, date(2022, 10, 1)))
    comments = [line for line in BUNDLED.decode().splitlines() if line.lstrip().startswith("#")]
    after = copy.read_text(encoding="utf-8").splitlines()
    assert comments and all(comment in after for comment in comments)


def test_default_milestone_is_the_earliest_not_done(copy):
    change_table(copy, mark_done("5", None, date(2021, 12, 20)))
    second = preview(copy, mark_done("5", None, date(2022, 10, 20)))
    assert "milestone 2 (due 2022-10-31)" in second.summary


@pytest.mark.parametrize(("task_id", "milestone", "message"), [
    ("4", None, "open-ended"),
    ("5", 3, "--milestone takes 1 to 2"),
    ("99", None, "no task with id '99'"),
])
def test_refusals(copy, task_id, milestone, message):
    with pytest.raises(UsageError, match=message):
        preview(copy, mark_done(task_id, milestone, date(2022, 1, 1)))


def test_a_milestone_is_not_marked_done_twice(copy):
    change_table(copy, mark_done("1", None, date(2021, 9, 20)))
    with pytest.raises(UsageError, match="already recorded done on 2021-09-20"):
        preview(copy, mark_done("1", 1, date(2021, 9, 21)))


def test_note_resolves_the_unit(copy):
    change = preview(copy, add_note("4", "东亭", "外网已延伸到全部村街", date(2021, 10, 1)))
    assert _only_added(BUNDLED, change.updated) == [
        "    progress:", "      - date: 2021-10-01", "        unit: 东亭镇", "        note: 外网已延伸到全部村街"]
    with pytest.raises(UsageError, match="matches 2 units"):
        preview(copy, add_note("4", "西城", "x", date(2021, 10, 1)))


def test_a_note_from_a_unit_without_a_role_says_so(copy):
    assert preview(copy, add_note("16", "东亭镇", "x", date(2021, 10, 1))).summary.endswith(
        "(note: 东亭镇 is neither lead nor responsible for task 16)")


def test_an_invalid_result_is_refused_and_nothing_is_written(copy, monkeypatch):
    monkeypatch.setattr(edit_module, "_append_record", lambda text, addition: (
        text.replace("  - id: 2\n", "  - id: 1\n"), 0))
    with pytest.raises(TableError, match="duplicate task id"):
        change_table(copy, mark_done("1", None, date(2021, 9, 20)))
    assert copy.read_bytes() == BUNDLED


def test_the_change_is_made_to_the_file_as_it_is_when_locked(copy):
    preview(copy, mark_done("1", None, date(2021, 9, 20)))
    copy.write_bytes(BUNDLED + b"# someone else's edit\n")
    change_table(copy, mark_done("1", None, date(2021, 9, 20)))
    after = copy.read_bytes()
    assert after.endswith(b"# someone else's edit\n")
    assert load_table(copy).task("1").deadline.milestones[0].done == date(2021, 9, 20)


def test_an_invalid_file_is_not_edited(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("document: {}\ntasks: [{id: 1, text: a, lead: [x], deadline: 尽快}]\n", encoding="utf-8")
    with pytest.raises(TableError, match="not a deadline"):
        preview(path, mark_done("1", None, date(2021, 9, 20)))


def test_a_bom_is_kept(copy):
    copy.write_bytes(b"\xef\xbb\xbf" + BUNDLED)
    change = preview(copy, mark_done("1", None, date(2021, 9, 20)))
    assert change.updated.startswith(b"\xef\xbb\xbf")


def test_crlf_line_endings_are_kept(copy):
    crlf = BUNDLED.replace(b"\n", b"\r\n")
    copy.write_bytes(crlf)
    change = preview(copy, mark_done("1", None, date(2021, 9, 20)))
    assert change.updated.count(b"\r\n") == change.updated.count(b"\n")
    assert _only_added(crlf.replace(b"\r\n", b"\n"), change.updated.replace(b"\r\n", b"\n")) == [
        "    done:", "      - milestone: 1", "        date: 2021-09-20"]


def test_dry_run_diff(copy):
    diff = preview(copy, mark_done("1", None, date(2021, 9, 20))).diff()
    assert diff.startswith("--- a/tasks.yaml\n+++ b/tasks.yaml\n")
    assert "+    done:\n" in diff


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n  b: 1\nc:\n  - x\n", (2, 4, 2)),
    ("a:\n    b: 1\nc:\n    - x\n", (4, 6, 4)),
    ("a:\n  b: 1\nc:\n- x\n", (2, 2, 0)),
    ("a:\n    b: 1\nc:\n    -   x\n", (4, 8, 4)),
    ("a: [1]\n", (2, 4, 2)),  # nothing to go by: the defaults
])
def test_guess_indentation(text, expected):
    assert guess_indentation(text) == expected


def test_another_consistent_indentation_is_kept(tmp_path):
    body = ("document:\n    title: 表\n    year: 2021\ntasks:\n    -   id: 1\n        text: 任务\n"
            "        lead:\n            -   市财政局\n        deadline: 2021年9月底\n")
    path = tmp_path / "t.yaml"
    path.write_text(body, encoding="utf-8")
    change = preview(path, mark_done("1", None, date(2021, 9, 20)))
    assert _only_added(body.encode(), change.updated) == [
        "        done:", "            -   milestone: 1", "                date: 2021-09-20"]


COMMENTED = """document: {year: 2021}
tasks:
  # 一、第一部分
  - id: 1
    text: 任务
    lead: [市财政局]
    deadline: 2021年9月底  # 行尾注释

  # 二、第二部分
  - id: 2
    text: 任务二
    lead:
      - 市财政局
    deadline: 2022年底
    # 任务二之后
units:
  - {name: 市财政局}
# 文件末尾
"""


@pytest.mark.parametrize(("task_id", "after_line"), [("1", "    deadline: 2021年9月底  # 行尾注释"),
                                                     ("2", "    deadline: 2022年底")])
def test_new_lines_go_before_the_comments_that_follow_a_task(tmp_path, task_id, after_line):
    path = tmp_path / "t.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    lines = preview(path, mark_done(task_id, None, date(2021, 9, 20))).updated.decode().splitlines()
    position = lines.index(after_line)
    assert lines[position + 1:position + 4] == ["    done:", "      - milestone: 1", "        date: 2021-09-20"]
    assert _only_added(COMMENTED.encode(), "\n".join(lines).encode() + b"\n")


def test_records_added_to_two_lists_keep_the_next_tasks_heading_after_both(tmp_path):
    # A form's 已完成 row adds a done record (a new `done:`, now the task's last key) and a note to
    # a `progress:` that comes before it: the heading over task 2 stays over task 2.
    body = COMMENTED.replace("    deadline: 2021年9月底  # 行尾注释\n",
                             "    deadline: 2021年9月底  # 行尾注释\n    progress:\n      - note: 旧进展\n")
    path = tmp_path / "t.yaml"
    path.write_text(body, encoding="utf-8")

    def done_and_note(table):
        return [edit_module.Addition(0, "done", {"milestone": 1, "date": date(2021, 9, 20)}, "done"),
                edit_module.Addition(0, "progress", {"date": date(2021, 9, 21), "unit": "市财政局", "note": "新进展"},
                                     "note")]

    lines = preview(path, done_and_note).updated.decode().splitlines()
    heading = lines.index("  # 二、第二部分")
    assert lines[heading + 1] == "  - id: 2"
    assert lines[heading - 2:heading] == ["        date: 2021-09-20", ""]
    assert lines.index("        note: 新进展") < lines.index("    done:")
    assert _only_added(body.encode(), "\n".join(lines).encode() + b"\n")


@pytest.mark.parametrize("text", ["yes", "off", "12:30", "1.5", "null", "2021-09-20"])
def test_values_yaml_would_misread_are_quoted(copy, text):
    change_table(copy, add_note("4", "东亭镇", text, date(2021, 10, 1)))
    assert load_table(copy).task("4").progress[0].note == text


def test_a_reformatted_line_is_owned_up_to(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年12月底取得阶段成效;2022年10月底基本建成",
                                 "deadline: {milestones: [{due: 2021-09}, {due: 2021-12}]}")
    path = write_table(tmp_path, body)
    change = change_table(path, mark_done("2", None, date(2021, 9, 20)))
    assert change.summary.endswith("(the YAML writer also reformatted 1 other line(s): see --dry-run)")
    assert load_table(path).task("2").deadline.milestones[1].due == date(2021, 12, 31)


def test_the_lines_of_other_tasks_are_not_rewritten(tmp_path):
    # The YAML writer rewrites this flow mapping its own way; only the edited task goes through it.
    body = MINIMAL_TABLE.replace("deadline: 2021年12月底取得阶段成效;2022年10月底基本建成",
                                 "deadline: {milestones: [{due: 2021-09}, {due: 2021-12}]}")
    path = write_table(tmp_path, body)
    change = preview(path, mark_done("1", None, date(2021, 9, 20)))
    assert "reformatted" not in change.summary
    assert _only_added(body.encode(), change.updated) == [
        "    done:", "      - milestone: 1", "        date: 2021-09-20"]


def _whole_file_edit(path: Path, change, monkeypatch) -> Edit:
    """The edit as the round-trip writer makes it from the whole file (the slow way)."""
    with monkeypatch.context() as patch:
        patch.setattr(edit_module, "_task_region", lambda text, index: None)
        return preview(path, change)


def test_only_the_task_s_lines_go_through_the_yaml_writer(copy, monkeypatch):
    sources = []
    real = edit_module._append_in_document
    monkeypatch.setattr(edit_module, "_append_in_document",
                        lambda source, *args: sources.append(source) or real(source, *args))
    preview(copy, add_note("17", "东亭镇", "进展", date(2021, 10, 1)))
    assert len(sources) == 1 and sources[0].startswith("tasks:\n  - id: 17\n")
    assert "id: 16" not in sources[0] and "id: 18" not in sources[0]


@pytest.mark.parametrize("task_id", [str(number) for number in range(1, 19)])
def test_editing_a_task_s_lines_gives_what_editing_the_whole_file_gives(copy, monkeypatch, task_id):
    change = add_note(task_id, "东亭镇", "进展", date(2021, 10, 1))
    assert preview(copy, change) == _whole_file_edit(copy, change, monkeypatch)


@pytest.mark.parametrize(("body", "task_id"), [
    # a flow-style list: the tasks have no lines of their own
    ("document: {year: 2021}\ntasks: [{id: 1, text: a, lead: [市财政局], deadline: 2021年9月底}]\n", "1"),
    # an alias to an anchor outside the task
    ("document: {year: 2021}\ntasks:\n  - id: 1\n    text: a\n    lead: &lead [市财政局]\n"
     "    deadline: 2021年9月底\n  - id: 2\n    text: b\n    lead: *lead\n    deadline: 2021年9月底\n", "2"),
    # the anchor inside the edited task, its alias after it
    ("document: {year: 2021}\ntasks:\n  - id: 1\n    text: a\n    lead: &lead [市财政局]\n"
     "    deadline: 2021年9月底\n  - id: 2\n    text: b\n    lead: *lead\n    deadline: 2021年9月底\n", "1"),
    # the last task, no line break at the end of the file
    ("document: {year: 2021}\ntasks:\n  - id: 1\n    text: a\n    lead: [市财政局]\n    deadline: 2021年9月底", "1"),
    # list items at the margin of their key
    ("document:\n  year: 2021\ntasks:\n- id: 1\n  text: a\n  lead:\n  - 市财政局\n  deadline: 2021年9月底\n"
     "- id: 2\n  text: b\n  lead: [市财政局]\n  deadline: 2021年9月底\nunits:\n- name: 市财政局\n", "1"),
    # a directive
    ("%YAML 1.1\n---\ndocument: {year: 2021}\ntasks:\n  - id: 1\n    text: a\n    lead: [市财政局]\n"
     "    deadline: 2021年9月底\n", "1"),
])
def test_unusual_layouts_are_edited_too(tmp_path, body, task_id):
    path = write_table(tmp_path, body)
    change_table(path, mark_done(task_id, None, date(2021, 9, 20)))
    table = load_table(path)
    assert table.task(task_id).deadline.milestones[0].done == date(2021, 9, 20)
    assert len(table.tasks) == body.count("id: ")


def test_the_diff_is_the_diff_of_the_whole_file(copy):
    edit = preview(copy, mark_done("9", None, date(2021, 9, 20), "文件"))
    whole = difflib.unified_diff(BUNDLED.decode().splitlines(keepends=True),
                                 edit.updated.decode().splitlines(keepends=True), "a/tasks.yaml", "b/tasks.yaml")
    assert edit.diff() == "".join(whole)
    assert edit.diff().count("\n@@ ") == 1 and "\n@@ -80,6 +80,10 @@\n" in edit.diff()  # one hunk, far down


def test_a_table_that_is_not_a_file_is_refused(tmp_path):
    pipe = tmp_path / "tasks.yaml"
    os.mkfifo(pipe)  # reading it would wait for a writer that never comes
    for dry_run in (True, False):
        with pytest.raises(TableError, match="not a regular file"):
            change_table(pipe, mark_done("1", None, date(2021, 9, 20)), dry_run=dry_run)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tasks.yaml"]
