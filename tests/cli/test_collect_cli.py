"""dzshare collect end to end: forms made with dzshare forms, filled in as units fill them, collected back."""

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dzshare_cli.forms import CHECK_SHEET, FORM_SHEET
from dzshare_cli.loader import load_table
from tests.cli.helpers import progress_json, run
from tests.collect_forms import (AS_OF, EDUCATION, FINANCE, TABLE, as_another_suite_saves, fill, make_forms,
                                 rows_by_task, set_check, write_table)

LEDGER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"
FINANCE_FORM = "forms/市财政局.xlsx"
EDUCATION_FORM = "forms/市教育局.xlsx"


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A folder with the table and every unit's form, as the office sends them out."""
    monkeypatch.chdir(tmp_path)
    table = write_table(tmp_path)
    make_forms("tasks.yaml", Path("forms"))
    return table


def collect(*args: str):
    return run("collect", *args, "--on", AS_OF, "-f", "tasks.yaml")


def _fill_the_issue_s_example(form: str = FINANCE_FORM, **changes) -> Path:
    rows = rows_by_task(Path(form))
    cells = {rows["1"]: {"进展情况": "已完成评价", "是否完成": "已完成", "完成日期": "2022.5.20", "佐证材料": "定财字〔2022〕5号"},
             rows["2"]: {"进展情况": "持续推进"}}
    for row, values in changes.items():
        cells.setdefault(rows[row], {}).update(values)
    return fill(Path(form), cells)


def _task(table: Path, task_id: str):
    return load_table(table).task(task_id)


def test_the_issue_s_round_trip(office):
    _fill_the_issue_s_example()
    result = collect(FINANCE_FORM)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{FINANCE_FORM}: 市财政局 · 2 progress notes, 1 done record → tasks.yaml\n"
    first, ongoing = _task(office, "1"), _task(office, "2")
    assert first.deadline.milestones[0].done == date(2022, 5, 20)
    assert first.deadline.milestones[0].evidence == "定财字〔2022〕5号"
    assert [note.model_dump(mode="json") for note in first.progress] == [progress_json(
        AS_OF, FINANCE, "已完成评价", milestone=1, status="done", done_on="2022-05-20",
        evidence="定财字〔2022〕5号", reporter="张三")]
    assert [note.model_dump(mode="json") for note in ongoing.progress] == [
        progress_json(AS_OF, FINANCE, "持续推进", reporter="张三")]
    assert "# the finance bureau's own work" in office.read_text(encoding="utf-8")  # comments kept
    report = json.loads(run("report", "--as-of", AS_OF, "--format", "json", "-f", "tasks.yaml").stdout)
    assert report["totals"]["done_on_time"] == 1
    collected = office.read_bytes()
    again = run("collect", FINANCE_FORM, "--on", "2022-06-08", "-f", "tasks.yaml")  # a week later
    assert again.exit_code == 0, again.output
    assert "nothing new" in again.stderr
    assert office.read_bytes() == collected


def test_an_edited_locked_cell_or_a_future_date_is_refused_and_the_table_is_unchanged(office):
    rows = rows_by_task(Path(FINANCE_FORM))
    _fill_the_issue_s_example(**{"1": {"工作任务": "完成预算绩效评价（已改）"}})
    result = collect(FINANCE_FORM)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{FINANCE_FORM}!C{rows['1']}: the locked cell 工作任务 was changed "
                                    "(it said '完成预算绩效评价。'); ")
    assert office.read_text(encoding="utf-8") == TABLE
    make_forms("tasks.yaml", Path("forms"), AS_OF, "--force")
    _fill_the_issue_s_example(**{"1": {"完成日期": "2022.7.1"}})
    result = collect(FINANCE_FORM)
    assert result.exit_code == 1
    assert result.stderr == (f"{FINANCE_FORM}!I{rows['1']}: 完成日期 2022-07-01 is after the collection date "
                             f"2022-06-01; correct the date, or collect on a later day with --on\n")
    assert office.read_text(encoding="utf-8") == TABLE


