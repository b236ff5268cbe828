"""Chinese deadline phrasings -> milestones, and the texts that must be refused."""

import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzshare_cli import deadlines
from dzshare_cli.deadlines import (LazyPattern, ParsedDeadline, Within, chinese_number, deadline_text,
                                   normalize, parse_deadline, parse_due)
from dzshare_cli.errors import DeadlineError
from dzshare_cli.recurrence import Every, Recurrence

D = date


@pytest.mark.parametrize(
    ("text", "ongoing", "milestones"),
    [
        # month ends
        ("2021年9月底", False, [(D(2021, 9, 30), None)]),
        ("2021年9月底前", False, [(D(2021, 9, 30), None)]),
        ("2021年9月底前完成", False, [(D(2021, 9, 30), "完成")]),
        ("2021年9月", False, [(D(2021, 9, 30), None)]),
        ("2021年9月份", False, [(D(2021, 9, 30), None)]),
        ("2021年9月末", False, [(D(2021, 9, 30), None)]),
        ("2024年2月底", False, [(D(2024, 2, 29), None)]),  # leap year
        ("2023年2月底", False, [(D(2023, 2, 28), None)]),
        ("2021年12月底", False, [(D(2021, 12, 31), None)]),
        # exact days
        ("2021年9月15日", False, [(D(2021, 9, 15), None)]),
        ("2021年9月15日前", False, [(D(2021, 9, 15), None)]),
        ("2021年9月15号以前", False, [(D(2021, 9, 15), None)]),
        ("2021年10月1日之前完成部署", False, [(D(2021, 10, 1), "完成部署")]),
        # year ends
        ("2021年底", False, [(D(2021, 12, 31), None)]),
        ("2021年底前", False, [(D(2021, 12, 31), None)]),
        ("2021年年底前", False, [(D(2021, 12, 31), None)]),
        ("2021年末", False, [(D(2021, 12, 31), None)]),
        ("到2025年", False, [(D(2025, 12, 31), None)]),
        ("到2025年底", False, [(D(2025, 12, 31), None)]),
        ("力争到2023年底基本建成", False, [(D(2023, 12, 31), "基本建成")]),
        ("2022年基本建成", False, [(D(2022, 12, 31), "基本建成")]),
        # halves and quarters
        ("2022年上半年", False, [(D(2022, 6, 30), None)]),
        ("2022年下半年", False, [(D(2022, 12, 31), None)]),
        ("2022年第一季度", False, [(D(2022, 3, 31), None)]),
        ("2022年一季度", False, [(D(2022, 3, 31), None)]),
        ("2022年第3季度", False, [(D(2022, 9, 30), None)]),
        ("2022年四季度前完成", False, [(D(2022, 12, 31), "完成")]),
        # Chinese numerals
        ("2021年九月底", False, [(D(2021, 9, 30), None)]),
        ("2021年十二月底", False, [(D(2021, 12, 31), None)]),
        ("2021年十月三十一日", False, [(D(2021, 10, 31), None)]),
        ("二〇二一年九月底", False, [(D(2021, 9, 30), None)]),
        # full-width digits, punctuation and stray spaces
        ("２０２１年９月底", False, [(D(2021, 9, 30), None)]),
        (" 2021 年 9 月底 ", False, [(D(2021, 9, 30), None)]),
        ("2021年12月底取得阶段成效；2022年10月底基本建成", False,
         [(D(2021, 12, 31), "取得阶段成效"), (D(2022, 10, 31), "基本建成")]),
        # several segments, each with its goal
        ("2021年12月底取得阶段成效;2022年10月底基本建成", False,
         [(D(2021, 12, 31), "取得阶段成效"), (D(2022, 10, 31), "基本建成")]),
        ("长期推进;2021年12月底取得阶段成效", True, [(D(2021, 12, 31), "取得阶段成效")]),
        ("长期推进，2022年6月底取得明显成效", True, [(D(2022, 6, 30), "取得明显成效")]),
        ("2022年6月底取得明显成效,长期坚持", True, [(D(2022, 6, 30), "取得明显成效")]),
        # a comma inside a goal continues that goal
        ("2022年底前完成平台建设，实现数据共享", False,
         [(D(2022, 12, 31), "完成平台建设,实现数据共享")]),  # goals are read folded
        ("2022年底前完成建设﹐实现共享", False, [(D(2022, 12, 31), "完成建设,实现共享")]),
        # a year-less segment after a dated one is in that segment's year
        ("2022年3月底前完成部署，6月底前全面完成", False,
         [(D(2022, 3, 31), "完成部署"), (D(2022, 6, 30), "全面完成")]),
        ("2022年3月底前完成部署；年底前全面完成", False,
         [(D(2022, 3, 31), "完成部署"), (D(2022, 12, 31), "全面完成")]),
        # a line break (a YAML block scalar) separates segments
        ("2021年9月底取得阶段成效\n2022年6月底全面建成", False,
         [(D(2021, 9, 30), "取得阶段成效"), (D(2022, 6, 30), "全面建成")]),
        # ten-day periods, year and quarter ends, more lead-in words
        ("2021年9月上旬", False, [(D(2021, 9, 10), None)]),
        ("2021年9月中旬前完成", False, [(D(2021, 9, 20), "完成")]),
        ("2021年9月下旬", False, [(D(2021, 9, 30), None)]),
        ("2021年度", False, [(D(2021, 12, 31), None)]),
        ("2021年一季度末", False, [(D(2021, 3, 31), None)]),
        ("确保2021年底前完成", False, [(D(2021, 12, 31), "完成")]),
        ("截止2021年9月底", False, [(D(2021, 9, 30), None)]),
        ("2021年底前全部到位", False, [(D(2021, 12, 31), "全部到位")]),
        ("2021年底一次性完成", False, [(D(2021, 12, 31), "一次性完成")]),
        # open-ended
        ("长期推进", True, []),
        ("持续推进", True, []),
        ("长期坚持", True, []),
        ("常态化推进", True, []),
        # ISO forms
        ("2022-06", False, [(D(2022, 6, 30), None)]),
        ("2022-06-15", False, [(D(2022, 6, 15), None)]),
        ("2022.6.15", False, [(D(2022, 6, 15), None)]),
    ],
)
def test_reads_deadline(text, ongoing, milestones):
    assert parse_deadline(text) == ParsedDeadline(ongoing, tuple(milestones))


