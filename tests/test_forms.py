"""Reporting forms read back with openpyxl: rows, locked and fillable cells, validations, the check sheet."""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dzshare_cli.errors import UsageError
from dzshare_cli.forms import (CHECK_SHEET, COLUMNS, COMPLETION_CHOICES, FIRST_ROW, FIXED_COLUMNS, FORM_FORMAT,
                               FORM_SHEET, HEADER_ROW, LINE_HEIGHT, MIN_LINES, row_height, PHONE_CELL, SIGNER_CELL, cells_hash, plan_forms,
                               read_check, report_by, table_version, task_fixed_hash)
from dzshare_cli.loader import bundled_table_path, load_table
from dzshare_cli.models import ProgressNote
from dzshare_cli.units import UnitRegistry

AS_OF = date(2022, 6, 1)


@pytest.fixture(scope="module")
def bundled():
    table = load_table(bundled_table_path())
    return table, UnitRegistry.from_table(table)


@pytest.fixture(scope="module")
def finance_book(bundled):
    table, registry = bundled
    plan = plan_forms(table, registry, Path("forms"), AS_OF, "2022-06", "tasks.yaml", registry.resolve("财政局"))
    assert [planned.path.name for planned in plan] == ["市财政局.xlsx"]
    return load_workbook(io.BytesIO(plan[0].data))


def _rows(sheet):
    return [row for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True) if any(row)]


def test_the_form_lists_the_units_open_milestones_and_ongoing_tasks(finance_book, bundled):
    table, _ = bundled
    sheet = finance_book[FORM_SHEET]
    assert [cell.value for cell in sheet[HEADER_ROW]] == list(COLUMNS)
    rows = _rows(sheet)
    by_id = {}
    for row in rows:
        by_id.setdefault(row[1], []).append(row)
    # 16 is the task 市财政局 itself leads; 9 is due 2022-06-30 (open), reached through 市直相关部门.
    assert by_id["16"][0][3] == "牵头" and by_id["16"][0][5] == "长期推进"
    assert by_id["9"][0][3] == "牵头(经市直相关部门)" and "2022年6月30日" in by_id["9"][0][4]
    assert len(by_id["5"]) == 2  # two open milestones, one row each, each saying what is due then
    assert [row[4] for row in by_id["5"]] == ["2021年12月31日\n取得阶段成效", "2022年10月31日\n基本建成"]
    assert all(row[0] == "附件2" for row in rows)
    done_tasks = {str(task.id) for task in table.tasks
                  if task.deadline.milestones and all(m.done and m.done <= AS_OF for m in task.deadline.milestones)
                  and not task.deadline.ongoing}
    assert not done_tasks & set(by_id)


def test_fixed_columns_are_locked_and_fillable_ones_open(finance_book):
    sheet = finance_book[FORM_SHEET]
    assert sheet.protection.sheet is True and not sheet.protection.password
    row = FIRST_ROW
    for column, name in enumerate(COLUMNS, start=1):
        locked = sheet.cell(row, column).protection.locked
        assert locked is (name in FIXED_COLUMNS), name
    assert sheet[SIGNER_CELL].protection.locked is False
    assert sheet[PHONE_CELL].protection.locked is False
    assert sheet["C2"].value == "填报人" and sheet["G2"].value == "联系电话"
    assert "A2:B2" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "填报单位：市财政局"
    assert sheet.cell(row, COLUMNS.index("工作任务") + 1).alignment.wrap_text
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["B"].width


