"""Documents that carry the division of responsibility in notes, not in a table
(importers/notes.py): each shape that published documents use, read through import_source."""

from __future__ import annotations

import json

import pytest
import yaml

from dzshare_cli import limits
from dzshare_cli.importers.formats import SourceFormat
from dzshare_cli.importers.importer import Imported, format_of, import_source
from dzshare_cli.limits import Limit, LimitError
from tests.cli.helpers import run


def _import(text: str, encoding: str = "utf-8") -> Imported:
    data = text.encode(encoding)
    assert format_of(data, "doc.txt") is SourceFormat.NOTES  # the content tells what it is
    return import_source(data, "doc.txt", year=2022)


def _tasks(text: str) -> list[dict]:
    return yaml.safe_load(_import(text).text)["tasks"]


def _units(task: dict) -> tuple[list[str], list[str]]:
    return task["lead"], task["responsible"]


@pytest.mark.parametrize(("note", "lead", "responsible"), [
    # labels, separated by ；
    ("（牵头单位：区政府办公室、区司法局；责任单位：区政府有关部门）",
     ["区政府办公室", "区司法局"], ["区政府有关部门"]),
    # 〔〕 and a comma between the fields: 责任单位 starts the second field, it is no lead unit
    ("〔牵头单位：区政府办公室，责任单位：区政府有关部门，各街道(功能区)〕",
     ["区政府办公室"], ["区政府有关部门", "各街道(功能区)"]),
    # ASCII punctuation, as copies folded to ASCII have it
    ("(牵头单位:市审批局,市发改委;责任单位:市直各部门)", ["市审批局", "市发改委"], ["市直各部门"]),
    ("(牵头单位:市审批局,责任单位:市直各部门,各县市区)", ["市审批局"], ["市直各部门", "各县市区"]),
    # roles as suffixes
    ("（区政务服务局牵头，区发改局、区审改办、区住建局、区级相关部门配合）",
     ["区政务服务局"], ["区发改局", "区审改办", "区住建局", "区级相关部门"]),
    ("（市政府办公室、市行政审批制度改革工作领导小组办公室牵头，市级各有关部门及各县市区政府按职责分工负责）",
     ["市政府办公室", "市行政审批制度改革工作领导小组办公室"], ["市级各有关部门", "各县市区政府"]),
    # brackets inside unit names stay whole, and do not end or open the note
    ("（市府办〔市大数据局〕牵头，市政府各部门、各县〔区〕政府、各功能区管委会按职责分工负责）",
     ["市府办〔市大数据局〕"], ["市政府各部门", "各县〔区〕政府", "各功能区管委会"]),
    ("（牵头单位：市卫生健康委；责任单位：各县(市、区)政府(管委会)）",
     ["市卫生健康委"], ["各县(市、区)政府(管委会)"]),
    # 等… is published as one item of the list
    ("（牵头单位：区政府办公室；责任单位：区司法局等有关部门）", ["区政府办公室"], ["区司法局等有关部门"]),
], ids=["labels", "brackets-and-comma", "ascii", "ascii-comma", "suffixes", "suffixes-and-ji", "brackets-in-names",
        "parentheses-in-names", "et-cetera"])
def test_a_note_at_the_end_of_a_task_gives_its_units(note, lead, responsible):
    text = "规范行政备案事项管理，编制并公布区级层面设定的行政备案事项清单。"
    [task] = _tasks(f"一、推进简政放权\n1.{text}{note}\n")
    assert task["text"] == text
    assert _units(task) == (lead, responsible)


