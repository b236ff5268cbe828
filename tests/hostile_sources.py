"""Crafted source files that once took `dzshare import` minutes and gigabytes (issue 10, item 2),
made small and fresh by each test, and by benchmarks/hostile_import.py."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = ["序号", "工作任务", "牵头单位", "完成时限"]
TASKS = [["1", "建设共享平台。", "市审批局", "2021年底"],
         ["2", "编制资源目录。", "市财政局", "2022年6月底"]]


def _rewrite_zip_member(path: Path, member: str, change) -> None:
    """Replace one part of an office file by `change(old text)`, keeping the others as they are."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def xlsx_table(path: Path) -> Path:
    """A plain sheet: the header (with a 备注 column in F) and two tasks."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER, None, "备注"])
    for task in TASKS:
        sheet.append(task)
    book.save(path)
    return path


def xlsx_merged_to_the_sheet_end(path: Path) -> Path:
    """5 KB: <mergeCell ref="F1:XFD1048576"/>, a range of 17 billion cells."""
    xlsx_table(path)
    _rewrite_zip_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="F1:XFD1048576"/></mergeCells>'))
    return path


def html_with_huge_spans(path: Path) -> Path:
    """About 200 bytes: one cell with rowspan="100000" colspan="100000"."""
    cells = "".join(f"<th>{name}</th>" for name in ["序号", "工作任务", "完成时限", "牵头单位"])
    path.write_text(f"<table><tr>{cells}</tr><tr><td>1</td><td>建设共享平台。</td><td>2021年底</td>"
                    '<td rowspan="100000" colspan="100000">市审批局</td></tr></table>', encoding="utf-8")
    return path


def docx_table(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("重点任务分工")
    table = document.add_table(rows=1 + len(TASKS), cols=len(HEADER))
    for row, values in zip(table.rows, [HEADER, *TASKS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(str(path))
    return path


def docx_with_huge_grid_span(path: Path) -> Path:
    """A Word table whose last cell of the first task has w:gridSpan of 10^8."""
    docx_table(path)
    pattern = re.compile(r"(<w:tc><w:tcPr>)(<w:tcW [^>]*/>)(</w:tcPr><w:p><w:r><w:t>2021年底)")
    _rewrite_zip_member(path, "word/document.xml",
                        lambda xml: pattern.sub(r'\1\2<w:gridSpan w:val="100000000"/>\3', xml, count=1))
    return path


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  '</Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
              '</Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                  '</Relationships>')


def _number_cell(n: int) -> str:
    return f'<c r="A{n}"><v>{n}</v></c>'


def inline_cells(row: int, texts: list[str]) -> str:
    """<c> elements holding `texts` as inline strings, from column A on."""
    return "".join(f'<c r="{chr(ord("A") + index)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'
                   for index, text in enumerate(texts))


def xlsx_with_rows(path: Path, count: int, row_cells: Callable[[int], str] = _number_cell) -> Path:
    """A minimal workbook, written part by part, whose one sheet has `count` rows (row n holds
    `row_cells(n)`)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<dimension ref="A1"/><sheetData>')  # as Excel writes it; openpyxl looks for it
            for start in range(1, count + 1, 10_000):
                sheet.write("".join(f'<row r="{n}">{row_cells(n)}</row>'
                                    for n in range(start, min(start + 10_000, count + 1))).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def xlsx_with_a_million_rows(path: Path) -> Path:
    """A sheet of 1,000,000 rows of two cells each (tens of MB of XML)."""
    return xlsx_with_rows(path, 1_000_000,
                          lambda n: f'<c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>任务</t></is></c>')


#: The four files of the issue, by what each holds.
CRAFTED = {
    "xlsx-merge-to-XFD1048576": xlsx_merged_to_the_sheet_end,
    "html-rowspan-colspan-100000": html_with_huge_spans,
    "docx-gridspan-10^8": docx_with_huge_grid_span,
    "xlsx-million-rows": xlsx_with_a_million_rows,
}
SUFFIXES = {"xlsx-merge-to-XFD1048576": ".xlsx", "html-rowspan-colspan-100000": ".html",
            "docx-gridspan-10^8": ".docx", "xlsx-million-rows": ".xlsx"}
