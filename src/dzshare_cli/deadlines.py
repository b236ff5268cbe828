"""Chinese deadline text (完成时限) -> open-ended flag plus dated milestones; pure, no clock.

A milestone's due date is the *last* day of the period the text names: 2021年9月底 and
2021年9月 are both due 2021-09-30, 2021年下半年 is due 2021-12-31. Text that does not start
with a recognisable date is an error, never a guess: 尽快, 截至7月底 and 自2023年1月1日起施行
are not deadlines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dzshare_cli.errors import DeadlineError, quoted
from dzshare_cli.recurrence import Every, Recurrence, days_in_month


class LazyPattern:
    """A regular expression compiled when first used, not at import.

    Compiling the patterns below took ~15 ms of every start-up, most of it for forms (每月25日前,
    2021-2023年, 10个工作日内) that many tables never use. `needs` lists characters one of which
    every match holds: text without any of them cannot match, so the pattern is neither tried
    nor compiled for it.
    """

    __slots__ = ("source", "flags", "needs", "_compiled")

    def __init__(self, source: str, flags: int = 0, needs: str = "") -> None:
        self.source, self.flags, self.needs = source, flags, needs
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    def _may_match(self, text: str) -> bool:
        return not self.needs or any(char in text for char in self.needs)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text) if self._may_match(text) else None

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text) if self._may_match(text) else None

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text) if self._may_match(text) else [text]


#: Segment separators, after NFKC folding (；→; and ，→,); a line break separates segments too.
_SEPARATORS = LazyPattern(r"([;,])")

#: Open-ended segments: the task never falls "due", it is worked on continuously.
_ONGOING = LazyPattern(r"(长期|持续|常态化)(推进|坚持|开展|实施|执行)?", needs="长持常")

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: 1 to 99 in Chinese numerals: 九, 十, 十二, 二十, 三十一 (not 三四, which is a range).
_CN_NUMBER = r"[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_NUM = rf"\d{{1,2}}|{_CN_NUMBER}"
_YEAR = r"\d{4}|[〇零一二三四五六七八九]{4}"
#: A day written without 日 (2021年9月12) is a day only in digits, and not the start of a count.
_BARE_DAY = r"\d{1,2}(?![\d个项万千%月])"
#: What joins the two ends of a range: 2021-2023年, 2021—2023年, 3月至6月, 9月到12月.
_RANGE_JOIN = "-~–—至到"

_DATE_PHRASE = LazyPattern(
    rf"""
    (?P<prefix>(?:力争|争取|确保|截止)?(?:到|于|在)?)
    (?:(?P<year>{_YEAR})年)?
    (?:
        (?P<month>{_NUM}|元|正)月
            (?:(?P<day>{_NUM})[日号]|(?P<bare_day>{_BARE_DAY})|(?P<dekad>上旬|中旬|下旬)
               |(?P<month_end>底|末|份))?
      | (?P<half>上半年|下半年)
      | 第?(?P<quarter>{_NUM})季度(?:末|底)?
      | (?P<year_end>年?(?:底|末|内)|度)
    )?
    (?:以前|之前|前)?
    """,
    re.VERBOSE,
)

_ISO_DATE = LazyPattern(r"(?P<year>\d{4})[-./](?P<month>\d{1,2})(?:[-./](?P<day>\d{1,2}))?", needs="-./")

#: 2021-2023年, 2021年—2023年底: due at the end of the last year.
_YEAR_RANGE = LazyPattern(
    rf"(?:力争|争取|确保)?(?:到|于|在)?(?P<first>\d{{4}})年?[{_RANGE_JOIN}](?P<last>\d{{4}})(?:年(?:底|末|度)?|(?!\d))(?:以前|之前|前)?",
    needs=_RANGE_JOIN)
#: 2022年9-10月: due at the end of the last month.
_MONTH_RANGE = LazyPattern(
    rf"(?:(?P<year>{_YEAR})年)?(?P<first>{_NUM})月?[{_RANGE_JOIN}](?P<last>{_NUM})月(?:底|末|份)?(?:以前|之前|前)?",
    needs=_RANGE_JOIN)

#: A start: 从2022年3月起, 自2022年3月1日起, 2022年起 (the 从/自 is read here, 起 after the date).
_START_WORD = LazyPattern(r"从|自", needs="从自")
_START_END = LazyPattern(r"起|开始", needs="起开")

#: 每月25日前, 每月底, 每季度末, 每季度第1个月的20日前, 每半年, 每年12月底前, 按月, 按季度, 按年度.
_RECURRENCE = LazyPattern(
    rf"""
    (?:务必?|要|应|须|需)?(?:于|在)?  # 务于每月25日前, 要在每个季度…: how notices word it
    (?:每|按|逐)个?
    (?:(?P<month>月)|(?P<quarter>季度?)|(?P<half>半年)|(?P<year>年度?))
    (?:第(?P<nth>{_NUM})个?月的?)?
    (?:(?P<in_month>{_NUM})月)?
    (?:(?P<day>{_NUM})[日号]|(?P<bare_day>{_BARE_DAY})|(?P<end>底|末))?
    (?:以前|之前|前)?
    """,
    re.VERBOSE,
    needs="每按逐",
)
_EVERY_BY_GROUP = {"month": Every.MONTH, "quarter": Every.QUARTER, "half": Every.HALF, "year": Every.YEAR}

#: 印发之日起10个工作日内, 10个工作日内, 15日内, 30天内: counted from the table's anchor.
_WITHIN = LazyPattern(
    rf"""
    (?:(?:自|从)?(?:本?(?:通知|方案|文件|意见|办法|清单))?(?:印发|发布|下发|出台|公布)之?日起?)?
    (?P<count>\d{{1,6}}|{_CN_NUMBER})个?(?P<unit>工作日|自然日|日|天)(?:以内|之内|内)
    """,
    re.VERBOSE,
    needs="内",
)

#: A count from another anchor (反馈后1个月内, 接到交办之日起5个工作日内): refused with its own hint.
_COUNT_FROM_ELSEWHERE = LazyPattern(rf"(?:{_NUM}|\d+)个?(?:工作日|自然日|日|天|月)(?:以内|之内|内)", needs="内")

#: What may not follow a date: a date part that was not read (三四月, 第一、二季度, 上旬 after 底).
_UNREAD_DATE_PART = LazyPattern(
    r"[\d〇零一二三四五六七八九十]+(?:月|日|号|季度|、|-|至|到)|第|[-~～–—、至]|起|[上中下]旬",
    needs="月日号季、-至到第~～–—起旬")
#: Words after a date that move it: a count (10个工作日内, 前5个工作日), after (以后, 结束后),
#: the last working day, mid-year (年中). Kept as a goal they would leave the period's end as the date.
_DATE_MOVING_WORDS = LazyPattern(
    r"前?[\d〇零一二三四五六七八九十]+个?(?:工作日|自然日|日|天|周|星期)|(?:以|之|结束)?后(?!续)|最后|年中",
    needs="日天周星后中")
_DEKAD_DAY = {"上旬": 10, "中旬": 20}
_DEKAD_FIRST = {"上旬": 1, "中旬": 11, "下旬": 21}
MAX_COUNT_DAYS = 999  # the longest count of days read (印发之日起999日内)
IMPOSSIBLE_DATE = "impossible-date"  # the problem code of a date that does not exist
ONE_RECURRENCE = "write one recurrence per task; put the others in the task text"


@dataclass(frozen=True)
class Within:
    """A deadline counted from an anchor: `days` days (working days when `working`) after it."""

    days: int
    working: bool
    goal: str | None = None


@dataclass(frozen=True)
class ParsedDeadline:
    """What a deadline text says: open-ended or not, and its milestones in published order;
    also where the work starts (从…起), a recurrence (每月25日前) with the span's explicit end,
    and a count from an anchor (印发之日起10个工作日内)."""

    ongoing: bool
    milestones: tuple[tuple[date, str | None], ...]
    start: date | None = None
    recurrence: Recurrence | None = None
    recurrence_goal: str | None = None
    end: date | None = None  # the last day of a recurrence, when the text names it (2021-2023年每年…)
    within: Within | None = None


@dataclass(frozen=True)
class _Span:
    """The period a date phrase names, as its first and last day."""

    first: date
    last: date


def normalize(text: str) -> str:
    """Fold full-width digits and punctuation to half-width and drop all white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def chinese_number(text: str) -> int:
    """Read 1-99 written as digits or Chinese numerals (九, 十二, 二十, 三十一)."""
    if text.isdigit():
        return int(text)
    if text in ("元", "正"):  # 元月 / 正月: the first month
        return 1
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _year_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, 1).replace(day=days_in_month(year, month))  # no such month: ValueError