@pytest.mark.parametrize("colon", ["：", ":"])
def test_label_lines_after_a_task_give_its_units(colon):
    tasks = _tasks(f"""一、经济社会发展的主要预期目标

1.努力实现地区生产总值增长6.2%左右。

牵头单位{colon}区发改局

责任单位{colon}立山经济开发区，全区经济运行各专班

2.固定资产投资增长15%左右。
牵头单位{colon}区发改局
责任单位{colon}立山经济开发区,各街道、区直各部门
""")
    assert [(task["id"], task["text"], *_units(task)) for task in tasks] == [
        (1, "努力实现地区生产总值增长6.2%左右。", ["区发改局"], ["立山经济开发区", "全区经济运行各专班"]),
        (2, "固定资产投资增长15%左右。", ["区发改局"], ["立山经济开发区", "各街道", "区直各部门"])]


def test_only_responsible_lines_are_read_as_a_table_without_a_lead_column():
    # 许昌 2020: no note says who leads. As for a table without a 牵头单位 column, the units are
    # taken as the lead units, and the import says so.
    imported = _import("""一、加强疫情防控
1.做好常态化疫情防控。
责任单位：市疫情防控指挥部办公室、市卫生健康委等,各县(市、区)政府(管委会)
""")
    [task] = yaml.safe_load(imported.text)["tasks"]
    assert task["lead"] == ["市疫情防控指挥部办公室", "市卫生健康委等", "各县(市、区)政府(管委会)"]
    assert any("no 牵头单位 column" in warning for warning in imported.warnings)


def test_only_responsible_lines_and_a_first_unit_leads_rule():
    # 杭州 2020 states the rule in the covering notice: the first unit listed leads.
    [task] = _tasks("""列第一位的责任单位为牵头单位。
一、加强疫情防控
1.做好常态化疫情防控。
责任单位：市卫生健康委、市市场监管局
""")
    assert _units(task) == (["市卫生健康委"], ["市市场监管局"])


@pytest.mark.parametrize(("note", "units", "rule"), [
    ("（牵头单位：市审批局；责任单位：市直各部门，各县市区，以下均需各县市区落实，不再逐一列出）",
     ["市直各部门", "各县市区"], "以下均需各县市区落实，不再逐一列出"),
    ("（责任单位：市工信局、市财政局等有关部门，各县区人民政府、园区管委会。以下政策措施均需各县区人民政府、"
     "园区管委会落实，不再单独列出）",
     ["市工信局", "市财政局等有关部门", "各县区人民政府", "园区管委会"],
     "以下政策措施均需各县区人民政府、园区管委会落实，不再单独列出"),
    ("〔责任单位：省发展改革委、省市场监管局按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕",
     ["省发展改革委", "省市场监管局"], "具体任务均涉及相关市(州)人民政府,不再做分工,下同"),
    ("（牵头单位：市审批局；责任单位：各县（市、区）人民政府（下同），市直各部门）",
     ["各县（市、区）人民政府", "市直各部门"], "下同"),
    ("（责任单位：省大数据局、省工业和信息化厅，各市〔州〕、贵安新区数据管理部门。除专门列出外，以下任务均涉及"
     "各市〔州〕、贵安新区数据管理部门，不再重复）",
     ["省大数据局", "省工业和信息化厅", "各市〔州〕", "贵安新区数据管理部门"],
     "除专门列出外，以下任务均涉及各市〔州〕、贵安新区数据管理部门，不再重复"),
], ids=["jingmen", "huaian", "sichuan", "remark", "exception-first"])
def test_a_standing_rule_in_a_note_is_no_unit_and_is_named(note, units, rule):
    imported = _import(f"1.推进政务公开。{note}\n2.做好信息发布。（牵头单位：市审批局；责任单位：市直各部门）\n")
    first, second = yaml.safe_load(imported.text)["tasks"]
    assert [*_units(first)[0], *_units(first)[1]] == [*(["市审批局"] if "牵头" in note else []), *units]
    assert _units(second) == (["市审批局"], ["市直各部门"])  # the rule is not applied to later tasks
    assert f"line 1: the note states a rule for other tasks, not applied: “{rule}”; add the units it names " \
           "to the tasks it covers by hand" in imported.warnings


