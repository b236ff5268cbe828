"""The ledger cache: entries keyed by content, rebuilt when broken or gone, shared by processes at
once, and the digests that let `due` and `dept` build only the tasks that can answer them."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from dzshare_cli import cache as cache_module
from dzshare_cli.cache import CachedReader, cache_disabled, cache_folder, trim
from dzshare_cli.digest import DueInterest, UnitInterest, table_data, table_from_data
from dzshare_cli.ledger import load_ledger, read_manifest
from dzshare_cli.loader import check_table
from dzshare_cli.models import TaskTable
from dzshare_cli.query import DueWindow, Period, due_milestones, parse_period, unit_tasks
from dzshare_cli.units import UnitRegistry

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "ledger"

UNITS = """units:
  - {name: 市财政局, aliases: [财政局]}
  - {name: 市教育局, aliases: [教育局]}
  - {name: 市审计局}
  - {name: 东亭镇}
  - {name: 留早镇}
  - {name: 各乡镇(街道), kind: group, aliases: [各乡镇], members: [东亭镇, 留早镇]}
  - {name: 市直相关部门, kind: group, members: [市财政局, 市教育局, 市审计局]}
"""
NAMES = ["市财政局", "财政局", "市教育局", "教育局", "市审计局", "东亭镇", "留早镇", "各乡镇", "各乡镇(街道)",
         "市直相关部门"]
DEADLINES = ["{y}年6月底前", "{y}年9月底前完成", "长期推进;{y}年12月底前取得明显成效", "每季度末", "每月25日前",
             "{y}年3月底前启动;{y}年10月底前全面完成", "印发之日起10个工作日内", "长期推进", "尽快"]


def document_yaml(pick: random.Random, tasks: int) -> str:
    year = pick.choice([2022, 2023, 2024])
    lines = ["document:", f"  title: 第{pick.randint(1, 99)}号文件", f"  year: {year}",
             f"  date: {year}-0{pick.randint(1, 3)}-1{pick.randint(0, 9)}", "tasks:"]
    for number in range(1, tasks + 1):
        deadline = pick.choice(DEADLINES).format(y=year)
        deadline = "{text: 尽快}" if deadline == "尽快" else deadline
        lines += [f"  - id: {number}", f"    text: 第{number}项任务，推进重点工作。",
                  f"    lead: [{pick.choice(NAMES)}]",
                  f"    responsible: [{', '.join(pick.sample(NAMES, pick.randint(0, 2)))}]",
                  f"    deadline: {deadline}"]
        if "月底" in deadline and pick.random() < 0.6:
            lines += ["    done:", f"      - {{milestone: 1, date: {year}-0{pick.randint(2, 9)}-15}}"]
        elif deadline.startswith("每") and pick.random() < 0.6:
            lines += ["    done:", f"      - {{period: {year}-{'Q1' if '季度' in deadline else '03'}, "
                      f"date: {year}-04-02}}"]
    return "\n".join(lines) + "\n"


def make_ledger(folder: Path, documents: int, tasks: int = 6, seed: int = 3) -> Path:
    pick = random.Random(seed)
    (folder / "tables").mkdir(parents=True)
    (folder / "units.yaml").write_text(UNITS, encoding="utf-8")
    manifest = ["title: 测试台账", "units: units.yaml", "documents:"]
    for number in range(1, documents + 1):
        (folder / "tables" / f"d{number}.yaml").write_text(document_yaml(pick, tasks), encoding="utf-8")
        manifest.append(f"  d{number}: tables/d{number}.yaml")
    (folder / "ledger.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return folder / "ledger.yaml"


def dump(table: TaskTable) -> list[tuple[str, dict]]:
    return [(task.ref, task.model_dump(mode="json")) for task in table.tasks]


def read(manifest: Path, folder: Path | None, interest=None, workers: int = 1):
    reader = CachedReader(folder, workers)
    result = load_ledger(read_manifest(manifest), reader, interest)
    assert result.table is not None, result.errors
    return result.table, reader.stats


# --------------------------------------------------------------------------- a table as data

def every_model(value, found):
    if hasattr(type(value), "model_fields"):
        found.append(value)
        for field in type(value).model_fields:
            every_model(getattr(value, field), found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            every_model(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            every_model(item, found)
    return found


@pytest.mark.parametrize("path", ["data/tasks.yaml", "docs/examples/recurring.yaml", "docs/examples/roles.yaml",
                                  "docs/examples/ledger/tables/gzbg2024.yaml"])
def test_a_table_rebuilt_from_its_data_equals_the_validated_one(path):
    table = check_table(Path(__file__).resolve().parents[1] / path, in_ledger=True).table
    assert table is not None
    rebuilt = table_from_data(json.loads(json.dumps(table_data(table))))
    assert rebuilt == table
    assert rebuilt.model_dump() == table.model_dump()


def test_the_readers_give_every_field_of_every_model(tmp_path):
    manifest = make_ledger(tmp_path, 8)
    table, _ = read(manifest, None)
    rebuilt = table_from_data(json.loads(json.dumps(table_data(table))))
    models = every_model(rebuilt, [])
    for model in models:
        assert set(model.__dict__) == set(type(model).model_fields), type(model).__name__
    seen = {type(model).__name__ for model in models}
    assert {"Task", "Deadline", "Milestone", "Recurring", "Within", "DoneRecord", "Document", "Unit"} <= seen


# --------------------------------------------------------------------------- entries

def test_a_warm_read_parses_nothing_and_equals_the_cold_one(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 5)
    cold, cold_stats = read(manifest, tmp_path / "cache")
    warm, warm_stats = read(manifest, tmp_path / "cache")
    uncached, _ = read(manifest, None)
    assert len(cold_stats.parsed) == 5 and cold_stats.written == 5
    assert warm_stats.parsed == [] and warm_stats.hits == 5
    assert dump(warm) == dump(cold) == dump(uncached)
    assert warm.units == uncached.units


def test_after_an_edit_only_that_file_is_parsed_and_the_edit_is_seen(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 6)
    read(manifest, tmp_path / "cache")
    edited = tmp_path / "ledger" / "tables" / "d4.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("第1项任务", "改过的任务"), encoding="utf-8")
    table, stats = read(manifest, tmp_path / "cache")
    assert stats.parsed == [edited]
    assert [task.text for task in table.tasks if task.ref == "d4:1"] == ["改过的任务，推进重点工作。"]


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "\x00garbage\xff" * 10,
    lambda text: "[]\n[]",  # JSON of the wrong shape
    lambda text: '{"format": 1, "key": "another", "problems": [], "digest": null}\n',
    lambda text: text.split("\n", 1)[0] + "\n{not json",  # a good head, a broken table
    lambda text: "",
])
def test_a_broken_entry_is_rebuilt_silently(tmp_path, damage):
    manifest = make_ledger(tmp_path / "ledger", 3)
    expected, _ = read(manifest, tmp_path / "cache")
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_bytes(damage(entry.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    table, stats = read(manifest, tmp_path / "cache")
    assert dump(table) == dump(expected)
    assert len(stats.parsed) == 3 and stats.notes  # what DZSHARE_CACHE_DEBUG shows


def test_a_cache_deleted_while_in_use_only_costs_a_parse(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 4)
    expected, _ = read(manifest, tmp_path / "cache")
    reader = CachedReader(tmp_path / "cache", 1)
    entries = reader(list(read_manifest(manifest).documents.values()))
    shutil.rmtree(tmp_path / "cache")
    assert [task.model_dump() for entry in entries for task in entry.tasks()] == \
        [task.model_dump() for task in expected.tasks]


def test_a_cache_folder_that_cannot_be_written_is_only_slower(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 3)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    table, stats = read(manifest, blocked)
    uncached, _ = read(manifest, None)
    assert dump(table) == dump(uncached)
    assert stats.written == 0 and stats.notes == []


def test_an_entry_names_the_file_it_is_read_for(tmp_path):
    """The same bytes at two paths are one entry; each problem names the path being read."""
    first = make_ledger(tmp_path / "one", 2)
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    broken = "document: {title: 坏}\ntasks:\n  - id: 1\n    text: 任务\n    deadline: 2024年13月底\n"
    for folder in ("one", "two"):
        (tmp_path / folder / "tables" / "d2.yaml").write_text(broken, encoding="utf-8")
    load_ledger(read_manifest(first), CachedReader(tmp_path / "cache", 1))
    reader = CachedReader(tmp_path / "cache", 1)
    result = load_ledger(read_manifest(tmp_path / "two" / "ledger.yaml"), reader)
    assert reader.stats.parsed == []
    assert result.errors and all(str(tmp_path / "two") in problem.path for problem in result.errors)


def _build(manifest: str, folder: str, queue) -> None:
    table, stats = read(Path(manifest), Path(folder))
    queue.put((dump(table), len(stats.parsed)))


def _two_at_once(target, manifest: Path, cache: Path) -> list:
    """What two processes running `target` at the same moment (each from a fresh interpreter) answered."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=target, args=(str(manifest), str(cache), queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    answers = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    return answers


