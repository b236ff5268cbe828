"""Loading table files: what loads, and every bad input reported at its file:line:col."""

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzshare_cli.errors import TableError
from dzshare_cli.loader import MAX_EXPANDED_NODES, check_table, load_table, parse_table
from tests.helpers import FIXTURES, MINIMAL_TABLE, write_table

BAD_FILES = sorted((FIXTURES / "bad").glob("*.yaml"))


def _expectation(path: Path) -> tuple[int, int, str]:
    match = re.match(r"# expect: (\d+):(\d+) ([\w-]+)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must start with '# expect: LINE:COL CODE'"
    return int(match[1]), int(match[2]), match[3]


def test_there_are_bad_fixtures():
    assert len(BAD_FILES) >= 15


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_file_is_reported_at_its_line(path):
    line, col, code = _expectation(path)
    with pytest.raises(TableError) as caught:
        load_table(path)
    first = caught.value.problems[0]
    assert (first.line, first.col, first.code) == (line, col, code), str(caught.value)
    assert str(first).startswith(f"{path}:{line}:{col}: ")
    assert "\n" not in str(first)


def test_minimal_hand_written_file_loads(tmp_path):
    table = load_table(write_table(tmp_path, MINIMAL_TABLE))
    assert [task.id for task in table.tasks] == [1, 2, 3]
    assert table.tasks[0].deadline.milestones[0].due == date(2021, 9, 30)
    assert table.tasks[1].title is None
    assert table.tasks[1].responsible == []
    assert table.tasks[2].deadline.ongoing is True


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_TABLE.encode("utf-8"))
    assert len(load_table(path).tasks) == 3


def test_structured_deadline_form(tmp_path):
    body = MINIMAL_TABLE.replace(
        "deadline: 长期推进",
        "deadline: {ongoing: true, milestones: [{due: 2022-06, goal: 取得明显成效}, "
        "{due: 2022-12-15, done: 2022-12-01}]}",
    )
    deadline = load_table(write_table(tmp_path, body)).tasks[2].deadline
    assert deadline.ongoing is True
    assert [(m.due, m.goal, m.done) for m in deadline.milestones] == [
        (date(2022, 6, 30), "取得明显成效", None),
        (date(2022, 12, 15), None, date(2022, 12, 1)),
    ]
    # A structured deadline has no published text; one is composed for display.
    assert deadline.text == "长期推进;2022年6月底取得明显成效;2022年12月15日"