def test_headings_are_categories_and_numbers_are_ids():
    tasks = _tasks("""深化“放管服”改革优化营商环境2021年重点任务分工方案
一、推进简政放权，释放发展活力
（一）规范精简审批，进一步提高行政效能。
1.及时承接落实行政权力事项。（牵头单位：区政府办公室）
2、严格落实行政许可设定审查制度。（牵头单位：区司法局）
（二）优化审批服务。
（3）推行告知承诺制。（牵头单位：区行政审批服务局）
二、 加快推进项目建设
4. 加强项目谋划储备。（区发改局牵头，区财政局配合）
""")
    assert [(task["id"], task["text"], task["category"]) for task in tasks] == [
        (1, "及时承接落实行政权力事项。", "一、推进简政放权，释放发展活力 （一）规范精简审批，进一步提高行政效能。"),
        (2, "严格落实行政许可设定审查制度。", "一、推进简政放权，释放发展活力 （一）规范精简审批，进一步提高行政效能。"),
        (3, "推行告知承诺制。", "一、推进简政放权，释放发展活力 （二）优化审批服务。"),
        (4, "加强项目谋划储备。", "二、 加快推进项目建设")]


def test_a_task_numbered_like_a_heading_but_ending_in_a_note_is_a_task():
    tasks = _tasks("一、优化营商环境\n（一）推行告知承诺制。（牵头单位：市审批局）\n（二）推行容缺受理。（市审批局牵头）\n")
    assert [(task["id"], task["text"], task["category"]) for task in tasks] == [
        ("一", "推行告知承诺制。", "一、优化营商环境"), ("二", "推行容缺受理。", "一、优化营商环境")]


def test_a_task_over_several_lines_and_its_sub_items_keep_their_text():
    [task] = _tasks("""一、深化应用
1.推进“一网通办”，
提升便利度。
（1）推行电子证照。
（2）推行电子印章。
（牵头单位：市审批局）
""")
    assert (task["id"], task["text"]) == (1, "推进“一网通办”，提升便利度。（1）推行电子证照。（2）推行电子印章。")


def test_a_sub_heading_with_label_lines_below_it_is_a_task():
    tasks = _tasks("""一、优化营商环境
（一）压减审批时限。
牵头单位：市审批局
（二）推行容缺受理。
牵头单位：市审批局
责任单位：市直各部门
""")
    assert [(task["id"], task["text"], task["category"], *_units(task)) for task in tasks] == [
        ("一", "压减审批时限。", "一、优化营商环境", ["市审批局"], []),
        ("二", "推行容缺受理。", "一、优化营商环境", ["市审批局"], ["市直各部门"])]


def test_a_paragraph_without_units_is_named_not_read_as_a_task():
    imported = _import("""一、工作任务
1.推进政务公开。（牵头单位：市审批局）
各单位要高度重视，认真抓好落实。
""")
    assert [task["text"] for task in yaml.safe_load(imported.text)["tasks"]] == ["推进政务公开。"]
    assert any(warning.startswith("line 3: a paragraph with no units") for warning in imported.warnings)


def test_a_numbered_task_without_units_is_kept_and_lacks_a_lead():
    imported = _import("1.推进政务公开。\n2.做好信息发布。（牵头单位：市审批局）\n")
    tasks = yaml.safe_load(imported.text)["tasks"]
    assert [(task["text"], task["lead"]) for task in tasks] == [("推进政务公开。", []), ("做好信息发布。", ["市审批局"])]
    assert any("task 1 has no lead unit" in warning for warning in imported.warnings)