def _table_edit(old: str, new: str):
    def edit(table: Path) -> None:
        text = table.read_text(encoding="utf-8")
        assert old in text
        table.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _hidden(**values: str):
    return lambda form: set_check(form, **values)


def _no_hidden_sheet(form: Path) -> None:
    book = load_workbook(form)
    del book[CHECK_SHEET]
    book.save(form)


# (what is done to the finance form's filled rows, to the form, to the table; the cell named; the words)
REFUSALS = {
    "edited locked cell": ({"1": {"序号": "9"}}, None, None, "B{1}", "the locked cell 序号 was changed (it said '1')"),
    "future date": ({"1": {"完成日期": "2022年6月2日"}}, None, None, "I{1}",
                    "完成日期 2022-06-02 is after the collection date 2022-06-01"),
    "before the document": ({"1": {"完成日期": "2022.2.28"}}, None, None, "I{1}",
                            "完成日期 2022-02-28 is before the document's date 2022-03-01"),
    "before the year of a document without a date": (
        {"1": {"完成日期": "2021.12.31"}}, None, _table_edit("  date: 2022-03-01\n", ""), "I{1}",
        "完成日期 2021-12-31 is before 2022-01-01, the first day of the document's year 2022 (it has no date)"),
    "done without a date": ({"1": {"完成日期": None}}, None, None, "I{1}", "已完成 without 完成日期"),
    "a date without done": ({"2": {"完成日期": "2022.5.1"}}, None, None, "I{2}",
                            "完成日期 is filled in but 是否完成 (H{2}) is not 已完成"),
    "only evidence": ({"2": {"进展情况": None, "佐证材料": "照片"}}, None, None, "G{2}",
                      "进展情况 and 是否完成 are empty, and the row has other cells filled in; fill in 进展情况 or 是否完成"),
    "unknown answer": ({"1": {"是否完成": "完成了"}}, None, None, "H{1}",
                       "是否完成 '完成了' is not one of 已完成、推进中、未启动、无法按期完成"),
    "unreadable date": ({"1": {"完成日期": "上周五"}}, None, None, "I{1}", "完成日期 '上周五' is not a date"),
    "impossible date": ({"1": {"完成日期": "2022.2.30"}}, None, None, "I{1}", "完成日期 '2022.2.30' is not a real date"),
    "formula": ({"2": {"进展情况": "=1+1"}}, None, None, "G{2}", "a formula ('=1+1')"),
    "unknown unit": ({}, _hidden(unit="市财正局"), None, "dzshare!B5",
                     "the form's unit '市财正局' is not a known unit; did you mean '市财政局'?"),
    "another table": ({}, _hidden(name="other.yaml", version="0" * 64), None, "dzshare!B3",
                      "the form was made from 'other.yaml', not from 'tasks.yaml'"),
    "a ledger's form": ({}, _hidden(source="ledger"), None, "dzshare!B2", "the form was made from a ledger"),
    "task removed": ({}, None, _table_edit("  - id: 2\n    text: 长期推进财政改革。\n    lead: [财政局]\n"
                                           "    deadline: 长期推进\n", ""), "C{2}", "task 2 is no longer in the table"),
    "task changed": ({}, None, _table_edit("deadline: 2022年6月底\n  - id: 2", "deadline: 2022年7月底\n  - id: 2"),
                     "C{1}", "task 1 has changed since the form was made (its text, units or deadline)"),
    "done on another day": ({}, None, _table_edit("    deadline: 2022年6月底\n  - id: 2",
                                                  "    deadline: 2022年6月底\n    done: [{milestone: 1, date: 2022-05-18}]\n  - id: 2"),
                            "I{1}", "milestone 1 of task 1 is already recorded done on 2022-05-18, and the form says 2022-05-20"),
    "no hidden sheet": ({}, _no_hidden_sheet, None, None, "not a dzshare reporting form (it has no 'dzshare' sheet)"),
    "garbled hidden sheet": ({}, _hidden(format="something-else/2"), None, None,
                             "not a dzshare reporting form (its 'dzshare' sheet says format 'something-else/2'"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_refusal_names_its_cell_writes_nothing_of_the_form_and_others_still_go_through(office, case):
    changes, to_form, to_table, cell, words = REFUSALS[case]
    rows = rows_by_task(Path(FINANCE_FORM))
    _fill_the_issue_s_example(**changes)
    if to_form is not None:
        to_form(Path(FINANCE_FORM))
    if to_table is not None:
        to_table(office)
    before = office.read_text(encoding="utf-8")
    education_rows = rows_by_task(Path(EDUCATION_FORM))
    fill(Path(EDUCATION_FORM), {education_rows["4"]: {"进展情况": "已开工"}})
    result = collect(FINANCE_FORM, EDUCATION_FORM)
    assert result.exit_code == 1, result.output
    where = FINANCE_FORM if cell is None else (
        f"{FINANCE_FORM}!" + cell.replace("{1}", str(rows["1"])).replace("{2}", str(rows["2"])))
    lines = result.stderr.splitlines()
    words = words.replace("{2}", str(rows["2"]))
    assert any(line.startswith(f"{where}: {words}") for line in lines), result.stderr
    assert "Traceback" not in result.output
    assert f"{EDUCATION_FORM}: 市教育局 · 1 progress note, 0 done records → tasks.yaml" in lines
    table = load_table(office)
    assert all(note.unit != FINANCE for task in table.tasks for note in task.progress)
    # Only the education bureau's note was added: the rest of the file is as it was.
    after = office.read_text(encoding="utf-8")
    assert after.replace("    progress:\n      - date: 2022-06-01\n        unit: 市教育局\n        note: 已开工\n"
                         "        milestone: 1\n        reporter: 张三\n", "") == before


def test_a_refused_form_alone_leaves_the_table_byte_for_byte(office):
    _fill_the_issue_s_example(**{"1": {"完成日期": "下周"}})
    before = office.read_bytes()
    result = collect(FINANCE_FORM, "--format", "json")
    assert result.exit_code == 1
    assert office.read_bytes() == before
    row = rows_by_task(Path(FINANCE_FORM))["1"]
    assert json.loads(result.stdout) == {"dry_run": False, "forms": [{
        "file": FINANCE_FORM, "unit": FINANCE, "status": "refused", "notes": 0, "done": 0,
        "problems": [{"cell": f"I{row}", "message": "完成日期 '下周' is not a date",
                      "hint": "write it as 2022-05-20, 2022.5.20 or 2022年5月20日"}],
        "tables": []}]}


def test_json_summary_per_form(office):
    _fill_the_issue_s_example()
    result = collect(FINANCE_FORM, EDUCATION_FORM, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == {"dry_run": False, "forms": [
        {"file": FINANCE_FORM, "unit": FINANCE, "status": "collected", "notes": 2, "done": 1, "problems": [],
         "tables": ["tasks.yaml"]},
        {"file": EDUCATION_FORM, "unit": EDUCATION, "status": "empty", "notes": 0, "done": 0, "problems": [],
         "tables": []}]}


def test_a_form_sent_back_blank_is_told_from_one_already_collected(office):
    _fill_the_issue_s_example()
    assert collect(FINANCE_FORM).exit_code == 0
    result = collect(FINANCE_FORM, EDUCATION_FORM)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{FINANCE_FORM}: 市财政局 · nothing new (every filled row is already in the table)",
        f"{EDUCATION_FORM}: 市教育局 · nothing filled in",
        "2 forms: 0 collected, 1 unchanged, 1 empty, 0 refused"]
    result = collect(FINANCE_FORM, EDUCATION_FORM, "--format", "json")
    assert [form["status"] for form in json.loads(result.stdout)["forms"]] == ["unchanged", "empty"]


def test_two_forms_contradicting_each_other_are_both_refused(office):
    finance_row = rows_by_task(Path(FINANCE_FORM))["5"]
    education_row = rows_by_task(Path(EDUCATION_FORM))["5"]
    fill(Path(FINANCE_FORM), {finance_row: {"是否完成": "已完成", "完成日期": "2022-05-20"}})
    fill(Path(EDUCATION_FORM), {education_row: {"是否完成": "已完成", "完成日期": "2022-05-21"}})
    result = collect(FINANCE_FORM, EDUCATION_FORM)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{FINANCE_FORM}!I{finance_row}: {EDUCATION_FORM}!I{education_row} says task 5 was done on 2022-05-21, "
        "this form on 2022-05-20; agree on the date with the other unit; neither form was collected",
        f"{EDUCATION_FORM}!I{education_row}: {FINANCE_FORM}!I{finance_row} says task 5 was done on 2022-05-20, "
        "this form on 2022-05-21; agree on the date with the other unit; neither form was collected"]
    assert office.read_text(encoding="utf-8") == TABLE


def test_two_forms_agreeing_record_the_milestone_once(office):
    for form in (FINANCE_FORM, EDUCATION_FORM):
        fill(Path(form), {rows_by_task(Path(form))["5"]: {"是否完成": "已完成", "完成日期": "2022-05-20"}})
    result = collect(FINANCE_FORM, EDUCATION_FORM)
    assert result.exit_code == 0, result.output
    task = _task(office, "5")
    assert len(task.done) == 1 and task.deadline.milestones[0].done == date(2022, 5, 20)
    assert [note.unit for note in task.progress] == [FINANCE, EDUCATION]


def test_a_group_member_s_done_is_its_note_not_the_milestone_s_record(office):
    row = rows_by_task(Path(FINANCE_FORM))["3"]
    fill(Path(FINANCE_FORM), {row: {"是否完成": "已完成", "完成日期": "2022年5月20日"}})
    result = collect(FINANCE_FORM)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{FINANCE_FORM}: 市财政局 · 1 progress note, 0 done records → tasks.yaml\n"
    task = _task(office, "3")
    assert task.done == [] and task.deadline.milestones[0].done is None
    assert [note.model_dump(mode="json") for note in task.progress] == [progress_json(
        AS_OF, FINANCE, "已完成", milestone=1, status="done", done_on="2022-05-20", reporter="张三")]


@pytest.mark.parametrize(("typed", "number_format"), [
    (datetime(2022, 5, 20), "yyyy-mm-dd"),
    (44701, "General"),  # an Excel serial number
    (44701.0, "General"),
    ("2022.5.20", None), ("2022/5/20", None), ("2022-5-20", None), ("2022年5月20日", None), ("5月20日", None),
    ("２０２２．５．２０", None),  # full-width digits and point
    (" 2022 年 5 月 20 日 ", None),
    ("2022-05-20 00:00:00", None),
])
def test_every_way_of_typing_the_done_date(office, typed, number_format):
    row = rows_by_task(Path(FINANCE_FORM))["1"]
    fill(Path(FINANCE_FORM), {row: {"是否完成": " 已完成 ", "完成日期": typed}},
         formats={"完成日期": number_format} if number_format else None)
    result = collect(FINANCE_FORM)
    assert result.exit_code == 0, result.output
    assert _task(office, "1").deadline.milestones[0].done == date(2022, 5, 20)


def test_a_form_resaved_and_one_written_by_another_office_suite_still_collect(office, tmp_path):
    _fill_the_issue_s_example()
    book = load_workbook(FINANCE_FORM)
    book[FORM_SHEET]["B4"].value = 1.0  # the 序号 re-typed as a number by a spreadsheet
    book.save(FINANCE_FORM)
    load_workbook(FINANCE_FORM).save(FINANCE_FORM)  # a plain resave
    other = as_another_suite_saves(Path(FINANCE_FORM), Path("forms/wps.xlsx"))
    with zipfile.ZipFile(FINANCE_FORM) as archive:
        assert b"inlineStr" in archive.read("xl/worksheets/sheet1.xml")  # as openpyxl writes it
    with zipfile.ZipFile(other) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b"inlineStr" not in sheet and b't="s"' in sheet and b"<si>" in archive.read("xl/sharedStrings.xml")
    renamed = load_workbook(other)
    assert FORM_SHEET not in renamed.sheetnames and renamed[CHECK_SHEET].sheet_state == "visible"
    result = collect(str(other))
    assert result.exit_code == 0, result.output
    assert result.stderr == "forms/wps.xlsx: 市财政局 · 2 progress notes, 1 done record → tasks.yaml\n"


def test_blank_rows_among_and_after_the_rows_are_passed_over(office):
    _fill_the_issue_s_example()
    book = load_workbook(FINANCE_FORM)
    sheet = book[FORM_SHEET]
    sheet.insert_rows(5, 2)  # two blank rows between the first and second task rows
    sheet.cell(40, 1).value = None
    sheet.cell(40, 11).value = "  "  # a blank-looking cell far below
    book.save(FINANCE_FORM)
    result = collect(FINANCE_FORM)
    assert result.exit_code == 0, result.output
    assert [note.note for note in _task(office, "2").progress] == ["持续推进"]


def test_a_text_below_the_rows_is_refused_at_its_cell(office):
    _fill_the_issue_s_example()
    fill(Path(FINANCE_FORM), {30: {"进展情况": "以上情况属实"}})
    result = collect(FINANCE_FORM)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{FINANCE_FORM}!G30: this row is not one of the form's task rows")


def test_a_form_of_a_renamed_copy_of_the_table_collects(office):
    _fill_the_issue_s_example()
    shutil.copy(office, "copy.yaml")
    result = run("collect", FINANCE_FORM, "--on", AS_OF, "-f", "copy.yaml")
    assert result.exit_code == 0, result.output


def test_dry_run_prints_the_diff_and_writes_nothing(office):
    _fill_the_issue_s_example()
    result = collect(FINANCE_FORM, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+    done:\n+      - milestone: 1\n+        date: 2022-05-20\n" in result.stdout
    assert "+        note: 持续推进\n" in result.stdout and result.stdout.startswith("--- a/tasks.yaml\n")
    assert result.stderr.endswith("→ tasks.yaml (dry run: nothing written)\n")
    assert office.read_text(encoding="utf-8") == TABLE


@pytest.mark.parametrize(("make", "words"), [
    (lambda path: None, "no such file; name a returned form (.xlsx)"),
    (lambda path: path.write_text("进展情况\n", encoding="utf-8"), "not an xlsx workbook"),
    (lambda path: _zip_with_a_huge_part(path), "the unpacked size of xl/worksheets/sheet1.xml exceeds the limit "
                                               "of 16 MB (max-part-bytes)"),
    (lambda path: _zip_without_a_workbook(path), "cannot be read as an xlsx workbook"),
])
def test_bad_form_files_are_one_line_each(office, make, words):
    path = Path("forms/bad.xlsx")
    make(path)
    result = collect(str(path), EDUCATION_FORM)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{path}: {words}"), result.stderr
    assert "Traceback" not in result.output


def _zip_with_a_huge_part(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a/>" + b" " * (17 * 1024 * 1024))


def _zip_without_a_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")


def test_usage_errors_and_a_broken_table(office):
    assert run("collect", "-f", "tasks.yaml").exit_code == 2  # no files
    result = run("collect", FINANCE_FORM, "--on", "2022-13-01", "-f", "tasks.yaml")
    assert result.exit_code == 2 and "not a real date" in result.stderr
    result = run("collect", FINANCE_FORM, "--on", "2999-01-01", "-f", "tasks.yaml")
    assert result.exit_code == 2 and "--on 2999-01-01 is after today" in result.stderr
    Path("tasks.yaml").write_text("document: {}\ntasks: [\n", encoding="utf-8")
    result = collect(FINANCE_FORM)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("tasks.yaml:") and "Traceback" not in result.output


def test_a_ledger_form_whose_rows_fall_in_two_documents(tmp_path, monkeypatch):
    ledger = tmp_path / "ledger"
    shutil.copytree(LEDGER, ledger)
    monkeypatch.chdir(tmp_path)
    make_forms("ledger", Path("forms"), "2024-03-20", "--unit", "财政局")
    form = Path(FINANCE_FORM)
    rows = rows_by_task(form)
    assert {"gzbg2024:2", "hy2024-03:1"} <= set(rows)
    fill(form, {rows["gzbg2024:2"]: {"进展情况": "评价已启动", "是否完成": "推进中"},
                rows["hy2024-03:1"]: {"进展情况": "方案已报审", "是否完成": "已完成", "完成日期": "3月18日"}})
    before = {path: path.read_bytes() for path in (ledger / "tables" / "dz2021.yaml",)}
    result = run("collect", str(form), "--on", "2024-03-20", "-f", "ledger", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["forms"][0]
    # 市财政局 is responsible for hy2024-03:1 under its alias 市财政: it holds it itself.
    assert summary["notes"] == 2 and summary["done"] == 1
    assert sorted(summary["tables"]) == ["ledger/meetings/hy2024-03.yaml", "ledger/tables/gzbg2024.yaml"]
    table = run("show", "hy2024-03:1", "--format", "json", "-f", "ledger")
    shown = json.loads(table.stdout)
    notes = shown["progress"] if "progress" in shown else shown["tasks"][0]["progress"]
    assert notes[0]["note"] == "方案已报审" and notes[0]["done_on"] == "2024-03-18"
    assert all(path.read_bytes() == data for path, data in before.items())
    again = run("collect", str(form), "--on", "2024-03-27", "-f", "ledger")
    assert again.exit_code == 0 and "nothing new" in again.stderr


def test_an_edited_cell_is_named_even_after_its_milestone_was_recorded_done(office):
    _fill_the_issue_s_example()
    assert collect(FINANCE_FORM).exit_code == 0
    collected = office.read_bytes()
    row = rows_by_task(Path(FINANCE_FORM))["1"]
    fill(Path(FINANCE_FORM), {row: {"工作任务": "改过的任务"}})
    result = collect(FINANCE_FORM)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{FINANCE_FORM}!C{row}: the locked cell 工作任务 was changed")
    assert office.read_bytes() == collected


def test_a_ledger_dry_run_names_each_file_by_its_path_in_the_ledger(tmp_path, monkeypatch):
    ledger = tmp_path / "ledger"
    shutil.copytree(LEDGER, ledger)
    monkeypatch.chdir(tmp_path)
    make_forms("ledger", Path("forms"), "2024-03-20", "--unit", "财政局")
    form = Path(FINANCE_FORM)
    rows = rows_by_task(form)
    fill(form, {rows["gzbg2024:2"]: {"进展情况": "评价已启动"}, rows["hy2024-03:1"]: {"进展情况": "方案已报审"}})
    before = {path: path.read_bytes() for path in ledger.rglob("*.yaml")}
    headers = ["--- a/meetings/hy2024-03.yaml", "+++ b/meetings/hy2024-03.yaml",
               "--- a/tables/gzbg2024.yaml", "+++ b/tables/gzbg2024.yaml"]
    result = run("collect", str(form), "--on", "2024-03-20", "--dry-run", "-f", "ledger")
    assert result.exit_code == 0, result.output
    assert sorted(line for line in result.stdout.splitlines() if line.startswith(("---", "+++"))) == sorted(headers)
    monkeypatch.chdir(ledger / "meetings")  # the ledger found above the working folder: the same names
    result = run("collect", str(tmp_path / form), "--on", "2024-03-20", "--dry-run")
    assert result.exit_code == 0, result.output
    assert sorted(line for line in result.stdout.splitlines() if line.startswith(("---", "+++"))) == sorted(headers)
    assert {path: path.read_bytes() for path in ledger.rglob("*.yaml")} == before
