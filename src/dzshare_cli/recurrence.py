"""Recurring deadlines (每月25日前, 每季度末): one occurrence per period, yielded lazily; pure, no clock.

A recurrence names a day within each period: the `month` of the period (1 = its first month;
by default its last) and the `day` of that month (by default the month's end). A day the month
does not have is clamped to its last day, so 每月31日 is due 28 or 29 February.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache


class Every(str, Enum):
    """How often a recurring deadline falls due; the values are the file format."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        """The length of one period in months."""
        return _MONTHS[self]


_MONTHS = {Every.MONTH: 1, Every.QUARTER: 3, Every.HALF: 6, Every.YEAR: 12}


@dataclass(frozen=True)
class Occurrence:
    """One period of a recurrence: its label (2022-03, 2022-Q1, 2022-H1, 2022) and due date."""

    period: str
    due: date
    first: date  # the period's first day
    last: date  # the period's last day


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """28 to 31: how many days a month has (1 <= month <= 12)."""
    # calendar.monthrange also works out the weekday, which occurrences never need
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _month_after(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` months after a month; plain arithmetic, as occurrences are many."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def period_label(every: Every, first: date) -> str:
    """The label of the period that starts on `first`; the year has four digits, as labels are read."""
    year = f"{first.year:04d}"
    if every is Every.MONTH:
        return f"{year}-{first.month:02d}"
    if every is Every.QUARTER:
        return f"{year}-Q{(first.month - 1) // 3 + 1}"
    if every is Every.HALF:
        return f"{year}-H{(first.month - 1) // 6 + 1}"
    return year


_LABEL_FORMS = {
    Every.MONTH: re.compile(r"(?P<year>\d{4})-(?P<n>\d{2})$"),
    Every.QUARTER: re.compile(r"(?P<year>\d{4})-Q(?P<n>[1-4])$"),
    Every.HALF: re.compile(r"(?P<year>\d{4})-H(?P<n>[12])$"),
    Every.YEAR: re.compile(r"(?P<year>\d{4})$"),
}

LABEL_EXAMPLES = {Every.MONTH: "2022-03", Every.QUARTER: "2022-Q1", Every.HALF: "2022-H1",
                  Every.YEAR: "2022"}


def typed_label(text: str) -> str:
    """A period as people type it, in the form labels are written: 2022-3 -> 2022-03,
    2022q1 / ２０２２－Ｑ１ -> 2022-Q1, 2022年3月 -> 2022-03."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    folded = re.sub(r"^(\d{4})年(\d{1,2})月$", r"\1-\2", folded)
    folded = re.sub(r"^(\d{4})-?([QH])", r"\1-\2", folded)
    month = re.fullmatch(r"(\d{4})[-./](\d{1,2})", folded)
    return f"{month[1]}-{int(month[2]):02d}" if month else folded


def period_start(every: Every, label: str) -> date | None:
    """The first day of the period a label names, None when the label is not of this kind."""
    match = _LABEL_FORMS[every].match(label)
    if not match:
        return None
    number = 1 if every is Every.YEAR else int(match["n"])
    month = (number - 1) * every.months + 1
    if not 1 <= month <= 12 or int(match["year"]) < 1:  # 2022-13, 0000-01
        return None
    return date(int(match["year"]), month, 1)


@dataclass(frozen=True)
class Recurrence:
    """Due once per period, on `day` of the period's `month` (defaults: its last month, month end)."""

    every: Every
    month: int | None = None  # 1 = the period's first month
    day: int | None = None  # 1-31, clamped to the month's last day

    def __post_init__(self) -> None:
        if self.month is not None and not 1 <= self.month <= self.every.months:
            raise ValueError(f"a {self.every.value} has no month {self.month}")
        if self.day is not None and not 1 <= self.day <= 31:
            raise ValueError(f"no month has a day {self.day}")

    def period_of(self, day: date) -> date:
        """The first day of the period that holds `day`."""
        months = self.every.months
        return date(day.year, (day.month - 1) // months * months + 1, 1)

    def occurrence(self, first: date) -> Occurrence:
        """The occurrence of the period that starts on `first`."""
        months = self.every.months
        year, month = _month_after(first.year, first.month, (self.month or months) - 1)
        last_day = days_in_month(year, month)
        due = date(year, month, min(self.day or last_day, last_day))
        last_year, last_month = _month_after(first.year, first.month, months - 1)
        last = date(last_year, last_month, days_in_month(last_year, last_month))
        return Occurrence(period_label(self.every, first), due, first, last)

    def occurrences(self, start: date, end: date | None = None) -> Iterator[Occurrence]:
        """Occurrences due on or after `start` and, with an end, on or before it, in order.

        Lazy and, without an end, endless: the caller decides where to stop.
        """
        first = self.period_of(start)
        year, month = first.year, first.month
        while year <= 9999:  # date() ends there
            found = self.occurrence(date(year, month, 1))
            if end is not None and found.due > end:
                return
            if found.due >= start:
                yield found
            year, month = _month_after(year, month, self.every.months)

    def ordinal(self, start: date, occurrence: Occurrence) -> int:
        """Which occurrence this is (1 = the first) of the recurrence that starts on `start`."""
        first = self.period_of(start)
        periods = ((occurrence.first.year - first.year) * 12 + occurrence.first.month - first.month) // self.every.months
        return periods + (1 if self._counts_first_period(start) else 0)

    @lru_cache(maxsize=1024)  # noqa: B019 - recurrences are few and immutable; asked once per occurrence
    def _counts_first_period(self, start: date) -> bool:
        """Whether the period holding `start` has its occurrence on or after it (then it is the first)."""
        return self.occurrence(self.period_of(start)).due >= start

    def occurrence_of(self, label: str) -> Occurrence | None:
        """The occurrence a period label names (2022-03), None when it names no period of ours."""
        first = period_start(self.every, label)
        return None if first is None else self.occurrence(first)