def _checked(number: int, highest: int, what: str, segment: str) -> int:
    if not 1 <= number <= highest:
        raise DeadlineError(f"{quoted(segment)} names {what} {number}, which does not exist",
                            f"{what}s run from 1 to {highest}", code=IMPOSSIBLE_DATE)
    return number


def _checked_year(year: int, segment: str) -> int:
    if not 1 <= year <= 9999:  # date() cannot hold year 0
        raise DeadlineError(f"{quoted(segment)} names the year {year}", "write a year such as 2022",
                            code=IMPOSSIBLE_DATE)
    return year


def _day(year: int, month: int, day: int, segment: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"{quoted(segment)} is not a date: month {month} of {year} has no day {day}",
                            f"the month's last day is {month_end(year, month).day}",
                            code=IMPOSSIBLE_DATE) from None


def _span_from_match(match: re.Match[str], year: int, segment: str) -> _Span:
    """The period a matched date phrase names: 2021年9月 is 1-30 September."""
    if match["month"]:
        month = _checked(chinese_number(match["month"]), 12, "month", segment)
        whole = _Span(date(year, month, 1), month_end(year, month))
        if match["dekad"]:
            last = _DEKAD_DAY.get(match["dekad"])
            return _Span(date(year, month, _DEKAD_FIRST[match["dekad"]]),
                         date(year, month, last) if last else whole.last)
        day_text = match["day"] or match["bare_day"]
        if not day_text:
            return whole
        day = _day(year, month, chinese_number(day_text), segment)
        return _Span(day, day)
    if match["half"]:
        return (_Span(date(year, 1, 1), date(year, 6, 30)) if match["half"] == "上半年"
                else _Span(date(year, 7, 1), date(year, 12, 31)))
    if match["quarter"]:
        quarter = _checked(chinese_number(match["quarter"]), 4, "quarter", segment)
        return _Span(date(year, quarter * 3 - 2, 1), month_end(year, quarter * 3))
    return _Span(date(year, 1, 1), date(year, 12, 31))  # 2021年底, 年底前, 2021年度, 2022年基本建成