def test_two_processes_building_the_cache_at_once_both_succeed(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 12, tasks=20)
    answers = _two_at_once(_build, manifest, tmp_path / "cache")
    expected, _ = read(manifest, None)
    assert answers[0][0] == answers[1][0] == dump(expected)
    written = sorted(path.name for path in (tmp_path / "cache").rglob("*"))
    assert len([name for name in written if name.endswith(".json")]) == 12, written  # no temporary left
    assert not [name for name in written if name.endswith(".tmp")], written
    _, stats = read(manifest, tmp_path / "cache")
    assert stats.notes == [] and stats.hits == 12, (stats, written)  # every entry whole


def test_many_files_are_parsed_by_a_pool_with_the_same_answer(tmp_path, monkeypatch):
    manifest = make_ledger(tmp_path / "ledger", 20)
    monkeypatch.setattr(cache_module, "POOL_FROM_FILES", 4)
    pooled, stats = read(manifest, tmp_path / "cache", workers=2)
    alone, _ = read(manifest, None, workers=1)
    assert dump(pooled) == dump(alone) and stats.written == 20
    warm, warm_stats = read(manifest, tmp_path / "cache")
    assert warm_stats.parsed == [] and dump(warm) == dump(alone)


def test_the_cache_is_trimmed_oldest_first(tmp_path):
    for number in range(10):
        entry = tmp_path / f"{number}.json"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (1000 + number, 1000 + number))
    (tmp_path / ".left.tmp").write_bytes(b"x")
    os.utime(tmp_path / ".left.tmp", (0, 0))
    trim(tmp_path, 500, now=100_000)
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"{number}.json" for number in range(7, 10)]


