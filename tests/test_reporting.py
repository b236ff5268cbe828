"""Who has reported in a month (报送情况), and members reporting a group's milestone done."""

from datetime import date

import pytest

from dzshare_cli.errors import UsageError
from dzshare_cli.forms import unit_forms
from dzshare_cli.loader import load_table
from dzshare_cli.models import ProgressNote
from dzshare_cli.query import open_work, task_statuses
from dzshare_cli.report import build_report
from dzshare_cli.reporting import (ReportingPeriod, group_reports, parse_reporting_period, reported_done,
                                   reported_rows, reporting)
from dzshare_cli.units import UnitRegistry
from tests.helpers import write_table

AS_OF = date(2022, 7, 5)
JUNE = ReportingPeriod(2022, 6)

#: 市财政局 leads 1 (due 2022-06-30) and 2 (ongoing) and, as one of 市直相关部门, 3; 市发展改革局
#: has 3 only; 市科学技术局 has 3 and 5; 市审计局's one task is done. Notes: 财政局 (an alias) on
#: the last day of June and mid-June; 发改局 on the first day of July; 科技局 on the last day of
#: May; 市审计局 in June, with no open work left.
TABLE = """\
document: {title: 报送测试表, year: 2022}
units:
  - {name: 市财政局, kind: department, aliases: [财政局]}
  - {name: 市发展改革局, kind: department, aliases: [发改局]}
  - {name: 市科学技术局, kind: department, aliases: [科技局]}
  - {name: 市审计局, kind: department}
  - {name: 市直相关部门, kind: group, members: [市财政局, 市发展改革局, 市科学技术局]}
tasks:
  - id: 1
    text: 完成预算编制。
    lead: [市财政局]
    deadline: 2022年6月底
    progress:
      - {date: 2022-06-30, unit: 财政局, note: 已完成初稿, milestone: 1, status: in_progress}
  - id: 2
    text: 长期推进的工作。
    lead: [市财政局]
    deadline: 长期推进
    progress:
      - {date: 2022-06-15, unit: 市财政局, note: 持续推进}
      - {date: 2022-06-16, unit: 市财政局, note: 又一条}
  - id: 3
    text: 各部门梳理数据目录。
    lead: [市直相关部门]
    deadline: 2022年8月底
    progress:
      - {date: 2022-06-20, unit: 财政局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-07-01, unit: 发改局, note: 已完成, status: done, done_on: 2022-06-30}
  - id: 4
    text: 审计已完成的事项。
    lead: [市审计局]
    deadline: 2022年3月底
    done: [{date: 2022-03-20}]
    progress:
      - {date: 2022-06-05, unit: 市审计局, note: 整改材料已归档}
  - id: 5
    text: 科技项目验收。
    lead: [市科学技术局]
    deadline: 2022年12月底
    progress:
      - {date: 2022-05-31, unit: 科技局, note: 五月进展}
"""


@pytest.fixture
def table(tmp_path):
    return load_table(write_table(tmp_path, TABLE))


def _reporting(table, period=JUNE, as_of=AS_OF, only=None):
    registry = UnitRegistry.from_table(table)
    return reporting(table, registry, period, open_work(table, registry, as_of), only)


def test_who_has_not_reported_most_open_rows_first(table):
    found = _reporting(table)
    # 科技局 wrote on 31 May and 发改局 on 1 July: neither is in June. 科技局 has more open rows.
    assert [(line.unit.name, line.open) for line in found.not_reported] == [("市科学技术局", 2), ("市发展改革局", 1)]


def test_who_has_reported_with_rows_and_latest_note(table):
    found = _reporting(table)
    # 市财政局: the milestone row of task 1 (its note signed with the alias 财政局) and task 2 as
    # one row (two plain notes), latest on the last day of June; task 3's note of 20 June names
    # milestone 1 too. 市审计局 has no open work left but did report.
    assert [(line.unit.name, line.rows, line.last, line.open) for line in found.reported] == [
        ("市审计局", 1, date(2022, 6, 5), 0), ("市财政局", 3, date(2022, 6, 30), 3)]