def _goal(segment: str, rest: str) -> str | None:
    """What follows the date; refused when it is a date part that was not read, or words that
    move the date (以后, 年中, 10个工作日内), which as a goal would leave a wrong date."""
    if _UNREAD_DATE_PART.match(rest):
        hint = ("it names a start (…起) that is not a date we can read" if rest.startswith("起")
                else "write one date, the end of the period (2021年10月底)")
        raise DeadlineError(f"cannot read {quoted(segment)} as one date", hint)
    if _DATE_MOVING_WORDS.match(rest):
        raise DeadlineError(f"cannot read {quoted(segment)} as one date",
                            "the words after the date move it; write the due date itself, or keep the text "
                            "as `deadline: {text: …}`")
    return rest or None


def _no_year(segment: str) -> DeadlineError:
    return DeadlineError(f"{quoted(segment)} has no year and the table has no document.year",
                         "write the year (2021年6月底前) or set document.year")


def _in_order(first: object, last: object, segment: str) -> None:
    if last < first:  # type: ignore[operator]
        raise DeadlineError(f"{quoted(segment)} ends before it starts",
                            "write the range earliest first (2022年3月至6月)")


def _read_date(text: str, default_year: int | None, segment: str) -> tuple[_Span, int] | None:
    """The period named at the start of `text` and where its phrase ends; None if no date there."""
    years = _YEAR_RANGE.match(text)
    if years:
        first, last = (_checked_year(int(years[key]), segment) for key in ("first", "last"))
        _in_order(first, last, segment)
        return _Span(date(first, 1, 1), date(last, 12, 31)), years.end()
    months = _MONTH_RANGE.match(text)
    if months:
        year = _year_number(months["year"]) if months["year"] else default_year
        if year is None:
            raise _no_year(segment)
        year = _checked_year(year, segment)
        first, last = (_checked(chinese_number(months[key]), 12, "month", segment) for key in ("first", "last"))
        _in_order(first, last, segment)
        return _Span(date(year, first, 1), month_end(year, last)), months.end()
    iso = _ISO_DATE.match(text)
    if iso:
        year = _checked_year(int(iso["year"]), segment)
        month = _checked(int(iso["month"]), 12, "month", segment)
        if iso["day"]:
            try:
                day = date(year, month, int(iso["day"]))
            except ValueError:
                raise DeadlineError(f"{quoted(segment)} is not a date", "check the day of the month",
                                    code=IMPOSSIBLE_DATE) from None
            return _Span(day, day), iso.end()
        return _Span(date(year, month, 1), month_end(year, month)), iso.end()
    match = _DATE_PHRASE.match(text)
    has_period = match["month"] or match["half"] or match["quarter"] or match["year_end"]
    if not match["year"] and (not has_period or match["year_end"] in ("底", "末", "内", "度")):
        return None  # no date at all, or a bare 底 that names no period
    year = _year_number(match["year"]) if match["year"] else default_year
    if year is None:
        raise _no_year(segment)
    return _span_from_match(match, _checked_year(year, segment), segment), match.end()


