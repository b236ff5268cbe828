"""Milestone states as of a date, due windows, periods and task filters."""

from datetime import date

import pytest

from dzshare_cli.errors import PeriodError
from dzshare_cli.loader import bundled_table_path, load_table
from dzshare_cli.models import Task
from dzshare_cli.query import (DueWindow, Period, State, TaskFilter, due_milestones, filter_tasks,
                               milestone_status, parse_day, parse_period, summarize, task_state, task_statuses,
                               unit_summaries, unit_tasks)
from dzshare_cli.units import UnitRegistry
from tests.helpers import AS_OF, MINIMAL_TABLE, write_table

DUE = date(2022, 6, 30)


def _task(deadline, **fields) -> Task:
    return Task.model_validate({"id": 1, "text": "任务", "lead": ["市财政局"], "deadline": deadline,
                                **fields})


def _one(due=DUE, done=None) -> Task:
    return _task({"milestones": [{"due": due, "done": done}]})


@pytest.mark.parametrize(
    ("as_of", "done", "state", "days_late", "days_left"),
    [
        (date(2022, 7, 1), None, State.OVERDUE, 1, None),  # due yesterday
        (date(2022, 6, 30), None, State.DUE_SOON, None, 0),  # due today is not late
        (date(2022, 5, 31), None, State.DUE_SOON, None, 30),  # exactly soon_days ahead
        (date(2022, 5, 30), None, State.UPCOMING, None, 31),
        (date(2023, 6, 30), None, State.OVERDUE, 365, None),
        (date(2022, 7, 1), date(2022, 6, 30), State.DONE, 0, None),  # done on the due date
        (date(2022, 7, 5), date(2022, 7, 1), State.DONE, 1, None),  # done a day late
        (date(2022, 6, 1), date(2022, 5, 1), State.DONE, 0, None),  # done early
        (date(2022, 6, 20), date(2022, 6, 25), State.DUE_SOON, None, 10),  # done after as-of: still open
        (date(2022, 7, 3), date(2022, 7, 10), State.OVERDUE, 3, None),
    ],
)
def test_milestone_state_around_the_as_of_boundary(as_of, done, state, days_late, days_left):
    status = milestone_status(_one(done=done), 1, as_of, soon_days=30)
    assert (status.state, status.days_late, status.days_left) == (state, days_late, days_left)


def test_soon_days_moves_the_due_soon_edge():
    task = _one()
    assert milestone_status(task, 1, date(2022, 6, 20), soon_days=5).state is State.UPCOMING
    assert milestone_status(task, 1, date(2022, 6, 25), soon_days=5).state is State.DUE_SOON


@pytest.mark.parametrize(
    ("deadline", "as_of", "state"),
    [
        ("长期推进", AS_OF, State.ONGOING),
        ("长期推进;2021年9月底", AS_OF, State.UPCOMING),
        ("长期推进;2021年9月底", date(2021, 9, 15), State.DUE_SOON),
        ("长期推进;2021年9月底", date(2021, 10, 2), State.OVERDUE),
        ("2021年12月底;2022年10月底", date(2022, 1, 1), State.OVERDUE),  # earliest open decides
        ({"milestones": [{"due": "2021-12", "done": "2021-12-01"}, {"due": "2022-10"}]},
         date(2022, 1, 1), State.UPCOMING),
        ({"milestones": [{"due": "2021-12", "done": "2021-12-01"}]}, date(2022, 1, 1), State.DONE),
        ({"ongoing": True, "milestones": [{"due": "2021-12", "done": "2021-12-01"}]},
         date(2022, 1, 1), State.ONGOING),
        (None, AS_OF, State.NO_DEADLINE),
        ({"text": "尽快"}, AS_OF, State.NO_DEADLINE),
    ],
)
def test_task_state(deadline, as_of, state):
    task = _task(deadline)
    assert task_state(task_statuses(task, as_of), task.deadline) is state


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022-06", date(2022, 6, 1), date(2022, 6, 30)),
        ("2022-6", date(2022, 6, 1), date(2022, 6, 30)),
        ("2022-02-14", date(2022, 2, 14), date(2022, 2, 14)),
        ("2022年6月", date(2022, 6, 1), date(2022, 6, 30)),
        ("２０２２年６月", date(2022, 6, 1), date(2022, 6, 30)),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022年6月5日", date(2022, 6, 5), date(2022, 6, 5)),
    ],
)
def test_parse_period(text, first, last):
    assert parse_period(text) == Period(first, last)