@pytest.mark.parametrize(
    ("text", "milestones"),
    [
        ("6月底前", [(D(2021, 6, 30), None)]),
        ("九月底", [(D(2021, 9, 30), None)]),
        ("年底前", [(D(2021, 12, 31), None)]),
        ("上半年", [(D(2021, 6, 30), None)]),
        ("三季度", [(D(2021, 9, 30), None)]),
        ("10月15日前完成", [(D(2021, 10, 15), "完成")]),
    ],
)
def test_yearless_forms_take_the_document_year(text, milestones):
    assert parse_deadline(text, 2021).milestones == tuple(milestones)


@pytest.mark.parametrize("text", ["6月底前", "年底前", "上半年"])
def test_yearless_form_without_document_year_is_an_error(text):
    with pytest.raises(DeadlineError, match="no year") as caught:
        parse_deadline(text, None)
    assert "document.year" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021年13月底", "month 13"),
        ("2021年0月底", "month 0"),
        ("2021年2月30日", "no day 30"),
        ("2023年2月29日", "no day 29"),
        ("2022-13", "month 13"),
        ("2022-02-30", "not a date"),
        ("尽快", "'尽快' is not a deadline"),
        ("截至7月底", "is not a deadline"),
        ("按要求完成", "is not a deadline"),
        ("底前", "is not a deadline"),
        ("长期推进;尽快", "'尽快' is not a deadline"),
        # date parts that cannot be read are refused, never guessed
        ("2021年三四月份", "cannot read"),
        ("2021年十一二月底", "cannot read"),
        ("2021年第五季度", "quarter 5"),
        ("2021年第一、二季度", "cannot read"),
        ("2021年9月12-15日", "cannot read"),
        ("2022年12月至3月", "ends before it starts"),
        ("2023-2021年", "ends before it starts"),
        ("每周五", "is not a deadline"),
        ("每季度12月", "as a recurrence"),
        ("每季度第4个月", "month of the quarter 4"),
        ("每月32日", "day 32"),
        ("每月25日前;每季度末", "second recurrence"),
        ("5个工作日内;10日内", "second count"),
        ("接到交办之日起5个工作日内", "counts from an event"),  # an anchor the table cannot state
        ("反馈后1个月内", "counts from an event"),
        ("以季度为节点", "is not a deadline"),
        ("每个工作日", "is not a deadline"),  # a frequency target, not a deadline
        ("自2022年3月", "cannot read"),
        # words after a date that move it: read as a goal, they would leave a wrong date
        ("每月10个工作日内", "cannot read"),
        ("每月前5个工作日", "cannot read"),
        ("每季度结束后10日内", "cannot read"),
        ("2022年9月最后一个工作日", "cannot read"),
        ("2022年9月以后", "cannot read"),
        ("2022年9月12日之后", "cannot read"),
        ("2022年9月后", "cannot read"),
        ("2022年年中", "cannot read"),
        ("每年年中", "cannot read"),
        ("1000日内", "counts 1000 days"),
        ("印发之日起0个工作日内", "counts 0 days"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_refuses_what_is_not_a_deadline(text, message):
    with pytest.raises(DeadlineError, match=message) as caught:
        parse_deadline(text, 2021)
    assert caught.value.hint  # every refusal says what to write instead


def test_long_text_is_shortened_in_messages():
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("尽快" * 10_000)
    assert len(caught.value.message) < 100


def test_unreadable_text_is_never_dropped_from_a_list_of_segments():
    with pytest.raises(DeadlineError, match="立即"):
        parse_deadline("立即;2021年9月底")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022-06", D(2022, 6, 30)), ("2022-06-15", D(2022, 6, 15)), ("2022年6月底", D(2022, 6, 30)),
     ("2022年", D(2022, 12, 31))],
)
def test_parse_due_reads_one_date(text, expected):
    assert parse_due(text) == expected


