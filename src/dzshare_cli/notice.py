"""Reminder notices (督办通知单): a Word document per unit listing its overdue and due-soon work,
addressed to the unit, with the date its written reply is due and the issuing office."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from docx import Document as new_document
from lxml import etree
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips

from dzshare_cli.errors import DeadlineError, UsageError
from dzshare_cli.files import file_names, inside
from dzshare_cli.models import ProgressNote, Task, TaskTable, Unit, UnitKind
from dzshare_cli.query import MilestoneStatus, State, UnitTask, task_statuses, tasks_by_unit
from dzshare_cli.render import Lang, role_text, single_table_label
from dzshare_cli.reporting import reported_done_by, reports_on
from dzshare_cli.units import Role, UnitRegistry
from dzshare_cli.workdays import add_working_days

TITLE = "督办通知单"
#: The reply is due this many working days after the notice, unless --reply-by says otherwise.
REPLY_WORKING_DAYS = 5
COLUMNS = ("文件", "序号", "工作任务", "本单位角色", "完成时限", "逾期天数")
#: Column widths (cm), adding up to the 15.6 cm type area of GB/T 9704's A4 page: 2022年10月31日 and
#: 29天后到期 fit on one line even where Chinese is spaced apart from digits (LibreOffice does so).
WIDTHS_CM = (1.9, 1.0, 5.1, 2.2, 3.2, 2.2)
CENTERED_COLUMNS = frozenset({"文件", "序号", "本单位角色", "完成时限", "逾期天数"})

# GB/T 9704 (党政机关公文格式): A4, margins 37/35/28/26 mm, body 3号仿宋, title 2号小标宋.
A4_WIDTH, A4_HEIGHT = Twips(11906), Twips(16838)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
LATIN_FONT = "Times New Roman"
BODY_FONT, TITLE_FONT, HEADING_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"
#: What Word uses where a font above is not installed (fontTable's altName): the fonts every
#: Chinese Windows has. LibreOffice and WPS carry their own substitution tables for these names.
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "黑体", HEADING_FONT: "SimHei", "仿宋": "FangSong"}
BODY_SIZE, TITLE_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(10.5)
BODY_LINE = Pt(28)  # 22 lines a page, as GB/T 9704 lays out the body
#: The zip entries' time stamp: a constant, so that the same notice is the same bytes.
ZIP_STAMP = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class NoticeItem:
    """An open milestone (or a recurrence's occurrence) of a task a unit leads or is responsible
    for, overdue or due soon as of the notice's date."""

    document: str  # 文件: the ledger key, or the single table's attachment (附件2) or title
    role: str
    status: MilestoneStatus

    @property
    def task(self) -> Task:
        return self.status.task

    @property
    def overdue(self) -> bool:
        return self.status.state is State.OVERDUE

    @property
    def deadline(self) -> str:
        """完成时限: the due day (the one 逾期天数 counts from), with the occurrence's period or the
        milestone's goal saying which step of the task it is."""
        day = chinese_date(self.status.milestone.due)
        step = period_text(self.status.period) if self.status.period else self.status.milestone.goal
        return f"{day}\n（{step}）" if step else day

    @property
    def lateness(self) -> str:
        """逾期天数: how late, or, for work not yet late, in how many days it falls due."""
        if self.overdue:
            return f"逾期{self.status.days_late}天"
        return "今日到期" if self.status.days_left == 0 else f"{self.status.days_left}天后到期"

    @property
    def cells(self) -> tuple[str, ...]:
        """The table row, in COLUMNS order."""
        return (self.document, str(self.task.id), self.task.text, self.role, self.deadline, self.lateness)


@dataclass(frozen=True)
class UnitNotice:
    unit: Unit
    items: list[NoticeItem]

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


@dataclass(frozen=True)
class Letter:
    """What every notice of one run shares: who sends it, when, and when the reply is due."""

    issuer: str | None
    as_of: date
    reply_by: date
    soon_days: int
    #: 文件 cell -> how the body names that document: 《title》, with its 文件 cell when that differs.
    sources: dict[str, str]


@dataclass(frozen=True)
class PlannedNotice:
    path: Path
    unit: str
    items: int
    overdue: int
    data: bytes


def chinese_date(day: date) -> str:
    """2022年7月1日, as official documents write a date."""
    return f"{day.year}年{day.month}月{day.day}日"


_QUARTERS = "一二三四"


def period_text(period: str) -> str:
    """An occurrence's period as a document writes it: 2022-03 -> 2022年3月, 2022-Q1 -> 2022年第一季度,
    2022-H1 -> 2022年上半年, 2022 -> 2022年."""
    year, _, part = period.partition("-")
    if not part:
        return f"{year}年"
    if part.startswith("Q"):
        return f"{year}年第{_QUARTERS[int(part[1]) - 1]}季度"
    if part.startswith("H"):
        return f"{year}年{'上' if part == 'H1' else '下'}半年"
    return f"{year}年{int(part)}月"


def reply_date(as_of: date, reply_by: date | None = None) -> date:
    """The day the written reply is due: --reply-by, else REPLY_WORKING_DAYS working days after
    the notice by China's working-day calendar."""
    if reply_by is not None:
        if reply_by < as_of:
            raise UsageError(f"--reply-by {reply_by} is before the notice's date {as_of}; "
                             "give a reply date on or after --as-of")
        return reply_by
    try:
        return add_working_days(as_of, REPLY_WORKING_DAYS)
    except DeadlineError as error:
        raise UsageError(f"cannot count {REPLY_WORKING_DAYS} working days after {as_of}: {error.message}; "
                         "give the reply date with --reply-by") from None


def unit_items(entries: list[UnitTask], as_of: date, soon_days: int, document: str = "",
               reported_done: Callable[[Task], list[ProgressNote]] | None = None) -> list[NoticeItem]:
    """A unit's overdue and due-soon milestones where it is lead or responsible, directly or
    through a group: the most overdue first, then those due soonest (table order among equals).

    `reported_done` gives the unit's notes saying a task's milestone is done: a milestone the
    unit holds only through a group and has reported done is its part done, and is left out (one
    it holds itself stays until the table records it done)."""
    horizon = as_of + timedelta(days=soon_days)  # every occurrence of a recurrence due in the window
    items = []
    for entry in entries:
        if entry.relation.role is Role.OTHER:
            continue
        via = entry.relation.via
        role = role_text(entry.relation, Lang.ZH) + (f"\n（经{via}）" if via else "")
        said_done = reported_done(entry.task) if via and reported_done is not None else []
        for status in task_statuses(entry.task, as_of, soon_days, horizon=horizon):
            if status.state in (State.OVERDUE, State.DUE_SOON) and not any(
                    reports_on(note, status) for note in said_done):
                items.append(NoticeItem(entry.task.document or document, role, status))
    return sorted(items, key=_urgency)


def _urgency(item: NoticeItem) -> tuple[int, int]:
    status = item.status
    return (0, -status.days_late) if item.overdue else (1, status.days_left)


def unit_notices(table: TaskTable, registry: UnitRegistry, as_of: date, soon_days: int,
                 only: Unit | None = None) -> list[UnitNotice]:
    """The notice of every unit (groups excepted: their work is in each member's notice) with
    something overdue or due soon, or of the one unit asked for, which must have something."""
    if only is not None and only.kind is UnitKind.GROUP:
        raise UsageError(f"{only.name} is a group: its work is in the notice of each of its members; "
                         "name one of them with --unit")
    by_unit = tasks_by_unit(table, registry)  # each unit's tasks in table order
    document = single_table_label(table)
    notices = []
    for unit in [only] if only is not None else [unit for unit in registry.units if unit.kind is not UnitKind.GROUP]:
        items = unit_items(by_unit.get(unit.name, []), as_of, soon_days, document,
                           _reported_done(unit, registry, as_of))
        if items:
            notices.append(UnitNotice(unit, items))
    if only is not None and not notices:
        raise UsageError(f"{only.name} has nothing overdue or due within {soon_days} days as of {as_of}: "
                         "no notice to write")
    return notices


def _reported_done(unit: Unit, registry: UnitRegistry, as_of: date) -> Callable[[Task], list[ProgressNote]]:
    return lambda task: reported_done_by(task, unit, registry, as_of)


def _sources(table: TaskTable) -> dict[str, str]:
    """How the body names each document a 文件 cell stands for."""
    if not table.documents:
        label, title = single_table_label(table), table.document.title
        return {label: _source_name(title, label)}
    return {key: _source_name(document.document.title, key) for key, document in table.documents.items()}


def _source_name(title: str | None, label: str) -> str:
    if not title:
        return label
    return f"《{title}》" + (f"（{label}）" if label and label != title else "")


def plan_notices(table: TaskTable, registry: UnitRegistry, directory: Path, as_of: date, soon_days: int,
                 reply_by: date | None = None, only: Unit | None = None) -> list[PlannedNotice]:
    """Every notice, rendered but not yet written, named after its unit (safe, distinct names)."""
    letter = Letter(table.document.issuer, as_of, reply_date(as_of, reply_by), soon_days, _sources(table))
    notices = unit_notices(table, registry, as_of, soon_days, only)
    names = file_names([notice.unit.name for notice in notices], ".docx")
    return [PlannedNotice(inside(directory, name), notice.unit.name, len(notice.items), notice.overdue,
                          notice_bytes(notice, letter))
            for name, notice in zip(names, notices)]


def notice_bytes(notice: UnitNotice, letter: Letter) -> bytes:
    """The notice as a .docx; the same notice and letter always give the same bytes."""
    document = new_document()
    _set_up_page(document)
    _set_up_fonts(document)
    _write_title(document)
    _write_body(document, notice, letter)
    _write_table(document, notice.items)
    _write_signature(document, letter)
    _write_page_numbers(document)
    _set_properties(document, notice, letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def body_text(notice: UnitNotice, letter: Letter) -> list[str]:
    """The paragraphs between the addressee and the table."""
    used = {item.document for item in notice.items}
    sources = "、".join(name for key, name in letter.sources.items() if key in used and name)  # in ledger order
    basis = f"根据{sources}确定的任务分工，经梳理，" if sources else "经梳理，"
    late, soon = notice.overdue, len(notice.items) - notice.overdue
    counts = "，".join(part for part in (f"{late}项已超过完成时限" if late else "",
                                         f"{soon}项将于{letter.soon_days}日内到期" if soon else "") if part)
    found = f"{basis}截至{chinese_date(letter.as_of)}，你单位牵头或负责的工作任务中，有{counts}（见下表）。"
    office = f"报送{letter.issuer}" if letter.issuer else "报送"
    reply = (f"请高度重视，抓紧推进，并于{chinese_date(letter.reply_by)}前将办理情况以书面形式{office}"
             "（加盖单位公章）。已完成的，请附佐证材料；确实无法按期完成的，请说明原因、下一步措施和预计完成时间。")
    return [found, reply]


SIGNATURE_BLANK = "____________________（盖章）"


def signature_text(letter: Letter) -> str:
    """The issuing office, or a blank line for the office to sign: a name is never made up."""
    return letter.issuer or SIGNATURE_BLANK


def _set_up_page(document) -> None:  # noqa: ANN001
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.footer_distance = Cm(2.5)


def _set_up_fonts(document) -> None:  # noqa: ANN001
    """仿宋 for everything by default: the style, and the document defaults under it."""
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_run_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    language = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    language.append(lang)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _no_auto_space(normal.element.get_or_add_pPr())
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}") if defaults is not None else None
    if fonts is not None:
        _set_font_names(fonts, BODY_FONT)
    _add_font_fallbacks(document)


def _no_auto_space(ppr) -> None:  # noqa: ANN001
    """No extra gap between Chinese and Latin letters or digits, as official templates set it:
    2022年10月31日 then fits its column on one line."""
    spacing = ppr.find(qn("w:spacing"))  # the schema puts both before spacing
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        switch = OxmlElement(name)
        switch.set(qn("w:val"), "0")
        if spacing is None:
            ppr.append(switch)
        else:
            spacing.addprevious(switch)


def _set_run_fonts(rpr, east_asian: str) -> None:  # noqa: ANN001
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _set_font_names(fonts, east_asian)


def _set_font_names(fonts, east_asian: str) -> None:  # noqa: ANN001
    # A theme font attribute wins over a named one: drop them, or Word shows the theme's font.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for latin in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(latin), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _add_font_fallbacks(document) -> None:  # noqa: ANN001
    """Name the Chinese fonts in the font table with the font Word substitutes when one is missing."""
    part = next(part for part in document.part.package.iter_parts() if str(part.partname) == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for name, fallback in FONT_FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alternative = OxmlElement("w:altName")
        alternative.set(qn("w:val"), fallback)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if "仿宋" in name or name == "FangSong" else "auto")
        font.extend([alternative, charset, family])
        table.append(font)
    # python-docx keeps parts it does not model as bytes
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph(document, text: str, east_asian: str = BODY_FONT, size: Pt = BODY_SIZE,  # noqa: ANN001
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    _no_auto_space(paragraph._p.get_or_add_pPr())
    layout = paragraph.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, BODY_LINE
    if indent:
        layout.first_line_indent = Pt(size.pt * 2)  # 首行缩进两字
    if text:
        _run(paragraph, text, east_asian, size, bold)
    return paragraph


def _run(paragraph, text: str, east_asian: str, size: Pt, bold: bool = False):  # noqa: ANN001
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold or None
    _set_run_fonts(run._element.get_or_add_rPr(), east_asian)
    return run


def _write_title(document) -> None:  # noqa: ANN001
    title = _paragraph(document, TITLE, TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(40)
    title.paragraph_format.space_after = Pt(16)


def _write_body(document, notice: UnitNotice, letter: Letter) -> None:  # noqa: ANN001
    _paragraph(document, f"{notice.unit.name}：", align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in body_text(notice, letter):
        _paragraph(document, text, indent=True)
    _paragraph(document, "")


def _write_table(document, items: list[NoticeItem]) -> None:  # noqa: ANN001
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: the widths below, not widths guessed from the text
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(Cm(cm).twips for cm in WIDTHS_CM)))
    look = properties.find(qn("w:tblLook"))  # tblCellMar comes before it in the schema's order
    if look is None:
        properties.append(_cell_margins())
    else:
        look.addprevious(_cell_margins())
    for column, width in zip(table.columns, WIDTHS_CM):
        column.width = Cm(width)
    _fill_row(table.rows[0], COLUMNS, header=True)
    for item in items:
        _fill_row(table.add_row(), item.cells, header=False)


def _cell_margins():
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 40), ("left", 57), ("bottom", 40), ("right", 57)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    return margins


def _fill_row(row, cells: tuple[str, ...], header: bool) -> None:  # noqa: ANN001
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))  # a task's row stays on one page
    if header:
        properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    for cell, text, name, width in zip(row.cells, cells, COLUMNS, WIDTHS_CM):
        cell.width = Cm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        centered = header or name in CENTERED_COLUMNS
        # Left, not justified: published texts mix in half-width commas, and a narrow column
        # would stretch the gaps of every line around them.
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.line_spacing = 1.0
        _no_auto_space(paragraph._p.get_or_add_pPr())  # LibreOffice reads it from the paragraph only
        _run(paragraph, text, HEADING_FONT if header else BODY_FONT, TABLE_SIZE)  # "\n" becomes a line break


