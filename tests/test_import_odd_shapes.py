"""Odd but real layouts of published tables, through `dzshare import` and `dzshare list`: a Word
layout table before the task table, a header with a blank column, an Excel table on its second
sheet below a title, a trailing 备注 column, a 序号 with 一、 for categories and 1、 for tasks, and
the deadline forms of 完成时限 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

DEADLINES = ["2022年6月底前", "2022.6", "2022年6-9月", "6月30日前", "长期坚持", "按时间节点推进"]
TEXTS = [f"任务{number}：建设第{number}个平台。" for number in range(1, len(DEADLINES) + 1)]
UNITS = ["市财政局", "市司法局", "市教育局", "市商务局", "市民政局", "市审计局"]


def _listed(source: Path, tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "tasks.yaml"
    imported = run("import", str(source), "-o", str(out), *args)
    assert imported.exit_code == 0, imported.output
    listed = run("list", "--format", "json", "-f", str(out), "--as-of", "2022-07-01")
    assert listed.exit_code == 0, listed.output
    for command in (["due", "--as-of", "2022-07-01"], ["report", "--as-of", "2022-07-01"]):
        assert run(*command, "-f", str(out)).exit_code == 0
    return json.loads(listed.stdout)


def _assert_kept(tasks: list[dict]) -> None:
    assert [task["text"] for task in tasks] == TEXTS
    assert [task["lead"] + task["responsible"] for task in tasks] == [[unit] for unit in UNITS]
    assert [task["deadline"] for task in tasks] == DEADLINES


def test_word_layout_table_before_the_task_table(tmp_path):
    import docx

    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)  # the letterhead, laid out as a table
    layout.cell(0, 0).text, layout.cell(0, 1).text = "XX市人民政府办公室", "2022年3月1日"
    table = document.add_table(rows=1 + len(TEXTS), cols=4)
    for cell, name in zip(table.rows[0].cells, ("序号", "重点任务", "责任单位", "完成时限")):
        cell.text = name
    for number, row in enumerate(table.rows[1:]):
        for cell, value in zip(row.cells, (str(number + 1), TEXTS[number], UNITS[number], DEADLINES[number])):
            cell.text = value
    document.save(str(tmp_path / "a.docx"))
    _assert_kept(_listed(tmp_path / "a.docx", tmp_path, "--year", "2022"))


def test_a_header_with_a_blank_column(tmp_path):
    rows = [f"{n + 1},{TEXTS[n]},{'说明' if n == 1 else ''},{UNITS[n]},{DEADLINES[n]}" for n in range(len(TEXTS))]
    (tmp_path / "a.csv").write_text("序号,工作任务,,责任单位,完成时限\n" + "\n".join(rows) + "\n", "utf-8")
    _assert_kept(_listed(tmp_path / "a.csv", tmp_path, "--year", "2022"))


def test_excel_table_on_the_second_sheet_below_its_title(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["请各单位于每月25日前报送进展情况。"])
    sheet = book.create_sheet("任务清单")
    sheet.append(["2022年重点任务清单"])
    sheet.append(["序号", "重点任务", "牵头单位", "完成时限"])
    for number, (text, unit, deadline) in enumerate(zip(TEXTS, UNITS, DEADLINES), start=1):
        sheet.append([number, text, unit, deadline])
    book.save(tmp_path / "a.xlsx")
    tasks = _listed(tmp_path / "a.xlsx", tmp_path)
    _assert_kept(tasks)
    assert [task["lead"] for task in tasks] == [[unit] for unit in UNITS]


def test_a_trailing_remark_column_is_neither_unit_nor_text(tmp_path):
    # 省定任务 in the remark, right below the header, reads like a task column's name: no header for all that
    rows = [f"{n + 1},{TEXTS[n]},{UNITS[n]},{DEADLINES[n]},{'省定任务' if n % 2 == 0 else ''}" for n in range(len(TEXTS))]
    (tmp_path / "a.csv").write_text("序号,重点任务,责任单位,完成时限,备注\n" + "\n".join(rows) + "\n", "utf-8")
    _assert_kept(_listed(tmp_path / "a.csv", tmp_path, "--year", "2022"))


def test_serial_numbers_with_categories_and_tasks(tmp_path):
    lines = ["序号,重点任务,责任单位,完成时限", "一、,优化营商环境,,"]
    lines += [f"{n + 1}、,{TEXTS[n]},{UNITS[n]},{DEADLINES[n]}" for n in range(3)]
    lines += ["二、,保障民生,,"]
    lines += [f"{n - 2}、,{TEXTS[n]},{UNITS[n]},{DEADLINES[n]}" for n in range(3, 6)]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", "utf-8")
    tasks = _listed(tmp_path / "a.csv", tmp_path, "--year", "2022")
    _assert_kept(tasks)
    assert [task["id"] for task in tasks] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert [task["category"] for task in tasks] == ["一、 优化营商环境"] * 3 + ["二、 保障民生"] * 3


@pytest.mark.parametrize(("deadline", "due"), [
    ("2022年6月底前", "2022-06-30"), ("2022.6", "2022-06-30"), ("2022年6-9月", "2022-09-30"),
    ("6月30日前", "2022-06-30"), ("长期坚持", None), ("按时间节点推进", None)])
def test_deadline_forms_of_a_deadline_column(deadline, due, tmp_path):
    (tmp_path / "a.csv").write_text(f"序号,重点任务,责任单位,完成时限\n1,建设平台。,市财政局,{deadline}\n", "utf-8")
    task, = _listed(tmp_path / "a.csv", tmp_path, "--year", "2022")
    assert task["deadline"] == deadline
    assert [milestone["due"] for milestone in task.get("milestones", [])] == ([due] if due else [])


def test_a_task_column_under_an_unlisted_name_beside_a_listed_one(tmp_path):
    """重点工作 | 攻坚目标任务 (泗洲头 2024): the header row is found by its listed word, and its other
    short name ending in 任务 is a task column too, the last one, so it holds the text; the short
    重点工作 becomes the category. A quarter's plan (工作任务安排 第二季度) is neither."""
    source = tmp_path / "plan.csv"
    source.write_text("序号,重点工作,责任科室,攻坚目标任务,工作任务安排第二季度\n"
                      "1,现代化美丽城镇,乡村振兴办,成功创建首批浙江省美丽城镇。,按照时间节点开展项目建设。\n",
                      encoding="utf-8")
    out = tmp_path / "tasks.yaml"
    assert run("import", str(source), "-o", str(out), "--year", "2024").exit_code == 0
    listed = json.loads(run("list", "--format", "json", "-f", str(out)).stdout)
    assert [task["text"] for task in listed] == ["成功创建首批浙江省美丽城镇。"]
    assert [task["category"] for task in listed] == ["现代化美丽城镇"]
    assert [task["lead"] for task in listed] == [["乡村振兴办"]]
