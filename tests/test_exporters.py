"""Output formats read back: csv (with BOM in files), xlsx layout, formula neutralising."""

import csv
import io
import json

from openpyxl import load_workbook

from dzshare_cli.exporters import FORMATTERS, UTF8_BOM, Format, file_bytes
from dzshare_cli.exporters.csv_format import spreadsheet_safe, to_csv
from dzshare_cli.exporters.xlsx import display_width, sheet_names, to_xlsx, workbook
from dzshare_cli.render import Column, Lang, Row, View, list_view
from tests.helpers import AS_OF

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "安全文本"]


def _hostile_view() -> View:
    return View("heading", [Column("id"), Column("title")],
                [Row([str(n), text]) for n, text in enumerate(HOSTILE, start=1)], payload=[],
                title="文件标题")


def test_every_format_has_a_formatter():
    assert set(FORMATTERS) == set(Format)


def test_would_be_formulas_are_neutralised_in_csv():
    rows = list(csv.reader(io.StringIO(to_csv(_hostile_view(), Lang.EN), newline="")))
    assert [row[1] for row in rows[1:]] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTAB", "'\nCR", "安全文本"]


def test_plain_text_is_left_alone():
    assert spreadsheet_safe("安全文本") == "安全文本"
    assert spreadsheet_safe("2021年9月底") == "2021年9月底"


def test_would_be_formulas_stay_text_in_xlsx():
    sheet = load_workbook(io.BytesIO(to_xlsx(_hostile_view(), Lang.EN))).active
    cells = [row[1] for row in sheet.iter_rows(min_row=4)]
    assert [cell.value for cell in cells[:4]] == HOSTILE[:4]  # kept as typed ...
    assert all(cell.data_type == "s" for cell in cells)  # ... as strings, never formulas
    assert [cell.quotePrefix for cell in cells] == [True] * 6 + [False]


def test_xlsx_layout(table):
    data = to_xlsx(_titled_list(table), Lang.ZH)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == table.document.title and sheet["A1"].font.bold
    assert [cell.value for cell in sheet[3]] == ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "状态"]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet["B4"].alignment.wrap_text
    assert sheet["A4"].value == 1  # ids are numbers
    assert sheet["C21"].value == "市行政审批局、市纪委监委、督查室"  # task 18, as published
    assert 6 <= sheet.column_dimensions["A"].width <= 10
    assert sheet.column_dimensions["B"].width == 60  # the long task text is capped and wraps
    # rows are as tall as their wrapped text: task 15's text is the longest
    heights = [sheet.row_dimensions[row].height for row in range(4, 22)]
    assert max(heights) == heights[14] >= 3 * heights[0]


def test_xlsx_row_of_texts_that_fit_their_columns_is_one_line_tall():
    view = View(heading="共 1 项任务", columns=[Column("id"), Column("text"), Column("deadline")],
                rows=[Row(["1", "建立健全数据共享工作机制，明确各单位职责分工。", "印发之日起5个工作日内"])])
    sheet = load_workbook(io.BytesIO(to_xlsx(view, Lang.ZH))).active
    # each column is sized to its longest line, which then fits: no empty second line below it
    assert sheet.row_dimensions[4].height == 15


def test_xlsx_title_wider_than_a_narrow_sheet_wraps_instead_of_being_cut_off():
    view = View(heading="节点统计", columns=[Column("state"), Column("count")],
                rows=[Row(["按时完成", "1"])], title="关于建立健全政务数据共享协调机制加快推进数据有序共享的重点任务责任分工")
    sheet = load_workbook(io.BytesIO(to_xlsx(view, Lang.ZH))).active
    assert sheet["A1"].alignment.wrap_text
    assert sheet.row_dimensions[1].height >= 3 * 15  # 42 characters of 14 points over two columns


def _titled_list(table) -> View:
    view = list_view(table.tasks, AS_OF, 30, Lang.ZH, full_text=True)
    view.title = table.document.title
    return view


def test_workbook_has_one_sheet_per_view(table):
    view = _titled_list(table)
    book = load_workbook(io.BytesIO(workbook([("汇总", view), ("市财政局", view), ("a/b:c", view)], Lang.ZH)))
    assert book.sheetnames == ["汇总", "市财政局", "a_b_c"]


def test_sheet_names():
    assert sheet_names(["a" * 40, "a" * 40, "x[1]", "Sheet", "sheet"]) == [
        "a" * 31, "a" * 27 + " (2)", "x_1_", "Sheet", "sheet (2)"]


def test_display_width_counts_wide_characters_twice():
    assert display_width("2021年12月底") == 12
    assert display_width("abc") == 3


def test_csv_file_starts_with_a_bom_but_stdout_csv_does_not(table):
    view = _titled_list(table)
    data = file_bytes(Format.CSV, view, Lang.ZH)
    assert data.startswith(UTF8_BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "序号" and len(rows) == 19
    assert not FORMATTERS[Format.CSV].render(view, Lang.ZH).startswith("\ufeff")


def test_json_file_is_the_payload(table):
    view = _titled_list(table)
    assert json.loads(file_bytes(Format.JSON, view, Lang.ZH)) == view.payload


def test_table_file_is_plain_text(table):
    text = file_bytes(Format.TABLE, _titled_list(table), Lang.ZH).decode("utf-8")
    assert "\x1b[" not in text and "序号" in text


def test_xlsx_cuts_only_what_excel_cannot_hold():
    """Excel keeps 32,767 characters a cell and calls a file with more damaged."""
    from dzshare_cli.exporters.xlsx import EXCEL_CELL_CHARS

    long_text, fits = "数" * 100_000, "据" * EXCEL_CELL_CHARS
    view = View("heading", [Column("id"), Column("text")], [Row(["1", long_text]), Row(["2", fits])], payload=[])
    sheet = load_workbook(io.BytesIO(to_xlsx(view, Lang.ZH))).active
    cut = sheet["B4"].value
    assert len(cut) == EXCEL_CELL_CHARS and cut.endswith("…(已截断, 全文 100000 字)") and cut.startswith("数" * 1000)
    assert sheet["B5"].value == fits
    english = load_workbook(io.BytesIO(to_xlsx(view, Lang.EN))).active
    assert english["B4"].value.endswith("… (cut: 100000 characters in all)")


def test_the_same_workbook_gives_the_same_bytes_whenever_it_is_written(table, monkeypatch):
    """CI rebuilds files on every commit: only their content may change them, not the clock."""
    import time
    import zipfile

    view = list_view(table.tasks, AS_OF, 30, Lang.ZH)
    monkeypatch.setattr(time, "time", lambda: 946_684_800.0)  # 2000-01-01
    early = to_xlsx(view, Lang.ZH)
    monkeypatch.setattr(time, "time", lambda: 1_893_456_000.0)  # 2030-01-01
    late = to_xlsx(view, Lang.ZH)
    assert early == late
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(early)).infolist()}
    assert stamps == {(AS_OF.year, AS_OF.month, AS_OF.day, 0, 0, 0)}
    assert load_workbook(io.BytesIO(early)).properties.modified.date() == AS_OF
