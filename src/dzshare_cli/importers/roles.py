"""Roles written inside a unit cell (X牵头, Y配合, 按职责分工落实, 牵头单位:X) -> lead and
responsible units, the role words removed from the names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dzshare_cli.deadlines import normalize

LEAD = "lead"
RESPONSIBLE = "responsible"

#: Where one clause of a cell ends (outside parentheses): 市发改局牵头,市直有关部门配合;各镇(街)参照落实.
_CLAUSE_END = re.compile(r"[;；,，。\n]+")
#: Separators between units inside one clause; 及 joins two units (市级各部门及各县市区政府), but
#: only after a name that ends as a unit's does (部门, 政府, 局 …): in
#: 市长江综合门户港及公铁水联运项目建设领导小组成员单位 it is part of one name.
_UNIT_SEPARATORS = re.compile(r"[\s、]+")
_AND = re.compile(r"及")
_UNIT_END = re.compile(r"(?:局|委|办|厅|部|门|单位|政府|中心|院|会|处|室|科|站|所|队|司|行|组|区|县|市|镇|乡"
                       r"|街道|园|公司|集团|社|馆|校|[)）〕\]】])$")
#: 各区、县（市）政府 / 各县、市、区人民政府: levels listed before one shared 政府, one unit. A piece
#: that is a bare level (市, 县（市）政府) after 各 + a level is no unit of its own.
_EACH_LEVEL = re.compile(r"^各(?:[区县市镇乡]|街道)$|、(?:[区县市镇乡]|街道)$")
_BARE_LEVEL = re.compile(r"^(?:[区县市镇乡]|街道)(?:$|[（(]|(?:人民)?政府|管委会)")
_OPENING, _CLOSING = "(（〔[【", ")）〕]】"
#: A role phrase ending a clause. The leftmost match is the longest phrase (牵头落实, not 落实);
#: a bare 负责 is lead (X负责), 负责落实 and 按职责分工负责 are responsible.
_ROLE_SUFFIX = re.compile(
    r"(?P<lead>(?:分别)?(?:牵头|负责牵头|主办|主责)(?:负责)?(?:落实|抓总|推进|实施)?)$"
    r"|(?P<duty>(?:按|根据)职责(?:分工)?(?:分别|共同)?(?:负责|落实|负责落实|执行|实施)?)$"
    r"|(?P<help>(?:分别|共同|具体|协同|组织|抓好)?(?:配合|协助|协办|参与|参加|参照)(?:负责)?(?:落实|执行|实施|推进)?)$"
    r"|(?P<carry>(?:分别|共同|具体|协同|组织|抓好)?(?:负责)?(?:落实|执行|实施))$"
    r"|(?P<charge>负责)$")
_SUFFIX_ROLES = {"lead": LEAD, "charge": LEAD, "duty": RESPONSIBLE, "help": RESPONSIBLE, "carry": RESPONSIBLE}
#: A label opening a clause: 牵头单位:X / 责任单位:Y (it holds for the clauses after it, too).
_LABEL = re.compile(r"^(?P<name>牵头|主办|责任|配合|协办|参与)(?:单位|部门|科室)?[:：]\s*")
_LABEL_ROLES = {"牵头": LEAD, "主办": LEAD}
#: Words before the units: 由X牵头, 会同Y (会同 names a unit that works with the lead).
_PREFIX = re.compile(r"^(?:由|请)?(?P<with>会同|协同|联合)?")
#: A rule saying the first unit of a cell leads: (除标注“分别牵头”外,列第一位的为牵头单位).
#: (第一责任单位为牵头单位，下同) says the same.
FIRST_LEADS = re.compile(r"(?:列|排)(?:在)?(?:第一位|第一个|首位)的?(?:单位|责任单位|部门)?(?:为|是)牵头"
                         r"|第一(?:个)?(?:责任)?(?:单位|部门)(?:为|是)牵头")
#: Any other rule about who leads, found in the text above the table or a header: named, not applied.
LEAD_RULE = re.compile(r"[^。;；\n]{0,40}(?:牵头)[^。;；\n]{0,40}")


@dataclass
class CellUnits:
    """The units of one cell by role, and whether the cell said any role in words."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    marked: bool = False

    def add(self, role: str, names: list[str]) -> None:
        target = self.lead if role == LEAD else self.responsible
        target.extend(name for name in names if name not in target)


