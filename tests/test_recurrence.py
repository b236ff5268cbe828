"""Recurring deadlines: one occurrence per period, clamped to month ends, yielded lazily."""

from datetime import date
from itertools import islice

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dzshare_cli.recurrence import Every, Occurrence, Recurrence, period_start, typed_label

D = date


def dues(recurrence, start, end=None, count=None):
    found = recurrence.occurrences(start, end)
    return [(o.period, o.due) for o in (islice(found, count) if count else found)]


def test_monthly_on_the_25th_within_a_year():
    assert dues(Recurrence(Every.MONTH, day=25), D(2022, 1, 1), D(2022, 4, 30)) == [
        ("2022-01", D(2022, 1, 25)), ("2022-02", D(2022, 2, 25)), ("2022-03", D(2022, 3, 25)),
        ("2022-04", D(2022, 4, 25))]


def test_an_occurrence_due_before_the_start_is_not_one():
    # A document dated 28 January: January's 25th had passed before it was issued.
    assert dues(Recurrence(Every.MONTH, day=25), D(2022, 1, 28), D(2022, 3, 31)) == [
        ("2022-02", D(2022, 2, 25)), ("2022-03", D(2022, 3, 25))]


def test_the_end_is_inclusive():
    assert dues(Recurrence(Every.MONTH, day=25), D(2022, 1, 1), D(2022, 2, 25))[-1] == ("2022-02", D(2022, 2, 25))
    assert dues(Recurrence(Every.MONTH, day=25), D(2022, 1, 1), D(2022, 2, 24))[-1] == ("2022-01", D(2022, 1, 25))


@pytest.mark.parametrize(
    ("day", "year", "february"),
    [(31, 2024, D(2024, 2, 29)), (31, 2023, D(2023, 2, 28)), (30, 2100, D(2100, 2, 28)),
     (29, 2000, D(2000, 2, 29)), (None, 2024, D(2024, 2, 29)), (28, 2024, D(2024, 2, 28))],
)
def test_a_day_the_month_lacks_is_its_last_day(day, year, february):
    occurrence = Recurrence(Every.MONTH, day=day).occurrence(D(year, 2, 1))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    assert occurrence == Occurrence(f"{year}-02", february, D(year, 2, 1), D(year, 2, 29 if leap else 28))


def test_month_31_keeps_31_in_the_months_that_have_it():
    assert [due for _, due in dues(Recurrence(Every.MONTH, day=31), D(2024, 1, 1), D(2024, 5, 31))] == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]


def test_quarter_ends_across_a_year_boundary():
    assert dues(Recurrence(Every.QUARTER), D(2022, 11, 15), count=3) == [
        ("2022-Q4", D(2022, 12, 31)), ("2023-Q1", D(2023, 3, 31)), ("2023-Q2", D(2023, 6, 30))]


def test_first_month_of_each_quarter_on_the_20th():
    assert dues(Recurrence(Every.QUARTER, month=1, day=20), D(2022, 1, 1), D(2022, 12, 31)) == [
        ("2022-Q1", D(2022, 1, 20)), ("2022-Q2", D(2022, 4, 20)), ("2022-Q3", D(2022, 7, 20)),
        ("2022-Q4", D(2022, 10, 20))]


def test_halves_and_years():
    assert dues(Recurrence(Every.HALF), D(2022, 1, 1), D(2023, 6, 30)) == [
        ("2022-H1", D(2022, 6, 30)), ("2022-H2", D(2022, 12, 31)), ("2023-H1", D(2023, 6, 30))]
    assert dues(Recurrence(Every.YEAR, month=12), D(2021, 3, 1), D(2023, 12, 31)) == [
        ("2021", D(2021, 12, 31)), ("2022", D(2022, 12, 31)), ("2023", D(2023, 12, 31))]
    assert dues(Recurrence(Every.YEAR, month=2, day=29), D(2023, 1, 1), count=2) == [
        ("2023", D(2023, 2, 28)), ("2024", D(2024, 2, 29))]


def test_without_an_end_it_is_endless_and_lazy():
    endless = Recurrence(Every.MONTH, day=1).occurrences(D(2022, 1, 1))
    assert next(islice(endless, 1199, None)).period == "2121-12"  # nothing built beyond what is read


def test_it_stops_at_the_last_representable_year():
    assert dues(Recurrence(Every.YEAR), D(9998, 1, 1))[-1] == ("9999", D(9999, 12, 31))


@pytest.mark.parametrize(
    ("every", "label", "first"),
    [(Every.MONTH, "2022-03", D(2022, 3, 1)), (Every.QUARTER, "2022-Q2", D(2022, 4, 1)),
     (Every.HALF, "2022-H2", D(2022, 7, 1)), (Every.YEAR, "2022", D(2022, 1, 1)),
     (Every.MONTH, "2022-13", None), (Every.MONTH, "2022-Q1", None), (Every.QUARTER, "2022-Q5", None),
     (Every.YEAR, "0000", None), (Every.HALF, "2022", None)],
)
def test_period_labels_read_back(every, label, first):
    assert period_start(every, label) == first


@pytest.mark.parametrize(("every", "month"), [(Every.MONTH, 2), (Every.QUARTER, 4), (Every.HALF, 7)])
def test_a_month_the_period_lacks_is_refused(every, month):
    with pytest.raises(ValueError):
        Recurrence(every, month=month)


@pytest.mark.parametrize("every", list(Every))
def test_the_label_of_an_early_year_reads_back(every):
    # Labels are four-digit years, as `done --period 0999-03` and the file write them.
    occurrence = next(Recurrence(every).occurrences(D(999, 1, 1)))
    assert occurrence.period.startswith("0999")
    assert Recurrence(every).occurrence_of(occurrence.period) == occurrence


@given(st.sampled_from(list(Every)), st.integers(1, 31) | st.none(), st.dates(D(1, 1, 1), D(9998, 1, 1)),
       st.integers(0, 40))
def test_occurrences_are_one_per_period_in_order_inside_their_period(every, day, start, count):
    found = list(islice(Recurrence(every, day=day).occurrences(start), count))
    assert all(o.first <= o.due <= o.last and o.due >= start for o in found)
    assert all(a.last < b.first and (b.first - a.last).days == 1 for a, b in zip(found, found[1:]))
    assert len({o.period for o in found}) == len(found)
    assert all(Recurrence(every, day=day).occurrence_of(o.period) == o for o in found)
    assert [Recurrence(every, day=day).ordinal(start, o) for o in found] == list(range(1, len(found) + 1))


@pytest.mark.parametrize(("typed", "label"), [
    ("2022-3", "2022-03"), ("2022-03", "2022-03"), ("2022/3", "2022-03"), ("2022年3月", "2022-03"),
    ("２０２２－０３", "2022-03"), ("2022q1", "2022-Q1"), ("2022-q1", "2022-Q1"), ("2022 H2", "2022-H2"),
    ("2022", "2022"), ("2022-13", "2022-13"),
])
def test_a_typed_period_reads_as_its_label(typed, label):
    assert typed_label(typed) == label