@pytest.mark.parametrize("text", ["长期推进", "2022年6月底取得成效", "2021年9月底;2022年9月底"])
def test_parse_due_refuses_anything_but_one_date(text):
    with pytest.raises(DeadlineError, match="single date"):
        parse_due(text)


@pytest.mark.parametrize(("text", "number"), [("九", 9), ("十", 10), ("十二", 12), ("二十", 20),
                                              ("三十一", 31), ("12", 12), ("元", 1)])
def test_chinese_number(text, number):
    assert chinese_number(text) == number


def test_normalize_folds_full_width_and_spaces():
    assert normalize("２０２１年 ９月底；长期推进") == "2021年9月底;长期推进"


@pytest.mark.parametrize(
    ("ongoing", "milestones", "text"),
    [
        (True, [], "长期推进"),
        (False, [(D(2022, 6, 30), "取得明显成效")], "2022年6月底取得明显成效"),
        (True, [(D(2022, 6, 15), None)], "长期推进;2022年6月15日"),
    ],
)
def test_deadline_text_round_trips(ongoing, milestones, text):
    assert deadline_text(ongoing, milestones) == text
    assert parse_deadline(text) == ParsedDeadline(ongoing, tuple(milestones))


@given(st.text(alphabet=st.sampled_from(
    "0123456789年月日底前后上下半季度第一二三四五六七八九十〇长期推进;；,，-.—至到、()从自起每按个工作天内印发之 取得成效")))
@settings(max_examples=600)
def test_any_text_is_read_or_refused_cleanly(text):
    try:
        parsed = parse_deadline(text, 2021)
    except DeadlineError as error:
        assert error.message
    else:
        assert parsed.ongoing or parsed.milestones or parsed.recurrence or parsed.within