def _recurrence(match: re.Match[str], segment: str) -> Recurrence:
    every = next(_EVERY_BY_GROUP[name] for name in _EVERY_BY_GROUP if match[name])
    month = None
    if match["nth"]:
        month = _checked(chinese_number(match["nth"]), every.months, f"month of the {every.value}", segment)
    if match["in_month"]:
        if every is not Every.YEAR or month is not None:
            raise DeadlineError(f"cannot read {quoted(segment)} as a recurrence",
                                "name a month of the year only with 每年 (每年12月底前)")
        month = _checked(chinese_number(match["in_month"]), 12, "month", segment)
    day_text = match["day"] or match["bare_day"]
    day = _checked(chinese_number(day_text), 31, "day", segment) if day_text else None
    return Recurrence(every, month, day)


class _Reader:
    """Reads the segments of one deadline text, in order, into what a ParsedDeadline holds."""

    def __init__(self, default_year: int | None) -> None:
        self.default_year = default_year
        self.ongoing = False
        self.milestones: list[tuple[date, str | None]] = []
        self.start: date | None = None
        self.recurrence: Recurrence | None = None
        self.recurrence_goal: str | None = None
        self.end: date | None = None
        self.within: Within | None = None
        self.last_goal_at: str | None = None  # which reading a goal-only segment continues

    @property
    def year(self) -> int | None:
        # A year-less segment after a dated one is in that year: 2022年3月底…，6月底前… is 2022.
        return self.milestones[-1][0].year if self.milestones else self.default_year

    def segment(self, segment: str, separator: str) -> None:
        if segment.startswith("(") and ")" in segment:  # (2021-2023年), as tables often write it
            inside, _, after = segment[1:].partition(")")
            segment = inside + after
        ongoing = _ONGOING.match(segment)
        if ongoing and ongoing.end() == len(segment):
            self.ongoing, self.last_goal_at = True, None
            return
        if ongoing and self._read(segment[ongoing.end():], segment):  # 长期坚持每月25日前报送
            self.ongoing = True
            return
        if self._read(segment, segment):
            return
        if self.last_goal_at is not None:
            self._continue_goal(separator + segment)
            return
        if _COUNT_FROM_ELSEWHERE.search(segment):
            raise DeadlineError(f"{quoted(segment)} counts from an event the table does not date",
                                "a count is read from the document's issue (印发之日起) or the task's "
                                "start; keep the text as `deadline: {text: …}`")
        raise DeadlineError(
            f"{quoted(segment)} is not a deadline",
            "start with a date (2021年9月底, 2022年上半年, 2021年底前), a recurrence (每月25日前), "
            "a count (10个工作日内) or write 长期推进",
        )

    def _continue_goal(self, more: str) -> None:
        """A segment without a date continues the goal before it: 2022年底前完成建设,实现共享."""
        if self.last_goal_at == "milestone":
            due, goal = self.milestones[-1]
            self.milestones[-1] = (due, f"{goal or ''}{more}")
        elif self.last_goal_at == "recurrence":
            self.recurrence_goal = f"{self.recurrence_goal or ''}{more}"
        elif self.last_goal_at == "within" and self.within is not None:
            self.within = Within(self.within.days, self.within.working, f"{self.within.goal or ''}{more}")

    def _read(self, text: str, segment: str) -> bool:
        """Read a segment that holds a date, a recurrence or a count; False when it holds none."""
        if not text:
            return False
        if self._read_recurrence(text, segment, start=None, end=None):
            return True
        if self._read_within(text, segment):
            return True
        from_word = _START_WORD.match(text)
        after_word = text[from_word.end():] if from_word else text
        read = _read_date(after_word, self.year, segment)
        if read is None:
            return False
        span, end = read
        rest = after_word[end:]
        started = _START_END.match(rest)
        if started:
            self._read_start(span, rest[started.end():], segment)
        elif from_word:
            raise DeadlineError(f"cannot read {quoted(segment)}", "a start is written 从2022年3月起")
        else:
            self._read_dated(span, rest, segment)
        return True

    def _read_within(self, text: str, segment: str) -> bool:
        """A count of days (10个工作日内) at the start of `text`; False when there is none."""
        within = _WITHIN.match(text)
        if not within:
            return False
        if self.within is not None:
            raise DeadlineError(f"{quoted(segment)} is a second count of days", "write one count per task")
        days = chinese_number(within["count"])
        if not 1 <= days <= MAX_COUNT_DAYS:
            raise DeadlineError(f"{quoted(segment)} counts {days} days",
                                f"a count runs from 1 to {MAX_COUNT_DAYS} days; for a later day write the date itself")
        self.within = Within(days, within["unit"] == "工作日", _goal(segment, text[within.end():]))
        self.last_goal_at = "within"
        return True

    def _read_recurrence(self, text: str, segment: str, start: date | None, end: date | None) -> bool:
        match = _RECURRENCE.match(text)
        if not match:
            return False
        if self.recurrence is not None:
            raise DeadlineError(f"{quoted(segment)} is a second recurrence", ONE_RECURRENCE)
        self.recurrence = _recurrence(match, segment)
        self.recurrence_goal = _goal(segment, text[match.end():])
        self.start = start or self.start
        self.end = end
        self.last_goal_at = "recurrence"
        return True

    def _read_start(self, span: _Span, rest: str, segment: str) -> None:
        """从2022年3月起: work starts on the period's first day, open-ended unless more follows."""
        self.start = span.first
        if rest and rest[0] in "至到" and self._read_range_end(span, rest[1:], segment):
            return  # 从2022年3月起至2023年底
        if self._read_recurrence(rest, segment, start=span.first, end=None):
            return  # 2022年起每月25日前
        if self._read_within(rest, segment):
            return  # 自2022年3月1日起30日内: a count from the start, not open-ended work
        self.last_goal_at = None  # 起施行, 起全面推行: the work itself, open-ended

    def _read_dated(self, span: _Span, rest: str, segment: str) -> None:
        if self._read_recurrence(rest, segment, start=span.first, end=span.last):
            return  # 2022年每月25日前, 2021-2023年每年12月底前: a recurrence within the period
        if rest and rest[0] in _RANGE_JOIN:
            if self._read_range_end(span, rest[1:], segment):
                return
            if rest[0] != "到":  # 到 may begin a goal (到位); the other joins are a range we cannot read
                _goal(segment, rest)
        items = [span]
        while rest.startswith("、"):  # 2023年3月25日、6月25日、9月25日前: one milestone each
            read = _read_date(rest[1:], items[-1].last.year, segment)
            if read is None:
                break
            if read[0].last < items[-1].last:  # 12月25日、1月5日: next year's, or a slip; never guessed
                raise DeadlineError(f"{quoted(segment)} lists a date before the date it follows",
                                    "write the year of each date (2023年12月25日、2024年1月5日)")
            items.append(read[0])
            rest = rest[1:][read[1]:]
        goal = _goal(segment, rest)
        self.milestones += [(item.last, goal) for item in items]
        self.last_goal_at = "milestone"

    def _read_range_end(self, span: _Span, text: str, segment: str) -> bool:
        """The end of a range (2022年至2023年底, 3月至6月): due at its end; False if none is there."""
        read = _read_date(text, span.first.year, segment)
        if read is None:
            return False
        last, end = read
        _in_order(span.first, last.last, segment)
        rest = text[end:]
        if self._read_recurrence(rest, segment, start=span.first, end=last.last):
            return True  # 2021-2023年每年12月底前
        self.milestones.append((last.last, _goal(segment, rest)))
        self.last_goal_at = "milestone"
        return True

    def result(self) -> ParsedDeadline:
        if not (self.ongoing or self.milestones or self.start or self.recurrence or self.within):
            raise DeadlineError("the deadline is empty", "write a date such as 2021年9月底, or 长期推进")
        # A start alone (从2022年3月起) is open-ended work; with a recurrence, it starts the recurrence.
        open_start = self.start is not None and not (self.milestones or self.recurrence or self.within)
        return ParsedDeadline(
            ongoing=self.ongoing or open_start, milestones=tuple(self.milestones), start=self.start,
            recurrence=self.recurrence, recurrence_goal=self.recurrence_goal, end=self.end,
            within=self.within)


