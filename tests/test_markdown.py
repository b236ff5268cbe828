"""Markdown output read back by a CommonMark/GFM parser: rows stay rows, text reads as itself, no raw HTML."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dzshare_cli.exporters.markdown import to_markdown
from dzshare_cli.render import Column, Lang, Lines, Row, View
from tests.cli.helpers import run
from tests.helpers import write_table

#: GitHub's flavour: tables and strikethrough (linkify needs a package of its own and only makes links).
GFM = MarkdownIt("gfm-like").disable("linkify")
LINE_BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def _tables(markdown: str) -> list[list[list[str]]]:
    """Each table as rows (the header row first) of cell texts; our own <br> read back as a line break.

    Fails on any other raw HTML: a cell must never carry markup into the page.
    """
    tables, tokens = [], GFM.parse(markdown)
    for token in tokens:
        assert token.type not in ("html_block", "html_inline"), token
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and tables and tables[-1] and _in_cell(tokens, token):
            tables[-1][-1].append(_text(token))
    return tables


def _in_cell(tokens, inline) -> bool:
    before = tokens[tokens.index(inline) - 1]
    return before.type in ("th_open", "td_open")


def _text(inline) -> str:
    text = []
    for child in inline.children:
        if child.type == "html_inline":
            assert child.content == "<br>", f"raw HTML in a cell: {child.content!r}"
            text.append("\n")
        elif child.type in ("text", "code_inline"):
            assert child.type == "text", f"markup in a cell: {child}"
            text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            raise AssertionError(f"a line break inside a cell: {child}")
        else:
            raise AssertionError(f"markup in a cell: {child.type}")
    return "".join(text)


def _view(header: str, *cells: str) -> View:
    return View("heading", [Column("id", title="ID"), Column("text", title=header)],
                [Row(["1", cell]) for cell in cells])


def test_a_carriage_return_does_not_split_the_row():
    markdown = to_markdown(_view("任务", "第一行\r第二行", "下一项"), Lang.ZH)
    assert _tables(markdown) == [[["ID", "任务"], ["1", "第一行\n第二行"], ["1", "下一项"]]]


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_every_line_break_is_kept_inside_the_cell(line_break):
    assert _tables(to_markdown(_view("任务", f"a{line_break}b"), Lang.ZH)) == [[["ID", "任务"], ["1", "a\nb"]]]


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- hidden -->",
    "&lt;b&gt; &amp; &#60;",
    "`code` *em* **strong** _u_ ~~del~~ [link](https://example.com) ![image](x.png) \\*",
    "a | b || c",
])
def test_task_text_reads_as_itself(text):
    [[header, row]] = _tables(to_markdown(_view("任务", text), Lang.ZH))
    assert row == ["1", text]


def test_header_cells_are_escaped():
    [[header, row]] = _tables(to_markdown(_view("1|2 <b>", "x"), Lang.ZH))
    assert header == ["ID", "1|2 <b>"]


def test_a_multi_line_cell_keeps_its_lines():
    view = View("h", [Column("deadline", title="D")], [Row([Lines(("2021年12月底", "2022年10月底"), "a\nb")])])
    assert _tables(to_markdown(view, Lang.ZH)) == [[["D"], ["a\nb"]]]


@pytest.mark.parametrize("heading", ["# 不是标题", "- 不是列表", "1. 不是列表", "===", "两行\n标题", "<b>粗</b>"])
def test_heading_lines_stay_one_paragraph(heading):
    view = _view("任务", "x")
    view.heading = heading
    tokens = GFM.parse(to_markdown(view, Lang.ZH))
    assert [token.type for token in tokens[:3]] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[1].content.count("\n") == 0
    assert "".join(child.content for child in tokens[1].children) == heading.replace("\n", " ")


_PIECES = [*"ab 中文|\\`*_[]()~<>&#!-=+.:;'\"/", *LINE_BREAKS]
_CELL_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(header=_CELL_TEXT, cells=st.lists(_CELL_TEXT, min_size=1, max_size=4))
def test_any_text_keeps_the_table_shape_and_reads_as_itself(header, cells):
    [table] = _tables(to_markdown(_view(header, *cells), Lang.ZH))
    assert len(table) == 1 + len(cells)
    assert all(len(row) == 2 for row in table)
    expected = [_as_read(text) for text in [header, *cells]]
    assert [row[1] for row in table] == expected


def _as_read(text: str) -> str:
    """What a table cell shows of a text: its line breaks as <br>, the spaces at its ends trimmed."""
    text = text.replace("\r\n", "\n")
    for line_break in LINE_BREAKS:
        text = text.replace(line_break, "\n")
    return text.strip(" ")


def test_matrix_md_with_a_bar_in_a_task_id(tmp_path):
    path = write_table(tmp_path, 'document: {}\ntasks:\n'
                       '  - {id: "1|2", text: "a\\nb <img src=x onerror=alert(1)>", lead: [甲局], deadline: 2021年9月底}\n'
                       '  - {id: 3, text: 另一项, lead: [乙局], deadline: 2021年9月底}\n')
    result = run("matrix", "-f", str(path), "--format", "md")
    assert result.exit_code == 0, result.output
    [table] = _tables(result.stdout)
    assert table[0][1:] == ["1|2", "3"]
    assert all(len(row) == 3 for row in table)
    listed = run("list", "-f", str(path), "--format", "md", "--as-of", "2021-08-01")
    [rows] = _tables(listed.stdout)
    assert len(rows) == 3 and rows[1][0] == "1|2"