@given(st.integers(1949, 2200), st.integers(1, 12))
def test_month_end_phrasing_is_the_last_day_of_the_month(year, month):
    (due, goal), = parse_deadline(f"{year}年{month}月底").milestones
    assert goal is None
    assert due.year == year and due.month == month
    assert (due + timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    ("text", "milestones"),
    [
        # a day written without 日 is that day, never the month's end
        ("2021年9月12", [(D(2021, 9, 12), None)]),
        ("2021年9月12完成", [(D(2021, 9, 12), "完成")]),
        ("2021年9月1", [(D(2021, 9, 1), None)]),
        # ranges are due at their end
        ("(2021-2023年)", [(D(2023, 12, 31), None)]),
        ("（2021-2023年）", [(D(2023, 12, 31), None)]),
        ("2021—2023年", [(D(2023, 12, 31), None)]),
        ("2021年-2023年底前完成", [(D(2023, 12, 31), "完成")]),
        ("2022年至2023年底", [(D(2023, 12, 31), None)]),
        ("2022年3月至6月", [(D(2022, 6, 30), None)]),
        ("2022年9-10月", [(D(2022, 10, 31), None)]),
        ("2021年1-6月", [(D(2021, 6, 30), None)]),
        ("2021年10月1日至12月31日", [(D(2021, 12, 31), None)]),
        ("2021年10月1至12月15", [(D(2021, 12, 15), None)]),
        ("2022年上半年至2023年上半年", [(D(2023, 6, 30), None)]),
        # lists: one milestone per item, the year carried over, the goal shared
        ("2023年3月25日、6月25日、9月25日前", [(D(2023, 3, 25), None), (D(2023, 6, 25), None),
                                            (D(2023, 9, 25), None)]),
        ("2023年3月25日、6月25日前报送", [(D(2023, 3, 25), "报送"), (D(2023, 6, 25), "报送")]),
        ("2022年6月底、2023年6月底", [(D(2022, 6, 30), None), (D(2023, 6, 30), None)]),
        # 到 after a date may begin a goal
        ("2021年9月底到位", [(D(2021, 9, 30), "到位")]),
    ],
)
def test_reads_days_ranges_and_lists(text, milestones):
    parsed = parse_deadline(text)
    assert parsed.milestones == tuple(milestones)
    assert not parsed.ongoing and parsed.recurrence is None and parsed.start is None


@pytest.mark.parametrize(
    ("text", "start", "ongoing"),
    [
        ("从2022年3月起", D(2022, 3, 1), True),
        ("自2022年3月1日起", D(2022, 3, 1), True),
        ("2022年起", D(2022, 1, 1), True),
        ("2022年下半年起", D(2022, 7, 1), True),
        ("自2023年1月1日起施行", D(2023, 1, 1), True),
        ("2023年1月1日起施行", D(2023, 1, 1), True),
    ],
)
def test_a_start_is_open_ended_work_from_the_first_day_it_names(text, start, ongoing):
    parsed = parse_deadline(text)
    assert (parsed.start, parsed.ongoing, parsed.milestones) == (start, ongoing, ())


@pytest.mark.parametrize(
    ("text", "within"),
    [("自2022年3月1日起30日内完成", Within(30, False, "完成")), ("2022年3月起10个工作日内", Within(10, True)),
     ("从2022年3月1日起5个工作日内报送", Within(5, True, "报送"))],
)
def test_a_count_from_a_written_start_counts_from_it(text, within):
    # Never open-ended work: the count is the deadline, and the start its anchor.
    parsed = parse_deadline(text)
    assert (parsed.start, parsed.within, parsed.ongoing) == (D(2022, 3, 1), within, False)


def test_a_list_that_goes_back_in_time_is_refused():
    # 2023年12月25日、1月5日 means January 2024 or a slip; either way not 2023-01-05.
    with pytest.raises(DeadlineError, match="before the date it follows"):
        parse_deadline("2023年12月25日、1月5日")


def test_a_start_with_an_end_is_due_at_the_end():
    parsed = parse_deadline("从2022年3月起至2023年底")
    assert (parsed.start, parsed.ongoing, parsed.milestones) == (D(2022, 3, 1), False, ((D(2023, 12, 31), None),))


