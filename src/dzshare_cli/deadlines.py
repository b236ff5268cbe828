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

from dateutil.relativedelta import relativedelta

from dzshare_cli.errors import DeadlineError, quoted

#: Segment separators, after NFKC folding (；→; and ，→,); a line break separates segments too.
_SEPARATORS = re.compile(r"([;,])")

#: Open-ended segments: the task never falls "due", it is worked on continuously.
_ONGOING = re.compile(r"(长期|持续|常态化)(推进|坚持|开展|实施|执行)?")

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: 1 to 99 in Chinese numerals: 九, 十, 十二, 二十, 三十一 (not 三四, which is a range).
_CN_NUMBER = r"[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_NUM = rf"\d{{1,2}}|{_CN_NUMBER}"

_DATE_PHRASE = re.compile(
    rf"""
    (?P<prefix>(?:力争|争取|确保|截止)?(?:到|于|在)?)
    (?:(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})年)?
    (?:
        (?P<month>{_NUM}|元|正)月
            (?:(?P<day>{_NUM})[日号]|(?P<dekad>上旬|中旬|下旬)|(?P<month_end>底|末|份))?
      | (?P<half>上半年|下半年)
      | 第?(?P<quarter>{_NUM})季度(?:末|底)?
      | (?P<year_end>年?(?:底|末)|度)
    )?
    (?:以前|之前|前)?
    """,
    re.VERBOSE,
)

_ISO_DATE = re.compile(r"(?P<year>\d{4})[-./](?P<month>\d{1,2})(?:[-./](?P<day>\d{1,2}))?")

#: What may not follow a date: a date part that was not read (9-10月, 至12月, 第一、二季度, 起).
_UNREAD_DATE_PART = re.compile(
    r"[\d〇零一二三四五六七八九十]+(?:月|日|号|季度|、|-|至|到)|第|[-~～–—、至]|起|[上中下]旬")
_DEKAD_DAY = {"上旬": 10, "中旬": 20}
IMPOSSIBLE_DATE = "impossible-date"  # the problem code of a date that does not exist


@dataclass(frozen=True)
class ParsedDeadline:
    """What a deadline text says: open-ended or not, and its milestones in published order."""

    ongoing: bool
    milestones: tuple[tuple[date, str | None], ...]


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
    return date(year, month, 1) + relativedelta(day=31)


def _checked(number: int, highest: int, what: str, segment: str) -> int:
    if not 1 <= number <= highest:
        raise DeadlineError(f"{quoted(segment)} names {what} {number}, which does not exist",
                            f"{what}s run from 1 to {highest}", code=IMPOSSIBLE_DATE)
    return number


def _due_from_match(match: re.Match[str], year: int, segment: str) -> date:
    """The last day of the period a matched date phrase names."""
    if match["month"]:
        month = _checked(chinese_number(match["month"]), 12, "month", segment)
        if match["dekad"]:
            day = _DEKAD_DAY.get(match["dekad"])
            return date(year, month, day) if day else month_end(year, month)
        if not match["day"]:
            return month_end(year, month)
        day = chinese_number(match["day"])
        try:
            return date(year, month, day)
        except ValueError:
            raise DeadlineError(f"{quoted(segment)} is not a date: month {month} of {year} has no day {day}",
                                f"the month's last day is {month_end(year, month).day}",
                                code=IMPOSSIBLE_DATE) from None
    if match["half"]:
        return date(year, 6, 30) if match["half"] == "上半年" else date(year, 12, 31)
    if match["quarter"]:
        quarter = _checked(chinese_number(match["quarter"]), 4, "quarter", segment)
        return month_end(year, quarter * 3)
    return date(year, 12, 31)  # 2021年底, 年底前, 2021年度, or a bare year as in 2022年基本建成


def _goal(segment: str, rest: str) -> str | None:
    """What follows the date; refused when it is a date part that was not read."""
    if _UNREAD_DATE_PART.match(rest):
        hint = ("it names a start (…起), not a deadline" if rest.startswith("起")
                else "write one date, the end of the period (2021年10月底)")
        raise DeadlineError(f"cannot read {quoted(segment)} as one date", hint)
    return rest or None


