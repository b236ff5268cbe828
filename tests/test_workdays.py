"""Working days by China's official calendar (holidays and 调休), the anchor day not counted."""

import subprocess
import sys
from datetime import date

import pytest

from dzshare_cli.errors import DeadlineError
from dzshare_cli.workdays import add_days, add_working_days, calendar_years, describe_calendar, is_working_day

D = date


@pytest.mark.parametrize(
    ("anchor", "count", "due"),
    [
        # 春节 2022: 1-31 to 2-6 off; Saturday 1-29 and Sunday 1-30 are 调休 working days.
        (D(2022, 1, 28), 1, D(2022, 1, 29)),
        (D(2022, 1, 28), 2, D(2022, 1, 30)),
        (D(2022, 1, 28), 3, D(2022, 2, 7)),
        (D(2022, 1, 28), 5, D(2022, 2, 9)),
        # 国庆 2023: 9-29 to 10-6 off; Saturday 10-7 and Sunday 10-8 are 调休 working days.
        (D(2023, 9, 27), 1, D(2023, 9, 28)),
        (D(2023, 9, 27), 2, D(2023, 10, 7)),
        (D(2023, 9, 27), 5, D(2023, 10, 10)),
        # an ordinary week: Friday + 1 is Monday
        (D(2022, 3, 4), 1, D(2022, 3, 7)),
        # a holiday as the anchor: counting starts the day after
        (D(2023, 10, 1), 1, D(2023, 10, 7)),
    ],
)
def test_working_days_skip_holidays_and_count_the_adjusted_weekends(anchor, count, due):
    assert add_working_days(anchor, count) == due


def test_the_adjusted_weekend_days_are_working_days():
    assert [is_working_day(D(2022, 1, day)) for day in (29, 30, 31)] == [True, True, False]
    assert [is_working_day(D(2023, 10, day)) for day in (6, 7, 8)] == [False, True, True]


def test_a_count_into_a_year_the_calendar_does_not_know_is_refused():
    last = calendar_years()[-1]
    with pytest.raises(DeadlineError) as caught:
        add_working_days(D(last, 12, 24), 10)
    assert caught.value.code == "calendar-year"
    assert f"reaches {last + 1}" in caught.value.message
    assert f"{calendar_years()[0]}–{last}" in caught.value.message


def test_2027_is_refused_with_chinesecalendar_1_11():
    with pytest.raises(DeadlineError, match="reaches 2027"):
        add_working_days(D(2026, 12, 28), 5)


def test_calendar_days_do_not_count_the_anchor():
    assert add_days(D(2022, 1, 28), 10) == D(2022, 2, 7)
    assert add_days(D(2024, 2, 28), 1) == D(2024, 2, 29)


def test_calendar_years_and_description():
    assert calendar_years()[0] == 2004 and 2026 in calendar_years()
    assert describe_calendar().startswith("2004–") and "chinesecalendar" in describe_calendar()


def test_the_calendar_is_not_imported_until_used():
    code = ("import sys, dzshare_cli.workdays, dzshare_cli.deadlines, dzshare_cli.models; "
            "print('chinese_calendar' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