@pytest.mark.parametrize(
    ("text", "recurrence", "goal"),
    [
        ("每月25日前", Recurrence(Every.MONTH, day=25), None),
        ("每月25号报送进展", Recurrence(Every.MONTH, day=25), "报送进展"),
        ("每个月5日前", Recurrence(Every.MONTH, day=5), None),
        ("每月底", Recurrence(Every.MONTH), None),
        ("每月末前报送", Recurrence(Every.MONTH), "报送"),
        ("按月", Recurrence(Every.MONTH), None),
        ("每季度末", Recurrence(Every.QUARTER), None),
        ("按季度", Recurrence(Every.QUARTER), None),
        ("每季度第1个月的20日前", Recurrence(Every.QUARTER, month=1, day=20), None),
        ("每季度第一个月10日前", Recurrence(Every.QUARTER, month=1, day=10), None),
        ("每半年", Recurrence(Every.HALF), None),
        ("每年12月底前", Recurrence(Every.YEAR, month=12), None),
        ("每年6月15日前", Recurrence(Every.YEAR, month=6, day=15), None),
        ("按年度", Recurrence(Every.YEAR), None),
    ],
)
def test_reads_recurrences(text, recurrence, goal):
    parsed = parse_deadline(text)
    assert (parsed.recurrence, parsed.recurrence_goal) == (recurrence, goal)
    assert (parsed.start, parsed.end, parsed.ongoing, parsed.milestones) == (None, None, False, ())


@pytest.mark.parametrize(
    ("text", "start", "end", "ongoing"),
    [
        ("2022年起每月25日前", D(2022, 1, 1), None, False),
        ("从2022年3月起每季度末", D(2022, 3, 1), None, False),
        ("2022年每月25日前", D(2022, 1, 1), D(2022, 12, 31), False),
        ("2021-2023年每年12月底前", D(2021, 1, 1), D(2023, 12, 31), False),
        ("2022年3月至6月每月底", D(2022, 3, 1), D(2022, 6, 30), False),
        ("长期坚持,每月25日前", None, None, True),
        ("长期坚持每月25日前", None, None, True),
    ],
)
def test_reads_the_span_of_a_recurrence(text, start, end, ongoing):
    parsed = parse_deadline(text)
    assert parsed.recurrence is not None
    assert (parsed.start, parsed.end, parsed.ongoing) == (start, end, ongoing)


@pytest.mark.parametrize(
    ("text", "within"),
    [
        ("印发之日起10个工作日内", Within(10, True)),
        ("自本通知印发之日起5个工作日内完成", Within(5, True, "完成")),
        ("10个工作日内", Within(10, True)),
        ("十个工作日内", Within(10, True)),
        ("15日内", Within(15, False)),
        ("30天内", Within(30, False)),
        ("印发之日起30日内", Within(30, False)),
    ],
)
def test_reads_counts_of_days(text, within):
    parsed = parse_deadline(text)
    assert parsed.within == within
    assert parsed.milestones == () and not parsed.ongoing


@pytest.mark.parametrize("text", ["每月25日前", "2022年起", "10个工作日内"])
def test_parse_due_refuses_what_is_not_one_date(text):
    with pytest.raises(DeadlineError, match="single date"):
        parse_due(text)


# Texts generated from the grammar of dated deadlines: every date read must lie in the years
# the text names (or, for a year-less text, the document year).
_YEARS = st.integers(1990, 2100)
_MONTHS = st.integers(1, 12)


@st.composite
def _date_phrases(draw, year_written: bool = True) -> tuple[str, set[int]]:
    year = draw(_YEARS)
    lead = f"{year}年" if year_written else ""
    kind = draw(st.sampled_from(["month", "day", "bare_day", "end", "half", "quarter", "year"]))
    month = draw(_MONTHS)
    if kind == "month":
        return f"{lead}{month}月{draw(st.sampled_from(['', '底', '末', '份', '底前']))}", {year}
    if kind in ("day", "bare_day"):
        day = draw(st.integers(1, 28))
        return f"{lead}{month}月{day}{'日' if kind == 'day' else ''}", {year}
    if kind == "half":
        return f"{lead}{draw(st.sampled_from(['上半年', '下半年']))}", {year}
    if kind == "quarter":
        return f"{lead}第{draw(st.integers(1, 4))}季度", {year}
    return (f"{year}年{draw(st.sampled_from(['', '底', '底前', '度']))}", {year}) if year_written \
        else ("年底前", {year})


