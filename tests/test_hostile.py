"""Hostile and odd input found in review: each is refused clearly or handled, never a crash."""

import io
import re
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
from tests.peak_memory import run_measured
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


# Alias amplification: aliases are counted in characters of text, not only in values.

def _amplified_table(text_chars: int, tasks: int) -> str:
    """One long text anchored in the first task and aliased by every other one."""
    first = f"  - {{id: 1, text: &long \"{'长' * text_chars}\", lead: [x], deadline: 长期推进}}\n"
    others = "".join(f"  - {{id: {number}, text: *long, lead: [x], deadline: 长期推进}}\n"
                     for number in range(2, tasks + 1))
    return "document: {title: t, year: 2021}\ntasks:\n" + first + others


def test_text_amplified_through_aliases_is_refused_where_it_crosses_the_limit():
    per_task = 340_000  # a 1 MB file: 1 MB of UTF-8 text aliased by 500 tasks
    text = _amplified_table(per_task, 500)
    assert len(text.encode("utf-8")) < 1.1 * 1024 * 1024
    result = parse_table(text, "amplified.yaml")
    assert result.table is None
    [problem] = result.problems
    crossing_task = loader.MAX_EXPANDED_CHARS // per_task + 1  # the first task past the limit
    assert (problem.code, problem.line) == ("yaml-alias", 2 + crossing_task)
    assert text.split("\n")[problem.line - 1][problem.col - 1:].startswith("text: *long")
    assert f"{loader.MAX_EXPANDED_CHARS:,} characters" in problem.message
    assert "alias" in problem.hint


def test_much_text_without_aliases_is_too_large_not_an_alias_bomb(monkeypatch, tmp_path):
    monkeypatch.setattr(loader, "MAX_EXPANDED_CHARS", 50)
    assert [p.code for p in check_table(write_table(tmp_path, MINIMAL_TABLE)).problems] == ["too-large"]


def test_a_real_table_with_a_few_aliases_still_loads():
    original = loader.bundled_table_path().read_text(encoding="utf-8")
    block = re.compile(r"    responsible:\n      - 市直相关部门\n(?=    \w)")
    aliased = block.sub("    responsible: &city\n      - 市直相关部门\n", original, count=1)
    anchor = aliased.index("&city")
    aliased = aliased[:anchor] + block.sub("    responsible: *city\n", aliased[anchor:])
    assert aliased.count("*city") >= 3
    result = parse_table(aliased, "aliased.yaml")
    assert result.errors == []
    assert result.table == parse_table(original, "original.yaml").table


def test_refusing_an_alias_amplified_file_takes_little_memory(tmp_path):
    path = write_table(tmp_path, _amplified_table(340_000, 500))
    code, _, peak = run_measured(["export", "--format", "json", "-f", str(path)])
    assert code == 1
    assert peak < 300 * 1024 * 1024


# Control characters: refused in every string at load, with the place and the code point.

@pytest.mark.parametrize("typed, code_point, at", [
    (r'"\x01"', "U+0001", 1), (r'"\0"', "U+0000", 1), (r'"标题\e]0;pwned\a"', "U+001B", 3),
    (r'"\x9b31m"', "U+009B", 1), (r'"第一行\r第二行"', "U+000D", 4), (r'"\N"', "U+0085", 1),
    (r'"\x7f"', "U+007F", 1), (r'"\b"', "U+0008", 1),
])
def test_control_characters_typed_as_escapes_are_refused(typed, code_point, at):
    body = MINIMAL_TABLE.replace("text: 建设平台。", f"text: {typed}")
    [problem] = parse_table(body, "t.yaml").problems
    assert (problem.code, problem.line, problem.col) == ("control-character", 12, 11)
    assert problem.message == f"control character {code_point} at character {at} of this text"
    assert problem.hint and "delete it" in problem.hint


def test_tabs_and_line_breaks_are_still_text():
    body = MINIMAL_TABLE.replace("text: 建设平台。", r'text: "第一行\n\t第二行"')
    assert parse_table(body, "t.yaml").table.tasks[1].text == "第一行\n\t第二行"


@pytest.mark.parametrize("old, new, line", [
    ("    lead: [市财政局]", '    "le\\x01ad": [市财政局]', 18),  # a key
    ("lead: [市财政局]", 'lead: ["市财\\e政局"]', 18),  # a unit name in a list
    ("  title: 测试表", '  title: "测试\\x1b[2J表"', 2),  # the document
    ("deadline: 长期推进", 'deadline: {text: "长期\\x07推进", ongoing: true}', 20),  # nested
])
def test_control_characters_are_refused_in_every_string(old, new, line):
    [problem] = parse_table(MINIMAL_TABLE.replace(old, new), "t.yaml").problems
    assert (problem.code, problem.line) == ("control-character", line)


def test_control_characters_are_refused_in_the_registry():
    body = MINIMAL_TABLE + 'units:\n  - {name: 市财政局, aliases: ["财政\\x9b局"]}\n'
    [problem] = parse_table(body, "t.yaml").problems
    assert (problem.code, problem.line, problem.message) == (
        "control-character", 22, "control character U+009B at character 3 of this text")


def test_a_raw_control_character_is_placed_by_its_character_column():
    body = MINIMAL_TABLE.replace("text: 建设平台。", "text: 建设\x01平台。")
    [problem] = parse_table(body, "t.yaml").problems
    assert (problem.code, problem.line, problem.col) == ("control-character", 12, 13)
    assert "U+0001" in problem.message


def test_validate_reports_a_control_character(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE.replace("text: 建设平台。", r'text: "\e]0;pwned\a"'))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:12:11: error[control-character]: control character U+001B" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr


def test_exporting_a_table_with_a_control_character_is_a_one_line_refusal(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE.replace("text: 建设平台。", r'text: "\x01"'))
    result = run("export", "--format", "xlsx", "-f", str(path), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:12:11: error[control-character]: control character U+0001 at character 1 of "
        "this text; delete it; text may hold tabs and line breaks (write those as new lines), no "
        "other control characters"]
    assert not (tmp_path / "out.xlsx").exists()


def test_a_problem_never_carries_a_raw_control_character():
    shown = str(Problem("t.yaml", 1, 1, "'\x1b]0;x\x07' and '\x9b' and '\x00'"))
    assert shown == "t.yaml:1:1: error[invalid]: '\\x1b]0;x\\x07' and '\\x9b' and '\\x00'"


def test_a_long_text_aliased_as_repeated_keys_is_refused_without_copying_it():
    long_text = "长" * 340_000
    keys = "".join("  *long : 1\n" for _ in range(500))
    text = f"document: {{title: &long \"{long_text}\"}}\nextra:\n{keys}"
    result = parse_table(text, "keys.yaml")
    assert result.table is None
    assert "yaml-alias" in {problem.code for problem in result.problems}
    assert all(len(str(problem)) < 300 for problem in result.problems)