def test_rows_are_tall_enough_to_show_their_text(finance_book):
    # LibreOffice and WPS do not fit a row to wrapped text on opening: the form sets each height.
    sheet = finance_book[FORM_SHEET]
    heights = {}
    for number in range(FIRST_ROW, sheet.max_row + 1):
        text = sheet.cell(number, COLUMNS.index("工作任务") + 1).value
        height = sheet.row_dimensions[number].height
        assert height >= MIN_LINES * LINE_HEIGHT
        heights[len(text)] = height
    shortest, longest = min(heights), max(heights)
    assert heights[longest] > heights[shortest]
    # A cell's own line breaks count: three short lines are three lines, not one wrapped line.
    assert row_height(("", "", "短", "", "6月底\n9月底\n12月底", "")) >= 3 * LINE_HEIGHT
    # 工作任务 is 44 wide: about 21 Chinese characters a line.
    assert heights[longest] >= -(-longest // 21) * LINE_HEIGHT


def test_completion_is_a_list_and_the_date_a_date(finance_book):
    sheet = finance_book[FORM_SHEET]
    last = FIRST_ROW + len(_rows(sheet)) - 1
    kinds = {validation.type: validation for validation in sheet.data_validations.dataValidation}
    assert kinds["list"].formula1 == '"' + ",".join(COMPLETION_CHOICES) + '"'
    assert str(kinds["list"].sqref) == f"H{FIRST_ROW}:H{last}"
    assert str(kinds["date"].sqref) == f"I{FIRST_ROW}:I{last}"


def test_title_names_unit_period_and_reporting_day_and_prints_a4_landscape(finance_book):
    sheet = finance_book[FORM_SHEET]
    title = sheet["A1"].value
    assert "市财政局" in title and "2022年6月" in title and "2022年6月25日前" in title
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # 9: A4
    assert finance_book.security.lockStructure


def test_the_hidden_sheet_says_what_the_form_was_made_from(finance_book, bundled):
    table, _ = bundled
    check = finance_book[CHECK_SHEET]
    assert check.sheet_state == "hidden"
    header, rows = read_check(check)
    assert header["format"] == FORM_FORMAT and header["source"] == "table"
    assert header["unit"] == "市财政局" and header["period"] == "2022-06"
    assert header["version"] == table_version(table)
    assert header["report_by"] == "2022-06-25" and header["rows"] == str(len(rows))
    sheet = finance_book[FORM_SHEET]
    tasks = {str(task.id): task for task in table.tasks}
    for row in rows:
        cells = tuple(cell.value or "" for cell in sheet[int(row["row"])][:len(FIXED_COLUMNS)])
        assert row["cells_hash"] == cells_hash(cells)
        assert row["task_hash"] == task_fixed_hash(tasks[row["id"]])
    assert [row["milestone"] for row in rows if row["id"] == "5"] == ["1", "2"]


def test_a_changed_task_changes_its_hash_and_the_version_but_a_progress_note_does_not(bundled):
    table, _ = bundled
    changed = table.model_copy(deep=True)
    task = changed.tasks[0]
    before, version = task_fixed_hash(task), table_version(changed)
    task.progress = [*task.progress, ProgressNote(note="已推进")]
    assert task_fixed_hash(task) == before and table_version(changed) == version
    # A done record (collected from a form, or recorded with done) lands on its milestone.
    task.deadline.milestones[0].done, task.deadline.milestones[0].evidence = date(2021, 9, 20), "文件"
    assert task_fixed_hash(task) == before and table_version(changed) == version
    task.text = task.text + "。"
    assert task_fixed_hash(task) != before and table_version(changed) != version


def test_every_unit_with_open_work_gets_a_form_groups_none(bundled):
    table, registry = bundled
    plan = plan_forms(table, registry, Path("forms"), AS_OF, "2022-06", "tasks.yaml")
    names = [planned.unit for planned in plan]
    assert "市财政局" in names and "市直相关部门" not in names
    assert all(planned.rows > 0 for planned in plan)
    assert len({planned.path.name for planned in plan}) == len(plan)


def test_a_group_or_a_bad_period_is_refused(bundled):
    table, registry = bundled
    with pytest.raises(UsageError, match="group"):
        plan_forms(table, registry, Path("f"), AS_OF, "2022-06", "t", registry.resolve("市直相关部门"))
    with pytest.raises(UsageError, match="YYYY-MM"):
        plan_forms(table, registry, Path("f"), AS_OF, "2022-13", "t")
    assert report_by("2022-6") == date(2022, 6, 25)


def test_the_same_form_gives_the_same_bytes_whatever_the_clock_says(bundled, monkeypatch):
    # openpyxl dates a workbook by the clock when it saves; a form is dated its as-of day instead.
    import datetime as real_datetime

    import openpyxl.workbook.workbook as workbook_module

    table, registry = bundled
    finance = registry.resolve("财政局")
    first = plan_forms(table, registry, Path("forms"), AS_OF, "2022-06", "tasks.yaml", finance)[0].data

    class LaterClock(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime(2031, 1, 1, 12, 0, 0)

        @classmethod
        def utcnow(cls):
            return real_datetime.datetime(2031, 1, 1, 12, 0, 0)

    monkeypatch.setattr(workbook_module, "datetime", LaterClock, raising=False)
    monkeypatch.setattr(real_datetime, "datetime", LaterClock)
    again = plan_forms(table, registry, Path("forms"), AS_OF, "2022-06", "tasks.yaml", finance)[0].data
    assert again == first
    created = load_workbook(io.BytesIO(again)).properties.created
    assert created.date() == AS_OF