def test_period_boundaries(table):
    july = _reporting(table, ReportingPeriod(2022, 7))
    assert [line.unit.name for line in july.reported] == ["市发展改革局"]  # the first day of the month counts
    may = _reporting(table, ReportingPeriod(2022, 5))
    assert [(line.unit.name, line.last) for line in may.reported] == [("市科学技术局", date(2022, 5, 31))]
    assert "市财政局" in [line.unit.name for line in may.not_reported]


def test_open_work_is_what_the_forms_hold(table):
    registry = UnitRegistry.from_table(table)
    for as_of in (date(2022, 6, 1), AS_OF, date(2023, 1, 1)):
        forms = {form.unit.name: len(form.rows) for form in unit_forms(table, registry, as_of)}
        assert {unit.name: len(rows) for unit, rows in open_work(table, registry, as_of)} == forms


def test_open_work_of_the_bundled_table_is_what_the_forms_hold():
    from dzshare_cli.loader import bundled_table_path

    table = load_table(bundled_table_path())
    registry = UnitRegistry.from_table(table)
    forms = [(form.unit.name, len(form.rows)) for form in unit_forms(table, registry, date(2022, 6, 1))]
    found = _reporting(table, JUNE, date(2022, 6, 1))
    assert sorted((line.unit.name, line.open) for line in found.not_reported) == sorted(forms)
    assert found.reported == []
    assert len(forms) > 30  # the groups' members are there; the groups themselves are not
    assert "市直相关部门" not in dict(forms)
    # The report reads the forms' rows from the statuses it has read already, narrowed or not.
    for unit in (None, registry.resolve("东亭镇")):
        report = build_report(table, registry, date(2022, 6, 1), unit=unit, period=JUNE)
        assert [(line.unit.name, line.open) for line in report.reporting.not_reported] == [
            (name, rows) for name, rows in sorted(forms, key=lambda form: (-form[1], form[0]))
            if unit is None or name == unit.name]


def test_a_group_note_and_an_undated_note_count_for_no_one(tmp_path):
    # (A unit the registry does not know cannot be in a table that loads: validation refuses it.)
    body = TABLE.replace("      - {date: 2022-05-31, unit: 科技局, note: 五月进展}",
                         "      - {date: 2022-06-02, unit: 市直相关部门, note: 组的汇总}\n"
                         "      - {unit: 科技局, note: 导入的进展, status: in_progress}")
    found = _reporting(load_table(write_table(tmp_path, body)))
    assert [line.unit.name for line in found.reported] == ["市审计局", "市财政局"]
    assert "市科学技术局" in [line.unit.name for line in found.not_reported]


def test_narrowed_to_units(table):
    found = _reporting(table, only={"市发展改革局", "市审计局"})
    assert [line.unit.name for line in found.not_reported] == ["市发展改革局"]
    assert [line.unit.name for line in found.reported] == ["市审计局"]


def test_report_narrowed_to_a_group_shows_its_members(table):
    registry = UnitRegistry.from_table(table)
    report = build_report(table, registry, AS_OF, unit=registry.resolve("市直相关部门"), period=JUNE)
    assert [line.unit.name for line in report.reporting.not_reported] == ["市科学技术局", "市发展改革局"]
    assert [line.unit.name for line in report.reporting.reported] == ["市财政局"]


@pytest.mark.parametrize(("notes", "rows"), [
    ([(0, {"milestone": 1}), (0, {"milestone": 1})], 1),  # the same row twice
    ([(0, {"milestone": 1}), (0, {"milestone": 2})], 2),
    ([(0, {}), (0, {})], 1),  # plain notes on one task: the task, once
    ([(0, {}), (1, {})], 2),
    ([(0, {"milestone": 2}), (0, {})], 1),  # the task's row is already named
    ([(0, {"period": "2022-05"}), (0, {"period": "2022-06"}), (1, {})], 3),
])
def test_reported_rows(notes, rows):
    made = [(position, ProgressNote(date=date(2022, 6, 1), unit="市财政局", note="进展", **about))
            for position, about in notes]
    assert reported_rows(made) == rows


@pytest.mark.parametrize("text", ["2022-6-1", "2022/06", "2022-13", "2022-00", "六月", "", "0000-06"])
def test_a_bad_period_is_a_usage_error(text):
    with pytest.raises(UsageError, match="YYYY-MM") as caught:
        parse_reporting_period(text)
    assert caught.value.exit_code == 2


