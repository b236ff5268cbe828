"""collect's core: dates as typed, a form read back and checked, several records in one locked
edit, a 500-row form, and two collect processes at once."""

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from dzshare_cli.collect import FormError, done_date, read_form
from dzshare_cli.edit import Addition, TableTarget, change_table, change_tables
from dzshare_cli.loader import load_table
from tests.cli.test_concurrent_edits import _run_together
from tests.collect_forms import AS_OF, fill, make_forms, rows_by_task
from tests.peak_memory import run_measured

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize(("typed", "expected"), [
    (datetime(2022, 5, 20, 14, 30), date(2022, 5, 20)),
    (date(2022, 5, 20), date(2022, 5, 20)),
    (44701, date(2022, 5, 20)),
    (44701.75, date(2022, 5, 20)),  # a serial with a time of day
    ("2022.3.5", date(2022, 3, 5)), ("2022/3/5", date(2022, 3, 5)), ("2022-3-5", date(2022, 3, 5)),
    ("2022年3月5日", date(2022, 3, 5)), ("2022年3月5号", date(2022, 3, 5)), ("3月5日", date(2021, 3, 5)),
    ("２０２２年３月５日", date(2022, 3, 5)), (" 2022 . 3 . 5 ", date(2022, 3, 5)),
    ("2022-03-05 00:00:00", date(2022, 3, 5)),
])
def test_a_done_date_as_people_type_it(typed, expected):
    assert done_date(typed, 2021) == expected


@pytest.mark.parametrize(("typed", "words"), [
    ("下周", "is not a date"), ("2022.2.30", "is not a real date"), ("20220520", "is not a date"),
    (20220520, "is not a date"), (0, "is not a date"), ("44701", "is not a date"), ("2022.5", "is not a date"),
])
def test_anything_else_is_not_a_done_date(typed, words):
    with pytest.raises(ValueError, match=words):
        done_date(typed, 2022)


def test_a_workbook_that_is_no_form_says_so():
    with pytest.raises(FormError, match="not an xlsx workbook"):
        read_form(b"PK\x03\x04 not really", "x.xlsx")
    from openpyxl import Workbook
    import io

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(FormError, match="no 'dzshare' sheet"):
        read_form(buffer.getvalue(), "x.xlsx")


TABLE = """\
document: {title: 测试表, year: 2021}
tasks:
  # a comment above the first task
  - id: 1
    text: 一。
    lead: [市财政局]
    deadline: 2021年9月底

  # a comment above the second task
  - id: 2
    text: 二。
    lead: [市财政局]
    deadline: 长期推进
"""


def test_several_records_in_one_edit_land_in_order_and_keep_every_other_line(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(TABLE, encoding="utf-8")

    day = date(2021, 9, 1)  # one object in every record: written as a date each time, never as an alias

    def change(table):
        return [Addition(1, "progress", {"date": day, "unit": "市财政局", "note": "甲"}, "a"),
                Addition(0, "done", {"milestone": 1, "date": day}, "b"),
                Addition(0, "progress", {"date": day, "unit": "市财政局", "note": "乙"}, "c")]

    edit = change_table(path, change)
    assert edit.summary == "a\nb\nc" and [addition.summary for addition in edit.additions] == ["a", "b", "c"]
    text = path.read_text(encoding="utf-8")
    assert "&" not in text and "*" not in text and text.count("date: 2021-09-01") == 3
    assert "# a comment above the first task" in text and "\n\n  # a comment above the second task\n" in text
    table = load_table(path)
    assert table.tasks[0].deadline.milestones[0].done == date(2021, 9, 1)
    assert [note.note for note in table.tasks[0].progress] == ["乙"]
    assert [note.note for note in table.tasks[1].progress] == ["甲"]


def test_a_change_that_adds_nothing_leaves_the_file_alone(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(TABLE, encoding="utf-8")
    before = path.stat().st_mtime_ns
    edit = change_table(path, lambda table: [])
    assert not edit.changed and edit.additions == () and path.stat().st_mtime_ns == before


def test_a_change_across_files_writes_none_when_one_is_refused(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (first, second):
        path.write_text(TABLE, encoding="utf-8")

    def refuse(table):
        raise FormError("b.yaml", "refused under the lock")

    note = Addition(1, "progress", {"date": date(2021, 9, 1), "unit": "市财政局", "note": "甲"}, "a")
    with pytest.raises(FormError):
        change_tables([TableTarget(first, lambda table: [note]), TableTarget(second, refuse)])
    assert first.read_text(encoding="utf-8") == TABLE  # decided before anything was written


def _big_table(tasks: int, units: tuple[str, ...] = ("市财政局",)) -> str:
    lines = ["document: {title: 大表, year: 2022}", "tasks:"]
    for number in range(1, tasks + 1):
        lines += [f"  - id: {number}", f"    text: 第{number}项工作。", f"    lead: [{', '.join(units)}]",
                  "    deadline: 2022年12月底"]
    lines += ["units:", *(f"  - {{name: {unit}, kind: department}}" for unit in units)]
    return "\n".join(lines) + "\n"


def test_a_500_row_form_is_collected_whole_in_bounded_memory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(_big_table(500), encoding="utf-8")
    form = make_forms("tasks.yaml", Path("forms")) / "市财政局.xlsx"
    rows = rows_by_task(form)
    assert len(rows) == 500
    fill(form, {row: {"进展情况": f"第{task}项进展", **({"是否完成": "已完成", "完成日期": "2022.5.20"}
                                                     if int(task) % 2 else {})}
                for task, row in rows.items()})
    environment = {**os.environ, "PYTHONPATH": SRC}
    code, stderr, peak = run_measured(["collect", str(form), "--on", AS_OF, "-f", "tasks.yaml"], env=environment)
    assert code == 0, stderr
    assert stderr == f"{form}: 市财政局 · 500 progress notes, 250 done records → tasks.yaml\n"
    table = load_table("tasks.yaml")
    assert [task.progress[0].note for task in table.tasks] == [f"第{number}项进展" for number in range(1, 501)]
    assert sum(task.deadline.milestones[0].done is not None for task in table.tasks) == 250
    assert peak < 250 * 1024 * 1024, peak


def test_two_collect_processes_at_once_both_land(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(_big_table(20, ("市财政局", "市教育局")), encoding="utf-8")
    forms = make_forms("tasks.yaml", Path("forms"))
    commands = []
    for unit in ("市财政局", "市教育局"):
        form = forms / f"{unit}.xlsx"
        fill(form, {row: {"进展情况": f"{unit}{task}"} for task, row in rows_by_task(form).items()})
        commands.append(["collect", str(form), "--on", AS_OF, "--lock-timeout", "120", "-f",
                         str(tmp_path / "tasks.yaml")])
    codes, messages = _run_together(commands, tmp_path / "stderr")
    assert codes == [0, 0], messages
    table = load_table("tasks.yaml")
    for task in table.tasks:
        assert sorted(note.note for note in task.progress) == [f"市教育局{task.id}", f"市财政局{task.id}"]