def test_yearless_deadline_takes_document_year(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 11月底前")
    assert load_table(write_table(tmp_path, body)).tasks[0].deadline.milestones[0].due == date(2021, 11, 30)


def test_string_ids_are_kept(tmp_path):
    body = MINIMAL_TABLE.replace("- id: 1", "- id: (一)").replace("- id: 2", "- id: '1.2'")
    table = load_table(write_table(tmp_path, body))
    assert [task.id for task in table.tasks] == ["(一)", "1.2", 3]
    assert table.task("(一)") is table.tasks[0]
    assert table.task("3") is table.tasks[2]


def test_aliases_are_followed(tmp_path):
    body = MINIMAL_TABLE.replace("responsible: [市直相关部门]", "responsible: &city [市直相关部门, 各乡镇(街道)]")
    body = body.replace("responsible: []", "responsible: *city")
    table = load_table(write_table(tmp_path, body))
    assert table.tasks[2].responsible == ["市直相关部门", "各乡镇(街道)"]


def test_every_problem_is_reported_in_one_run(tmp_path):
    body = (MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 尽快")
            .replace("text: 建设平台。", "text: 建设平台。\n    text: 重复")
            .replace("lead: [市财政局]", "lead: 市财政局"))
    with pytest.raises(TableError) as caught:
        load_table(write_table(tmp_path, body))
    assert [p.code for p in caught.value.problems] == ["bad-deadline", "duplicate-key", "wrong-type"]
    lines = [p.line for p in caught.value.problems]
    assert lines == sorted(lines)


def test_misspelt_field_is_one_problem_not_two(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 长期推进", "deadine: 长期推进")
    with pytest.raises(TableError) as caught:
        load_table(write_table(tmp_path, body))
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].hint == "did you mean 'deadline'?"


def test_missing_file(tmp_path):
    with pytest.raises(TableError) as caught:
        load_table(tmp_path / "nope.yaml")
    assert str(caught.value) == (f"{tmp_path / 'nope.yaml'}: error[file]: no such file; "
                                 "check the path (--file or DZSHARE_FILE selects the table)")


def test_directory_is_refused(tmp_path):
    with pytest.raises(TableError, match="is a directory"):
        load_table(tmp_path)


def test_gbk_file_names_the_encoding(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(MINIMAL_TABLE.encode("gb18030"))
    with pytest.raises(TableError) as caught:
        load_table(path)
    problem = caught.value.problems[0]
    assert problem.code == "encoding"
    assert "GB18030" in problem.hint and "iconv" in problem.hint


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(TableError, match="binary"):
        load_table(path)


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        previous = chr(ord("a") + level - 1)
        lines.append(f"{chr(ord('a') + level)}: &{chr(ord('a') + level)} [" + ", ".join([f"*{previous}"] * 10) + "]")
    result = parse_table("\n".join(lines) + "\n", "laughs.yaml")
    assert result.table is None
    assert f"{MAX_EXPANDED_NODES:,}" in result.problems[0].message


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_nesting_is_refused(depth):
    result = parse_table("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert result.table is None
    assert "too-deep" in {problem.code for problem in result.problems}


def test_no_tag_builds_a_python_object(tmp_path):
    body = MINIMAL_TABLE.replace("text: 长期工作。", "text: !!python/object/apply:os.getcwd []")
    with pytest.raises(TableError, match="is not allowed"):
        load_table(write_table(tmp_path, body))


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_loads_or_fails_with_positioned_problems(text):
    result = parse_table(text, "fuzz.yaml")
    assert result.table is not None or result.errors
    for problem in result.problems:
        assert problem.line is not None and problem.line >= 1
        assert "\n" not in str(problem)


def test_a_decimal_looking_id_gets_a_quoting_hint(tmp_path):
    with pytest.raises(TableError) as caught:
        load_table(write_table(tmp_path, MINIMAL_TABLE.replace("- id: 2", "- id: 1.2")))
    assert "write it in quotes, '1.2'" in caught.value.problems[0].hint


def _first_problem(path: Path):
    with pytest.raises(TableError) as caught:
        load_table(path)
    return caught.value.problems[0]


def test_a_full_width_colon_is_named_on_its_own_line():
    problem = _first_problem(FIXTURES / "bad" / "full_width_colon.yaml")
    assert problem.message == "full-width colon '：' after 'deadline'"
    assert problem.hint.startswith("type an ASCII colon and a space: `deadline: …`")


@pytest.mark.parametrize("fixture, key, indent", [("misindented_field", "lead", 6),
                                                   ("underindented_field", "deadline", 3)])
def test_a_misindented_field_is_named_with_its_indentation(fixture, key, indent):
    problem = _first_problem(FIXTURES / "bad" / f"{fixture}.yaml")
    assert problem.message == f"'{key}' is indented {indent} spaces; the other fields of this task are at 4"
    assert "quotes" not in problem.hint


@pytest.mark.parametrize("old, new, line, message", [
    ("  title: 测试表", "  title：测试表", 2, "full-width colon '：' after 'title'"),
    ("    lead: [市财政局]", "    lead：[市财政局]", 18, "full-width colon '：' after 'lead'"),
    ("  - id: 2", "  - id：2", 11, "full-width colon '：' after 'id'"),
    ("    deadline: 长期推进", "    deadline： 长期推进", 20, "full-width colon '：' after 'deadline'"),
    ("    title: 第一项", "      title: 第一项", 6, "'title' is indented 6 spaces; the other fields of this task are at 4"),
    ("      - 市政务数据共享协调机制\n    deadline", "      - 市政务数据共享协调机制\n     deadline", 15,
     "'deadline' is indented 5 spaces; the other fields of this task are at 4"),
])
def test_syntax_errors_name_their_likely_cause(old, new, line, message):
    [problem] = parse_table(MINIMAL_TABLE.replace(old, new), "t.yaml").problems
    assert (problem.line, problem.message) == (line, message)



def test_a_full_width_colon_in_a_flow_mapping_is_named():
    # `{name：市财政局}` reads as one key without a value: the field is unknown, not misspelt.
    body = MINIMAL_TABLE + "units:\n  - {name：市财政局, kind: department}\n"
    [problem] = parse_table(body, "t.yaml").problems
    assert problem.code == "unknown-field" and problem.line == MINIMAL_TABLE.count("\n") + 2
    assert problem.message.endswith("a full-width colon '：' after 'name'")
    assert problem.hint.startswith("did you mean 'name'? type an ASCII colon and a space")

def test_a_value_holding_colon_space_still_gets_the_quoting_hint():
    [problem] = parse_table(MINIMAL_TABLE.replace("text: 建设平台。", "text: 目标: 完成"), "t.yaml").problems
    assert problem.hint == "put quotes around a value that contains ': '"


def test_a_full_width_colon_inside_a_text_is_fine():
    body = MINIMAL_TABLE.replace("text: 建设平台。", "text: 目标：完成")
    assert parse_table(body, "t.yaml").table.tasks[1].text == "目标：完成"


@pytest.mark.parametrize("digits, loads", [(15, True), (16, False), (5000, False)])
def test_a_number_longer_than_any_id_is_refused_at_its_place(digits, loads):
    body = MINIMAL_TABLE.replace("  - id: 1\n", f"  - id: {'9' * digits}\n")
    result = parse_table(body, "t.yaml")
    if loads:
        assert result.table.tasks[0].id == int("9" * digits)
        return
    [problem] = result.problems
    assert (problem.line, problem.col, problem.code) == (5, 9, "wrong-type")
    assert problem.message == (f"a number of {digits:,} characters, longer than any task number, "
                               "year or milestone (at most 15 digits)")
    assert "sys.set_int_max_str_digits" not in str(problem)


INCOMPLETE_FILES = sorted((FIXTURES / "incomplete").glob("*.yaml"))


def test_there_are_incomplete_fixtures():
    assert len(INCOMPLETE_FILES) >= 5


@pytest.mark.parametrize("path", INCOMPLETE_FILES, ids=lambda p: p.stem)
def test_incomplete_table_loads_with_one_warning_at_its_line(path):
    line, col, code = _expectation(path)
    table = load_table(path)  # a warning never stops loading
    assert len(table.tasks) == 1
    result = check_table(path)
    assert [(p.line, p.col, p.code, p.severity) for p in result.problems] == [(line, col, code, "warning")]


def test_a_task_without_deadline_has_an_empty_deadline():
    task = load_table(FIXTURES / "incomplete" / "no_deadline.yaml").tasks[0]
    assert task.deadline.missing and task.deadline.undated
    assert (task.deadline.text, task.deadline.ongoing, task.deadline.milestones) == ("", False, [])


def test_a_text_without_a_date_is_kept_but_undated():
    task = load_table(FIXTURES / "incomplete" / "undated_deadline.yaml").tasks[0]
    assert task.deadline.undated and not task.deadline.missing
    assert task.deadline.text == "尽快"


def test_an_unreadable_string_deadline_stays_an_error_and_says_how_to_keep_it():
    with pytest.raises(TableError) as caught:
        load_table(FIXTURES / "bad" / "unreadable_deadline.yaml")
    first = caught.value.problems[0]
    assert first.code == "bad-deadline"
    assert "deadline: {text: '<the text>'}" in (first.hint or "")