def test_a_period_knows_its_days():
    period = parse_reporting_period(" 2024-2 ")
    assert (period.label, period.first, period.last) == ("2024-02", date(2024, 2, 1), date(2024, 2, 29))
    assert period.contains(date(2024, 2, 29)) and not period.contains(date(2024, 3, 1))
    assert not period.contains(None)


# group reports -------------------------------------------------------------------------------

def _group_reports(table, as_of):
    registry = UnitRegistry.from_table(table)
    return group_reports(table.tasks, registry, as_of, {id(task): task_statuses(task, as_of) for task in table.tasks})


def test_members_reporting_a_group_milestone_done(table):
    lines = _group_reports(table, AS_OF)
    # 财政局 named milestone 1; 发改局 named none, which on a sole milestone is that one
    assert [(line.status.task.id, line.status.number, line.group.name, line.reported_done, line.members)
            for line in lines] == [(3, 1, "市直相关部门", 2, 3)]


def test_reported_done_names_the_members_group_reports_counts(table):
    registry = UnitRegistry.from_table(table)
    status = task_statuses(table.tasks[2], AS_OF)[0]
    found = reported_done(status, registry, AS_OF)
    # by canonical name, though the notes say 财政局 and 发改局
    assert {name: note.done_on for name, note in found.items()} == {"市财政局": date(2022, 6, 18),
                                                                    "市发展改革局": date(2022, 6, 30)}
    assert len(found) == _group_reports(table, AS_OF)[0].reported_done
    assert list(reported_done(status, registry, date(2022, 6, 25))) == ["市财政局"]


def test_a_note_after_the_as_of_date_is_not_counted_yet(table):
    lines = _group_reports(table, date(2022, 6, 25))
    assert [(line.reported_done, line.members) for line in lines] == [(1, 3)]
    assert _group_reports(table, date(2022, 6, 19)) == []  # no member had said so: no line at all


def test_only_members_of_the_group_and_the_named_milestone_count(tmp_path):
    body = TABLE.replace("deadline: 2022年8月底", "deadline: 2022年7月底;2022年8月底").replace(
        "      - {date: 2022-07-01, unit: 发改局, note: 已完成, status: done, done_on: 2022-06-30}",
        "      - {date: 2022-07-01, unit: 发改局, note: 已完成, status: done, milestone: 2, done_on: 2022-06-30}\n"
        "      - {date: 2022-07-01, unit: 市审计局, note: 已完成, status: done, milestone: 1}\n"
        "      - {date: 2022-07-01, unit: 科技局, note: 推进中, status: in_progress, milestone: 1}\n"
        "      - {date: 2022-07-02, unit: 市财政局, note: 已完成, status: done, milestone: 1}")
    lines = _group_reports(load_table(write_table(tmp_path, body)), AS_OF)
    # milestone 1: 市财政局 twice (counted once); 审计局 is no member; 科技局 did not say done
    assert [(line.status.number, line.reported_done) for line in lines] == [(1, 1), (2, 1)]


def test_a_recurrence_is_matched_by_period(tmp_path):
    body = TABLE.replace("deadline: 2022年8月底", "deadline: 2022年每月25日前").replace(
        "      - {date: 2022-06-20, unit: 财政局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}",
        "      - {date: 2022-06-20, unit: 财政局, note: 已完成, period: 2022-06, status: done, done_on: 2022-06-18}")
    lines = _group_reports(load_table(write_table(tmp_path, body)), AS_OF)
    # 发改局's note names no period: a recurrence has no sole milestone, so it is about none
    assert [(line.status.period, line.reported_done, line.members) for line in lines] == [("2022-06", 1, 3)]


def test_the_report_has_no_group_reports_without_such_notes(tmp_path):
    body = TABLE.replace("status: done, done_on: 2022-06-18", "status: in_progress").replace(
        ", status: done, done_on: 2022-06-30", "")
    table = load_table(write_table(tmp_path, body))
    report = build_report(table, UnitRegistry.from_table(table), AS_OF)
    assert report.group_reports == [] and report.reporting is None
