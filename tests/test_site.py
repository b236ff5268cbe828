"""The site's model (lights from the report), its pages and its writing, without a browser."""

import re
from datetime import date
from pathlib import Path

import pytest

from dzshare_cli.files import OutputError
from dzshare_cli.loader import load_table
from dzshare_cli.models import ProgressNote
from dzshare_cli.render import Lang
from dzshare_cli.site.html import href, version_text
from dzshare_cli.site.model import Light, TableVersion, build_model, content_hash, light_of, task_anchor
from dzshare_cli.site.pages import MARKER, build_site
from dzshare_cli.site.write import Found, examine, write_site
from dzshare_cli.units import UnitRegistry
from tests.helpers import write_table

AS_OF = date(2022, 7, 1)
VERSION = TableVersion("0" * 64)


def _site(table, as_of=AS_OF, lang=Lang.ZH, version=VERSION):
    model = build_model(table, UnitRegistry.from_table(table), as_of, 30, version)
    return model, dict(build_site(model, lang))


@pytest.mark.parametrize(("overdue", "due_soon", "open_work", "light"), [
    (1, 0, 1, Light.RED), (2, 3, 5, Light.RED), (0, 1, 1, Light.YELLOW),
    (0, 0, 1, Light.GREEN), (0, 0, 0, Light.GREY)])
def test_light_of(overdue, due_soon, open_work, light):
    assert light_of(overdue, due_soon, open_work) is light


def test_the_unit_leading_overdue_work_is_red_and_listed_first(table):
    model, _ = _site(table)
    first = model.units[0]
    assert (first.unit.name, first.light, first.overdue) == ("市行政审批局", Light.RED, 10)
    assert len(model.units) == 38  # 35 units and 3 groups, each with a page
    lights = [standing.light for standing in model.units]
    assert lights == sorted(lights, key=[Light.RED, Light.YELLOW, Light.GREEN, Light.GREY].index)


def test_work_with_no_date_due_is_green_and_a_unit_with_nothing_open_is_grey(tmp_path):
    table = load_table(write_table(tmp_path, """\
document: {title: 测试表, year: 2022}
units:
  - {name: 甲局}
  - {name: 乙局}
  - {name: 丙局}
  - {name: 丁局}
tasks:
  - {id: 1, text: 长期的事, lead: [甲局], deadline: 长期推进}
  - id: 2
    text: 做完的事
    lead: [乙局]
    deadline: 2022年3月底
    done: [{milestone: 1, date: 2022-03-20}]
  - {id: 3, text: 快到期的事, lead: [丙局], deadline: 2022年7月15日}
"""))
    model, _ = _site(table)
    lights = {standing.unit.name: standing.light for standing in model.units}
    assert lights == {"甲局": Light.GREEN, "乙局": Light.GREY, "丙局": Light.YELLOW, "丁局": Light.GREY}
    assert [standing.unit.name for standing in model.units] == ["丙局", "甲局", "乙局", "丁局"]


def test_the_site_has_a_page_per_unit_the_table_the_timeline_and_downloads(table):
    model, site = _site(table)
    unit_pages = sorted(path for path in site if path.startswith("units/"))
    assert len(unit_pages) == 38 and "units/市行政审批局.html" in unit_pages
    assert {"index.html", "table.html", "timeline.html", "timeline.svg", MARKER} <= set(site)
    groups = [standing for standing in model.units if standing.unit.kind and standing.unit.kind.value == "group"]
    assert len(groups) == 3 and all(not standing.downloads for standing in groups)
    downloads = sorted(path for path in site if path.startswith("downloads/"))
    assert len(downloads) == 2 * 35 and "downloads/市行政审批局.ics" in downloads
    assert site["downloads/市行政审批局.ics"].startswith(b"BEGIN:VCALENDAR")
    assert site["downloads/市行政审批局.xlsx"].startswith(b"PK")
    listed = site[MARKER].decode("utf-8").splitlines()[1:]
    assert listed == sorted(path for path in site if path != MARKER)


def test_the_overview_says_the_light_in_words_and_links_every_unit(table):
    _, site = _site(table)
    overview = site["index.html"].decode("utf-8")
    row = overview[overview.index('<tr data-row data-state="red">'):]
    row = row[:row.index("</tr>")]
    assert "红灯" in row and "有逾期" in row and "■" in row and "市行政审批局" in row
    assert 'href="units/%E5%B8%82%E8%A1%8C%E6%94%BF%E5%AE%A1%E6%89%B9%E5%B1%80.html"' in row
    assert '<html lang="zh-CN">' in overview and "截至 2022-07-01" in overview
    assert 'scope="col"' in overview and "http" not in overview.replace("http-equiv", "")


