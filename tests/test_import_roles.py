"""Roles written inside unit cells, further role and progress columns, header synonyms and the
rules about leads that tables state (importers/roles.py, importers/columns.py)."""

from pathlib import Path

import pytest
import yaml

from dzshare_cli.importers.columns import column_field
from dzshare_cli.importers.importer import import_source
from dzshare_cli.importers.roles import LEAD, RESPONSIBLE, lead_rules, read_unit_cell


@pytest.mark.parametrize(("cell", "default", "lead", "responsible"), [
    ("市发展和改革局牵头,市直有关部门配合;各镇(街)参照落实", RESPONSIBLE,
     ["市发展和改革局"], ["市直有关部门", "各镇(街)"]),
    ("市财政局负责", RESPONSIBLE, ["市财政局"], []),
    # 等… stays in the name, as published (tests/fixtures/published/README.md)
    ("市教育局、市卫健委等部门负责落实", LEAD, [], ["市教育局", "市卫健委等部门"]),
    ("市住建局等政府各有关部门按职责分工落实", LEAD, [], ["市住建局等政府各有关部门"]),
    ("按职责分工落实", LEAD, [], []),
    ("各县（市、区）政府", RESPONSIBLE, [], ["各县（市、区）政府"]),
    ("各县（市、区）政府负责", RESPONSIBLE, ["各县（市、区）政府"], []),
    ("市发改委牵头落实", RESPONSIBLE, ["市发改委"], []),
    ("市金融办、人民银行潍坊市中心支行分别牵头落实", RESPONSIBLE, ["市金融办", "人民银行潍坊市中心支行"], []),
    ("办公室牵头,各科室、单位配合", RESPONSIBLE, ["办公室"], ["各科室", "单位"]),
    # a clause without role words takes the role of the next one that has some
    ("市政府各有关部门,各县市区人民政府、功能区管委会负责落实", LEAD, [],
     ["市政府各有关部门", "各县市区人民政府", "功能区管委会"]),
    ("市政府办公室牵头,市级各有关部门及各县市区政府按职责分工负责", RESPONSIBLE,
     ["市政府办公室"], ["市级各有关部门", "各县市区政府"]),
    ("牵头单位：市发改局\n责任单位：各区政府，各开发区", RESPONSIBLE, ["市发改局"], ["各区政府", "各开发区"]),
    ("由市财政局牵头，会同市审计局", RESPONSIBLE, ["市财政局"], ["市审计局"]),
    ("各镇(街区)分别落实", LEAD, [], ["各镇(街区)"]),
    ("市高等教育局", RESPONSIBLE, [], ["市高等教育局"]),  # 等 inside a name is no 等
    # 及 after a name that is no unit's is part of the name (咸宁 2024)
    ("市长江综合门户港及公铁水联运项目建设领导小组成员单位", RESPONSIBLE, [],
     ["市长江综合门户港及公铁水联运项目建设领导小组成员单位"]),
    ("市发展改革局及各相关部门", RESPONSIBLE, [], ["市发展改革局", "各相关部门"]),
    # levels listed before one shared 政府 are one unit (杭州 2021, 咸宁's addressees)
    ("市发改委、市商务局，各区、县（市）政府（管委会）", RESPONSIBLE, [], ["市发改委", "市商务局", "各区、县（市）政府（管委会）"]),
    ("各县、市、区人民政府", RESPONSIBLE, [], ["各县、市、区人民政府"]),
    ("市发改委、各区", RESPONSIBLE, [], ["市发改委", "各区"]),
    ("各区、市财政局", RESPONSIBLE, [], ["各区", "市财政局"]),
])
def test_roles_in_a_unit_cell(cell, default, lead, responsible):
    units = read_unit_cell(cell, default)
    assert (units.lead, units.responsible) == (lead, responsible)


@pytest.mark.parametrize(("header", "field"), [
    ("工作措施", "text"), ("具 体 措 施", "text"), ("重点工作", "text"), ("目标任务", "text"),
    ("时间安排", "deadline"), ("完成期限", "deadline"), ("时限", "deadline"),
    ("进展情况", "progress"), ("推进落实情况", "progress"), ("工作进展", "progress"), ("完成情况", "progress"),
    ("责任科室（单位）", "responsible"), ("主办单位", "lead"),
    ("配合单位", "roles:配合单位"), ("协办单位", "roles:协办单位"), ("数据提供单位", "roles:数据提供单位"),
    ("责任领导", None), ("牵头领导", None), ("备注", None), ("市直有关部门", None),
])
def test_header_synonyms(header, field):
    assert column_field(header) == field


@pytest.mark.parametrize(("header", "field"), [
    # headers seen in published tables (杭州 2021, 绍兴 2020, 厦门 2023) that are no listed synonym:
    # a short name ending in 任务 / 内容 / 要求 / 措施 / 事项 names the task column
    ("重点工作任务", "text"), ("重点工作任务（杭州市2项配合工作）", "text"), ("内容与要求", "text"),
    ("方案内容", "text"), ("改革任务", "text"), ("重点改革事项", "text"),
    # ... but not a deadline, a people or a remark column, nor a sentence in a data cell
    ("时限要求", "deadline"), ("时间要求", "deadline"), ("责任领导", None), ("备注", None),
    ("按要求完成各项任务", None), ("1.完成任务", None),
])
def test_task_column_named_by_its_last_word(header, field):
    assert column_field(header) == field