def test_where_the_cache_lives(tmp_path, monkeypatch):
    manifest = make_ledger(tmp_path / "ledger", 1)
    files = read_manifest(manifest)
    assert cache_folder(files, {"DZSHARE_CACHE_DIR": "/x"}) == Path("/x")
    import platformdirs

    assert cache_folder(files, {}) == Path(platformdirs.user_cache_dir("dzshare"))
    files.cache_local = True
    assert cache_folder(files, {}) == tmp_path / "ledger" / ".dzshare-cache"
    assert cache_disabled({"DZSHARE_NO_CACHE": "1"}) and not cache_disabled({"DZSHARE_NO_CACHE": "0"})


# --------------------------------------------------------------------------- interests

WINDOWS = [DueWindow(), DueWindow(before=parse_period("2023-07")), DueWindow(by=parse_period("2022-12")),
           DueWindow(after=parse_period("2023-06")), DueWindow(after=parse_period("2023-03"), by=parse_period("2023-09")),
           DueWindow(after=parse_period("2024-01"), before=parse_period("2024-02")),
           DueWindow(before=Period(date(2022, 4, 1), date(2022, 4, 1)))]


def statuses(found):
    return [(status.task.ref, status.number, status.milestone.due, status.state, status.period) for status in found]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_due_over_the_wanted_tasks_equals_due_over_all(tmp_path, seed):
    manifest = make_ledger(tmp_path / "ledger", 30, tasks=8, seed=seed)
    read(manifest, tmp_path / "cache")
    whole, _ = read(manifest, tmp_path / "cache")
    pick = random.Random(seed)
    narrowed_somewhere = False
    for window in WINDOWS:
        for as_of in (date(2022, 5, 1), date(2023, 6, 30), date(2024, 12, 1), date(pick.randint(2021, 2025), 3, 3)):
            for include_done in (False, True):
                table, _ = read(manifest, tmp_path / "cache", DueInterest(window, as_of, include_done))
                expected = due_milestones(whole.tasks, window, as_of, 30, include_done)
                assert statuses(due_milestones(table.tasks, window, as_of, 30, include_done)) == statuses(expected)
                assert list(table.documents) == list(whole.documents)
                narrowed_somewhere |= len(table.tasks) < len(whole.tasks)
    assert narrowed_somewhere  # the interest does turn tasks down


