"""The supervision report: outcomes around the as-of date, per-unit counts through groups."""

from datetime import date

import pytest

from dzshare_cli.loader import load_table
from dzshare_cli.query import milestone_status
from dzshare_cli.report import Counts, Outcome, build_report, outcome
from dzshare_cli.units import UnitRegistry
from tests.helpers import MINIMAL_TABLE, write_table
from tests.test_query import _one


@pytest.mark.parametrize(
    ("as_of", "done", "expected"),
    [
        (date(2022, 6, 30), None, Outcome.DUE_SOON),  # due today
        (date(2022, 7, 1), None, Outcome.OVERDUE),  # due yesterday
        (date(2022, 7, 1), date(2022, 6, 30), Outcome.DONE_ON_TIME),  # done on the due date
        (date(2022, 7, 2), date(2022, 7, 1), Outcome.DONE_LATE),  # done a day late
        (date(2022, 5, 1), None, Outcome.UPCOMING),
        (date(2022, 6, 29), date(2022, 7, 1), Outcome.DUE_SOON),  # done after the as-of date
    ],
)
def test_outcome_around_the_as_of_date(as_of, done, expected):
    assert outcome(milestone_status(_one(done=done), 1, as_of)) is expected


def test_on_time_rate_counts_what_has_fallen_due():
    counts = Counts()
    for done, as_of in [(date(2022, 6, 1), date(2022, 7, 1)), (date(2022, 7, 5), date(2022, 7, 10)),
                        (None, date(2022, 7, 10)), (None, date(2022, 1, 1))]:
        counts.add(milestone_status(_one(done=done), 1, as_of))
    # on time 1, late 1, overdue 1 fell due; the upcoming one does not count
    assert counts.on_time_rate == pytest.approx(1 / 3)
    assert counts.open == 2
    assert Counts().on_time_rate is None


def test_bundled_report_as_of_july_2022(table):
    report = build_report(table, UnitRegistry.from_table(table), date(2022, 7, 1))
    assert report.totals[Outcome.OVERDUE] == 10
    assert [s.task.id for s in report.overdue] == [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]
    assert [s.days_late for s in report.overdue][:2] == [274, 274]
    assert report.totals[Outcome.UPCOMING] == 2  # tasks 5 (second milestone) and 13
    assert report.ongoing_tasks == 12
    assert [line.unit.name for line in report.named] == ["市政务数据共享协调机制"]  # groups are not named


def test_per_unit_counts_go_through_groups(table):
    report = build_report(table, UnitRegistry.from_table(table), date(2022, 7, 1))
    finance = next(line for line in report.units if line.unit.name == "市财政局")
    # leads 16 itself (ongoing) and, as one of 市直相关部门, 2, 9, 10, 14 (all overdue) and 15
    assert (finance.lead.open, finance.lead.by_outcome[Outcome.OVERDUE]) == (4, 4)
    assert finance.overdue_led_directly == 0
    dongting = next(line for line in report.units if line.unit.name == "东亭镇")
    assert (dongting.responsible.open, dongting.responsible.by_outcome[Outcome.OVERDUE]) == (1, 1)
    assert dongting.lead.total == 0


def test_report_narrowed_to_a_unit(table):
    registry = UnitRegistry.from_table(table)
    report = build_report(table, registry, date(2022, 7, 1), unit=registry.resolve("东亭镇"))
    assert [line.unit.name for line in report.units] == ["东亭镇"]
    assert [s.task.id for s in report.overdue] == [3]
    assert report.named == []  # it leads nothing


def test_done_records_count_as_done(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 2021年9月底", "deadline: 2021年9月底\n    done: [{date: 2021-10-05}]")
    table = load_table(write_table(tmp_path, body))
    report = build_report(table, UnitRegistry.from_table(table), date(2022, 1, 15))
    assert report.totals[Outcome.DONE_LATE] == 1
    assert table.tasks[0].deadline.milestones[0].done == date(2021, 10, 5)