@pytest.mark.parametrize("text", ["", "June", "2022-13", "2022-02-30", "22-06", "2022/06/01x", "yesterday"])
def test_parse_period_refuses(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_parse_day_needs_a_day():
    assert parse_day("2021-08-01") == date(2021, 8, 1)
    with pytest.raises(PeriodError, match="single day"):
        parse_day("2021-08")


def _due_ids(table, window, as_of=AS_OF, **kwargs):
    return [s.task.id for s in due_milestones(table.tasks, window, as_of, **kwargs)]


def test_before_is_exclusive_and_by_inclusive(table):
    june = parse_period("2022-06")
    assert _due_ids(table, DueWindow(before=june)) == [1, 2, 3, 5, 6, 8]
    assert _due_ids(table, DueWindow(by=june)) == [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]
    assert _due_ids(table, DueWindow(before=parse_period("2022-07-01"))) == [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]


def test_after_and_combined_windows(table):
    june = parse_period("2022-06")
    assert _due_ids(table, DueWindow(after=june)) == [13, 5]  # 2022-09-30, then 2022-10-31
    assert _due_ids(table, DueWindow(after=parse_period("2021"), before=parse_period("2022-07"))) == [9, 10, 12, 14]


def test_matches_are_sorted_by_due_date_then_table_order(table):
    matches = due_milestones(table.tasks, DueWindow(), AS_OF)
    dues = [m.milestone.due for m in matches]
    assert dues == sorted(dues)
    assert [m.task.id for m in matches if m.milestone.due == date(2021, 12, 31)] == [3, 5, 6, 8]


def test_a_task_with_two_matching_milestones_shows_both(table):
    matches = due_milestones(table.tasks, DueWindow(by=parse_period("2022")), AS_OF)
    assert [(m.task.id, m.number) for m in matches if m.task.id == 5] == [(5, 1), (5, 2)]


def test_ongoing_only_tasks_are_never_due(table):
    ids = set(_due_ids(table, DueWindow()))
    assert ids.isdisjoint({4, 7, 11, 15, 16, 17, 18})


def test_done_milestones_are_left_out_unless_asked():
    task = _task({"milestones": [{"due": "2021-09", "done": "2021-09-20"}, {"due": "2021-12"}]})
    window, as_of = DueWindow(), date(2021, 10, 1)
    assert [m.number for m in due_milestones([task], window, as_of)] == [2]
    assert [m.number for m in due_milestones([task], window, as_of, include_done=True)] == [1, 2]


def test_window_bounds():
    assert DueWindow(before=parse_period("2022-06")).bounds() == [("before", date(2022, 6, 1))]
    assert DueWindow(by=parse_period("2022-06")).bounds() == [("by", date(2022, 6, 30))]
    assert (DueWindow(after=parse_period("2021"), by=parse_period("2022")).bounds()
            == [("after", date(2021, 12, 31)), ("by", date(2022, 12, 31))])
    assert DueWindow().bounds() == []


@pytest.mark.parametrize(
    ("unit", "lead", "ongoing", "search", "ids"),
    [
        ("市财政局", None, None, None, list(range(1, 19))),  # 16 directly, the rest via groups
        (None, "财政局", None, None, [2, 9, 10, 14, 15, 16]),  # an alias; 市直相关部门 leads 2, 9 ...
        (None, "市行政审批局", None, None, [1, 2, 9, 10, 12, 13, 14, 15, 17, 18]),
        ("东亭镇", None, None, None, [3, 4, 17, 18]),  # through 各乡镇(街道)
        ("各乡镇（街道）", None, None, None, [3, 4, 17, 18]),  # full-width parentheses
        (None, None, True, None, [4, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 18]),
        (None, None, None, "区块链", [13]),
        (None, "市直相关部门", None, "安全", [14, 15]),
        ("西城乡", None, True, None, [4, 17, 18]),
    ],
)
def test_filters(table, unit, lead, ongoing, search, ids):
    registry = UnitRegistry.from_table(table)
    task_filter = TaskFilter(unit=registry.resolve(unit) if unit else None,
                             lead=registry.resolve(lead) if lead else None,
                             ongoing=ongoing, search=search)
    assert [t.id for t in filter_tasks(table, registry, task_filter)] == ids


def test_unit_summaries_read_each_task_once_and_agree_with_summarize(tmp_path):
    body = MINIMAL_TABLE.replace("deadline: 长期推进", "deadline: 长期坚持,每月25日前") \
        .replace("responsible: []", "responsible: [市行政审批局]")
    table = load_table(write_table(tmp_path, body))
    registry = UnitRegistry.from_table(table)
    as_of = date(2022, 3, 1)
    one_by_one = [summarize(unit, unit_tasks(table, registry, unit), as_of) for unit in registry.units]
    assert unit_summaries(table, registry, as_of) == one_by_one
    assert any(summary.overdue > 1 for summary in one_by_one)  # the monthly occurrences are counted


def test_tasks_by_unit_is_unit_tasks_for_every_unit_at_once():
    from pathlib import Path

    from dzshare_cli.ledger import load_ledger, read_manifest
    from dzshare_cli.query import tasks_by_unit
    from dzshare_cli.units import UnitRegistry

    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "ledger" / "ledger.yaml"
    for table in (load_table(bundled_table_path()), load_ledger(read_manifest(example)).table):
        registry = UnitRegistry.from_table(table)
        by_unit = tasks_by_unit(table, registry)
        assert sum(map(len, by_unit.values())) > len(table.tasks)  # groups reach many units
        for unit in registry.units:
            assert by_unit.get(unit.name, []) == unit_tasks(table, registry, unit), unit.name
