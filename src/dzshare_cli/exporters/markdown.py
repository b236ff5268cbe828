"""Markdown output: the heading line, then a pipe table."""

from __future__ import annotations

from dzshare_cli.render import Cell, Lang, View, flat


def _md_cell(cell: Cell) -> str:
    return flat(cell).replace("|", "\\|").replace("\n", "<br>")


def _md_table(view: View, lang: Lang) -> list[str]:
    header = [column.header(lang) for column in view.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_md_cell(cell) for cell in row.cells) + " |" for row in view.rows]


def to_markdown(view: View, lang: Lang) -> str:
    """The heading line and the table; a document view gets a `##` section per part."""
    if not view.parts:
        return "\n".join([view.heading, "", *_md_table(view, lang)]) + "\n"
    lines = [f"# {view.title}", ""] if view.title else []
    lines.append(view.heading)
    for part in view.parts:
        lines += ["", f"## {part.heading}", "", *_md_table(part, lang)]
    return "\n".join(lines) + "\n"
