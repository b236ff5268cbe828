"""Markdown output: the heading line, then a pipe table."""

from __future__ import annotations

from dzshare_cli.render import Cell, Lang, View, flat


def _md_cell(cell: Cell) -> str:
    return flat(cell).replace("|", "\\|").replace("\n", "<br>")


def to_markdown(view: View, lang: Lang) -> str:
    header = [column.header(lang) for column in view.columns]
    lines = [view.heading, "", "| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row.cells) + " |" for row in view.rows]
    return "\n".join(lines) + "\n"