def _write_signature(document, letter: Letter) -> None:  # noqa: ANN001
    _paragraph(document, "")
    for text in (signature_text(letter), chinese_date(letter.as_of)):
        paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 2)


def _write_page_numbers(document) -> None:  # noqa: ANN001
    """— 1 —, centred at the foot of each page, as official documents number their pages."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", BODY_FONT, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = _run(paragraph, "1", BODY_FONT, Pt(14))
    number._element.addprevious(field)
    field.append(number._element)
    _run(paragraph, " —", BODY_FONT, Pt(14))


def _set_properties(document, notice: UnitNotice, letter: Letter) -> None:  # noqa: ANN001
    properties = document.core_properties
    stamp = datetime(letter.as_of.year, letter.as_of.month, letter.as_of.day)
    properties.created = properties.modified = stamp  # not the clock: same input, same bytes
    properties.last_printed = stamp
    properties.title = f"{TITLE}（{notice.unit.name}）"
    properties.author = letter.issuer or ""
    properties.last_modified_by = letter.issuer or ""
    properties.comments = ""
    properties.revision = 1
    package = document.part.package
    # The template's thumbnail shows python-docx's own sample page: leave it out.
    for key, relation in list(package.rels.items()):
        if relation.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[key]


def _stable_zip(data: bytes) -> bytes:
    """The package with every entry stamped ZIP_STAMP: python-docx stamps them with the clock."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            stable = zipfile.ZipInfo(entry.filename, date_time=ZIP_STAMP)
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = 0o644 << 16
            target.writestr(stable, source.read(entry.filename))
    return output.getvalue()