@pytest.mark.parametrize("name", ["市财政局", "财政局", "东亭镇", "各乡镇", "市直相关部门", "审计", "不存在的单位"])
def test_dept_over_the_wanted_tasks_equals_dept_over_all(tmp_path, name):
    manifest = make_ledger(tmp_path / "ledger", 20, tasks=8)
    whole, _ = read(manifest, tmp_path / "cache")
    table, _ = read(manifest, tmp_path / "cache", UnitInterest(name))
    registry = UnitRegistry.from_table(whole)
    try:
        unit = registry.resolve(name)
    except Exception:  # noqa: BLE001 - an unknown name: every task is kept, the command says why
        assert len(table.tasks) == len(whole.tasks)
        return
    expected = [(entry.task.ref, entry.relation) for entry in unit_tasks(whole, registry, unit)]
    found = [(entry.task.ref, entry.relation)
             for entry in unit_tasks(table, UnitRegistry.from_table(table), unit)]
    assert found == expected and expected
    if name == "东亭镇":
        assert len(table.tasks) < len(whole.tasks)


# --------------------------------------------------------------------------- the ledger's index

def read_indexed(manifest: Path, folder: Path, interest=None, workers: int = 1):
    reader = CachedReader(folder, workers, ledger=manifest)
    result = load_ledger(read_manifest(manifest), reader, interest)
    assert result.table is not None, result.errors
    return result.table, reader.stats


def index_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("ledger-*.json"))


def test_a_warm_read_takes_every_head_from_the_ledgers_index(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 5)
    cold, cold_stats = read_indexed(manifest, tmp_path / "cache")
    assert cold_stats.index_written and len(index_files(tmp_path / "cache")) == 1
    warm, stats = read_indexed(manifest, tmp_path / "cache")
    uncached, _ = read(manifest, None)
    assert stats.parsed == [] and stats.indexed == stats.hits == 5 and not stats.index_written
    assert dump(warm) == dump(cold) == dump(uncached)
    index = json.loads(index_files(tmp_path / "cache")[0].read_text(encoding="utf-8"))
    assert all(type(name) is int for _, _, head in index["documents"] for name in head["digest"]["names"])


def test_an_edit_to_one_document_is_seen_and_updates_the_index(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 6)
    read_indexed(manifest, tmp_path / "cache")
    edited = tmp_path / "ledger" / "tables" / "d4.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("第1项任务", "改过的任务"), encoding="utf-8")
    table, stats = read_indexed(manifest, tmp_path / "cache")
    assert stats.parsed == [edited] and stats.indexed == 5 and stats.index_written
    assert [task.text for task in table.tasks if task.ref == "d4:1"] == ["改过的任务，推进重点工作。"]
    again, stats = read_indexed(manifest, tmp_path / "cache")
    assert stats.parsed == [] and stats.indexed == 6 and not stats.index_written
    assert dump(again) == dump(table)