def test_every_page_shows_the_as_of_date_and_the_version(table):
    version = TableVersion("ab" * 32, "1234567890abcdef" * 2 + "12345678", dirty=False)
    _, site = _site(table, version=version)
    pages = [data.decode("utf-8") for path, data in site.items() if path.endswith(".html")]
    assert len(pages) == 41
    assert all("截至 2022-07-01" in page and "版本 1234567890ab" in page for page in pages)


def test_building_twice_gives_the_same_bytes(table):
    assert _site(table)[1] == _site(table)[1]


def test_a_ledger_has_a_page_per_document_with_its_light():
    from dzshare_cli.cli.common import load

    ledger = load(Path(__file__).parents[1] / "docs" / "examples" / "ledger")
    model, site = _site(ledger, as_of=date(2024, 7, 1))
    assert [document.page for document in model.documents] == [f"docs/{key}.html" for key in ledger.documents]
    assert "table.html" not in site and all(document.page in site for document in model.documents)
    overview = site["index.html"].decode("utf-8")
    assert "各文件情况" in overview and all(f">{key}</a>" in overview for key in ledger.documents)
    assert _site(ledger, as_of=date(2024, 7, 1))[1] == site


def test_english_pages(table):
    _, site = _site(table, lang=Lang.EN)
    overview = site["index.html"].decode("utf-8")
    assert '<html lang="en">' in overview and "red" in overview and "as of 2022-07-01" in overview
    # Counted nouns agree with their number, as in the other commands' English.
    every_page = "".join(page.decode("utf-8") for path, page in site.items() if path.endswith(".html"))
    assert not re.search(r"\b1 (units|tasks|groups|days|open milestones|progress notes)\b", every_page)
    assert re.search(r"\b1 (unit|task|day|open milestone|progress note)\b", every_page)


@pytest.mark.parametrize(("version", "text"), [
    (TableVersion("c" * 64), "内容版本 cccccccccccc"),
    (TableVersion("c" * 64, "a" * 40), "版本 aaaaaaaaaaaa"),
    (TableVersion("c" * 64, "a" * 40, dirty=True), "版本 aaaaaaaaaaaa(含未提交的修改,内容 cccccccccccc)"),
])
def test_version_text(version, text):
    assert version_text(version, Lang.ZH) == text


def test_the_content_hash_follows_done_records_and_notes(table):
    changed = table.model_copy(deep=True)
    changed.tasks[0].progress.append(ProgressNote(note="已开会"))
    assert content_hash(table) == content_hash(table.model_copy(deep=True))
    assert content_hash(changed) != content_hash(table)


@pytest.mark.parametrize(("task_id", "anchor"), [(1, "t-1"), ("（一）", "t-_ff08_4e00_ff09"), ("1.2", "t-1_2e2")])
def test_task_anchor(task_id, anchor):
    class Task:
        id = task_id
    assert task_anchor(Task()) == anchor


@pytest.mark.parametrize(("page", "target", "link"), [
    ("index.html", "units/甲 局.html", "units/%E7%94%B2%20%E5%B1%80.html"),
    ("units/a.html", "index.html", "../index.html"),
    ("units/a.html", "table.html#t-1", "../table.html#t-1"),
    ("docs/x.html", "docs/x.html#t-2", "x.html#t-2"),
])
def test_links_are_relative(page, target, link):
    assert href(page, target) == link


# --- writing ------------------------------------------------------------------------------

SITE = {"index.html": b"<p>1</p>", "units/a.html": b"a", MARKER: "dzshare site\nindex.html\nunits/a.html\n".encode()}


def test_a_new_folder_is_written_readable(tmp_path):
    target = tmp_path / "out" / "site"
    written = write_site(target, SITE.items(), force=False)
    assert (target / "units" / "a.html").read_bytes() == b"a" and not written.replaced
    assert target.stat().st_mode & 0o755 == 0o755  # a web server can read it, unlike mkdtemp's 0700
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["site"]  # nothing staged is left


