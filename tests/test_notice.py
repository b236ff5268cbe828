"""Reminder notices read back with python-docx: addressee, rows and their order, reply date, issuer,
page, fonts, repeated header row, and the same bytes for the same input."""

import io
import re
import time
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length

from dzshare_cli.errors import UsageError
from dzshare_cli.ledger import load_ledger, read_manifest
from dzshare_cli.loader import bundled_table_path, load_table
from dzshare_cli.notice import (BODY_FONT, COLUMNS, FONT_FALLBACKS, HEADING_FONT, SIGNATURE_BLANK, TITLE,
                                TITLE_FONT, WIDTHS_CM, ZIP_STAMP, period_text, plan_notices, reply_date)
from dzshare_cli.query import DEFAULT_SOON_DAYS
from dzshare_cli.units import Role, UnitRegistry
from tests.helpers import write_table

AS_OF = date(2022, 7, 1)
LEDGER = Path(__file__).resolve().parents[1] / "docs" / "examples" / "ledger"
_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@pytest.fixture(scope="module")
def bundled():
    table = load_table(bundled_table_path())
    return table, UnitRegistry.from_table(table)


def _notice(table, registry, unit, as_of=AS_OF, soon_days=DEFAULT_SOON_DAYS, reply_by=None):
    plan = plan_notices(table, registry, Path("notices"), as_of, soon_days, reply_by, registry.resolve(unit))
    assert len(plan) == 1
    return plan[0], docx.Document(io.BytesIO(plan[0].data))


def _rows(document):
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def _day(text: str) -> date:
    year, month, day = _DAY.search(text).groups()
    return date(int(year), int(month), int(day))


def _paragraphs(document):
    return [paragraph.text for paragraph in document.paragraphs]


def _expected_items(table, registry, unit_name, as_of, soon_days):
    """Open milestones due by as_of + soon_days of the tasks the unit leads or is responsible
    for, counted from the table's own fields (the bundled table has no recurrences)."""
    unit = registry.resolve(unit_name)
    count = 0
    for task in table.tasks:
        if not any(relation.role is not Role.OTHER for relation in registry.relations(unit, task)):
            continue
        assert task.deadline.recurrence is None
        count += sum(1 for milestone in task.deadline.milestones
                     if not (milestone.done and milestone.done <= as_of) and (milestone.due - as_of).days <= soon_days)
    return count


def test_the_notice_addresses_the_unit_and_lists_its_overdue_work_most_overdue_first(bundled):
    table, registry = bundled
    planned, document = _notice(table, registry, "行政审批局")
    assert planned.path.name == "市行政审批局.docx"
    paragraphs = _paragraphs(document)
    assert paragraphs[0] == TITLE and paragraphs[1] == "市行政审批局："
    rows = _rows(document)
    assert rows[0] == list(COLUMNS)
    items = rows[1:]
    assert len(items) == planned.items == _expected_items(table, registry, "市行政审批局", AS_OF, DEFAULT_SOON_DAYS) > 0
    late = [int(re.fullmatch(r"逾期(\d+)天", row[5]).group(1)) for row in items]  # all overdue on 2022-07-01
    assert late == [(AS_OF - _day(row[4])).days for row in items]  # counted from the date in 完成时限
    assert late == sorted(late, reverse=True) and late[0] == (AS_OF - date(2021, 9, 30)).days
    assert all(row[0] == "附件2" for row in items)
    # 9 reaches 市行政审批局 through 市直相关部门: the role says so.
    assert next(row for row in items if row[1] == "9")[3] == "牵头\n（经市直相关部门）"
    assert next(row for row in items if row[1] == "1")[3] == "牵头"


def test_the_body_names_the_document_and_the_reply_date_and_the_issuer_signs(bundled):
    table, registry = bundled
    _, document = _notice(table, registry, "行政审批局")
    paragraphs = _paragraphs(document)
    body = "".join(paragraphs[2:4])
    assert f"《{table.document.title}》（附件2）" in body
    assert "截至2022年7月1日" in body and "有10项已超过完成时限（见下表）" in body
    # Five working days after Friday 2022-07-01.
    assert "于2022年7月8日前将办理情况以书面形式报送定州市人民政府办公室" in body
    assert [text for text in paragraphs if text][-2:] == ["定州市人民政府办公室", "2022年7月1日"]


