"""Chinese deadline phrasings -> milestones, and the texts that must be refused."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzshare_cli.deadlines import (ParsedDeadline, chinese_number, deadline_text, normalize,
                                   parse_deadline, parse_due)
from dzshare_cli.errors import DeadlineError

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
        ("自2023年1月1日起施行", "is not a deadline"),
        ("按要求完成", "is not a deadline"),
        ("底前", "is not a deadline"),
        ("长期推进;尽快", "'尽快' is not a deadline"),
        # date parts that cannot be read are refused, never guessed
        ("2021年三四月份", "cannot read"),
        ("2021年十一二月底", "cannot read"),
        ("2021年9-10月", "cannot read"),
        ("2021年1-6月", "cannot read"),
        ("2021年第五季度", "quarter 5"),
        ("2021年第一、二季度", "cannot read"),
        ("2021年10月1日至12月31日", "cannot read"),
        ("2023年1月1日起施行", "cannot read"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_refuses_what_is_not_a_deadline(text, message):
    with pytest.raises(DeadlineError, match=message) as caught:
        parse_deadline(text, 2021)
    assert caught.value.hint  # every refusal says what to write instead


def test_a_start_date_is_named_as_such():
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("2023年1月1日起施行")
    assert "start" in caught.value.hint


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


@given(st.text(alphabet=st.sampled_from("0123456789年月日底前后上下半季度第一二三四五六七八九十〇长期推进;；,，-. 取得成效")))
@settings(max_examples=400)
def test_any_text_is_read_or_refused_cleanly(text):
    try:
        parsed = parse_deadline(text, 2021)
    except DeadlineError as error:
        assert error.message
    else:
        assert parsed.ongoing or parsed.milestones


@given(st.integers(1949, 2200), st.integers(1, 12))
def test_month_end_phrasing_is_the_last_day_of_the_month(year, month):
    (due, goal), = parse_deadline(f"{year}年{month}月底").milestones
    assert goal is None
    assert due.year == year and due.month == month
    assert (due + timedelta(days=1)).day == 1
