"""A small table as offices publish it, in each shape (csv, xlsx and docx with cells merged down
rows, html with rowspan, text with inline notes), imported through the CLI and then queried:
roles inside unit cells, a further role column, a progress column, a missing and an unreadable
deadline, a year-less deadline whose year the title gives."""

import json
from pathlib import Path

import pytest
import yaml

from tests.cli.helpers import run

TITLE = "2022年数据共享重点任务分工"
HEADER = ["序号", "工作措施", "责任单位", "配合单位", "完成时限", "进展情况"]
#: The rows as published; the unit cell of row 4 is merged into row 3's in the office shapes.
ROWS = [
    ["1", "建立数据共享工作机制。", "市发展和改革局牵头,市直有关部门配合;各镇(街)参照落实",
     "市财政局、市审计局", "2022年6月底前", "已印发工作方案。"],
    ["2", "编制政务数据资源目录。", "市教育局、市卫健委等部门负责落实", "", "", ""],
    ["3", "开展数据质量评估。", "各县（市、区）政府负责", "市统计局", "尽快", "正在推进。"],
    ["4", "推进数据共享应用。", "各县（市、区）政府负责", "", "9月底前", ""],
]
#: What every shape must import to (by task): lead, responsible, roles, deadline, progress.
EXPECTED = [
    (["市发展和改革局"], ["市直有关部门", "各镇(街)"], {"配合单位": ["市财政局", "市审计局"]},
     "2022年6月底前", [{"note": "已印发工作方案。"}]),
    ([], ["市教育局", "市卫健委等部门"], None, None, None),
    (["各县（市、区）政府"], [], {"配合单位": ["市统计局"]}, {"text": "尽快"}, [{"note": "正在推进。"}]),
    (["各县（市、区）政府"], [], None, "9月底前", None),
]
ROLE_WORDS = ("牵头", "配合", "负责", "落实", "参照")


def _csv(path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([TITLE])
        writer.writerow(HEADER)
        writer.writerows(ROWS)  # row 2's empty cells stay empty
    return path


def _xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet["C6"] = None  # the unit cell of task 4 lies under a range merged from task 3's
    sheet.merge_cells("C5:C6")
    book.save(path)
    return path


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for row, values in zip(table.rows, [HEADER, *ROWS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    merged = table.cell(3, 2).merge(table.cell(4, 2))  # vMerge restart / continue
    merged.text = ROWS[2][2]
    document.save(str(path))
    return path


def _html(path: Path) -> Path:
    def cells(values: list[str], skip: int | None = None, rowspan: int | None = None) -> str:
        return "".join(f"<td rowspan='{rowspan}'>{value}</td>" if index == 2 and rowspan else f"<td>{value}</td>"
                       for index, value in enumerate(values) if index != skip)

    rows = [f"<tr>{''.join(f'<th>{name}</th>' for name in HEADER)}</tr>",
            f"<tr>{cells(ROWS[0])}</tr>", f"<tr>{cells(ROWS[1])}</tr>",
            f"<tr>{cells(ROWS[2], rowspan=2)}</tr>", f"<tr>{cells(ROWS[3], skip=2)}</tr>"]
    path.write_text(f"<html><body><p>{TITLE}</p><table>{''.join(rows)}</table></body></html>", encoding="utf-8")
    return path


def _notes(path: Path) -> Path:
    lines = [TITLE, "一、基础工作"]
    for number, text, units, further, deadline, progress in ROWS:
        fields = [f"责任单位：{units}"] + ([f"配合单位：{further}"] if further else [])
        fields += [f"完成时限：{deadline}"] if deadline else []
        fields += [f"进展情况：{progress}"] if progress else []
        lines.append(f"{number}. {text}（{'；'.join(fields)}）")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


SHAPES = {"csv": _csv, "xlsx": _xlsx, "docx": _docx, "html": _html, "txt": _notes}


@pytest.fixture(params=list(SHAPES))
def imported(request, tmp_path):
    """(the written table path, the import's result) for one shape."""
    source = SHAPES[request.param](tmp_path / f"published.{request.param}")
    out = tmp_path / "tasks.yaml"
    result = run("import", str(source), "-o", str(out))
    return out, result


def test_imports_with_exit_0_and_names_what_is_missing(imported):
    out, result = imported
    assert result.exit_code == 0, result.output
    warnings = result.stderr
    assert "document.year is 2022, the year the title names" in warnings
    assert "tasks[1].deadline: task 2 has no deadline (完成时限)" in warnings
    assert "tasks[1].lead: task 2 has no lead unit (牵头单位)" in warnings
    assert "the deadline '尽快' cannot be read as dates" in warnings
    assert yaml.safe_load(out.read_text("utf-8"))["document"]["year"] == 2022


def test_roles_units_texts_and_progress_as_published(imported):
    out, _ = imported
    tasks = yaml.safe_load(out.read_text("utf-8"))["tasks"]
    assert [task["text"] for task in tasks] == [row[1] for row in ROWS]
    for task, (lead, responsible, roles, deadline, progress) in zip(tasks, EXPECTED):
        assert (task["lead"], task["responsible"]) == (lead, responsible), task
        assert task.get("roles") == roles and task.get("deadline") == deadline
        assert task.get("progress") == progress
    names = [name for task in tasks for name in (*task["lead"], *task["responsible"],
                                                 *(n for names in task.get("roles", {}).values() for n in names))]
    assert not [name for name in names if any(word in name for word in ROLE_WORDS)]


def test_the_written_table_answers_every_query(imported):
    out, _ = imported
    path = str(out)
    listed = run("list", "-f", path, "--as-of", "2022-07-01", "--format", "json")
    assert listed.exit_code == 0, listed.output
    states = [task["state"] for task in json.loads(listed.stdout)]
    assert states == ["overdue", "no_deadline", "no_deadline", "upcoming"]
    due = run("due", "-f", path, "--as-of", "2022-07-01", "--format", "json")
    assert due.exit_code == 0, due.output
    assert [task["id"] for task in json.loads(due.stdout)] == [1, 4]
    dept = run("dept", "市审计局", "-f", path, "--as-of", "2022-07-01", "--format", "json")
    assert dept.exit_code == 0, dept.output
    assert [(t["id"], t["role"], t["role_label"]) for t in json.loads(dept.stdout)] == [(1, "other", "配合单位")]
    county = run("dept", "各县（市、区）政府", "-f", path, "--as-of", "2022-07-01", "--format", "json")
    assert [(t["id"], t["role"]) for t in json.loads(county.stdout)] == [(3, "lead"), (4, "lead")]
    report = run("report", "-f", path, "--as-of", "2022-07-01", "--format", "json")
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["totals"]["overdue"] == 1
    for command in (["list"], ["report"], ["dept", "市统计局"], ["due", "--by", "2022-12"]):
        shown = run(*command, "-f", path, "--as-of", "2022-07-01")
        assert shown.exit_code == 0, (command, shown.output)
    assert run("validate", path).exit_code == 0