def top_level_split(text: str, separator: re.Pattern[str]) -> list[str]:
    """`text` cut at `separator` outside parentheses: 各县（市、区）政府 stays whole."""
    parts, current, depth, position = [], "", 0, 0
    while position < len(text):
        char = text[position]
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
        found = separator.match(text, position) if depth == 0 else None
        if found and found.end() > position:
            parts.append(current)
            current, position = "", found.end()
            continue
        current += char
        position += 1
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def split_units(text: str) -> list[str]:
    """'市直相关部门 各乡镇(街道)' or '市发展改革局及各相关部门' -> one name per unit. A
    trailing 等… stays in its name (区司法局等有关部门): the office published it as one item of
    the list, and cutting it would drop the other units it stands for."""
    return [name for clause in top_level_split(text, _CLAUSE_END)
            for name in _shared_levels([unit for piece in top_level_split(clause, _UNIT_SEPARATORS)
                                        for unit in _split_and(piece)])]


def _split_and(piece: str) -> list[str]:
    """A piece cut at 及 where the name before it ends as a unit's name does."""
    parts = top_level_split(piece, _AND)
    units = parts[:1]
    for part in parts[1:]:
        if _UNIT_END.search(units[-1]):
            units.append(part)
        else:
            units[-1] += "及" + part
    return units


def _shared_levels(names: list[str]) -> list[str]:
    """各区、县（市）政府 kept as one unit: a bare level after 各 + a level joins it."""
    units: list[str] = []
    for name in names:
        if units and _EACH_LEVEL.search(units[-1]) and _BARE_LEVEL.match(name):
            units[-1] += "、" + name
        else:
            units.append(name)
    return units


def read_unit_cell(text: str, default: str) -> CellUnits:
    """A unit cell's units by role. A clause's role words decide its role; a clause without any
    takes the role of the next clause that has some (市财政局,市审计局配合: both 配合), else of the
    label before it (责任单位:X,Y), else `default` (the column's role)."""
    cell = CellUnits()
    pending: list[str] = []  # units of clauses waiting for a role
    current = default
    for clause in top_level_split(text, _CLAUSE_END):
        label = _LABEL.match(clause)
        if label:
            cell.add(current, pending)
            pending, cell.marked = [], True
            current = _LABEL_ROLES.get(label["name"], RESPONSIBLE)
            clause = clause[label.end():]
        role, names = _clause_units(clause)
        if role is None:
            pending += names
            continue
        cell.marked = True
        cell.add(role, pending + names)
        pending = []
    cell.add(current, pending)
    return cell


def _clause_units(clause: str) -> tuple[str | None, list[str]]:
    """(role said in words or None, the clause's unit names without the role words)."""
    prefix = _PREFIX.match(clause)
    body = clause[prefix.end():]
    role = RESPONSIBLE if prefix["with"] else None
    suffix = _ROLE_SUFFIX.search(body)
    if suffix and suffix.start() < len(body):
        role = _SUFFIX_ROLES[suffix.lastgroup or ""]
        body = body[:suffix.start()]
    return role, split_units(body)


def first_leads(cell: CellUnits) -> CellUnits:
    """The rule 列第一位的为牵头单位 applied to a cell that said no role in words."""
    if cell.marked or not (cell.lead or cell.responsible):
        return cell
    names = [*cell.lead, *cell.responsible]
    return CellUnits([names[0]], names[1:], marked=True)


def lead_rules(texts: list[str]) -> tuple[bool, list[str]]:
    """Whether the text above the table or its header says that the first unit of a cell leads,
    and the other rules about leads it states (named to the user, not applied)."""
    applies, others = False, []
    for text in texts:
        folded = normalize(text)
        if FIRST_LEADS.search(folded):
            applies = True
        elif "牵头" in folded and ("第一" in folded or "标注" in folded or "为牵头" in folded):
            others += [match.group(0) for match in LEAD_RULE.finditer(folded)]
    return applies, list(dict.fromkeys(others))
