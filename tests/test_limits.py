"""Bounds on reading untrusted sources (limits.py): the crafted files of issue 10 are refused or
read within 300 MB, and every refusal is one line naming the limit."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from dzshare_cli import limits
from dzshare_cli.limits import Limit, LimitError, ReadBudget, span_value
from tests.cli.helpers import run
from tests.peak_memory import run_measured
from tests.hostile_sources import (CRAFTED, SUFFIXES, TASKS, _rewrite_zip_member, docx_table, xlsx_table,
                                   xlsx_with_rows)

MEMORY_BOUND = 300 * 1024 * 1024


def _import_measured(source: Path, output: Path) -> tuple[int, str, int]:
    """`dzshare import SOURCE -o OUTPUT` in a fresh process: exit code, stderr, peak RSS in bytes;
    a regression fails with MemoryError at 2 GB instead of swapping the machine."""
    return run_measured(["import", str(source), "-o", str(output)], address_space_cap=2 * 1024**3)


def _assert_refused(exit_code: int, stderr: str, source: str, limit: Limit) -> None:
    assert exit_code == 1, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert re.fullmatch(rf"{re.escape(source)}: .+ exceeds the limit of {re.escape(limit.shown)} "
                        rf"\({limit.name}\); .+\n", stderr), stderr


def _tasks(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))["tasks"]


PLAIN_TASKS = [{"id": int(number), "text": text, "lead": [lead], "responsible": [], "deadline": deadline}
               for number, text, lead, deadline in TASKS]


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_sources_are_read_or_refused_within_300_mb(name, tmp_path):
    source = CRAFTED[name](tmp_path / f"crafted{SUFFIXES[name]}")
    output = tmp_path / "out.yaml"
    exit_code, stderr, peak = _import_measured(source, output)
    assert peak < MEMORY_BOUND, f"{name}: {peak / 2**20:.0f} MB"
    if name == "xlsx-million-rows":
        _assert_refused(exit_code, stderr, str(source), limits.MAX_PART_BYTES)
        assert not output.exists()
    else:  # each huge merge or span is clipped to the cells around it: the table reads as published
        assert exit_code == 0, stderr
        expected = PLAIN_TASKS[:1] if name.startswith("html") else PLAIN_TASKS
        assert _tasks(output) == expected


def test_a_merged_range_is_clipped_to_the_used_area(tmp_path):
    """F1:XFD1048576 over six columns and three rows copies F1's text down to F3, no further."""
    from dzshare_cli.importers.office import read_xlsx

    source = CRAFTED["xlsx-merge-to-XFD1048576"](tmp_path / "m.xlsx")
    budget = ReadBudget(str(source))
    table = read_xlsx(source.read_bytes(), budget)
    assert [row.cells[5:] for row in table.rows] == [["备注"]] * 3
    assert budget.cells_read < 50


def test_a_lying_dimension_does_not_pad_rows(tmp_path):
    """<dimension ref="A1:XFD1048576"/> would make a streaming reader pad every row to 16,384
    cells and add a million empty rows."""
    source = xlsx_table(tmp_path / "d.xlsx")
    _rewrite_zip_member(source, "xl/worksheets/sheet1.xml",
                        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml))
    out = tmp_path / "out.yaml"
    assert run("import", str(source), "-o", str(out)).exit_code == 0
    assert _tasks(out) == PLAIN_TASKS


def test_a_sheet_over_the_row_limit(tmp_path):
    source = xlsx_with_rows(tmp_path / "rows.xlsx", limits.MAX_ROWS.value + 5)
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_ROWS)
    assert f"sheet Sheet1 row {limits.MAX_ROWS.value + 1}" in result.stderr


def test_a_value_far_right_is_refused_and_an_empty_styled_cell_is_not(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    source = xlsx_table(tmp_path / "wide.xlsx")
    book = load_workbook(source)
    book.active.cell(row=2, column=500).font = Font(bold=True)  # stored as <c r="SF2" s="1"/>
    book.save(source)
    assert run("import", str(source)).exit_code == 0
    book.active.cell(row=2, column=500).value = "x"
    book.save(source)
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_COLUMNS)
    assert "sheet Sheet row 2" in result.stderr


def test_an_html_cell_after_a_huge_colspan_is_refused(tmp_path):
    source = tmp_path / "t.html"
    source.write_text('<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>'
                      '<tr><td colspan="100000">1</td><td>x</td></tr></table>', encoding="utf-8")
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_COLUMNS)
    assert "table 1 row 2" in result.stderr


