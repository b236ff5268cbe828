"""The timeline's axis is bounded and fits the terminal; what it leaves out is counted at its ends."""

import io
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from dzshare_cli.exporters.timeline_picture import to_svg, to_terminal
from dzshare_cli.loader import bundled_table_path, load_table, parse_table
from dzshare_cli.render import Lang
from dzshare_cli.timeline import MAX_AXIS_MONTHS, build_timeline, narrowed
from tests.cli.helpers import run
from tests.helpers import write_table

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2022, 1, 15)

FAR_APART = """\
document: {title: 远期测试表}
tasks:
  - {id: 1, text: 很早的工作。, lead: [甲局], deadline: 0001-01-31}
  - {id: 2, text: 很晚的工作。, lead: [乙局], deadline: 9999-12-31}
  - {id: 3, text: 当前的工作。, lead: [乙局], deadline: 2022年3月底}
"""


def _table(text: str):
    result = parse_table(text, "tasks.yaml")
    assert result.table is not None, result.problems
    return result.table


def _printed(renderable, width: int) -> list[str]:
    """The lines as a far wider terminal prints them: nothing is wrapped to hide an overflow."""
    console = Console(width=width * 10, color_system=None, file=io.StringIO())
    console.print(renderable, crop=False)
    return console.file.getvalue().splitlines()


def _terminal(layout, width: int, lang: Lang = Lang.ZH) -> list[str]:
    return _printed(to_terminal(layout, lang, "", width), width)


def _on_axis(row, timeline) -> int:
    return sum(timeline.months[0] <= month <= timeline.months[-1] for month, _ in row.milestones)


def _nothing_dropped(timeline) -> None:
    for row in timeline.rows:
        assert _on_axis(row, timeline) + row.earlier + row.later == len(row.milestones)
        assert set(row.marks) == {month for month, _ in row.milestones
                                  if timeline.months[0] <= month <= timeline.months[-1]}


def test_milestones_thousands_of_years_apart_are_counted_at_the_ends():
    layout = build_timeline(_table(FAR_APART).tasks, AS_OF)
    assert layout.months == [(2022, 1), (2022, 2), (2022, 3)]  # the milestone near the as-of date
    assert [(row.earlier, row.later) for row in layout.rows] == [(1, 0), (0, 1), (0, 0)]
    assert (layout.earliest, layout.latest) == ((1, 1), (9999, 12))
    _nothing_dropped(layout)


def test_the_axis_covers_the_busiest_ten_years():
    tasks = "".join(f"  - {{id: {n}, text: 任务{n}, lead: [甲局], deadline: {2021 + n % 4}年{1 + n % 12}月底}}\n"
                    for n in range(40))
    outliers = ("  - {id: a, text: 早, lead: [甲局], deadline: 1500-06-30}\n"
                "  - {id: b, text: 晚, lead: [甲局], deadline: 2400-06-30}\n")
    layout = build_timeline(_table(f"document: {{}}\ntasks:\n{tasks}{outliers}").tasks, AS_OF)
    assert layout.months[0][0] == 2021 and layout.months[-1][0] == 2024
    assert (layout.earlier, layout.later) == (1, 1)
    _nothing_dropped(layout)


def test_the_far_apart_table_on_the_terminal_shows_what_is_outside():
    lines = _terminal(build_timeline(_table(FAR_APART).tasks, AS_OF), 80, Lang.EN)
    assert lines[0] == "timeline · 3 tasks · 2022-01 … 2022-03 · as of 2022-01-15"
    assert lines[1] == "◀ 1 milestone before 2022-01, the earliest in 0001-01"
    assert lines[2] == "▶ 1 milestone after 2022-03, the latest in 9999-12"
    rows = {line.split()[0]: line for line in lines if line[:1].isdigit()}
    assert "◀1" in rows["1"] and "▶1" in rows["2"] and "◀" not in rows["3"] and "▶" not in rows["3"]
    assert lines[-1].endswith("◀ ▶ outside the axis")
    assert max(map(cell_len, lines)) <= 80


