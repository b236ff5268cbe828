"""HTML output: one self-contained page (no external assets or scripts) that prints on A4."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from dzshare_cli.render import Column, Lang, Row, View, lines

#: Row styles of a view, as the CSS classes that colour them (the site colours them too).
STYLE_CLASSES = {"bold red": "overdue", "yellow": "due-soon", "green": "done", "cyan": "ongoing"}
#: Chinese fonts first, as each system names them: the html report and the site share it.
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
#: The link a cell of a row carries, if any (the site links task ids to their pages).
CellHref = Callable[[Row, Column], "str | None"]

_CSS = """
@page { size: A4; margin: 15mm 12mm; }
body { font-family: FONT_STACK; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 60em; }
h1 { font-size: 15pt; margin: 0 0 0.3em; }
h2 { font-size: 12pt; margin: 1.2em 0 0.4em; break-after: avoid; }
p.heading { color: #444; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 0.8em; }
th, td { border: 1px solid #999; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.nowrap { white-space: nowrap; }
tr.overdue td.styled { color: #b00020; font-weight: bold; }
tr.due-soon td.styled { color: #8a6d00; }
tr.done td.styled { color: #1b6e20; }
tr.ongoing td.styled { color: #00607a; }
""".replace("FONT_STACK", FONT_STACK)


def view_table(view: View, lang: Lang, href: CellHref | None = None) -> str:
    """A view's rows as an html table with real column headers; `href` links the cells it names."""
    head = "".join(f'<th scope="col">{escape(column.header(lang))}</th>' for column in view.columns)
    body = []
    for row in view.rows:
        css = STYLE_CLASSES.get(row.style, "")
        cells = []
        for column, cell in zip(view.columns, row.cells):
            classes = " ".join(name for name, on in (("nowrap", column.no_wrap), ("styled", column.styled)) if on)
            text = escape(lines(cell)).replace("\n", "<br>")
            target = href(row, column) if href is not None else None
            text = f'<a href="{escape(target)}">{text}</a>' if target else text
            cells.append(f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>")
        body.append(f'<tr class="{css}">{"".join(cells)}</tr>' if css else f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(view: View, lang: Lang) -> str:
    """The page: the document title, the heading line, then the table or each part's table."""
    sections = ([f"<h2>{escape(part.heading)}</h2>{view_table(part, lang)}" for part in view.parts]
                if view.parts else [view_table(view, lang)])
    title = escape(view.title or view.heading)
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang is Lang.ZH else "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n'
            f"<h1>{title}</h1>\n<p class=\"heading\">{escape(view.heading)}</p>\n"
            + "\n".join(sections) + "\n</body>\n</html>\n")