def _read_dated_segment(segment: str, default_year: int | None) -> tuple[date, str | None] | None:
    """(due, goal) for a segment that starts with a date, None when it does not."""
    iso = _ISO_DATE.match(segment)
    if iso:
        year, month = int(iso["year"]), _checked(int(iso["month"]), 12, "month", segment)
        try:
            due = date(year, month, int(iso["day"])) if iso["day"] else month_end(year, month)
        except ValueError:
            raise DeadlineError(f"{quoted(segment)} is not a date", "check the day of the month",
                                code=IMPOSSIBLE_DATE) from None
        return due, _goal(segment, segment[iso.end():])

    match = _DATE_PHRASE.match(segment)
    has_period = match["month"] or match["half"] or match["quarter"] or match["year_end"]
    if not match["year"] and (not has_period or match["year_end"] in ("底", "末", "度")):
        return None  # no date at all, or a bare 底 that names no period
    year = _year_number(match["year"]) if match["year"] else default_year
    if year is None:
        raise DeadlineError(
            f"{quoted(segment)} has no year and the table has no document.year",
            "write the year (2021年6月底前) or set document.year",
        )
    due = _due_from_match(match, year, segment)
    return due, _goal(segment, segment[match.end():])


@lru_cache(maxsize=4096)
def parse_deadline(text: str, default_year: int | None = None) -> ParsedDeadline:
    """Read a published deadline such as '长期推进;2021年12月底取得阶段成效'.

    Segments are separated by ; ； , or ，. Each is an open-ended phrase (长期推进) or starts with
    a date, the rest of it being the milestone's goal. A segment without a date that follows a
    dated one continues that milestone's goal (2022年底前完成建设,实现共享 is one milestone).
    """
    ongoing = False
    milestones: list[tuple[date, str | None]] = []
    last_was_dated = False
    # Split on the folded text, keeping each separator to rejoin a goal that holds one.
    parts = _SEPARATORS.split(normalize(text.replace("\n", ";")))
    for position in range(0, len(parts), 2):
        segment = parts[position]
        if not segment:
            continue
        if _ONGOING.fullmatch(segment):
            ongoing, last_was_dated = True, False
            continue
        # A year-less segment after a dated one is in that year: 2022年3月底…，6月底前… is 2022.
        year = milestones[-1][0].year if milestones else default_year
        dated = _read_dated_segment(segment, year)
        if dated is not None:
            milestones.append(dated)
            last_was_dated = True
        elif last_was_dated:
            due, goal = milestones[-1]
            milestones[-1] = (due, f"{goal or ''}{parts[position - 1]}{segment}")
        else:
            raise DeadlineError(
                f"{quoted(segment)} is not a deadline",
                "start with a date (2021年9月底, 2022年上半年, 2021年底前) or write 长期推进",
            )
    if not ongoing and not milestones:  # "", "  " or a lone separator
        raise DeadlineError("the deadline is empty", "write a date such as 2021年9月底, or 长期推进")
    return ParsedDeadline(ongoing=ongoing, milestones=tuple(milestones))


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
    if len(parsed.milestones) != 1 or parsed.ongoing or parsed.milestones[0][1]:
        raise DeadlineError(f"{quoted(text)} is not a single date",
                            "write one date such as 2022-06, 2022-06-30 or 2022年6月底")
    return parsed.milestones[0][0]


def deadline_text(ongoing: bool, milestones: list[tuple[date, str | None]]) -> str:
    """Compose a published-style text for a deadline written in the structured form."""
    parts = ["长期推进"] if ongoing else []
    for due, goal in milestones:
        day = "底" if due == month_end(due.year, due.month) else f"{due.day}日"
        parts.append(f"{due.year}年{due.month}月{day}{goal or ''}")
    return ";".join(parts)