def test_a_previous_site_is_replaced_whole(tmp_path):
    target = tmp_path / "site"
    write_site(target, {**SITE, "units/b.html": b"b", MARKER: SITE[MARKER] + b"units/b.html\n"}.items(), force=False)
    assert examine(target) is Found.SITE
    written = write_site(target, SITE.items(), force=False)
    assert written.replaced and not (target / "units" / "b.html").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_an_empty_folder_is_used(tmp_path):
    (tmp_path / "site").mkdir()
    write_site(tmp_path / "site", SITE.items(), force=False)
    assert (tmp_path / "site" / "index.html").exists()


def test_a_folder_with_other_files_is_refused_without_force_and_kept_with_it(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not a site dzshare wrote"):
        write_site(target, SITE.items(), force=False)
    assert sorted(path.name for path in target.iterdir()) == ["notes.txt"]
    written = write_site(target, SITE.items(), force=True)
    assert written.merged and (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (target / "index.html").exists() and not (target / MARKER).exists()


def test_a_site_someone_added_a_file_to_is_not_replaced_without_force(tmp_path):
    target = tmp_path / "site"
    write_site(target, SITE.items(), force=False)
    (target / "extra.html").write_text("added by hand", encoding="utf-8")
    assert examine(target) is Found.OTHER
    with pytest.raises(OutputError):
        write_site(target, SITE.items(), force=False)


def test_a_refused_folder_builds_no_file(tmp_path):
    """The folder is examined before the first file is built: a refusal costs no rendering."""
    target = tmp_path / "site"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    built = []

    def files():
        for path, data in SITE.items():
            built.append(path)
            yield path, data

    with pytest.raises(OutputError, match="not a site dzshare wrote"):
        write_site(target, files(), force=False)
    assert built == []


def test_a_build_failing_midway_leaves_the_previous_site_and_nothing_staged(tmp_path):
    """Files are written to the staging folder as they come; a failure after some of them
    throws the staging folder away and the previous site stays whole."""
    target = tmp_path / "site"
    write_site(target, SITE.items(), force=False)

    def failing():
        yield "index.html", b"new"
        raise RuntimeError("a page failed")

    with pytest.raises(RuntimeError, match="a page failed"):
        write_site(target, failing(), force=False)
    assert (target / "index.html").read_bytes() == SITE["index.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_a_path_given_twice_is_an_error_not_a_lost_file(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_site(tmp_path / "site", [("index.html", b"1"), ("index.html", b"2"), *SITE.items()], force=False)
    assert not (tmp_path / "site").exists()


def test_a_symbolic_link_or_a_file_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="symbolic link"):
        write_site(tmp_path / "link", SITE.items(), force=True)
    with pytest.raises(OutputError, match="is a file"):
        write_site(tmp_path / "file", SITE.items(), force=True)


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_ci_examples_validate_before_they_build_the_site(name):
    import yaml

    path = Path(__file__).parents[1] / "docs" / "examples" / "ci" / name
    text = path.read_text(encoding="utf-8")
    assert isinstance(yaml.safe_load(text), dict)
    import re

    commands = re.findall(r"^\s*(?:- |run: )dzshare (\w+)", text, flags=re.MULTILINE)
    assert commands == ["validate", "site"] and "--as-of" in text


# --- what a reader could misread ----------------------------------------------------------

def _section(page: str, start: str, end: str = "</h2>") -> str:
    """The page from `start` up to the next h2 (or `end`)."""
    found = page[page.index(start):]
    stop = found.find("<h2", len(start))
    return found if stop < 0 else found[:stop]


def test_the_named_units_show_their_count_and_the_rule_and_no_stray_timeline_link(table):
    model, site = _site(table)
    overview = site["index.html"].decode("utf-8")
    named = _section(overview, '<h2 id="named">')
    assert [(line.unit.name, line.overdue_led_directly) for line in model.report.named] == [("市政务数据共享协调机制", 4)]
    row = named[named.index("<tbody>"):]
    assert "市政务数据共享协调机制</a>" in row and '>4</td>' in row
    assert "牵头逾期节点" in named and "自身牵头的逾期节点最多的单位" in named
    assert "由组(如 市直相关部门)牵头的事项不计入其成员单位" in named
    # The timeline is reached from the navigation only, not from a link that reads as a named unit.
    assert "全部任务的时间轴" not in overview and overview.count('href="timeline.html"') == 1


def test_the_overview_counts_units_and_lists_groups_apart(table):
    model, site = _site(table)
    overview = site["index.html"].decode("utf-8")
    units = [standing for standing in model.units if not standing.is_group]
    red = sum(standing.light is Light.RED for standing in units)
    assert (len(units), red) == (35, 34)
    assert "35 个单位中红灯 34 个、黄灯 0 个;另有 3 个组,其事项计入各成员单位" in overview
    assert "34 个单位</span>" in _section(overview, '<ul class="cards">')
    listed = _section(overview, '<table id="units">', "</table>")
    assert listed.count("<tr data-row") == 35 and "市直相关部门" not in listed
    groups = _section(overview, '<h2 id="groups">')
    assert groups.count("<tr data-state=") == 3 and "data-row" not in groups
    assert all(name in groups for name in ("市直相关部门", "各相关部门", "各乡镇(街道)"))


SHARED = """\
document: {title: 测试表, year: 2022}
units:
  - {name: 甲局, aliases: [甲]}
  - {name: 乙局}
  - {name: 丙局}
  - {name: 各局, kind: group, members: [甲局, 乙局, 丙局]}
tasks:
  - id: 1
    text: 共同的事。
    lead: [甲局]
    responsible: [乙局]
    deadline: 2022年9月底
    progress:
      - {date: 2022-06-02, unit: 乙局, note: 乙的进展}
      - {note: 表内原有的进展}
      - {date: 2022-06-05, unit: 甲, note: 甲的进展}
  - id: 2
    text: 交给各局的事。
    lead: [各局]
    deadline: 2022年6月底
    progress:
      - {date: 2022-06-20, unit: 甲局, note: 已完成, milestone: 1, status: done, done_on: 2022-06-18}
      - {date: 2022-06-25, unit: 乙局, note: 已完成, status: done}
  - id: 3
    text: 晚了才做完的事。
    lead: [丙局]
    deadline: 2021年9月底
    done: [{milestone: 1, date: 2022-05-20}]
"""


def test_a_unit_page_shows_its_own_notes_first_and_the_others_apart(tmp_path):
    _, site = _site(load_table(write_table(tmp_path, SHARED)))
    page = site["units/甲局.html"].decode("utf-8")
    progress = _section(page, '<h2 id="progress">')
    own, others = progress.index('id="progress-own"'), progress.index('id="progress-others"')
    assert own < progress.index("甲: 甲的进展") < others
    assert others < progress.index("乙局: 乙的进展") and others < progress.index("表内原有的进展")
    # 乙局 sees the same notes the other way round: its own first.
    theirs = _section(site["units/乙局.html"].decode("utf-8"), '<h2 id="progress">')
    assert theirs.index("乙局: 乙的进展") < theirs.index('id="progress-others"') < theirs.index("甲: 甲的进展")
    # 丙局 sent nothing: it says so, and still sees every note on its tasks.
    none = _section(site["units/丙局.html"].decode("utf-8"), '<h2 id="progress">')
    assert "本单位尚未报送进展。" in none and "已完成" in none


def test_a_member_sees_its_report_of_a_group_milestone_done_and_the_group_sees_the_count(tmp_path):
    _, site = _site(load_table(write_table(tmp_path, SHARED)))
    first = _section(site["units/甲局.html"].decode("utf-8"), '<h2 id="role_via">')
    second = _section(site["units/乙局.html"].decode("utf-8"), '<h2 id="role_via">')
    third = _section(site["units/丙局.html"].decode("utf-8"), '<h2 id="role_via">')
    assert "时限 2022-06-30 · 逾期 1 天<br>本单位报告已于 2022-06-18 完成" in first
    assert "本单位 2022-06-25 报告已完成" in second  # no 完成日期 given: the day it reported
    assert "本单位" not in third
    group = _section(site["units/各局.html"].decode("utf-8"), '<h2 id="role_lead">')
    assert "各局 成员报告已完成 2/3" in group
    assert "各局 成员报告已完成 2/3" in site["table.html"].decode("utf-8")


def test_a_milestone_done_late_says_the_day_it_was_done_not_only_the_day_it_was_due(tmp_path):
    from dzshare_cli.query import task_statuses
    from dzshare_cli.render import milestones_cell

    table = load_table(write_table(tmp_path, SHARED))
    _, site = _site(table)
    page = site["units/丙局.html"].decode("utf-8")
    assert "时限 2021-09-30 · 已于 2022-05-20 完成(逾期 232 天)" in page
    assert "时限 2021-09-30" in site["table.html"].decode("utf-8")
    assert "已于 2022-05-20 完成(逾期 232 天)" in site["table.html"].decode("utf-8")
    assert "2021-09-30 已完成" not in page + site["table.html"].decode("utf-8")
    # The other commands keep their pinned wording.
    task = table.tasks[2]
    assert milestones_cell(task, task_statuses(task, AS_OF, 30), Lang.ZH) == "2021-09-30 已完成(逾期 232 天)"


def test_downloads_rendered_by_worker_processes_are_the_same_files_in_a_fixed_order(table, monkeypatch):
    """The pool is used from POOL_FROM_ROWS rows (here: always); what it gives must not differ
    from rendering every file in this process, and comes in the same order on every run."""
    from dzshare_cli.site import pages

    model = build_model(table, UnitRegistry.from_table(table), AS_OF, 30, VERSION)
    alone = list(build_site(model, Lang.ZH, workers=1))
    monkeypatch.setattr(pages, "POOL_FROM_ROWS", 0)
    spawned = []
    real = pages.rendered_alongside
    monkeypatch.setattr(pages, "rendered_alongside", lambda *args: spawned.append(args[4]) or real(*args))
    pooled = list(build_site(model, Lang.ZH, workers=2))
    assert spawned == [2]  # the pool did the work
    assert dict(pooled) == dict(alone) and len(pooled) == len(alone)
    assert pooled[-1][0] == MARKER
    assert [path for path, _ in build_site(model, Lang.ZH, workers=2)] == [path for path, _ in pooled]
    assert [path for path, _ in alone if path.startswith("downloads/")]  # there were downloads to render


def test_a_small_site_is_rendered_without_worker_processes(table, monkeypatch):
    from dzshare_cli.site import pages

    model = build_model(table, UnitRegistry.from_table(table), AS_OF, 30, VERSION)
    monkeypatch.setattr(pages, "rendered_alongside", lambda *args: pytest.fail("a pool for a small site"))
    assert len(list(build_site(model, Lang.ZH, workers=2))) > 70


def test_the_model_survives_the_trip_to_a_worker_started_without_fork(table):
    """Where workers are spawned (macOS, Windows; Linux from Python 3.14) the model is pickled
    to each: it must come back whole and render the same files."""
    import pickle

    from dzshare_cli.site.pages import render_unit_files

    model = build_model(table, UnitRegistry.from_table(table), AS_OF, 30, VERSION)
    copy = pickle.loads(pickle.dumps(model))
    first = next(index for index, standing in enumerate(model.units) if standing.downloads)
    assert render_unit_files(copy, Lang.ZH, first) == render_unit_files(model, Lang.ZH, first)


def _ledger_generator():
    import importlib.util
    import sys

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "ledger.py"
    spec = importlib.util.spec_from_file_location("benchmark_ledger_for_site", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    search_path = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:  # it puts benchmarks/ on the path for its sibling scripts
        sys.path[:] = search_path
    return module.generate_ledger


def test_a_big_site_is_written_as_it_is_built_not_held_in_memory(tmp_path):
    """The site of a generated ledger of 1,320 tasks (22 MB of pages and downloads) peaks well
    below what holding it would: the html report of the same ledger (the table and the report,
    which the site's model holds too) plus twice the site's size, room for the site's own model
    and views. Built whole before writing, the site took 166 MB here, against 81 MB written as
    it is built, with a bound of 95 MB (report 51 MB, site 22 MB)."""
    import os

    from tests.peak_memory import run_measured

    _ledger_generator()(tmp_path / "ledger", 40, 33)
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    code, stderr, report_peak = run_measured(["report", "--as-of", "2024-06-30", "--format", "html", "-f",
                                              str(tmp_path / "ledger")], env=environment)
    assert code == 0, stderr
    code, stderr, site_peak = run_measured(["site", "--as-of", "2024-06-30", "-f", str(tmp_path / "ledger"),
                                            "-o", str(tmp_path / "site")], env=environment)
    assert code == 0, stderr
    site_size = sum(path.stat().st_size for path in (tmp_path / "site").rglob("*") if path.is_file())
    assert site_size > 15 * 1024 * 1024  # big enough that holding it would show
    assert site_peak < report_peak + 2 * site_size, (site_peak, report_peak, site_size)
