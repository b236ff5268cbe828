"""Rows of a published table into tasks (importers/columns.py and the readers' merge knowledge):
ids that do not number tasks, a header cell spanning two columns, one task over several rows."""

from pathlib import Path

import pytest
import yaml

from dzshare_cli.importers.importer import import_source, import_table


def _tasks(imported) -> list[dict]:
    return yaml.safe_load(imported.text)["tasks"]


def _csv(text: str):
    return import_source(text.encode("utf-8"), "t.csv")


# --- 1. ids never stop a table from loading -------------------------------------------------

def _sections_docx(path: Path) -> Path:
    """威海's layout: 序号 and 工作任务 number and name a section, merged down over its tasks."""
    import docx

    document = docx.Document()
    rows = [("序号", "工作任务", "具体要求", "责任单位", "完成时限"),
            ("1", "基础建设", "加强组织领导。", "办公室", "11月底前"),
            ("", "", "强化考核监督。", "政工科", "11月底前"),
            ("2", "平台建设", "更新网站栏目。", "各科室", "11月底前"),
            ("", "", "发挥新媒体作用。", "办公室", "11月底前")]
    table = document.add_table(rows=len(rows), cols=5)
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for first, number, name in ((1, "1", "基础建设"), (3, "2", "平台建设")):
        table.cell(first, 0).merge(table.cell(first + 1, 0)).text = number
        table.cell(first, 1).merge(table.cell(first + 1, 1)).text = name
    document.save(str(path))
    return path


def test_a_number_merged_over_a_section_numbers_the_tasks_in_order(tmp_path):
    imported = import_table(_sections_docx(tmp_path / "t.docx"), year=2017)
    tasks = _tasks(imported)
    assert [(t["id"], t["category"], t["text"]) for t in tasks] == [
        (1, "基础建设", "加强组织领导。"), (2, "基础建设", "强化考核监督。"),
        (3, "平台建设", "更新网站栏目。"), (4, "平台建设", "发挥新媒体作用。")]
    assert imported.errors == []
    assert ("the 序号 column does not number the tasks one by one (as published: 1、1、2、2); "
            "the tasks are numbered 1–4 in published order") in imported.warnings


def test_numbers_that_repeat_without_categories_are_renumbered_never_duplicated():
    imported = _csv("编号,工作任务,牵头单位\n1,任务甲。,市财政局\n1,任务乙。,市审计局\n,任务丙。,市统计局\n"
                    "3,任务丁。,市统计局\n")
    assert [t["id"] for t in _tasks(imported)] == [1, 2, 3, 4]
    assert imported.errors == []
    assert any("the 编号 column does not number the tasks one by one (as published: 1、1、(none)、3)" in w
               for w in imported.warnings)


def test_numbers_restarting_per_category_keep_the_category_prefix():
    imported = _csv("序号,工作任务,牵头单位\n一、甲类,,\n1,任务甲。,市财政局\n2,任务乙。,市审计局\n"
                    "二、乙类,,\n1,任务丙。,市统计局\n")
    assert [t["id"] for t in _tasks(imported)] == ["1.1", "1.2", "2.1"]
    assert not any("does not number the tasks" in w for w in imported.warnings)


# --- 2. a header cell spanning two columns --------------------------------------------------

JINGZHOU_CSV = ("清单\n工作任务,,具体要求,,责任单位,时限要求\n"
                "一、助力发展。,（一）加强公开。,1,增强政策文件的透明度。,市政府各有关部门负责落实,持续推进\n"
                ",,2,开设行业帮扶专题。,市政府各有关部门负责落实,持续推进\n"
                "二、优化服务。,,1,推进一网通办。,市审批局,持续推进\n")


def test_an_unnamed_column_under_a_spanning_header_belongs_to_it():
    imported = _csv(JINGZHOU_CSV)
    tasks = _tasks(imported)
    # the number-only column is the 序号, the long text column the text; 工作任务 spans two
    # category levels, carried down where the CSV leaves a merged category's cell empty
    assert [(t["id"], t["text"], t.get("category")) for t in tasks] == [
        ("1.1", "增强政策文件的透明度。", "一、助力发展。 （一）加强公开。"),
        ("1.2", "开设行业帮扶专题。", "一、助力发展。 （一）加强公开。"),
        ("2.1", "推进一网通办。", "二、优化服务。")]
    assert tasks[0]["responsible"] == ["市政府各有关部门"] and tasks[0]["deadline"] == "持续推进"
    assert imported.errors == []