@st.composite
def deadline_texts(draw) -> tuple[str, set[int]]:
    """(text, the years it names) for dates, ranges and lists."""
    shape = draw(st.sampled_from(["date", "year_range", "month_range", "range", "list"]))
    if shape == "date":
        return draw(_date_phrases())
    if shape == "year_range":
        first, last = sorted((draw(_YEARS), draw(_YEARS)))
        join = draw(st.sampled_from(["-", "—", "至", "~"]))
        text = f"{first}{draw(st.sampled_from(['', '年']))}{join}{last}年{draw(st.sampled_from(['', '底']))}"
        return (f"({text})" if draw(st.booleans()) else text), set(range(first, last + 1))
    if shape == "month_range":
        year = draw(_YEARS)
        first, last = sorted((draw(_MONTHS), draw(_MONTHS)))
        return f"{year}年{first}-{last}月", {year}
    if shape == "range":
        start, years = draw(_date_phrases())
        year = min(years)
        end_year = draw(st.integers(year, year + 5))
        return f"{start}至{end_year}年{draw(st.sampled_from(['底', '上半年', '12月']))}", set(range(year, end_year + 1))
    first, years = draw(_date_phrases())
    items = draw(st.lists(_date_phrases(year_written=False), min_size=1, max_size=3))
    return "、".join([first, *(item for item, _ in items)]), years


@given(deadline_texts(), st.integers(1990, 2100))
@settings(max_examples=500)
def test_no_deadline_text_yields_a_date_outside_its_own_years(case, document_year):
    text, years = case
    try:
        parsed = parse_deadline(text, document_year)
    except DeadlineError as error:
        # A list whose later item falls before an earlier one is fine; a refusal is only for order.
        assert error.code in ("bad-deadline", "impossible-date"), error.message
        return
    dates = [due for due, _ in parsed.milestones] + [parsed.start] * (parsed.start is not None)
    assert dates, text
    assert all(min(years) <= day.year <= max(years) for day in dates), (text, parsed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phrasings seen in published tables and notices
        ("11 月底前", ParsedDeadline(False, ((D(2022, 11, 30), None),))),
        ("2020年年底前", ParsedDeadline(False, ((D(2020, 12, 31), None),))),
        ("年内", ParsedDeadline(False, ((D(2022, 12, 31), None),))),
        ("(2021—2025年)", ParsedDeadline(False, ((D(2025, 12, 31), None),))),
        ("每季度报送一次", ParsedDeadline(False, (), recurrence=Recurrence(Every.QUARTER), recurrence_goal="报送一次")),
        ("从2022年3月起,务于每月25日前", ParsedDeadline(False, (), start=D(2022, 3, 1),
                                                recurrence=Recurrence(Every.MONTH, day=25))),
        ("从2022年第二季度起,要在每个季度第1个月的20日前",
         ParsedDeadline(False, (), start=D(2022, 4, 1), recurrence=Recurrence(Every.QUARTER, month=1, day=20))),
    ],
)
def test_reads_published_phrasings(text, expected):
    assert parse_deadline(text, 2022) == expected


LAZY_PATTERNS = {name: pattern for name, pattern in vars(deadlines).items()
                 if isinstance(pattern, LazyPattern)}


@pytest.mark.parametrize("name", sorted(name for name, pattern in LAZY_PATTERNS.items() if pattern.needs))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_pattern_skipped_for_lacking_its_characters_could_not_have_matched(name, data):
    pattern = LAZY_PATTERNS[name]
    compiled = re.compile(pattern.source, pattern.flags)
    text = data.draw(st.from_regex(compiled, fullmatch=True)) + data.draw(st.text(max_size=3))
    expected = compiled.match(text)
    found = pattern.match(text)
    assert (found and found.span()) == (expected and expected.span())
    assert (pattern.search(text) is None) == (compiled.search(text) is None)


def test_patterns_are_compiled_only_for_the_forms_a_text_uses():
    program = ("from dzshare_cli import deadlines as d; d.parse_deadline('长期推进;2021年12月底取得阶段成效'); "
               "print(sorted(n for n, p in vars(d).items() if isinstance(p, d.LazyPattern) and p._compiled))")
    compiled = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert "_DATE_PHRASE" in compiled
    assert "_RECURRENCE" not in compiled and "_WITHIN" not in compiled and "_YEAR_RANGE" not in compiled