@pytest.mark.parametrize("rule", ["（第一责任单位为牵头单位，下同）", "列第一位为牵头或汇总单位"])
def test_rules_that_the_first_unit_leads(rule):
    assert lead_rules([rule])[0]


def _import(text: str, year: int | None = None):
    return import_source(text.encode("utf-8"), "t.csv", year=year)


def test_people_columns_are_not_units_and_are_named():
    imported = _import("序号,重点工作,牵头单位,责任领导,完成时限\n1,建设平台。,市审批局,张三,2022年底\n")
    task = yaml.safe_load(imported.text)["tasks"][0]
    assert task["lead"] == ["市审批局"] and "张三" not in str(task)
    assert "columns not imported: 责任领导 (责任领导: people, not units)" in imported.warnings


def test_first_unit_leads_when_the_table_says_so():
    imported = _import("关于…的分工(除标注“分别牵头”外,列第一位的为牵头单位)\n序号,工作任务,责任单位,完成时限\n"
                       "1,任务一。,市财政局、市审计局、市统计局,2022年底\n"
                       "2,任务二。,市发改局、市商务局分别牵头,2022年底\n")
    tasks = yaml.safe_load(imported.text)["tasks"]
    assert [(t["lead"], t["responsible"]) for t in tasks] == [
        (["市财政局"], ["市审计局", "市统计局"]), (["市发改局", "市商务局"], [])]
    assert any("the first unit of each unit cell is its lead" in w for w in imported.warnings)


def test_a_lead_rule_that_cannot_be_applied_is_named():
    imported = _import("注:标注★的单位为牵头单位\n序号,工作任务,责任单位,完成时限\n1,任务一。,市财政局★、市审计局,2022年底\n")
    assert any(w.startswith("a rule about lead units is not applied: '注:标注★的单位为牵头单位'")
               for w in imported.warnings)


def test_lead_rules_are_read_from_text():
    assert lead_rules(["责任单位（列第一位的责任单位为牵头单位或汇总单位）"]) == (True, [])
    assert lead_rules(["市数据共享重点任务分工"]) == (False, [])


def test_progress_rows_keep_their_text_and_an_empty_cell_no_note():
    imported = _import("序号,工作任务,牵头单位,完成时限,进展情况\n1,任务一。,市财政局,2022年底,\"已完成\n初稿。\"\n"
                       "2,任务二。,市审计局,2022年底,\n")
    tasks = yaml.safe_load(imported.text)["tasks"]
    assert tasks[0]["progress"] == [{"note": "已完成初稿。"}] and "progress" not in tasks[1]


def test_year_from_the_title_and_year_option_overrides():
    source = "2022年政务公开工作要点\n序号,工作任务,牵头单位,完成时限\n1,任务一。,市财政局,6月底前\n"
    from_title = _import(source)
    assert yaml.safe_load(from_title.text)["document"]["year"] == 2022
    assert yaml.safe_load(from_title.text)["tasks"][0]["deadline"] == "6月底前"
    chosen = _import(source, year=2023)
    assert yaml.safe_load(chosen.text)["document"]["year"] == 2023
    assert not any("the year the title names" in w for w in chosen.warnings)


def test_a_title_with_two_years_sets_no_year():
    imported = _import("2021—2022年数据共享工作要点\n序号,工作任务,牵头单位,完成时限\n1,任务一。,市财政局,6月底前\n")
    data = yaml.safe_load(imported.text)
    assert "year" not in data["document"] and data["tasks"][0]["deadline"] == {"text": "6月底前"}
    assert any("has no year, and neither --year nor the title names one" in w for w in imported.warnings)


def test_an_impossible_date_is_kept_as_text_and_the_table_loads(tmp_path):
    from tests.cli.helpers import run

    source = tmp_path / "t.csv"
    source.write_text("序号,工作任务,牵头单位,完成时限\n1,任务一。,市财政局,2022年2月30日\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    result = run("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "row 2: the deadline '2022年2月30日' cannot be read as dates" in result.stderr
    assert run("list", "-f", str(out), "--as-of", "2022-03-01").exit_code == 0


def test_a_unit_the_registry_does_not_know_is_an_error_the_user_fixes(tmp_path):
    from tests.cli.helpers import run

    source = tmp_path / "t.csv"
    source.write_text("序号,工作任务,牵头单位,完成时限\n1,任务一。,市财正局,2022年2月底\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    result = run("import", str(source), "-o", str(out), "--units", str(Path(__file__).resolve().parents[1] / "data" / "tasks.yaml"))
    assert result.exit_code == 1, result.output
    assert out.exists() and "error: row 2: tasks[0].lead[0]" in result.stderr
    assert result.stderr.rstrip().endswith("; 1 error to fix before it loads")