def test_dates_inside_a_task_text_are_not_its_deadline(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text("""一、提高审批效率
1. 精简项目审批手续。5月底前实现我区中介超市上线运行。（区政务服务局牵头，区发改局配合）
2. 提高环评审批效率。环评报告书14个工作日内完成审批。（区环保局牵头，区水务局配合）
""", encoding="utf-8")
    out = tmp_path / "tasks.yaml"
    assert run("import", str(source), "-o", str(out), "--year", "2016").exit_code == 0
    assert [task.get("deadline") for task in yaml.safe_load(out.read_text("utf-8"))["tasks"]] == [None, None]
    listed = run("list", "-f", str(out), "--as-of", "2016-07-01", "--format", "json")
    assert [(task["state"], task["deadline"]) for task in json.loads(listed.stdout)] == [("no_deadline", None)] * 2


def test_a_deadline_label_in_a_note_is_the_deadline():
    [task] = _tasks("1.建立协调机制。（牵头单位：市行政审批局；完成时限：2022年9月底）\n")
    assert task["deadline"] == "2022年9月底"


def test_a_further_role_label_is_kept_under_its_name():
    [task] = _tasks("1.建立协调机制。\n牵头单位：市审批局\n配合单位：市财政局、市审计局\n")
    assert task["roles"] == {"配合单位": ["市财政局", "市审计局"]}


@pytest.mark.parametrize("text", [
    "1.推进政务公开。（区政务服务局牵头，区发改局配合）\n",
    "1.推进政务公开。\n牵头单位：区发改局\n责任单位：各街道\n",
    "1.推进政务公开。\n责任单位：各街道\n",
    "1.推进政务公开。〔牵头单位：区政府办公室，责任单位：各街道(功能区)〕\n",
], ids=["suffixes", "label-lines", "responsible-lines", "brackets-and-comma"])
def test_notes_documents_are_told_from_the_content(text):
    assert format_of(text.encode("utf-8"), "a.csv") is SourceFormat.NOTES
    assert format_of(text.encode("gb18030"), "a.csv") is SourceFormat.NOTES  # as Chinese Windows saves it


@pytest.mark.parametrize("text", [
    "序号,工作任务,牵头单位,完成时限\n1,推进政务公开。（区政务服务局牵头，区发改局配合）,市审批局,2021年底\n",
    "序号,工作任务,责任单位\n1,推进政务公开。,牵头单位：市审批局\n",
    "这是一段没有任何单位的文字。\n",
], ids=["csv-note-in-a-cell", "csv-label-in-a-cell", "plain-text"])
def test_a_csv_table_or_plain_text_is_not_taken_for_notes(text):
    assert format_of(text.encode("utf-8"), "a.txt") is SourceFormat.CSV


def test_a_text_cut_inside_a_character_is_still_told(monkeypatch):
    # The head read to tell the form may end in the middle of a character.
    data = "1.推进政务公开。（牵头单位：市审批局）\n".encode("utf-8") + "长".encode("utf-8")[:2]
    assert format_of(data, "a.txt") is SourceFormat.NOTES


def test_the_title_is_the_documents_own_not_its_covering_notice():
    imported = _import("""立山经济开发区，各街道办事处，各区直部门：
经区政府同意，现将《立山区政府2023年重点工作任务分解和责任分工方案》印发给你们，请认真贯彻落实。
立山区人民政府
2023年3月28日
（此件公开发布）

立山区政府2023年重点工作
任务分解和责任分工方案

为做好今年政府工作，现就全区2023年重点工作，制定分工方案如下。

一、经济社会发展的主要预期目标
1.努力实现地区生产总值增长6.2%左右。
牵头单位：区发改局
""")
    assert yaml.safe_load(imported.text)["document"]["title"] == "立山区政府2023年重点工作任务分解和责任分工方案"


def test_without_a_title_line_the_text_above_the_tasks_is_kept_as_the_title():
    imported = _import("为促进全区经济平稳较快发展，特制定如下政策措施。\n1. 精简项目审批手续。（区政务服务局牵头）\n")
    assert yaml.safe_load(imported.text)["document"]["title"] == "为促进全区经济平稳较快发展，特制定如下政策措施。"


def test_a_note_broken_over_lines_is_one_note():
    # Text taken out of a PDF breaks lines where the page did, inside a note too.
    tasks = _tasks("""一、优化营商环境
1.推行告知承诺制，压减审批时限。（牵头单位：市审批局；
责任单位：市直各部门，各县
（市、区）政府）
2.推行容缺受理。（牵头单位：市审批局）
""")
    assert [(task["text"], *_units(task)) for task in tasks] == [
        ("推行告知承诺制，压减审批时限。", ["市审批局"], ["市直各部门", "各县（市、区）政府"]),
        ("推行容缺受理。", ["市审批局"], [])]


def test_a_stray_open_bracket_does_not_swallow_the_next_task():
    tasks = _tasks("1.推进“互联网+政务服务”（一期\n建设。（牵头单位：市审批局）\n2.推行容缺受理。（牵头单位：市数据局）\n")
    assert [(task["text"], task["lead"]) for task in tasks] == [
        ("推进“互联网+政务服务”（一期建设。", ["市审批局"]), ("推行容缺受理。", ["市数据局"])]


def test_a_task_text_that_never_ends_is_refused_where_it_starts(monkeypatch):
    # A source whose first numbered line is followed by nothing but text is refused as soon as
    # that one task's text passes the cell limit, naming where it starts, not at the end.
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", Limit("max-cell-chars", 1000, "", "hint"))
    source = "1.推进政务公开。\n" + "继续推进各项工作。\n" * 200 + "长" * 2000 + "\n"
    with pytest.raises(LimitError) as refused:
        import_source(source.encode("utf-8"), "doc.txt", SourceFormat.NOTES)
    assert "the length of a cell (line 1)" in str(refused.value)


def test_several_items_in_one_paragraph_each_end_at_their_note():
    # 池州 2017: sub-items （1）…（n） follow one another in ONE paragraph, each ending in its own
    # note; a bracket inside a text (（以下简称《目录》）) is no note and cuts nothing.
    tasks = _tasks("一、持续减少审批事项\n"
                   "1.深化商事制度改革。（1）落实“多证合一”改革。根据《目录》（以下简称《目录》），全面实行。"
                   "（市工商质监局牵头负责）（2）完善企业登记全程电子化。（市工商质监局牵头负责）"
                   "（3）推行简易注销。（牵头单位：市工商质监局；责任单位：市税务局）\n")
    assert [(task["id"], task["text"], *_units(task)) for task in tasks] == [
        (1, "落实“多证合一”改革。根据《目录》（以下简称《目录》），全面实行。", ["市工商质监局"], []),
        (2, "完善企业登记全程电子化。", ["市工商质监局"], []),
        (3, "推行简易注销。", ["市工商质监局"], ["市税务局"])]
    assert {task["category"] for task in tasks} == {"一、持续减少审批事项 1.深化商事制度改革。"}


@pytest.mark.parametrize("heading", ["1.完善应急预案体系", "1.深化商事制度改革，\n优化营商环境。"],
                         ids=["a-line", "over-two-lines"])
def test_a_numbered_line_without_a_note_above_noted_items_is_their_category(heading):
    tasks = _tasks(f"""一、工作任务
{heading}
（1）加强应急预案管理。（牵头单位：市应急局）
（2）推进应急预案“精编化”。（市应急局牵头，市直各有关单位配合）
3.加强应急队伍建设。（牵头单位：市消防救援支队）
""")
    category = "一、工作任务 " + heading.replace("\n", "")
    assert [(task["text"], task["category"], *_units(task)) for task in tasks] == [
        ("加强应急预案管理。", category, ["市应急局"], []),
        ("推进应急预案“精编化”。", category, ["市应急局"], ["市直各有关单位"]),
        ("加强应急队伍建设。", "一、工作任务", ["市消防救援支队"], [])]


def test_a_numbered_line_on_its_own_above_items_is_their_category_even_without_their_notes():
    # The heading is never glued to its items' text, whatever note follows them.
    tasks = _tasks("1.完善应急预案体系\n（1）加强应急预案管理。\n（2）加强应急预案演练。（牵头单位：市应急局）\n")
    assert [(task["id"], task["text"], task["category"], task["lead"]) for task in tasks] == [
        (1, "加强应急预案管理。", "1.完善应急预案体系", []),  # its note is (2)'s own: no units invented
        (2, "加强应急预案演练。", "1.完善应急预案体系", ["市应急局"])]


def test_item_ids_take_their_headings_number_when_they_would_repeat():
    tasks = _tasks("""1.深化商事制度改革。
（1）全面落实“多证合一”改革。（市工商质监局牵头负责）
（2）完善企业登记全程电子化。（市工商质监局牵头负责）
2.优化投资项目审批。
（1）推行并联审批。（市发改委牵头负责）
""")
    assert [task["id"] for task in tasks] == ["1.1", "1.2", "2.1"]
    assert [task["text"] for task in tasks] == ["全面落实“多证合一”改革。", "完善企业登记全程电子化。", "推行并联审批。"]


def test_one_note_after_a_run_of_items_gives_each_its_units():
    # 运城 2017: ONE note, on a line of its own after the items, names the units of all of them.
    units = ["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"]
    tasks = _tasks("""（一）“一案三制”建设
1.完善应急预案体系
（1）加强应急预案管理，规范应急预案编制。
（2）推进政府及其部门应急预案“精编化”。
（3）加强应急预案演练。
（责任单位：市直各有关单位、各县（市、区）人民政府、各开发区管委会）
""")
    assert [(task["id"], task["text"], [*task["lead"], *task["responsible"]]) for task in tasks] == [
        (1, "加强应急预案管理，规范应急预案编制。", units), (2, "推进政府及其部门应急预案“精编化”。", units),
        (3, "加强应急预案演练。", units)]


def test_a_note_after_a_run_skips_items_that_have_their_own():
    tasks = _tasks("""1.完善应急预案体系
（1）加强应急预案管理。
（2）推进应急预案“精编化”。（牵头单位：市应急局）
（3）加强应急预案演练。
（4）加强应急预案培训。
牵头单位：市委宣传部
责任单位：各县（市、区）人民政府
""")
    assert [(task["id"], *_units(task)) for task in tasks] == [
        (1, [], []),  # before (2)'s own note: no note gives its units
        (2, ["市应急局"], []),
        (3, ["市委宣传部"], ["各县（市、区）人民政府"]),
        (4, ["市委宣传部"], ["各县（市、区）人民政府"])]


def test_a_label_line_of_people_is_neither_text_nor_unit():
    imported = _import("一、重点工作\n1.实施富民行动。\n牵头市领导：汤飞帆\n责任单位：市发改委、市文旅局\n"
                       "2.建设平台。\n责任领导：张三\n责任单位：市财政局\n")
    tasks = yaml.safe_load(imported.text)["tasks"]
    assert [task["text"] for task in tasks] == ["实施富民行动。", "建设平台。"]
    assert [task["lead"] + task["responsible"] for task in tasks] == [["市发改委", "市文旅局"], ["市财政局"]]
    assert any("牵头市领导：汤飞帆" in warning and "people" in warning for warning in imported.warnings)


@pytest.mark.parametrize("rule", ["（第一责任单位为牵头单位，下同）", "（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）"])
def test_a_note_saying_the_first_unit_leads_applies_from_its_task_on(rule):
    tasks = _tasks("一、目标\n1.增长6%。\n责任单位：市发改委、市统计局\n"
                   f"2.投资增长10%。\n责任单位：市发改委、市经信局{rule}\n"
                   "3.收入同步。\n责任单位：市人社局、市农业农村局分别牵头\n"
                   "4.消费增长5%。\n责任单位：市商务局、市财政局\n")
    assert [task["lead"] for task in tasks] == [[], ["市发改委"], ["市人社局", "市农业农村局"], ["市商务局"]]
    assert [task["responsible"] for task in tasks] == [["市发改委", "市统计局"], ["市经信局"], [], ["市财政局"]]
