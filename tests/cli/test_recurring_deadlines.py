"""Recurring and counted deadlines through the commands: due, show, list, report, timeline, ics, done --period."""

import json
from datetime import date
from itertools import islice

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from dzshare_cli.exporters.ics import recurrence_rule
from dzshare_cli.recurrence import Every, Recurrence
from tests.cli.helpers import run
from tests.helpers import write_table

RECURRING_TABLE = """\
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
  - id: 3
    text: 建成平台。
    lead: [市财政局]
    deadline: 2022年6月底
"""

COUNTED_TABLE = """\
document:
  title: 通知
  date: 2022-01-28
tasks:
  - id: 1
    text: 制定实施方案。
    lead: [市发展和改革局]
    deadline: 印发之日起5个工作日内
  - id: 2
    text: 报送名单。
    lead: [市财政局]
    deadline: 印发之日起10日内
"""


def _rule_lines(vevent_text: str) -> str:
    """The DTSTART, RRULE and EXDATE lines of an event, as dateutil's rrulestr reads them."""
    return "\n".join(line for line in vevent_text.replace("\r\n ", "").splitlines()
                     if line.startswith(("DTSTART", "RRULE", "EXDATE")))


def _json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_due_lists_each_monthly_occurrence_of_the_window(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    tasks = _json("due", "--by", "2022-03", "--as-of", "2022-03-01", "-f", str(path))
    monthly = next(task for task in tasks if task["id"] == 1)
    assert [(m["due"], m["state"], m["period"]) for m in monthly["milestones"]] == [
        ("2022-01-25", "overdue", "2022-01"), ("2022-02-25", "overdue", "2022-02"),
        ("2022-03-25", "due_soon", "2022-03")]
    quarterly = next(task for task in tasks if task["id"] == 2)
    assert [(m["due"], m["period"]) for m in quarterly["milestones"]] == [("2022-03-31", "2022-Q1")]
    assert monthly["recurrence"] == {"every": "month", "month": None, "day": 25, "start": "2022-01-01",
                                     "end": "2022-12-31", "goal": None, "done": []}
    assert monthly["start"] == "2022-01-01"


def test_due_table_shows_the_occurrences(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    result = run("due", "--by", "2022-03", "--as-of", "2022-03-01", "-f", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("1,")]
    assert [row.split(",")[3] for row in rows] == ["2022-01-25", "2022-02-25", "2022-03-25"]


def test_a_lower_bound_reads_the_first_occurrence_after_it(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    tasks = _json("due", "--after", "2022-09", "--as-of", "2022-03-01", "-f", str(path))
    monthly = next(task for task in tasks if task["id"] == 1)
    assert [(m["due"], m["number"], m["period"]) for m in monthly["milestones"]] == [("2022-10-25", 10, "2022-10")]
    # the occurrences before the window are not listed, but the overdue January still decides the state
    assert monthly["state"] == "overdue"


def test_a_window_skips_done_periods_when_it_finds_the_state(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE.replace(
        "    deadline: 每月25日前\n", "    deadline: 每月25日前\n    done:\n      - {period: 2022-01, date: 2022-01-20}\n"
                                    "      - {period: 2022-02, date: 2022-02-20}\n"))
    tasks = _json("due", "--after", "2022-09", "--as-of", "2022-03-01", "-f", str(path))
    assert next(task for task in tasks if task["id"] == 1)["state"] == "due_soon"  # March's, 24 days left


def test_occurrences_end_with_the_document_year(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    tasks = _json("due", "--as-of", "2023-03-01", "-f", str(path))
    monthly = next(task for task in tasks if task["id"] == 1)
    assert len(monthly["milestones"]) == 12 and monthly["milestones"][-1]["due"] == "2022-12-25"


def test_working_day_count_from_the_document_date(tmp_path):
    path = write_table(tmp_path, COUNTED_TABLE)
    tasks = _json("list", "--as-of", "2022-02-01", "-f", str(path))
    assert [(task["id"], task["milestones"][0]["due"]) for task in tasks] == [(1, "2022-02-09"), (2, "2022-02-07")]
    result = run("validate", str(path), "--as-of", "2022-02-01")
    assert result.exit_code == 0, result.output
    assert "calendar: working days counted by 2004–" in result.stderr


def test_validate_says_nothing_of_the_calendar_for_a_table_without_working_days(tmp_path):
    result = run("validate", str(write_table(tmp_path, RECURRING_TABLE)), "--as-of", "2022-02-01")
    assert result.exit_code == 0 and "calendar" not in result.stderr


def test_a_count_without_an_anchor_is_no_deadline_with_a_warning(tmp_path):
    path = write_table(tmp_path, COUNTED_TABLE.replace("  date: 2022-01-28\n", ""))
    result = run("validate", str(path), "--as-of", "2022-02-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("warning[no-anchor]") == 2
    assert {task["state"] for task in _json("list", "--as-of", "2022-02-01", "-f", str(path))} == {"no_deadline"}
    assert run("validate", str(path), "--strict", "--as-of", "2022-02-01").exit_code == 1


def test_a_recurrence_without_a_start_is_no_deadline_with_a_warning(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE.replace("  year: 2022\n", "").replace(
        "    deadline: 2022年6月底\n", "    deadline: 2022年6月底\n"))
    result = run("validate", str(path), "--as-of", "2022-02-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("warning[no-recurrence-start]") == 2
    states = {task["id"]: task["state"] for task in _json("list", "--as-of", "2022-02-01", "-f", str(path))}
    assert states == {1: "no_deadline", 2: "no_deadline", 3: "upcoming"}


def test_a_task_start_anchors_its_count(tmp_path):
    path = write_table(tmp_path, COUNTED_TABLE.replace(
        "    deadline: 印发之日起10日内\n", "    start: 2023-09-27\n    deadline: 5个工作日内\n"))
    tasks = _json("list", "--as-of", "2023-09-01", "-f", str(path))
    assert tasks[1]["milestones"][0]["due"] == "2023-10-10"  # across 国庆 2023 and its 调休 weekend
    assert tasks[1]["start"] == "2023-09-27"


def test_a_count_beyond_the_calendar_is_refused(tmp_path):
    path = write_table(tmp_path, COUNTED_TABLE.replace("2022-01-28", "2026-12-28"))
    result = run("validate", str(path), "--as-of", "2026-12-28")
    assert result.exit_code == 1
    assert "error[calendar-year]" in result.stdout and "2027" in result.stdout and "2004–2026" in result.stdout


def test_show_names_each_occurrence_by_its_period(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    result = run("show", "1", "--as-of", "2022-02-10", "-f", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "节点 2022-01,2022-01-25 · 逾期 16 天" in result.stdout
    assert "节点 2022-02,2022-02-25 · 15 天后到期" in result.stdout
    assert "2022-03" not in result.stdout  # only the first occurrence after the as-of date


def test_report_counts_overdue_occurrences(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    report = _json("report", "--as-of", "2022-03-01", "-f", str(path))
    assert [(item["task"], item["period"], item["due"]) for item in report["overdue"]] == [
        (1, "2022-01", "2022-01-25"), (1, "2022-02", "2022-02-25")]


def test_timeline_marks_the_months_of_occurrences(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    result = run("timeline", "--as-of", "2022-03-01", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "2022-01 … 2022-06" in result.stdout.splitlines()[0]
    monthly = next(line for line in result.stdout.splitlines() if line.startswith("1 "))
    # Jan and Feb overdue, Mar due soon, and every later month on the axis upcoming: the work
    # does not stop at the next occurrence.
    assert monthly.split()[2:] == ["!", "!", "◆", "◇", "◇", "◇"]


def test_done_period_is_recorded_and_closes_that_occurrence(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    refused = run("done", "1", "--on", "2022-02-20", "-f", str(path))
    assert refused.exit_code == 2
    assert "--period 2022-01" in refused.stderr and "earliest open one is 2022-01" in refused.stderr
    result = run("done", "1", "--period", "2022-02", "--on", "2022-02-20", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "      - period: 2022-02\n        date: 2022-02-20\n" in path.read_text(encoding="utf-8")
    monthly = next(t for t in _json("due", "--by", "2022-03", "--as-of", "2022-03-01", "--all", "-f", str(path))
                   if t["id"] == 1)
    assert [(m["period"], m["state"], m["done"]) for m in monthly["milestones"]] == [
        ("2022-01", "overdue", None), ("2022-02", "done", "2022-02-20"), ("2022-03", "due_soon", None)]
    assert monthly["recurrence"]["done"] == ["2022-02"]
    again = run("done", "1", "--period", "2022-02", "--on", "2022-02-21", "-f", str(path))
    assert again.exit_code == 2 and "already recorded done on 2022-02-20" in again.stderr


@pytest.mark.parametrize(
    ("period", "message"),
    [("2022-Q1", "is not a month; write it as 2022-03"), ("2023-01", "outside task 1's recurrence")],
)
def test_done_period_refuses_what_is_not_an_occurrence(tmp_path, period, message):
    path = write_table(tmp_path, RECURRING_TABLE)
    result = run("done", "1", "--period", period, "--on", "2022-02-20", "-f", str(path))
    assert result.exit_code == 2 and message in result.stderr


def test_done_period_of_a_task_that_does_not_recur_is_refused(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE)
    result = run("done", "3", "--period", "2022-03", "--on", "2022-02-20", "-f", str(path))
    assert result.exit_code == 2 and "does not recur" in result.stderr


@pytest.mark.parametrize(
    ("record", "message"),
    [("{period: 2022-13, date: 2022-02-01}", "'2022-13' is not a month"),
     ("{period: 2023-02, date: 2022-02-01}", "outside the recurrence"),
     ("{period: 2022-02, milestone: 1, date: 2022-02-01}", "not both")],
)
def test_validate_checks_done_periods(tmp_path, record, message):
    path = write_table(tmp_path, RECURRING_TABLE.replace(
        "    deadline: 每月25日前\n", f"    deadline: 每月25日前\n    done:\n      - {record}\n"))
    result = run("validate", str(path), "--as-of", "2022-03-01")
    assert result.exit_code == 1
    assert "error[bad-done]" in result.stdout and message in result.stdout


def test_validate_refuses_a_period_recorded_twice(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE.replace(
        "    deadline: 每月25日前\n", "    deadline: 每月25日前\n    done:\n      - {period: 2022-02, date: 2022-02-01}\n"
                                    "      - {period: 2022-02, date: 2022-02-02}\n"))
    result = run("validate", str(path), "--as-of", "2022-03-01")
    assert result.exit_code == 1 and "recorded done twice" in result.stdout


def test_structured_recurrence_and_count(tmp_path):
    path = write_table(tmp_path, """\
document:
  title: 结构化
  year: 2024
tasks:
  - id: 1
    text: 月末报送。
    lead: [市财政局]
    deadline: {recurrence: {every: month, day: 31, start: 2024-01-01, end: 2024-04-30}}
  - id: 2
    text: 十个工作日内。
    lead: [市财政局]
    start: 2024-09-27
    deadline: {within: {days: 3, working: true}}
""")
    tasks = _json("list", "--as-of", "2024-05-01", "-f", str(path))
    assert [m["due"] for m in tasks[0]["milestones"]] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    assert tasks[0]["deadline"] == "每月31日前"
    assert tasks[1]["milestones"][0]["due"] == "2024-10-08"  # 9-30, 国庆 10-1..7, 10-8 is the third
    assert tasks[1]["deadline"] == "3个工作日内"


def test_ics_has_one_event_with_an_rrule_per_recurrence_and_exdates_for_done_periods(tmp_path):
    path = write_table(tmp_path, RECURRING_TABLE.replace(
        "    deadline: 每月25日前\n", "    deadline: 每月25日前\n    done:\n      - {period: 2022-02, date: 2022-02-20}\n"))
    first = run("list", "--as-of", "2022-03-01", "-f", str(path), "--format", "ics")
    assert first.exit_code == 0, first.output
    calendar = Calendar.from_ical(first.stdout_bytes)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    recurring = [event for uid, event in events.items() if "recurrence" in uid]
    assert len(recurring) == 2  # the monthly and the quarterly task
    monthly = next(event for event in recurring if str(event["uid"]).startswith("task-1-"))
    text = monthly.to_ical().decode()
    assert "RRULE:FREQ=MONTHLY;UNTIL=20221231;INTERVAL=1;BYMONTHDAY=25" in text
    assert "EXDATE;VALUE=DATE:20220225" in text
    expanded = rrulestr(_rule_lines(text), forceset=True, ignoretz=True)
    assert [day.date() for day in expanded] == [date(2022, month, 25) for month in range(1, 13) if month != 2]
    # the UIDs stay the same from run to run
    again = run("list", "--as-of", "2022-06-01", "-f", str(path), "--format", "ics")
    assert {str(e["uid"]) for e in Calendar.from_ical(again.stdout_bytes).walk("VEVENT")} <= set(events)


@pytest.mark.parametrize(
    "recurrence",
    [Recurrence(Every.MONTH, day=31), Recurrence(Every.MONTH, day=30), Recurrence(Every.MONTH, day=29),
     Recurrence(Every.MONTH, day=25), Recurrence(Every.MONTH), Recurrence(Every.QUARTER),
     Recurrence(Every.QUARTER, month=1, day=20), Recurrence(Every.QUARTER, month=2, day=31),
     Recurrence(Every.HALF), Recurrence(Every.HALF, month=2, day=30), Recurrence(Every.YEAR, month=2, day=29),
     Recurrence(Every.YEAR, month=12)],
)
@pytest.mark.parametrize("start", [date(2023, 1, 1), date(2023, 11, 15)])
def test_the_rrule_expands_to_exactly_our_occurrences(recurrence, start):
    from icalendar import Event

    end = date(2028, 12, 31)  # 2024 and 2028 have a 29 February
    ours = [occurrence.due for occurrence in recurrence.occurrences(start, end)]
    event = Event()
    event.add("dtstart", ours[0])
    event.add("rrule", recurrence_rule(recurrence, end))
    expanded = rrulestr(_rule_lines(event.to_ical().decode()), ignoretz=True)
    assert [day.date() for day in expanded] == ours
    assert list(islice((d.date() for d in expanded), 3)) == ours[:3]


EDGE_YEARS_TABLE = """\
document:
  title: 历法两端
  date: 0001-01-05
tasks:
  - id: 1
    text: 每季度总结。
    lead: [市财政局]
    deadline: 每季度末
  - id: 2
    text: 最后一年每月底报送。
    lead: [市财政局]
    deadline: 9999年12月起每月底前
"""


def test_done_period_in_an_early_year(tmp_path):
    path = write_table(tmp_path, EDGE_YEARS_TABLE)
    refused = run("done", "1", "--on", "0001-02-01", "-f", str(path))
    assert refused.exit_code == 2 and "--period 0001-Q1" in refused.stderr
    result = run("done", "1", "--period", "0001-Q1", "--on", "0001-02-01", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "period: 0001-Q1" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("export", "--format", "ics", "-o", "-"),
                                  ("due", "--after", "9999-12"), ("due", "--after", "9999-12-31")])
def test_the_last_day_there_is(tmp_path, args):
    path = write_table(tmp_path, EDGE_YEARS_TABLE)
    result = run(*args, "--as-of", "9999-12-01", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output


def test_a_count_from_a_start_written_in_the_text(tmp_path):
    path = write_table(tmp_path, COUNTED_TABLE.replace("印发之日起10日内", "自2022年3月1日起10个工作日内"))
    tasks = _json("list", "--as-of", "2022-03-01", "-f", str(path))
    assert (tasks[1]["start"], tasks[1]["ongoing"]) == ("2022-03-01", False)
    assert [m["due"] for m in tasks[1]["milestones"]] == ["2022-03-15"]


def test_a_record_that_names_nothing_on_a_task_that_also_recurs_is_ambiguous(tmp_path):
    # One fixed milestone and a recurrence: a bare `date:` could mean either, as `done` says too.
    path = write_table(tmp_path, RECURRING_TABLE.replace(
        "    deadline: 每月25日前\n", "    deadline: 2022年6月底前完成方案;每月25日前报送\n    done:\n      - {date: 2022-02-20}\n"))
    result = run("validate", str(path), "--as-of", "2022-03-01")
    assert result.exit_code == 1 and "error[bad-done]" in result.stdout
    assert "`milestone: 1` or `period: 2022-03`" in result.stdout
    shown = run("show", "1", "--as-of", "2022-03-01", "-f", str(path))  # not silently the fixed milestone
    assert shown.exit_code == 1 and "say which was done" in shown.stderr


def test_a_year_scoped_recurrence_starts_when_the_document_is_issued(tmp_path):
    # 2022年每月25日前 in a document issued on 10 March: January and February were never due.
    table = tmp_path / "t.yaml"
    table.write_text("document: {title: t, date: 2022-03-10}\ntasks:\n"
                     "  - {id: 1, text: 报送。, lead: [市财政局], deadline: 2022年每月25日前}\n"
                     "  - {id: 2, text: 报送。, lead: [市财政局], deadline: 从2022年1月起每月25日前}\n",
                     encoding="utf-8")
    result = run("due", "--by", "2022-03", "--as-of", "2022-03-01", "-f", str(table), "--format", "json")
    assert result.exit_code == 0, result.output
    dues = {task["id"]: [m["due"] for m in task["milestones"]] for task in json.loads(result.stdout)}
    assert dues[1] == ["2022-03-25"]
    # a start the text states (从…起) is taken as written
    assert dues[2] == ["2022-01-25", "2022-02-25", "2022-03-25"]


def test_done_period_takes_a_month_as_people_type_it(tmp_path):
    table = tmp_path / "t.yaml"
    table.write_text("document: {title: t, year: 2022}\ntasks:\n"
                     "  - {id: 1, text: 报送。, lead: [市财政局], deadline: 每月25日前}\n", encoding="utf-8")
    result = run("done", "1", "--period", "2022-3", "--on", "2022-03-20", "-f", str(table))
    assert result.exit_code == 0, result.output
    assert "period: 2022-03" in table.read_text(encoding="utf-8")