def test_the_far_apart_table_makes_a_small_svg(tmp_path):
    path = write_table(tmp_path, FAR_APART)
    out = tmp_path / "t.svg"
    result = run("timeline", "-f", str(path), "--format", "svg", "-o", str(out), "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    assert out.stat().st_size < 10_000
    root = ElementTree.parse(out).getroot()
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert "时间轴 · 3 项任务 · 2022-01 … 2022-03 · 截至 2022-01-15" in texts  # Chinese throughout
    assert "◀ 2022-01 之前还有 1 个时间节点,最早 0001-01" in texts
    assert "▶ 2022-03 之后还有 1 个时间节点,最晚 9999-12" in texts
    outside = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")]
    assert outside == ["2022-01 之前还有 1 个时间节点", "2022-03 之后还有 1 个时间节点"]


def test_the_far_apart_table_on_the_cli_terminal(tmp_path):
    path = write_table(tmp_path, FAR_APART)
    result = run("timeline", "-f", str(path), "--as-of", "2022-01-15", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "0001-01" in result.stdout and "9999-12" in result.stdout


@pytest.mark.parametrize("width", [80, 120, 200])
def test_a_long_axis_is_narrowed_to_the_terminal(width):
    # Milestones every month for ten years: an axis of 120 months, wider than 80 columns.
    tasks = "".join(f"  - {{id: {n}, text: 任务{n}, lead: [甲局], deadline: {2015 + n // 12}年{1 + n % 12}月底}}\n"
                    for n in range(120))
    layout = build_timeline(_table(f"document: {{}}\ntasks:\n{tasks}").tasks, AS_OF)
    assert len(layout.months) == 120
    lines = _terminal(layout, width)
    assert max(map(cell_len, lines)) <= width
    shown = narrowed(layout, width)
    _nothing_dropped(shown)
    if width < 120 + 10:
        assert any("◀" in line or "▶" in line for line in lines)  # narrowed: the rest is counted


@pytest.fixture(scope="module")
def bundled():
    return load_table(bundled_table_path())


@pytest.mark.parametrize("width", [80, 200])
def test_the_bundled_timeline_fits_and_shows_whole_titles(bundled, width):
    lines = _terminal(build_timeline(bundled.tasks, AS_OF), width)
    assert max(map(cell_len, lines)) <= width
    for task in bundled.tasks:  # none cut to 8 (or 16) cells any more
        assert any(task.short_title in line for line in lines), task.short_title


def _shown_text(lines: list[str], task) -> str:
    """How much of the task's text its row shows."""
    row = next(line for line in lines if line.split()[0] == str(task.id))
    label = row.split(maxsplit=1)[1]
    shown = next(prefix for end in range(len(task.text), 0, -1)
                 if label.startswith(prefix := task.text[:end]))
    return shown


def test_titles_grow_with_the_terminal(bundled):
    # Without a title the row shows the task text itself: longer than any terminal line.
    untitled = [task.model_copy(update={"title": None}) for task in bundled.tasks]
    layout = build_timeline(untitled, AS_OF)
    narrow, wide = _terminal(layout, 80), _terminal(layout, 200)
    assert max(map(cell_len, narrow)) <= 80 and max(map(cell_len, wide)) <= 200
    first = untitled[0]
    assert len(_shown_text(wide, first)) > len(_shown_text(narrow, first)) >= 8


def test_titles_shrink_but_stay_readable_when_narrow(bundled):
    lines = _terminal(build_timeline(bundled.tasks, AS_OF), 60)
    assert max(map(cell_len, lines[1:])) <= 60  # the heading line alone may wrap
    assert len(_shown_text(lines, bundled.tasks[0].model_copy(update={"text": bundled.tasks[0].short_title}))) >= 4


_MONTHS = st.tuples(st.integers(1, 9999), st.integers(1, 12))


@settings(max_examples=60, deadline=None)
@given(dues=st.lists(st.lists(_MONTHS, min_size=0, max_size=3), min_size=1, max_size=6),
       as_of=st.dates(date(1, 1, 1), date(9999, 12, 1)), max_months=st.integers(1, 150))
def test_any_milestones_fit_a_bounded_axis_and_none_is_lost(dues, as_of, max_months):
    tasks = []
    for number, months in enumerate(dues, 1):
        deadline = ";".join(f"{year:04d}-{month:02d}-01" for year, month in months) or "长期推进"
        tasks.append(f"  - {{id: {number}, text: 任务{number}, lead: [甲局], deadline: '{deadline}'}}\n")
    layout = build_timeline(_table("document: {}\ntasks:\n" + "".join(tasks)).tasks, as_of, max_months=max_months)
    assert 1 <= len(layout.months) <= max_months
    _nothing_dropped(layout)
    assert layout.earlier + layout.later + sum(_on_axis(row, layout) for row in layout.rows) == sum(map(len, dues))
    ElementTree.fromstring(to_svg(layout, Lang.EN))


def test_the_default_axis_is_ten_years():
    assert MAX_AXIS_MONTHS == 120


@pytest.mark.parametrize(("lang", "titles", "wrote"), [
    (Lang.ZH, {"逾期", "未到期"}, "wrote t.svg: 时间轴 · 18 项任务 · 2021-09 … 2022-10 · 截至 2022-01-15 · 内置表"),
    (Lang.EN, {"overdue", "upcoming"}, "wrote t.svg: timeline · 18 tasks · 2021-09 … 2022-10 · as of 2022-01-15 · bundled table"),
])
def test_svg_hover_texts_and_the_written_message_follow_the_language(tmp_path, monkeypatch, lang, titles, wrote):
    monkeypatch.chdir(tmp_path)
    result = run("timeline", "--format", "svg", "-o", "t.svg", "--as-of", "2022-01-15", "--lang", lang.value)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [wrote]
    svg = ElementTree.parse(tmp_path / "t.svg").getroot()
    hover = {element.text for element in svg.iter("{http://www.w3.org/2000/svg}title")}
    assert hover == titles


@pytest.mark.parametrize(("text", "cells", "shown"), [
    ("提升电子政务网络覆盖和承载能力", 30, "提升电子政务网络覆盖和承载能力"),
    ("提升电子政务网络覆盖和承载能力", 29, "提升电子政务网络覆盖和承载能…"),
    ("提升电子政务网络覆盖和承载能力", 28, "提升电子政务网络覆盖和承载… "),
    ("abc", 2, "a…"),
    ("abc", 5, "abc  "),
])
def test_a_cut_title_says_it_was_cut(text, cells, shown):
    from dzshare_cli.exporters.timeline_picture import _fit

    assert _fit(text, cells) == shown and cell_len(shown) == cells


def test_a_milestone_in_the_last_month_there_is_fits_a_one_month_axis():
    # Found by the property above: the axis' last day was the day before a month after 9999-12.
    from dzshare_cli.timeline import _last_day

    assert _last_day((9999, 12)) == date(9999, 12, 31)
    assert _last_day((2024, 2)) == date(2024, 2, 29)