def test_an_edit_made_while_only_the_index_knows_the_old_bytes_is_never_served_stale(tmp_path):
    """The index is looked up by each file's hash: an edited file misses it, whatever its time."""
    manifest = make_ledger(tmp_path / "ledger", 3)
    read_indexed(manifest, tmp_path / "cache")
    edited = tmp_path / "ledger" / "tables" / "d2.yaml"
    before = os.stat(edited)
    edited.write_text(edited.read_text(encoding="utf-8").replace("第2项任务", "第二项任务"), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    table, _ = read_indexed(manifest, tmp_path / "cache")
    assert [task.text for task in table.tasks if task.ref == "d2:2"] == ["第二项任务，推进重点工作。"]


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "\x00garbage\xff" * 10,
    lambda text: "[]",
    lambda text: text.replace('"names":[', '"names":[999999,', 1),  # a name that is not in the list
    lambda text: text.replace('"lines":[0,', '"lines":[0,1,', 1),  # line starts of the wrong shape
    lambda text: text.replace('"documents":[["', '"documents":[[7,"', 1),
    lambda text: "",
    lambda text: "[" * 100_000,  # nested past the JSON reader's recursion limit
])
def test_a_broken_index_is_rebuilt_silently(tmp_path, damage):
    manifest = make_ledger(tmp_path / "ledger", 3)
    expected, _ = read_indexed(manifest, tmp_path / "cache")
    index = index_files(tmp_path / "cache")[0]
    index.write_bytes(damage(index.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    table, stats = read_indexed(manifest, tmp_path / "cache")
    assert dump(table) == dump(expected)
    assert stats.parsed == [] and stats.hits == 3 and stats.indexed < 3  # the entries answered instead
    assert stats.index_written
    _, stats = read_indexed(manifest, tmp_path / "cache")
    assert stats.indexed == 3 and stats.notes == []


def test_entries_gone_behind_the_index_are_parsed_and_written_again(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 3)
    expected, _ = read_indexed(manifest, tmp_path / "cache")
    for entry in (tmp_path / "cache").rglob("*.json"):
        if not entry.name.startswith("ledger-"):
            entry.unlink()
    table, stats = read_indexed(manifest, tmp_path / "cache")
    assert dump(table) == dump(expected) and len(stats.parsed) == 3 and stats.written == 3
    _, stats = read_indexed(manifest, tmp_path / "cache")
    assert stats.parsed == [] and stats.notes == []


def test_a_task_line_damaged_behind_the_index_is_parsed_again(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 2)
    expected, _ = read_indexed(manifest, tmp_path / "cache")
    for entry in (tmp_path / "cache").rglob("*.json"):
        if not entry.name.startswith("ledger-"):
            entry.write_bytes(entry.read_bytes().replace(b'"text":"', b'"text":"\\x', 1))
    table, stats = read_indexed(manifest, tmp_path / "cache")
    assert dump(table) == dump(expected) and len(stats.parsed) == 2 and stats.notes


def _build_indexed(manifest: str, folder: str, queue) -> None:
    table, stats = read_indexed(Path(manifest), Path(folder))
    queue.put((dump(table), len(stats.parsed)))


def test_two_processes_writing_the_index_at_once_both_succeed(tmp_path):
    manifest = make_ledger(tmp_path / "ledger", 12, tasks=20)
    read_indexed(manifest, tmp_path / "cache")
    for number in (3, 7):  # both processes find two documents changed and write the index again
        edited = tmp_path / "ledger" / "tables" / f"d{number}.yaml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("第1项任务", "改过的任务"), encoding="utf-8")
    answers = _two_at_once(_build_indexed, manifest, tmp_path / "cache")
    expected, _ = read(manifest, None)
    assert answers[0][0] == answers[1][0] == dump(expected)
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    table, stats = read_indexed(manifest, tmp_path / "cache")
    assert stats.notes == [] and stats.parsed == [] and stats.indexed == 12
    assert dump(table) == dump(expected)