def test_without_an_issuer_the_signature_is_left_blank(bundled):
    table, registry = bundled
    anonymous = table.model_copy(update={"document": table.document.model_copy(update={"issuer": None})})
    _, document = _notice(anonymous, registry, "行政审批局")
    paragraphs = [text for text in _paragraphs(document) if text]
    assert paragraphs[-2:] == [SIGNATURE_BLANK, "2022年7月1日"]
    assert "以书面形式报送（加盖单位公章）" in paragraphs[3]
    assert not any(table.document.issuer in text for text in paragraphs)


def test_reply_date_counts_working_days_and_refuses_a_day_before_the_notice():
    assert reply_date(date(2022, 7, 1)) == date(2022, 7, 8)
    # National Day: 10-01..10-07 off, Saturday 10-08 and Sunday 10-09 worked (调休).
    assert reply_date(date(2022, 9, 30)) == date(2022, 10, 12)
    assert reply_date(AS_OF, date(2022, 7, 20)) == date(2022, 7, 20)
    assert reply_date(AS_OF, AS_OF) == AS_OF
    with pytest.raises(UsageError, match="before the notice's date"):
        reply_date(AS_OF, date(2022, 6, 30))
    with pytest.raises(UsageError, match="--reply-by"):
        reply_date(date(2099, 12, 1))  # beyond the working-day calendar


def test_reply_by_reaches_the_body(bundled):
    table, registry = bundled
    _, document = _notice(table, registry, "行政审批局", reply_by=date(2022, 7, 15))
    assert "于2022年7月15日前" in _paragraphs(document)[3]


def test_due_soon_work_is_told_apart_and_follows_the_overdue(bundled):
    table, registry = bundled
    as_of = date(2022, 6, 20)
    planned, document = _notice(table, registry, "财政局", as_of=as_of)
    items = _rows(document)[1:]
    assert len(items) == _expected_items(table, registry, "市财政局", as_of, DEFAULT_SOON_DAYS)
    overdue = [row for row in items if row[5].startswith("逾期")]
    soon = [row for row in items if row[5].endswith("天后到期")]
    assert overdue and soon and items == overdue + soon and planned.overdue == len(overdue)
    assert all(row[5] == f"{(_day(row[4]) - as_of).days}天后到期" for row in soon)
    body = _paragraphs(document)[2]
    assert f"有{len(overdue)}项已超过完成时限，{len(soon)}项将于30日内到期" in body
    _, narrow = _notice(table, registry, "财政局", as_of=as_of, soon_days=5)
    assert [row for row in _rows(narrow)[1:] if row[5].endswith("到期")] == []


def test_a_group_gets_no_notice_and_cannot_be_asked_for(bundled):
    table, registry = bundled
    plan = plan_notices(table, registry, Path("notices"), AS_OF, DEFAULT_SOON_DAYS)
    names = {planned.unit for planned in plan}
    assert "市直相关部门" not in names and "市财政局" in names
    assert all(planned.items > 0 for planned in plan)
    with pytest.raises(UsageError, match="group"):
        plan_notices(table, registry, Path("n"), AS_OF, DEFAULT_SOON_DAYS, only=registry.resolve("市直相关部门"))


def test_a_unit_with_nothing_to_chase_is_a_usage_error(bundled):
    table, registry = bundled
    with pytest.raises(UsageError, match="nothing overdue or due within 30 days as of 2021-01-01"):
        plan_notices(table, registry, Path("n"), date(2021, 1, 1), DEFAULT_SOON_DAYS, only=registry.resolve("财政局"))
    assert plan_notices(table, registry, Path("n"), date(2021, 1, 1), DEFAULT_SOON_DAYS) == []