def test_a_colspan_header_over_the_number_and_the_text():
    html = ("<table><tr><td>工作任务</td><td colspan='2'>具体要求</td><td>责任科室</td><td>时限要求</td></tr>"
            "<tr><td rowspan='2'>做好公开</td><td>1</td><td>清理规范性文件。</td><td>办公室</td><td>长期推进</td></tr>"
            "<tr><td>2</td><td>做好政策解读。</td><td>各科室</td><td>持续推进</td></tr></table>")
    tasks = _tasks(import_source(html.encode("utf-8"), "t.html"))
    assert [(t["id"], t["category"], t["text"]) for t in tasks] == [
        (1, "做好公开", "清理规范性文件。"), (2, "做好公开", "做好政策解读。")]


def test_a_spanning_header_beside_its_own_number_column_leaves_the_second_number_out():
    tasks = _tasks(_csv("序号,具体要求,,责任单位\n1,(1),完善制度。,办公室\n2,(2),开展培训。,人事科\n"))
    assert [(t["id"], t["text"]) for t in tasks] == [(1, "完善制度。"), (2, "开展培训。")]


def test_a_spanning_header_over_two_text_columns_keeps_the_last_as_text():
    tasks = _tasks(_csv("工作任务,,责任单位\n做好公开,清理规范性文件。,办公室\n做好公开,做好政策解读。,各科室\n"))
    assert [(t["category"], t["text"]) for t in tasks] == [
        ("做好公开", "清理规范性文件。"), ("做好公开", "做好政策解读。")]


# --- 3. one task over several rows ----------------------------------------------------------