@lru_cache(maxsize=4096)
def parse_deadline(text: str, default_year: int | None = None) -> ParsedDeadline:
    """Read a published deadline such as '长期推进;2021年12月底取得阶段成效'.

    Segments are separated by ; ； , or ，. Each is an open-ended phrase (长期推进), a
    recurrence (每月25日前), a count (10个工作日内), a start (从2022年3月起) or starts with a date,
    a range (2021-2023年) or a list (3月25日、6月25日), the rest of it being the goal. A segment
    without a date that follows a dated one continues that goal (2022年底前完成建设,实现共享).
    """
    reader = _Reader(default_year)
    # Split on the folded text, keeping each separator to rejoin a goal that holds one.
    parts = _SEPARATORS.split(normalize(text.replace("\n", ";")))
    for position in range(0, len(parts), 2):
        if parts[position]:
            reader.segment(parts[position], parts[position - 1] if position else "")
    return reader.result()


def split_date_prefix(segment: str) -> tuple[str, str]:
    """('2022年6月底', '取得明显成效') for display: a segment's leading date and the rest."""
    folded = unicodedata.normalize("NFKC", segment)
    match = _ISO_DATE.match(folded) or _DATE_PHRASE.match(folded)
    if len(folded) != len(segment) or not match or not match.group(0):
        return segment, ""  # no date, or folding moved positions: keep the segment whole
    return segment[:match.end()], segment[match.end():]


