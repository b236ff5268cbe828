"""`dzshare import`: every source form into a checked table, columns found by their headers."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dzshare_cli import limits
from dzshare_cli.cli import app
from dzshare_cli.importers.columns import split_units
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.importers.importer import detect_format, import_table
from dzshare_cli.loader import parse_table
from dzshare_cli.limits import Limit
from dzshare_cli.loader import bundled_table_path, load_table
from tests.cli.helpers import run
from tests.helpers import FIXTURES
from tests.hostile_sources import TASKS, docx_table

SEED = FIXTURES / "published_table.txt"
PUBLISHED_FIELDS = ("id", "text", "lead", "responsible", "deadline")


def _tasks(imported) -> list[dict]:
    return yaml.safe_load(imported.text)["tasks"]


def test_seed_import_matches_the_bundled_table(tmp_path):
    out = tmp_path / "t.yaml"
    result = run("import", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"imported 18 tasks from {SEED}; wrote {out}\n"
    assert run("validate", str(out)).exit_code == 0
    imported = json.loads(run("list", "-f", str(out), "--format", "json").stdout)
    bundled = json.loads(run("list", "--format", "json").stdout)
    assert [{k: t[k] for k in PUBLISHED_FIELDS} for t in imported] == \
        [{k: t[k] for k in PUBLISHED_FIELDS} for t in bundled]
    document = yaml.safe_load(out.read_text("utf-8"))["document"]
    assert document == {"attachment": "附件2", "title": load_table(bundled_table_path()).document.title}
    assert out.read_text("utf-8").startswith("# yaml-language-server: $schema=")


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("市数据共享重点任务分工")
    table = document.add_table(rows=5, cols=5)
    rows = [["序号", "重点任务", "牵头部门", "配合单位", "时间节点"],
            ["一、统筹推进", "", "", "", ""],
            ["1", "建立数据共享工作机制。", "市行政审批局", "市财政局\n市发展改革局", "2021年9月底前"],
            ["2", "编制数据资源目录。", "市行政审批局", "各乡镇(街道)", "2021年12月底"],
            ["3", "开展数据质量评估。", "市大数据中心", "市直相关部门", "长期推进"]]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、统筹推进"  # a category row merged across
    table.cell(2, 2).merge(table.cell(3, 2))  # one lead cell for two tasks
    document.save(str(path))
    return path


def test_word_table_with_merged_cells_and_synonyms(tmp_path):
    imported = import_table(_docx(tmp_path / "tasks.docx"))
    tasks = _tasks(imported)
    assert [task["id"] for task in tasks] == [1, 2, 3]
    # 配合单位 is a further role, kept under its published name (issue 11), not 责任单位
    assert tasks[0] == {"id": 1, "category": "一、统筹推进", "text": "建立数据共享工作机制。",
                        "lead": ["市行政审批局"], "responsible": [],
                        "roles": {"配合单位": ["市财政局", "市发展改革局"]}, "deadline": "2021年9月底前"}
    assert tasks[1]["lead"] == ["市行政审批局"]  # the merged cell covers both rows
    assert yaml.safe_load(imported.text)["document"] == {"attachment": "附件1", "title": "市数据共享重点任务分工"}


def _xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["关于推进数据共享的任务清单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "任务内容", "牵头单位", "责任部门", "完成时间"])
    sheet.append(["(一)数据归集"])
    sheet.merge_cells("A3:E3")
    sheet.append(["1", "归集人口数据。", "市公安局", "市民政局、市卫健委", "2022年上半年"])
    sheet.append(["2", "归集法人数据。", None, "市市场监管局及各相关部门", "2022年6月底"])
    sheet.merge_cells("C4:C5")
    sheet.append(["(二)数据应用"])
    sheet.merge_cells("A6:E6")
    sheet.append(["1", "推进一网通办。", "市行政审批局", "", "长期推进"])
    book.save(path)
    return path


def test_excel_sheet_with_categories_restarting_numbers(tmp_path):
    imported = import_table(_xlsx(tmp_path / "tasks.xlsx"))
    tasks = _tasks(imported)
    assert [(t["id"], t["category"]) for t in tasks] == [
        ("1.1", "(一)数据归集"), ("1.2", "(一)数据归集"), ("2.1", "(二)数据应用")]
    assert tasks[1]["lead"] == ["市公安局"]  # merged down from the row above
    assert tasks[1]["responsible"] == ["市市场监管局", "各相关部门"]  # split at 及
    assert tasks[0]["responsible"] == ["市民政局", "市卫健委"]
    assert any("ids are <category number>.<number>" in w for w in imported.warnings)


HTML = """<html><body><p>附件3</p><p>重点任务分工表</p>
<table>
<tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td colspan="5">一、基础建设</td></tr>
<tr><td>1</td><td>建设共享平台。</td><td rowspan="2">市行政审批局</td><td>市直相关部门<br>各乡镇(街道)</td><td>2021年12月底</td></tr>
<tr><td>2</td><td>打通业务专网。</td><td>市委网信办</td><td>2022年6月底</td></tr>
</table></body></html>"""


def test_html_table_with_spans(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(HTML, encoding="utf-8")
    tasks = _tasks(import_table(path))
    assert [(t["id"], t["lead"], t["responsible"], t["deadline"]) for t in tasks] == [
        (1, ["市行政审批局"], ["市直相关部门", "各乡镇(街道)"], "2021年12月底"),
        (2, ["市行政审批局"], ["市委网信办"], "2022年6月底")]
    assert tasks[0]["category"] == "一、基础建设"


def test_csv_without_a_lead_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("序号,具体要求,责任科室,时限要求\n1,完善制度。,办公室；综合科,2021年底前\n"
                    "2,开展培训。,人事科,尽快\n", encoding="utf-8-sig")
    imported = import_table(path)
    tasks = _tasks(imported)
    assert [(t["lead"], t["responsible"]) for t in tasks] == [(["办公室", "综合科"], []), (["人事科"], [])]
    assert any("no 牵头单位 column" in w for w in imported.warnings)
    # an unreadable deadline is kept as published, undated so that the table loads, with its row
    # (每季度 is read now: a recurrence)
    assert tasks[1]["deadline"] == {"text": "尽快"}
    assert any(w.startswith("row 3: the deadline '尽快' cannot be read as dates") for w in imported.warnings)
    assert imported.errors == []


@pytest.mark.parametrize(("published", "reason"), [
    ("2021年2月30日", "not a date: month 2 of 2021 has no day 30"),
    ("2022年6月底;2021年12月底", "comes before milestone 1"),
])
def test_a_deadline_that_would_stop_the_table_loading_is_kept_as_text(tmp_path, published, reason):
    path = tmp_path / "t.csv"
    path.write_text(f"序号,工作任务,牵头单位,完成时限\n1,完善制度。,办公室,{published}\n", encoding="utf-8")
    imported = import_table(path)
    assert _tasks(imported)[0]["deadline"] == {"text": published}
    assert imported.errors == []
    warning = next(w for w in imported.warnings if w.startswith("row 2: the deadline"))
    assert reason in warning
    assert parse_table(imported.text, "t.yaml").table is not None  # the written table loads


def test_control_characters_in_cells_are_removed_and_named(tmp_path):
    # Debris of copying between programs: a bell in a unit cell, an escape in a task text.
    path = tmp_path / "t.csv"
    path.write_text("序号,工作任务,牵头单位,完成时限\n1,完善\x1b制度。,办公室\x07,2021年底前\n"
                    "2,开展培训。,人事科,2021年底前\n", encoding="utf-8")
    imported = import_table(path)
    tasks = _tasks(imported)
    assert [(t["text"], t["lead"]) for t in tasks] == [("完善制度。", ["办公室"]), ("开展培训。", ["人事科"])]
    assert "row 2: control characters removed (U+0007, U+001B)" in imported.warnings


NOTES = """附件2
数据共享重点任务
一、统筹推进
1. 建立协调机制。（牵头单位：市行政审批局；责任单位：市财政局、市发展改革局；完成时限：2021年9月底）
2. 编制共享目录。〔牵头单位:市行政审批局;责任单位:各乡镇(街道)及市直相关部门;完成时限:6月底前〕
二、安全保障
3. 落实安全责任。(牵头单位:市委网信办;完成时限:长期推进)
"""


def test_text_with_inline_notes_and_a_year(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    assert detect_format(path) is SourceFormat.NOTES
    imported = import_table(path, year=2022)
    tasks = _tasks(imported)
    assert [(t["id"], t["category"], t["lead"], t["responsible"], t["deadline"]) for t in tasks] == [
        (1, "一、统筹推进", ["市行政审批局"], ["市财政局", "市发展改革局"], "2021年9月底"),
        (2, "一、统筹推进", ["市行政审批局"], ["各乡镇(街道)", "市直相关部门"], "6月底前"),
        (3, "二、安全保障", ["市委网信办"], [], "长期推进")]
    document = yaml.safe_load(imported.text)["document"]
    assert document == {"attachment": "附件2", "title": "数据共享重点任务", "year": 2022}
    assert imported.warnings == []


def test_units_are_mapped_onto_a_registry(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(NOTES.replace("市财政局", "财政局"), encoding="utf-8")
    imported = import_table(path, year=2022, units_file=bundled_table_path())
    tasks = _tasks(imported)
    assert tasks[0]["responsible"] == ["市财政局", "市发展改革局"]
    assert len(yaml.safe_load(imported.text)["units"]) == 38


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("a.txt", HTML, SourceFormat.HTML),  # the content decides, not the name
    ("a.csv", SEED.read_text("utf-8"), SourceFormat.TEXT_TABLE),
    ("a.dat", "序号,工作任务,牵头单位,完成时限\n1,x,y,2021年底\n", SourceFormat.CSV),
])
def test_format_is_told_from_the_content(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) is expected


def test_office_files_are_told_apart(tmp_path):
    assert detect_format(_docx(tmp_path / "x.bin")) is SourceFormat.DOCX
    assert detect_format(_xlsx(tmp_path / "y.bin")) is SourceFormat.XLSX


@pytest.mark.parametrize(("cell", "units"), [
    ("市直相关部门 各乡镇(街道)", ["市直相关部门", "各乡镇(街道)"]),
    ("市财政局\n市审批局", ["市财政局", "市审批局"]),
    ("市民政局、市卫健委，市公安局；市司法局", ["市民政局", "市卫健委", "市公安局", "市司法局"]),
    ("市场监管局及各相关部门", ["市场监管局", "各相关部门"]),
    ("", []),
])
def test_split_units(cell, units):
    assert split_units(cell) == units


def test_output_is_not_clobbered_and_dash_is_stdout(tmp_path):
    out = tmp_path / "t.yaml"
    out.write_text("mine", encoding="utf-8")
    refused = run("import", str(SEED), "-o", str(out))
    assert refused.exit_code == 3 and out.read_text("utf-8") == "mine"
    streamed = run("import", str(SEED), "-o", "-")
    assert streamed.exit_code == 0 and yaml.safe_load(streamed.stdout)["tasks"][0]["id"] == 1


def test_a_source_without_a_task_table(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("名称,数量\n甲,1\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2 and "no task table found" in result.stderr


def test_a_missing_source(tmp_path):
    result = run("import", str(tmp_path / "nope.docx"))
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_published_numbering_is_kept_as_labels(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("序号,工作任务,牵头单位,完成时限\n(一),任务甲,\"市财政局\n市审批局\",2021年底\n"
                    "1.2,\"任务乙的文字\n跨了两行\",市财政局,2022年上半年\n", encoding="utf-8")
    tasks = _tasks(import_table(path))
    assert [(t["id"], t["text"], t["lead"]) for t in tasks] == [
        ("(一)", "任务甲", ["市财政局", "市审批局"]), ("1.2", "任务乙的文字跨了两行", ["市财政局"])]


def test_two_row_header_unknown_columns_dates_and_bare_tasks(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "责任分工", None, "完成时限", "备注"])
    sheet.append([None, None, "牵头单位", "配合单位", None, None])
    for column in "ABEF":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("C1:D1")
    sheet.append([1, "建设平台。", "市审批局", "各县（市、区）政府", datetime(2024, 6, 30), "重点"])
    sheet.append([2, "研究制定改革方案。", None, None, None, None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    imported = import_table(path)
    tasks = _tasks(imported)
    assert tasks[0] == {"id": 1, "text": "建设平台。", "lead": ["市审批局"], "responsible": [],
                        "roles": {"配合单位": ["各县（市、区）政府"]}, "deadline": "2024-06-30"}
    assert tasks[1]["id"] == 2 and "category" not in tasks[1]  # a task missing its details, not a heading
    assert "columns not imported: 备注" in imported.warnings
    assert "sheet Sheet row 4: tasks[1].lead: task 2 has no lead unit (牵头单位); add lead: [<unit>] once the " \
        "office names one" in imported.warnings
    assert tasks[1]["lead"] == [] and "deadline" not in tasks[1]


def test_a_word_table_continued_in_a_second_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("重点任务分工")
    header = ["序号", "工作任务", "牵头单位", "完成时限"]
    for rows in ([header, ["1", "任务一。", "市财政局", "2021年底"]],
                 [header, ["2", "任务二。", "市审批局", "2022年底"]]):
        table = document.add_table(rows=len(rows), cols=4)
        for row, values in zip(table.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.text = value
        document.add_paragraph("（续表）")
    path = tmp_path / "t.docx"
    document.save(str(path))
    imported = import_table(path)
    assert [t["id"] for t in _tasks(imported)] == [1, 2]
    assert yaml.safe_load(imported.text)["document"]["title"] == "重点任务分工"


def test_a_table_nested_in_a_layout_table(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>网站首页</title></head><body><table><tr><td>导航</td><td>"
                    + HTML.split("<body>")[1].split("</body>")[0] + "</td></tr></table></body></html>",
                    encoding="utf-8")
    assert [t["id"] for t in _tasks(import_table(path))] == [1, 2]


def test_a_gbk_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("序号,工作任务,牵头单位,完成时限\n1,建设平台。,市审批局,2021年底\n".encode("gb18030"))
    assert _tasks(import_table(path))[0]["lead"] == ["市审批局"]


@pytest.mark.parametrize("chosen", [SourceFormat.DOCX, SourceFormat.XLSX])
def test_the_wrong_reader_is_a_clear_error(chosen, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("序号,工作任务,牵头单位\n1,a,b\n", encoding="utf-8")
    result = run("import", str(path), "--from", chosen.value)
    assert result.exit_code == 2
    assert f"cannot be read as {chosen.value}" in result.stderr and "Traceback" not in result.output


def test_notes_over_several_lines(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("一、深化应用\n2. 推进“一网通办”，\n提升便利度。（牵头单位：市审批局；完成时限：2022年底）\n",
                    encoding="utf-8")
    tasks = _tasks(import_table(path))
    assert [(t["id"], t["text"], t["category"]) for t in tasks] == [(2, "推进“一网通办”，提升便利度。", "一、深化应用")]


def test_a_numeric_id_of_5000_digits_is_a_usage_error(tmp_path):
    source = tmp_path / "t.csv"
    source.write_text("序号,工作任务,牵头单位,完成时限\n" + "9" * 5000 + ",建设平台。,市审批局,2021年底\n",
                      encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{source}: row 2: the 序号 '{'9' * 40}…' is a number of 5,000 digits")


def test_a_numeric_id_of_15_digits_stays_a_number(tmp_path):
    source = tmp_path / "t.csv"
    source.write_text("序号,工作任务,牵头单位,完成时限\n123456789012345,建设平台。,市审批局,2021年底\n",
                      encoding="utf-8")
    assert _tasks(import_table(source))[0]["id"] == 123456789012345


def _import_stdin(data: bytes, *args: str):
    return CliRunner().invoke(app, ["import", "-", *args], input=data, prog_name="dzshare")


def test_import_reads_stdin_as_it_reads_a_file(tmp_path):
    from_file = run("import", str(SEED))
    from_stdin = _import_stdin(SEED.read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stderr == "imported 18 tasks from <stdin>\n"
    assert from_stdin.stdout == from_file.stdout.replace(
        "from published_table.txt (text-table)", "from <stdin> (text-table)")
    assert "from <stdin> (text-table)" in from_stdin.stdout


def test_import_from_stdin_tells_an_office_file_by_its_content(tmp_path):
    result = _import_stdin(docx_table(tmp_path / "t.docx").read_bytes())
    assert result.exit_code == 0, result.output
    assert [(t["id"], t["text"], t["lead"], t["deadline"]) for t in yaml.safe_load(result.stdout)["tasks"]] == \
        [(int(number), text, [lead], deadline) for number, text, lead, deadline in TASKS]


def test_import_from_stdin_takes_from_and_names_stdin_in_errors(monkeypatch):
    chosen = _import_stdin(SEED.read_bytes(), "--from", "docx")
    assert chosen.exit_code == 2 and chosen.stderr.startswith("<stdin>: cannot be read as docx")
    monkeypatch.setattr(limits, "MAX_SOURCE_BYTES", Limit("max-source-bytes", 1000, "bytes", "hint"))
    big = _import_stdin(SEED.read_bytes())
    assert big.exit_code == 1
    assert big.stderr.startswith("<stdin>: the size of the source exceeds the limit of 1,000 bytes (max-source-bytes); ")


def test_the_worked_example_of_the_docs_is_what_import_writes():
    # docs/import.md queries docs/examples/roles.yaml: it must be exactly what importing gives.
    docs = Path(__file__).resolve().parents[1] / "docs" / "examples"
    imported = import_table(docs / "roles.csv")
    assert imported.text == (docs / "roles.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("header", "text"), [
    ("序号,民生实事,责任单位,完成时限", "新建2座人行天桥。"),
    ("序号,项目内容,牵头单位,当前进度", "建设四好农村路55公里。"),
], ids=["minsheng-shishi", "xiangmu-neirong"])
def test_a_list_of_livelihood_projects_names_its_task_column_after_the_list(tmp_path, header, text):
    # 民生实事 tables (大竹 2016, 苍南 2022) head the task column 民生实事 or 项目内容, and the
    # progress column 当前进度: without these the table was "no task table found" (exit 2).
    source = tmp_path / "msss.csv"
    source.write_text(f"{header}\n1,{text},县住建局,95%\n", "utf-8")
    result = run("import", str(source), "-o", "-", "--year", "2022")
    assert result.exit_code in (0, 1), result.output
    [task] = yaml.safe_load(result.stdout)["tasks"]
    assert task["text"] == text
    assert "县住建局" in [*task["lead"], *task.get("responsible", [])]
    if "当前进度" in header:
        assert task["progress"] == [{"note": "95%"}]
