"""Test helpers for collect: a small table, its forms made with the real `dzshare forms`, and
forms filled in with openpyxl the way units fill them in."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from dzshare_cli.forms import CHECK_SHEET, COLUMNS, FORM_SHEET, read_check
from tests.cli.helpers import run

#: 市财政局 itself leads task 1 (due 2022年6月底) and the ongoing task 2; it holds task 3 only
#: through 市直相关部门; task 4 is 市教育局's; both lead or are responsible for task 5.
TABLE = """\
document:
  title: 测试表
  year: 2022
  date: 2022-03-01
tasks:
  # the finance bureau's own work
  - id: 1
    text: 完成预算绩效评价。
    lead: [市财政局]
    deadline: 2022年6月底
  - id: 2
    text: 长期推进财政改革。
    lead: [财政局]
    deadline: 长期推进
  - id: 3
    text: 各部门完成自查。
    lead: [市直相关部门]
    deadline: 2022年6月底
  - id: 4
    text: 新建学校。
    lead: [市教育局]
    deadline: 2022年9月底
  - id: 5
    text: 共同完成资金拨付。
    lead: [市财政局]
    responsible: [市教育局]
    deadline: 2022年8月底
units:
  - {name: 市财政局, kind: department, aliases: [财政局]}
  - {name: 市教育局, kind: department, aliases: [教育局]}
  - {name: 市直相关部门, kind: group, members: [市财政局, 市教育局]}
"""
AS_OF = "2022-06-01"
FINANCE, EDUCATION = "市财政局", "市教育局"


def write_table(folder: Path, text: str = TABLE) -> Path:
    path = folder / "tasks.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def make_forms(table: Path | str, out: Path, as_of: str = AS_OF, *more: str) -> Path:
    result = run("forms", "--as-of", as_of, "-o", str(out), "-f", str(table), *more)
    assert result.exit_code == 0, result.output
    return out


def rows_by_task(form: Path) -> dict[str, int]:
    """The sheet row of each task's first row on the form, by the task's reference (id, or KEY:ID)."""
    _, rows = read_check(load_workbook(form)[CHECK_SHEET])
    found: dict[str, int] = {}
    for row in rows:
        found.setdefault(row["task"], int(row["row"]))
    return found


def fill(form: Path, rows: dict[int, dict[str, Any]], signer: str | None = "张三", save_as: Path | None = None,
         formats: dict[str, str] | None = None) -> Path:
    """Fill the form's cells by sheet row and column name (进展情况 …), and save it."""
    book = load_workbook(form)
    sheet = book[FORM_SHEET]
    if signer is not None:
        sheet["D2"] = signer
    for number, cells in rows.items():
        for column, value in cells.items():
            cell = sheet.cell(number, COLUMNS.index(column) + 1)
            cell.value = value
            if formats and column in formats:
                cell.number_format = formats[column]
    target = save_as or form
    book.save(target)
    return target


def set_check(form: Path, **values: str) -> None:
    """Change lines of the hidden sheet's header, as a forged or garbled form would have them."""
    book = load_workbook(form)
    sheet = book[CHECK_SHEET]
    for row in sheet.iter_rows():
        if row[0].value in values:
            row[1].value = values[row[0].value]
    book.save(form)


def as_another_suite_saves(form: Path, target: Path) -> Path:
    """The form as another office suite might write it: the sheet renamed, the hidden sheet made
    visible, and the texts in a shared strings part, as Excel and WPS keep them (openpyxl writes
    them inline in each cell)."""
    with zipfile.ZipFile(form) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match.group(2))
        attributes = match.group(1).replace(b' t="inlineStr"', b"")
        return b"<c" + attributes + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    for name in [name for name in parts if name.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb"<c([^>]*)><is>(.*?)</is></c>", shared, parts[name], flags=re.S)
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(strings), len(strings)) + b"".join(b"<si>" + text + b"</si>" for text in strings) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    parts["xl/workbook.xml"] = (parts["xl/workbook.xml"].replace("报送表".encode(), b"Sheet1")
                                .replace(b' state="hidden"', b""))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as written:
        for name, data in parts.items():
            written.writestr(name, data)
    return target
