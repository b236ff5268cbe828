"""The unit registry: resolving typed names, aliases, groups, and each unit's tasks."""

from datetime import date

import pytest

from dzshare_cli.loader import load_table
from dzshare_cli.models import Unit
from dzshare_cli.query import summarize, unit_tasks
from dzshare_cli.units import (AmbiguousUnitError, Relation, Role, UnitRegistry, UnknownUnitError,
                               fold)
from tests.helpers import MINIMAL_TABLE, write_table


@pytest.fixture(scope="module")
def registry(table):
    return UnitRegistry.from_table(table)


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("市财政局", "市财政局"),  # the name
        ("财政局", "市财政局"),  # an alias
        ("审批局", "市行政审批局"),
        ("号头庄乡", "号头庄回族乡"),
        ("各乡镇（街道）", "各乡镇(街道)"),  # full-width parentheses
        ("各乡镇 (街道)", "各乡镇(街道)"),  # a stray space
        ("东亭", "东亭镇"),  # a unique part of a name
        ("科学技术", "市科学技术局"),
        ("西城乡", "西城乡"),  # exact, although 西城 is also part of 西城区街道
        ("西城区", "西城区街道"),
        ("西城区街道", "西城区街道"),
    ],
)
def test_resolve(registry, typed, unit):
    assert registry.resolve(typed).name == unit


def test_xicheng_is_ambiguous_and_names_both(registry):
    with pytest.raises(AmbiguousUnitError) as caught:
        registry.resolve("西城")
    assert "西城区街道" in str(caught.value) and "西城乡" in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_miss_suggests_the_closest_name(registry):
    with pytest.raises(UnknownUnitError) as caught:
        registry.resolve("市财正局")
    assert str(caught.value) == "'市财正局' is not a known unit; did you mean '市财政局'?"
    assert caught.value.exit_code == 2


def test_a_miss_with_nothing_close(registry):
    with pytest.raises(UnknownUnitError, match="dzshare units lists them all"):
        registry.resolve("教育局")


def test_bundled_registry_declares_every_unit_it_uses(table, registry):
    assert registry.declared
    for task in table.tasks:
        for name in task.units:
            assert registry.exact(name) is not None, name


def test_townships_group_has_the_25_townships(registry):
    members = registry.members(registry.resolve("各乡镇(街道)"))
    assert len(members) == 25
    assert {"西城区街道", "西城乡", "东亭镇", "号头庄回族乡"} <= members


def test_city_departments_group(registry):
    members = registry.members(registry.resolve("市直相关部门"))
    assert {"市财政局", "市行政审批局", "市发展改革局"} <= members
    assert not members & registry.members(registry.resolve("各乡镇(街道)"))


def test_primary_relation_prefers_direct_lead(table, registry):
    approval = registry.resolve("市行政审批局")
    task_one = table.task("1")  # leads it, and is among 市直相关部门 which is responsible
    assert registry.relations(approval, task_one) == [
        Relation(Role.LEAD), Relation(Role.RESPONSIBLE, via="市直相关部门")]
    assert registry.primary_relation(approval, task_one) == Relation(Role.LEAD)


def test_dongting_reaches_exactly_four_tasks_through_the_townships(table, registry):
    entries = unit_tasks(table, registry, registry.resolve("东亭镇"))
    assert [(e.task.id, e.relation) for e in entries] == [
        (task_id, Relation(Role.RESPONSIBLE, via="各乡镇(街道)")) for task_id in (3, 4, 17, 18)]


def test_finance_bureau_leads_16_and_reaches_the_rest_through_groups(table, registry):
    entries = unit_tasks(table, registry, registry.resolve("财政局"))
    by_id = {e.task.id: e.relation for e in entries}
    assert by_id[16] == Relation(Role.LEAD)
    assert by_id[2] == Relation(Role.LEAD, via="市直相关部门")
    assert by_id[11] == Relation(Role.RESPONSIBLE, via="各相关部门")
    assert len(by_id) == 18


def test_role_and_direct_filters(table, registry):
    finance = registry.resolve("市财政局")
    assert [e.task.id for e in unit_tasks(table, registry, finance, direct=True)] == [16]
    assert [e.task.id for e in unit_tasks(table, registry, finance, role=Role.LEAD)] == [2, 9, 10, 14, 15, 16]


def test_summary_counts(table, registry):
    approval = registry.resolve("市行政审批局")
    summary = summarize(approval, unit_tasks(table, registry, approval), date(2022, 1, 15))
    assert (summary.lead, summary.responsible, summary.via_groups) == (5, 1, 11)
    # open milestones of its 17 tasks as of 2022-01-15; overdue: 1, 2, 3, 5, 6, 8
    assert (summary.open_milestones, summary.overdue) == (12, 6)


def test_table_without_units_gets_an_implicit_registry(tmp_path):
    table = load_table(write_table(tmp_path, MINIMAL_TABLE))
    registry = UnitRegistry.from_table(table)
    assert not registry.declared
    assert [unit.name for unit in registry.units] == [
        "市行政审批局", "市直相关部门", "市政务数据共享协调机制", "市财政局"]
    assert registry.resolve("财政").name == "市财政局"
    assert registry.members(registry.resolve("市直相关部门")) == frozenset()


def test_nested_groups(tmp_path):
    body = MINIMAL_TABLE + """\
units:
  - {name: 市行政审批局}
  - {name: 市财政局}
  - {name: 市政务数据共享协调机制, kind: mechanism}
  - {name: 市直相关部门, kind: group, members: [市行政审批局, 财政部门]}
  - {name: 财政部门, kind: group, members: [市财政局]}
"""
    table = load_table(write_table(tmp_path, body))
    registry = UnitRegistry.from_table(table)
    assert registry.members(registry.resolve("市直相关部门")) == {"市行政审批局", "财政部门", "市财政局"}
    finance = registry.resolve("市财政局")
    assert registry.primary_relation(finance, table.task("1")) == Relation(Role.RESPONSIBLE, via="市直相关部门")


def test_membership_cycles_end():
    units = [Unit(name="甲组", kind="group", members=["乙组"]),
             Unit(name="乙组", kind="group", members=["甲组", "某局"]), Unit(name="某局")]
    registry = UnitRegistry(units, declared=True)
    assert registry.members(units[0]) == {"乙组", "某局"}
    assert registry.members(units[1]) == {"甲组", "某局"}


def test_fold():
    assert fold("各乡镇（街道） ") == fold("各乡镇(街道)")
    assert fold("ＡＢＣ") == "abc"