def _progress_xlsx(path: Path, *, merge_units: bool) -> Path:
    """济南市中's 落实情况表: 序号 and 主要任务 merged over one row per unit's progress."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "主要任务", "进展情况", "责任单位"])
    units = "区投促局、\n大观园街道办事处"
    sheet.append(["1", "重点打造特色楼宇。", "区投促局：已开始重点推介。", units if merge_units else "区投促局"])
    sheet.append([None, None, "大观园街道办事处：已具备开业条件。", None if merge_units else "大观园街道办事处"])
    sheet.append([None, None, "街道：有4家公司装修。", None if merge_units else "区商务局"])
    sheet.append(["2", "重点打造科创大厦。", "区科技局：多次对接。", "区科技局"])
    for column in ("ABD" if merge_units else "AB"):
        sheet.merge_cells(f"{column}2:{column}4")
    book.save(path)
    return path


def test_a_task_over_rows_with_a_unit_each_is_one_task_with_a_note_per_row(tmp_path):
    imported = import_table(_progress_xlsx(tmp_path / "t.xlsx", merge_units=False))
    tasks = _tasks(imported)
    assert [t["id"] for t in tasks] == [1, 2] and imported.errors == []
    assert tasks[0]["lead"] == ["区投促局", "大观园街道办事处", "区商务局"]
    assert tasks[0]["progress"] == [  # the row gives the unit; no date is published
        {"unit": "区投促局", "note": "区投促局：已开始重点推介。"},
        {"unit": "大观园街道办事处", "note": "大观园街道办事处：已具备开业条件。"},
        {"unit": "区商务局", "note": "街道：有4家公司装修。"}]
    assert tasks[1]["progress"] == [{"note": "区科技局：多次对接。"}]  # one row: no unit said for it


def test_a_unit_cell_merged_with_the_task_gives_a_note_the_unit_it_opens_with(tmp_path):
    tasks = _tasks(import_table(_progress_xlsx(tmp_path / "t.xlsx", merge_units=True)))
    assert tasks[0]["lead"] == ["区投促局", "大观园街道办事处"]
    assert tasks[0]["progress"] == [
        {"unit": "区投促局", "note": "区投促局：已开始重点推介。"},
        {"unit": "大观园街道办事处", "note": "大观园街道办事处：已具备开业条件。"},
        {"note": "街道：有4家公司装修。"}]  # 街道 is none of the task's units: no unit invented


def test_a_task_merged_over_rows_in_word_and_html(tmp_path):
    import docx

    document = docx.Document()
    rows = [("序号", "主要任务", "责任单位", "进展情况"), ("1", "打造楼宇。", "区投促局", "已推介。"),
            ("", "", "舜耕街道", "已成立招商小组。"), ("2", "建设平台。", "区大数据局", "已上线。")]
    table = document.add_table(rows=len(rows), cols=4)
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "打造楼宇。"
    document.save(str(tmp_path / "t.docx"))
    html = ("<table><tr><th>序号</th><th>主要任务</th><th>责任单位</th><th>进展情况</th></tr>"
            "<tr><td rowspan=2>1</td><td rowspan=2>打造楼宇。</td><td>区投促局</td><td>已推介。</td></tr>"
            "<tr><td>舜耕街道</td><td>已成立招商小组。</td></tr>"
            "<tr><td>2</td><td>建设平台。</td><td>区大数据局</td><td>已上线。</td></tr></table>")
    (tmp_path / "t.html").write_text(html, encoding="utf-8")
    for source in (tmp_path / "t.docx", tmp_path / "t.html"):
        tasks = _tasks(import_table(source))
        assert [(t["id"], t["text"], t["lead"]) for t in tasks] == [
            (1, "打造楼宇。", ["区投促局", "舜耕街道"]), (2, "建设平台。", ["区大数据局"])], source
        assert tasks[0]["progress"] == [{"unit": "区投促局", "note": "已推介。"},
                                        {"unit": "舜耕街道", "note": "已成立招商小组。"}], source


def test_rows_that_merely_repeat_a_task_are_not_joined():
    # a CSV knows no merged cells: two rows alike are two rows, and their ids are made unique
    imported = _csv("序号,主要任务,责任单位,进展情况\n1,打造楼宇。,区投促局,已推介。\n1,打造楼宇。,舜耕街道,已成立。\n")
    tasks = _tasks(imported)
    assert [(t["id"], t["lead"]) for t in tasks] == [(1, ["区投促局"]), (2, ["舜耕街道"])]
    assert imported.errors == []


def test_a_merged_text_under_different_numbers_is_not_one_task(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "工作任务", "责任单位"])
    sheet.append(["1", "做好公开。", "办公室"])
    sheet.append(["2", None, "综合科"])
    sheet.merge_cells("B2:B3")
    book.save(tmp_path / "t.xlsx")
    tasks = _tasks(import_table(tmp_path / "t.xlsx"))
    assert [(t["id"], t["text"], t["lead"]) for t in tasks] == [
        (1, "做好公开。", ["办公室"]), (2, "做好公开。", ["综合科"])]


def test_a_task_over_rows_with_two_deadlines_keeps_both_and_says_so(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "工作任务", "责任单位", "完成时限"])
    sheet.append(["1", "建设平台。", "市审批局", "2022年6月底前"])
    sheet.append([None, None, "市财政局", "2022年12月底前"])
    sheet.append([None, None, "市审计局", "2022年12月底前"])
    for column in "AB":
        sheet.merge_cells(f"{column}2:{column}4")
    book.save(tmp_path / "t.xlsx")
    imported = import_table(tmp_path / "t.xlsx")
    assert _tasks(imported)[0]["deadline"] == "2022年6月底前；2022年12月底前"
    assert "sheet Sheet row 2: one task over 3 rows gives 2 deadlines; kept together as " \
           "'2022年6月底前；2022年12月底前'" in imported.warnings
    assert imported.errors == []


@pytest.mark.parametrize("reader", ["xlsx", "html"])
def test_a_title_merged_across_the_table_is_the_title_once(reader, tmp_path):
    if reader == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["2019年工作任务落实情况表"])
        sheet.merge_cells("A1:C1")
        sheet.append(["序号", "主要任务", "责任单位"])
        sheet.append(["1", "建设平台。", "市审批局"])
        book.save(tmp_path / "t.xlsx")
        source = tmp_path / "t.xlsx"
    else:
        source = tmp_path / "t.html"
        source.write_text("<table><tr><td colspan=3>2019年工作任务落实情况表</td></tr><tr><td>序号</td>"
                          "<td>主要任务</td><td>责任单位</td></tr><tr><td>1</td><td>建设平台。</td>"
                          "<td>市审批局</td></tr></table>", encoding="utf-8")
    document = yaml.safe_load(import_table(source).text)["document"]
    assert document["title"] == "2019年工作任务落实情况表"


def test_a_row_that_only_continues_a_merged_text_is_no_heading(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["工作任务", "责任单位", "进展情况"])
    sheet.append(["建设平台。", "市审批局", "已上线。"])
    sheet.append([None, None, None])
    sheet.merge_cells("A2:A3")
    sheet.append(["推进共享。", "市大数据局", "已完成。"])
    book.save(tmp_path / "t.xlsx")
    tasks = _tasks(import_table(tmp_path / "t.xlsx"))
    assert [(t["text"], t.get("category")) for t in tasks] == [("建设平台。", None), ("推进共享。", None)]
