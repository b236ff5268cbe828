"""Counting days from an anchor: calendar days, and working days by China's official calendar.

Working days follow the `chinesecalendar` package (holidays and 调休 working weekends, as the
State Council publishes them each year). It is imported on first use only: most tables never
count working days, and its import is not free. A count that reaches a year the calendar does
not cover is refused, never guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import ModuleType

from dzshare_cli.errors import DeadlineError

CALENDAR_YEAR = "calendar-year"  # the problem code of a count beyond the calendar's years
PACKAGE = "chinesecalendar"


def _calendar() -> ModuleType:
    import chinese_calendar  # noqa: PLC0415 - lazy on purpose, see the module docstring

    return chinese_calendar


@lru_cache(maxsize=1)
def calendar_years() -> range:
    """The years whose holidays and 调休 days the installed calendar knows."""
    holidays = _calendar().holidays
    return range(min(holidays).year, max(holidays).year + 1)


def calendar_version() -> str:
    """The installed calendar package's version."""
    from importlib.metadata import version  # noqa: PLC0415

    return version(PACKAGE)


def describe_calendar() -> str:
    """'2004–2026 (chinesecalendar 1.11.0)', for --version and validate."""
    years = calendar_years()
    return f"{years[0]}–{years[-1]} ({PACKAGE} {calendar_version()})"


def _uncovered(day: date) -> DeadlineError:
    years = calendar_years()
    return DeadlineError(
        f"counting working days reaches {day.year}, a year the working-day calendar does not know "
        f"(it knows {years[0]}–{years[-1]})",
        f"write the due date itself, or update the {PACKAGE} package once {day.year}'s holidays are published",
        code=CALENDAR_YEAR)


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day in China (调休 weekends are; public holidays are not)."""
    if day.year not in calendar_years():
        raise _uncovered(day)
    return bool(_calendar().is_workday(day))


def add_working_days(anchor: date, count: int) -> date:
    """The `count`-th working day after `anchor`; the anchor itself is never counted."""
    if count < 1:
        raise ValueError("count working days from 1")
    day = anchor
    for _ in range(count):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def add_days(anchor: date, count: int) -> date:
    """The `count`-th calendar day after `anchor` (N日内): the anchor day is not counted."""
    try:
        return anchor + timedelta(days=count)
    except OverflowError:
        raise DeadlineError(f"{count} days after {anchor} is past the last date there is",
                            "check the anchor date") from None
