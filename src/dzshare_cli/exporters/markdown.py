"""Markdown output: the heading line, then a pipe table; every text escaped to read as itself."""

from __future__ import annotations

import re

from dzshare_cli.render import Cell, Lang, View, flat

#: Every line break Python's str.splitlines knows: any of them would end a table row or a heading.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: Characters that would start markup inside a cell (emphasis, code, links, strikethrough, a cell
#: boundary), or that CommonMark reads as an escape; a backslash before each makes it literal.
_MARKUP = re.compile(r"([\\`*_\[\]~|])")
#: As entities, so that no raw HTML (<img onerror=…>) and no entity (&amp;) passes through.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_text(text: str, line_break: str = "<br>") -> str:
    """Text as literal inline Markdown; line breaks become `line_break` (our own <br>, or a space)."""
    text = "".join(_HTML.get(char, char) for char in text)
    return _LINE_BREAK.sub(line_break, _MARKUP.sub(r"\\\1", text))


def _md_cell(cell: Cell) -> str:
    return md_text(flat(cell))


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(view: View, lang: Lang) -> list[str]:
    header = [md_text(column.header(lang)) for column in view.columns]
    lines = [_md_row(header), "|" + "|".join("---" for _ in header) + "|"]
    return lines + [_md_row([_md_cell(cell) for cell in row.cells]) for row in view.rows]


#: What would make a line a heading, a list item, a setext underline or a code block.
_BLOCK_START = re.compile(r"^(?:([#+\-=])|(\d+)([.)]))")


def md_line(text: str) -> str:
    """A heading or paragraph line: one line, and a paragraph, whatever the text starts with."""
    line = md_text(text.lstrip(), line_break=" ")
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line, count=1)


def to_markdown(view: View, lang: Lang) -> str:
    """The heading line and the table; a document view gets a `##` section per part."""
    if not view.parts:
        return "\n".join([md_line(view.heading), "", *_md_table(view, lang)]) + "\n"
    lines = [f"# {md_line(view.title)}", ""] if view.title else []
    lines.append(md_line(view.heading))
    for part in view.parts:
        lines += ["", f"## {md_line(part.heading)}", "", *_md_table(part, lang)]
    return "\n".join(lines) + "\n"
