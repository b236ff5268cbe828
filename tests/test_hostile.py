"""Hostile and odd input found in review: each is refused clearly or handled, never a crash."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dzshare_cli import loader
from dzshare_cli.errors import Problem
from dzshare_cli.exporters.xlsx import sheet_names
from dzshare_cli.files import safe_file_name
from dzshare_cli.loader import check_table, load_table, parse_table
from dzshare_cli.units import UnitRegistry
from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table


def test_reading_stops_at_the_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = write_table(tmp_path, MINIMAL_TABLE + "#" * 2000 + "\n")
    assert [p.code for p in check_table(path).problems] == ["too-large"]


def test_an_endless_device_is_refused():
    result = check_table(Path("/dev/zero"))
    assert [p.code for p in result.problems] == ["too-large"]


def test_many_values_without_aliases_are_not_called_a_billion_laughs(monkeypatch, tmp_path):
    monkeypatch.setattr(loader, "MAX_EXPANDED_NODES", 20)
    assert check_table(write_table(tmp_path, MINIMAL_TABLE)).problems[0].code == "too-large"


def test_problems_are_capped(tmp_path):
    tasks = "".join("  - {id: 1, text: t, lead: [x], deadline: 2021年9月底}\n" for _ in range(400))
    result = parse_table(f"document: {{}}\ntasks:\n{tasks}", "many.yaml")
    assert len(result.problems) == loader.MAX_PROBLEMS + 1
    assert result.problems[-1].code == "too-many-problems"
    assert result.problems[-1].message == "199 more problems are not listed"


def test_utf16_is_named(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_bytes(MINIMAL_TABLE.encode("utf-16"))
    problem = check_table(path).problems[0]
    assert problem.code == "encoding" and "UTF-16" in problem.message and "iconv -f UTF-16LE" in problem.hint


def test_a_tab_inside_a_block_of_text_is_fine(tmp_path):
    body = MINIMAL_TABLE.replace("text: 长期工作。", "text: |\n      第一行\n      \t第二行")
    assert load_table(write_table(tmp_path, body)).tasks[2].text == "第一行\n\t第二行"


def test_lines_are_counted_as_yaml_counts_them():
    assert loader._lines("a\u2028b\x0cc\r\nd\re") == ["a", "b\x0cc", "d", "e"]


def test_tab_lines_match_the_parser(tmp_path):
    body = MINIMAL_TABLE.replace("    text: 长期工作。", "\ttext: 长期工作。")
    problem = check_table(write_table(tmp_path, body)).problems[0]
    assert (problem.code, problem.line) == ("tab-indent", MINIMAL_TABLE.split("\n").index("    text: 长期工作。") + 1)


def test_a_problem_is_always_one_line():
    problem = Problem("t.yaml", 3, 5, "'市财\n正局\r' is not a known unit", "did you mean\u2028?")
    assert str(problem) == "t.yaml:3:5: error[invalid]: '市财\\n正局\\r' is not a known unit; did you mean\\u2028?"


def test_long_unit_names_make_short_enough_file_names(tmp_path):
    assert len(safe_file_name("长" * 300).encode("utf-8")) <= 200
    body = MINIMAL_TABLE.replace("lead: [市财政局]", f"lead: [{'长' * 300}]")
    result = run("export", "--per-unit", "-f", str(write_table(tmp_path, body)), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").iterdir())) == 4


def test_formula_like_titles_and_headings_stay_text_in_workbooks(tmp_path):
    body = MINIMAL_TABLE.replace("title: 测试表", "title: '=HYPERLINK(\"http://x\",\"y\")'").replace(
        "lead: [市财政局]", "lead: ['=1+1']")
    out = tmp_path / "out"
    result = run("export", "--per-unit", "--format", "xlsx", "--workbook", "-f", str(write_table(tmp_path, body)),
                 "-o", str(out), "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    book = load_workbook(out / "units.xlsx")
    for sheet in book:
        for cell in (sheet["A1"], sheet["A2"]):
            assert cell.data_type == "s", (sheet.title, cell.value)
    assert book["=1+1"]["A1"].value.startswith("=HYPERLINK")


def test_circled_numbers_as_ids(tmp_path):
    body = MINIMAL_TABLE.replace("- id: 1", "- id: ①")
    data = run("list", "-f", str(write_table(tmp_path, body)), "--format", "xlsx", "-o", "-").stdout_bytes
    assert load_workbook(io.BytesIO(data)).active["A4"].value == "①"


def test_implicit_registry_merges_spellings_that_compare_equal(tmp_path):
    body = MINIMAL_TABLE.replace("responsible: [市直相关部门]", "responsible: [各乡镇（街道）]").replace(
        "responsible: []", "responsible: [各乡镇(街道)]")
    registry = UnitRegistry.from_table(load_table(write_table(tmp_path, body)))
    assert [unit.name for unit in registry.units].count("各乡镇（街道）") == 1
    assert "各乡镇(街道)" not in [unit.name for unit in registry.units]


def test_role_filter_sees_a_lead_through_a_group_behind_a_direct_responsibility(tmp_path):
    body = MINIMAL_TABLE.replace("lead: [市行政审批局]\n    responsible: [市直相关部门]",
                                 "lead: [组]\n    responsible: [甲局]") + (
        "units:\n  - {name: 甲局}\n  - {name: 组, kind: group, members: [甲局]}\n"
        "  - {name: 市政务数据共享协调机制}\n  - {name: 市财政局}\n")
    path = write_table(tmp_path, body)
    result = run("dept", "甲局", "--role", "lead", "-f", str(path), "--format", "csv", "--lang", "en")
    assert result.stdout.splitlines()[1].startswith("1,第一项,lead (via 组)")


@pytest.mark.parametrize("option", ["--unit", "--lead"])
def test_an_empty_unit_name_is_a_usage_error(option):
    assert run("list", option, "").exit_code == 2


def test_excel_reserved_sheet_name():
    assert sheet_names(["History", "x"]) == ["History_", "x"]