def test_the_page_is_a4_portrait_with_chinese_fonts(bundled):
    table, registry = bundled
    _, document = _notice(table, registry, "行政审批局")
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == BODY_FONT and normal.get(qn("w:eastAsiaTheme")) is None
    assert normal.get(qn("w:ascii")) == "Times New Roman"
    title = document.paragraphs[0].runs[0]
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    header, first = document.tables[0].rows[0], document.tables[0].rows[1]
    assert {run.element.rPr.rFonts.get(qn("w:eastAsia")) for cell in header.cells for run in cell.paragraphs[0].runs} \
        == {HEADING_FONT}
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    runs += [run for cell in first.cells for run in cell.paragraphs[0].runs]
    assert runs and all(run.element.rPr.rFonts.get(qn("w:eastAsia")) in {BODY_FONT, TITLE_FONT} for run in runs)


def test_the_font_table_names_a_fallback_for_each_chinese_font(bundled):
    table, registry = bundled
    planned, _ = _notice(table, registry, "行政审批局")
    fonts = zipfile.ZipFile(io.BytesIO(planned.data)).read("word/fontTable.xml").decode("utf-8")
    for name, fallback in FONT_FALLBACKS.items():
        assert f'w:name="{name}"><w:altName w:val="{fallback}"/>' in fonts


def test_the_header_row_repeats_and_the_columns_fill_the_type_area(bundled):
    table, registry = bundled
    _, document = _notice(table, registry, "行政审批局")
    rows = document.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    widths = [round(column.width.cm, 1) for column in document.tables[0].columns]
    assert widths == list(WIDTHS_CM)
    section = document.sections[0]
    type_area = Length(section.page_width - section.left_margin - section.right_margin)
    assert sum(WIDTHS_CM) == pytest.approx(type_area.cm, abs=0.05)
    borders = document.tables[0].style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert borders is not None and borders.find(qn("w:insideH")).get(qn("w:val")) == "single"


def test_the_same_input_gives_the_same_bytes_whatever_the_clock(bundled, monkeypatch):
    table, registry = bundled
    first, _ = _notice(table, registry, "行政审批局")
    later = time.struct_time((2031, 5, 6, 7, 8, 10, 1, 126, 0))
    monkeypatch.setattr(zipfile.time, "localtime", lambda *_: later)  # what zip entries are stamped with
    second, document = _notice(table, registry, "行政审批局")
    assert first.data == second.data
    entries = zipfile.ZipFile(io.BytesIO(second.data)).infolist()
    assert {entry.date_time for entry in entries} == {ZIP_STAMP}
    assert not any("thumbnail" in entry.filename for entry in entries)  # python-docx's sample page
    properties = document.core_properties
    assert properties.created == properties.modified == datetime(2022, 7, 1, tzinfo=timezone.utc)


def test_a_ledger_notice_names_its_documents_by_key_and_title():
    table = load_ledger(read_manifest(LEDGER / "ledger.yaml")).table
    registry = UnitRegistry.from_table(table)
    as_of = date(2024, 6, 1)
    _, document = _notice(table, registry, "财政局", as_of=as_of)
    items = _rows(document)[1:]
    keys = {row[0] for row in items}
    assert keys == {"dz2021", "gzbg2024", "hy2024-03"}
    body = _paragraphs(document)[2]
    titles = [f"《{table.documents[key].document.title}》（{key}）" for key in table.documents]
    assert body.startswith("根据" + "、".join(titles))  # in ledger order
    assert items[-1][0] == "gzbg2024" and items[-1][5] == "29天后到期"
    assert [text for text in _paragraphs(document) if text][-2:] == ["定州市人民政府督查室", "2024年6月1日"]


RECURRING = """\
document:
  title: 按月报送表
  year: 2022
tasks:
  - id: 1
    text: 每月报送工作进展情况。
    lead: [市发展和改革局]
    deadline: 每月25日前
  - id: 2
    text: 每季度总结。
    lead: [市财政局]
    deadline: 每季度末
"""