def test_rowspans_are_clipped_to_the_table_and_copies_count_as_cells(monkeypatch, tmp_path):
    rows = "".join(f"<tr><td>{n}</td><td>任务{n}。</td><td>2021年底</td></tr>" for n in range(2, 6))
    source = tmp_path / "t.html"
    source.write_text("<table><tr><th>序号</th><th>工作任务</th><th>完成时限</th><th>牵头单位</th></tr>"
                      '<tr><td>1</td><td>任务1。</td><td>2021年底</td><td rowspan="99999">市审批局</td></tr>'
                      f"{rows}</table>", encoding="utf-8")
    out = tmp_path / "out.yaml"
    assert run("import", str(source), "-o", str(out)).exit_code == 0
    assert [task["lead"] for task in _tasks(out)] == [["市审批局"]] * 5
    # 4 header cells, 4 + 4 * 3 cells in the rows below, and 4 copies of the spanning cell: 24
    monkeypatch.setattr(limits, "MAX_CELLS", Limit("max-cells", 23, "", "hint"))
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_CELLS)


@pytest.mark.parametrize(("content", "limit", "where"), [
    ("序号,工作任务\n" + "1,x\n" * 10_001, "MAX_ROWS", "row 10001"),
    ("序号,工作任务," + ",".join("c" * 101) + "\n", "MAX_COLUMNS", "row 1"),
    ("序号,工作任务\n1," + "长" * 100_001 + "\n", "MAX_CELL_CHARS", "row 2"),
    ("| 序号 | 工作任务 |\n|" + " x |" * 101 + "\n", "MAX_COLUMNS", "line 2"),
    ("附件\n" + "1. 任务。（牵头单位：市审批局）\n" * 10_001, "MAX_ROWS", "line 10002"),
    ("序号,工作任务\n" + "," * 1_001 + "\n", "MAX_LINE_SEPARATORS", "line 2"),  # refused before csv splits it
    ("| 序号 | 工作任务 |\n" + "|\n" * 10_001, "MAX_ROWS", "line 10001"),  # empty rows are rows read
])
def test_text_sources_are_bounded(content, limit, where, tmp_path):
    source = tmp_path / "source.txt"
    source.write_text(content, encoding="utf-8")
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), getattr(limits, limit))
    assert f"({where})" in result.stderr


def test_html_tags_are_counted_wherever_they_are(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_ELEMENTS", Limit("max-elements", 50, "", "hint"))
    source = tmp_path / "t.html"
    source.write_text("<html><body>" + "<b>粗</b>" * 60 + "<table></table></body></html>", encoding="utf-8")
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_ELEMENTS)
    assert "(a <b> tag at line 1)" in result.stderr


def test_the_source_size_is_bounded(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_SOURCE_BYTES", Limit("max-source-bytes", 1000, "bytes", "hint"))
    source = tmp_path / "big.csv"
    source.write_text("序号,工作任务,牵头单位,完成时限\n" + "1,x,y,2021年底\n" * 200, encoding="utf-8")
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_SOURCE_BYTES)


@pytest.mark.parametrize(("limit", "small"), [("MAX_UNPACKED_BYTES", 10_000), ("MAX_ZIP_MEMBERS", 5),
                                              ("MAX_ELEMENTS", 100)])
def test_office_files_are_measured_before_they_are_parsed(limit, small, monkeypatch, tmp_path):
    source = docx_table(tmp_path / "t.docx")
    assert run("import", str(source)).exit_code == 0
    original = getattr(limits, limit)
    monkeypatch.setattr(limits, limit, Limit(original.name, small, original.unit, original.hint))
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), getattr(limits, limit))


def test_a_zip_bomb_is_refused_unopened(tmp_path):
    """110 MB of zeros pack into 110 KB; the declared size refuses it before anything unpacks."""
    source = xlsx_table(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(110):
                member.write(block)
    assert source.stat().st_size < 1024 * 1024
    result = run("import", str(source))
    _assert_refused(result.exit_code, result.stderr, str(source), limits.MAX_UNPACKED_BYTES)


def test_an_xml_entity_bomb_is_not_expanded(tmp_path):
    source = xlsx_table(tmp_path / "laughs.xlsx")
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    _rewrite_zip_member(source, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "<worksheet", f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{entities}]><worksheet', 1).replace(
        "<sheetData>", "<sheetData><row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>&l9;</t></is></c></row>", 1))
    result = run("import", str(source))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "cannot be read as xlsx" in result.stderr and "Forbidden" in result.stderr


def test_reading_time_is_bounded():
    clock = iter([0.0, 1.0, limits.MAX_READ_SECONDS.value + 1.0])
    budget = ReadBudget("slow.html", clock=lambda: next(clock))
    budget.add_cells(1, "table 1 row 1")
    with pytest.raises(LimitError) as refused:
        budget.add_cells(1, "table 1 row 2")
    assert str(refused.value).startswith("slow.html: the time spent reading exceeds the limit of 30 s "
                                         "(max-read-seconds); ")


@pytest.mark.parametrize(("text", "value"), [
    (None, 1), ("", 1), ("0", 1), ("3", 3), (" 2 ", 2), ("x", 1), ("²", 1), ("-4", 1),
    ("100000000", limits.MAX_SPAN), ("9" * 5000, limits.MAX_SPAN)])
def test_span_values(text, value):
    assert span_value(text) == value