def parse_due(text: str, default_year: int | None = None) -> date:
    """Read the due date of one milestone: '2022-06', '2022-06-15' or '2022年6月底'."""
    parsed = parse_deadline(text, default_year)
    if (len(parsed.milestones) != 1 or parsed.ongoing or parsed.milestones[0][1] or parsed.start
            or parsed.recurrence or parsed.within):
        raise DeadlineError(f"{quoted(text)} is not a single date",
                            "write one date such as 2022-06, 2022-06-30 or 2022年6月底")
    return parsed.milestones[0][0]


def deadline_text(ongoing: bool, milestones: list[tuple[date, str | None]],
                  recurrence: Recurrence | None = None, within: tuple[int, bool] | None = None) -> str:
    """Compose a published-style text for a deadline written in the structured form."""
    parts = ["长期推进"] if ongoing else []
    if recurrence is not None:
        parts.append(recurrence_text(recurrence))
    if within is not None:
        days, working = within
        parts.append(f"{days}个工作日内" if working else f"{days}日内")
    for due, goal in milestones:
        day = "底" if due == month_end(due.year, due.month) else f"{due.day}日"
        parts.append(f"{due.year}年{due.month}月{day}{goal or ''}")
    return ";".join(parts)


_EVERY_WORDS = {Every.MONTH: "每月", Every.QUARTER: "每季度", Every.HALF: "每半年", Every.YEAR: "每年"}


def recurrence_text(recurrence: Recurrence) -> str:
    """每月25日前, 每季度第1个月的20日前, 每年12月底前: how a table writes a recurrence."""
    text = _EVERY_WORDS[recurrence.every]
    if recurrence.month is not None:
        text += f"{recurrence.month}月" if recurrence.every is Every.YEAR else f"第{recurrence.month}个月"
    if recurrence.day is not None:
        of = "的" if recurrence.month is not None and recurrence.every is not Every.YEAR else ""
        return f"{text}{of}{recurrence.day}日前"
    if recurrence.month is None and recurrence.every is not Every.MONTH:
        return f"{text}末"
    return f"{text}底前"