def test_each_occurrence_of_a_recurrence_in_the_window_is_a_row(tmp_path):
    table = load_table(write_table(tmp_path, RECURRING))
    registry = UnitRegistry.from_table(table)
    # 2022-04-25 is 46 days after 2022-03-10: inside a 50-day window, past the first occurrence after as-of.
    _, document = _notice(table, registry, "市发展和改革局", as_of=date(2022, 3, 10), soon_days=50)
    items = _rows(document)[1:]
    assert [(row[4], row[5]) for row in items] == [
        ("2022年1月25日\n（2022年1月）", "逾期44天"), ("2022年2月25日\n（2022年2月）", "逾期13天"),
        ("2022年3月25日\n（2022年3月）", "15天后到期"), ("2022年4月25日\n（2022年4月）", "46天后到期")]
    assert all(row[0] == "按月报送表" for row in items)


@pytest.mark.parametrize(("period", "text"), [("2022-03", "2022年3月"), ("2022-Q4", "2022年第四季度"),
                                              ("2022-H1", "2022年上半年"), ("2022-H2", "2022年下半年"),
                                              ("2022", "2022年")])
def test_period_text(period, text):
    assert period_text(period) == text


GROUP_HELD = """\
document:
  title: 成员报告表
  year: 2022
tasks:
  - id: 1
    text: 各部门完成自查。
    lead: [市直相关部门]
    deadline: 2022年6月底
    progress:
      - {date: 2022-06-20, unit: 财政局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-06-20, unit: 市教育局, note: 推进中, milestone: 1, status: in_progress}
      - {date: 2022-06-20, unit: 市审计局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
  - id: 2
    text: 共同完成资金拨付。
    lead: [市财政局]
    responsible: [市直相关部门]
    deadline: 2022年6月底
    progress:
      - {date: 2022-06-20, unit: 市财政局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-06-20, unit: 市教育局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-06-20, unit: 市审计局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
  - id: 3
    text: 分两步完成整改。
    lead: [市直相关部门]
    deadline: 2022年6月25日、7月20日前
    progress:
      - {date: 2022-06-20, unit: 市财政局, note: 第一步完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-07-05, unit: 市教育局, note: 第一步完成, milestone: 1, status: done, done_on: 2022-07-04}
      - {date: 2022-06-20, unit: 市审计局, note: 两步都已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-06-20, unit: 市审计局, note: 两步都已完成, milestone: 2, status: done, done_on: 2022-06-18}
units:
  - {name: 市财政局, kind: department, aliases: [财政局]}
  - {name: 市教育局, kind: department}
  - {name: 市审计局, kind: department}
  - {name: 市直相关部门, kind: group, members: [市财政局, 市教育局, 市审计局]}
"""


def test_a_member_is_not_chased_for_a_group_milestone_it_reported_done(tmp_path):
    table = load_table(write_table(tmp_path, GROUP_HELD))
    registry = UnitRegistry.from_table(table)
    plan = plan_notices(table, registry, Path("notices"), AS_OF, DEFAULT_SOON_DAYS)
    items = {}
    for planned in plan:
        rows = _rows(docx.Document(io.BytesIO(planned.data)))[1:]
        items[planned.unit] = [(row[1], _day(row[4]).isoformat()) for row in rows]
        assert planned.items == len(rows)
    assert items == {
        # Task 1 reported done (under its alias); task 2 it leads itself: its done record decides.
        "市财政局": [("2", "2022-06-30"), ("3", "2022-07-20")],
        # In progress is not done, and a note dated after the notice does not count.
        "市教育局": [("3", "2022-06-25"), ("1", "2022-06-30"), ("3", "2022-07-20")],
    }  # 市审计局 reported every milestone it holds through the group done: no notice
    finance = next(planned for planned in plan if planned.unit == "市财政局")
    assert "有1项已超过完成时限，1项将于30日内到期" in _paragraphs(docx.Document(io.BytesIO(finance.data)))[2]  # the body counts what is listed
    with pytest.raises(UsageError, match="市审计局 has nothing overdue or due within 30 days"):
        _notice(table, registry, "市审计局")
