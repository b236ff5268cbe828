"""The unit registry: canonical names, aliases, groups, and resolving the names users type."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from dzshare_cli.deadlines import normalize
from dzshare_cli.errors import Finding, UsageError
from dzshare_cli.models import Task, TaskTable, Unit, UnitKind


#: A ledger asks about the same few hundred unit names for each of its 100,000 tasks.
@lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """Compare names and search text ignoring full-/half-width, white space and case."""
    return normalize(text).casefold()


class Role(str, Enum):
    """A unit's part in a task: 牵头 (lead), 责任 (responsible), or a further role a table names in
    a column of its own (配合单位, 协办单位: other); values are the JSON contract."""

    LEAD = "lead"
    RESPONSIBLE = "responsible"
    OTHER = "other"


_ROLE_ORDER = {Role.LEAD: 0, Role.RESPONSIBLE: 1, Role.OTHER: 2}


@dataclass(frozen=True)
class Relation:
    """How a unit takes part in a task: its role, the group it is reached through (or None), and
    for a further role the published name of its column (label, e.g. 配合单位)."""

    role: Role
    via: str | None = None
    label: str | None = None

    @property
    def rank(self) -> tuple[bool, int]:
        """Direct before via a group, lead before responsible before further roles: the smallest
        rank is the primary."""
        return (self.via is not None, _ROLE_ORDER[self.role])


class UnknownUnitError(UsageError):
    """A typed unit name that matches no unit; the message suggests the closest names."""


class AmbiguousUnitError(UsageError):
    """A typed unit name that is part of several unit names; the message lists them."""


class UnitRegistry:
    """Every unit of a table by canonical name, with alias lookup and group membership.

    A table that declares no `units:` gets an implicit registry of the names its tasks use,
    without aliases or groups, so that a freshly imported table can still be queried.
    """

    def __init__(self, units: Iterable[Unit], declared: bool) -> None:
        self.units: list[Unit] = list(units)
        self.declared = declared
        self._by_name = {unit.name: unit for unit in self.units}
        self._by_folded: dict[str, Unit] = {}
        for unit in self.units:
            for spelling in (unit.name, *unit.aliases):
                self._by_folded.setdefault(fold(spelling), unit)
        self._members: dict[str, frozenset[str]] = {}

    @classmethod
    def from_table(cls, table: TaskTable) -> UnitRegistry:
        if table.units is not None:
            return cls(table.units, declared=True)
        # Spellings that compare equal (各乡镇（街道） and 各乡镇(街道)) are one unit, named as
        # first written.
        names: dict[str, str] = {}
        for task in table.tasks:
            for name in task.units:
                names.setdefault(fold(name), name)
        return cls((Unit(name=name) for name in names.values()), declared=False)

    def exact(self, name: str) -> Unit | None:
        """The unit whose name or alias is `name`, ignoring full-/half-width and spaces."""
        return self._by_folded.get(fold(name))

    def resolve(self, query: str) -> Unit:
        """What a user typed -> one unit: exact name or alias, else a unique part of one."""
        unit = self.exact(query)
        if unit is not None:
            return unit
        wanted = fold(query)
        candidates = [unit for unit in self.units
                      if wanted and any(wanted in fold(s) for s in (unit.name, *unit.aliases))]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            names = "、".join(unit.name for unit in candidates)
            raise AmbiguousUnitError(f"'{query}' matches {len(candidates)} units: {names}; "
                                     "type more of the name")
        raise UnknownUnitError(f"'{query}' is not a known unit; "
                               f"{self.did_you_mean(query) or 'dzshare units lists them all'}")

    def suggest(self, name: str) -> list[str]:
        """The canonical names closest to a misspelt one."""
        spellings = {fold(s): unit.name for unit in self.units for s in (unit.name, *unit.aliases)}
        close = difflib.get_close_matches(fold(name), list(spellings), n=3, cutoff=0.6)
        return list(dict.fromkeys(spellings[s] for s in close))

    def did_you_mean(self, name: str) -> str | None:
        """"did you mean 'X'?" for a misspelt name, or None when nothing is close."""
        close = self.suggest(name)
        return f"did you mean {' or '.join(repr(n) for n in close)}?" if close else None

    def members(self, group: Unit) -> frozenset[str]:
        """Every unit inside a group, following groups nested in it (cycles are cut)."""
        if group.name not in self._members:
            found: set[str] = set()
            pending = list(group.members)
            while pending:
                unit = self.exact(pending.pop())
                if unit is None or unit.name in found or unit.name == group.name:
                    continue
                found.add(unit.name)
                pending.extend(unit.members)
            self._members[group.name] = frozenset(found)
        return self._members[group.name]

    def relations(self, unit: Unit, task: Task) -> list[Relation]:
        """Every way `unit` takes part in `task`, the primary one first."""
        found = []
        for role, label, names in named_roles(task):
            for name in names:
                named = self.exact(name)
                if named is None:
                    continue
                if named.name == unit.name:
                    found.append(Relation(role, label=label))
                elif unit.name in self.members(named):
                    found.append(Relation(role, via=named.name, label=label))
        # dict.fromkeys, not set(): among equal ranks the table's order (of roles) decides.
        return sorted(dict.fromkeys(found), key=lambda relation: (relation.rank, relation.via or ""))

    def primary_relation(self, unit: Unit, task: Task) -> Relation | None:
        relations = self.relations(unit, task)
        return relations[0] if relations else None


def named_roles(task: Task) -> list[tuple[Role, str | None, list[str]]]:
    """(role, label, unit names) of a task: lead, responsible, then each further role column."""
    return [(Role.LEAD, None, task.lead), (Role.RESPONSIBLE, None, task.responsible),
            *((Role.OTHER, label, names) for label, names in task.roles.items())]


_DECLARE_IT = "declare it under units:, or fix the name"


def unit_findings(table: TaskTable, check_tasks: bool = True) -> list[Finding]:
    """Problems of a declared registry, and (unless told not to) task unit names it does not know."""
    if table.units is None:
        return []
    registry = UnitRegistry(table.units, declared=True)
    # In a ledger (check_tasks False) a name may be declared in another file: the ledger checks
    # task units and group members against the registry of all its files.
    return [*_registry_findings(registry, check_members=check_tasks),
            *(task_unit_findings(table, registry) if check_tasks else [])]


def _registry_findings(registry: UnitRegistry, check_members: bool = True) -> list[Finding]:
    findings = []
    owner: dict[str, str] = {}
    for index, unit in enumerate(registry.units):
        spellings = [("name", None, unit.name)] + [("aliases", j, a) for j, a in enumerate(unit.aliases)]
        for field, position, spelling in spellings:
            key = fold(spelling)
            loc = ("units", index, field) if position is None else ("units", index, field, position)
            if key in owner and owner[key] != unit.name:
                findings.append(Finding(loc, f"'{spelling}' is already the name or an alias of "
                                        f"'{owner[key]}'", "a name may belong to one unit only",
                                        "duplicate-unit"))
            elif key in owner and field == "name":
                findings.append(Finding(loc, f"unit '{unit.name}' is declared twice",
                                        "merge the two entries", "duplicate-unit"))
            owner.setdefault(key, unit.name)
        if unit.members and unit.kind not in (None, UnitKind.GROUP):
            findings.append(Finding(("units", index, "members"), f"'{unit.name}' has members but "
                                    f"is a {unit.kind.value}", "set kind: group", "bad-group"))
        for position, member in enumerate(unit.members):
            loc = ("units", index, "members", position)
            named = registry.exact(member)
            if named is None and check_members:
                findings.append(Finding(loc, f"group member '{member}' is not a known unit",
                                        registry.did_you_mean(member) or _DECLARE_IT, "unknown-unit"))
            elif named is not None and (named.name == unit.name or unit.name in registry.members(named)):
                findings.append(Finding(loc, f"group '{unit.name}' contains itself through "
                                        f"'{member}'", "remove the member", "bad-group"))
    return findings


def task_unit_findings(table: TaskTable, registry: UnitRegistry) -> list[Finding]:
    named = [(("tasks", index, field, position), name)
             for index, task in enumerate(table.tasks)
             for field in ("lead", "responsible")
             for position, name in enumerate(getattr(task, field))]
    named += [(("tasks", index, "roles", label, position), name)
              for index, task in enumerate(table.tasks)
              for label, names in task.roles.items()
              for position, name in enumerate(names)]
    named += [(("tasks", index, "progress", position, "unit"), note.unit)
              for index, task in enumerate(table.tasks)
              for position, note in enumerate(task.progress) if note.unit is not None]
    return [Finding(loc, f"'{name}' is not a known unit", registry.did_you_mean(name) or _DECLARE_IT,
                    "unknown-unit")
            for loc, name in named if registry.exact(name) is None]


def member_findings(units: list[Unit], registry: UnitRegistry) -> list[tuple[int, Finding]]:
    """Group members the registry does not know, as (position of the group in `units`, finding)."""
    return [(index, Finding(("units", index, "members", position), f"group member '{member}' is not a known unit",
                            registry.did_you_mean(member) or _DECLARE_IT, "unknown-unit"))
            for index, unit in enumerate(units) for position, member in enumerate(unit.members)
            if registry.exact(member) is None]
