"""The ledger core: the manifest, the merged registry, combining documents, KEY:ID references."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dzshare_cli.errors import TableError, UsageError
from dzshare_cli.ledger import load_ledger, narrow, read_manifest
from dzshare_cli.query import task_index

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "ledger"
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "tasks.yaml"


@pytest.fixture()
def ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _load(folder: Path):
    return load_ledger(read_manifest(folder / "ledger.yaml"))


def test_the_example_holds_the_bundled_table_verbatim():
    # Only the schema comment differs: the example is read from the repository root.
    bundled = BUNDLED.read_text(encoding="utf-8").splitlines()[1:]
    assert (EXAMPLE / "tables" / "dz2021.yaml").read_text(encoding="utf-8").splitlines() == bundled


def test_documents_come_in_manifest_order_then_included_files(ledger):
    files = read_manifest(ledger / "ledger.yaml")
    assert list(files.documents) == ["dz2021", "gzbg2024", "hy2024-03"]
    assert files.documents["hy2024-03"] == ledger / "meetings" / "hy2024-03.yaml"


def test_every_task_carries_its_document(ledger):
    result = _load(ledger)
    assert result.errors == []
    table = result.table
    counts = {key: sum(task.document == key for task in table.tasks) for key in table.documents}
    assert counts == {"dz2021": 18, "gzbg2024": 3, "hy2024-03": 2}
    assert table.tasks[18].ref == "gzbg2024:1"
    assert table.documents["gzbg2024"].document.year == 2024


def test_aliases_declared_in_different_files_merge(ledger):
    table = _load(ledger).table
    finance = [unit for unit in table.units if unit.name == "市财政局"]
    assert len(finance) == 1
    # 财政局 from the bundled table and units.yaml, 市财政 from gzbg2024's own units
    assert set(finance[0].aliases) == {"财政局", "市财政"}


def test_an_alias_naming_two_units_is_an_error_naming_both_files(ledger):
    own = ledger / "tables" / "gzbg2024.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("aliases: [市财政]", "aliases: [教育局]"),
                   encoding="utf-8")
    result = _load(ledger)
    assert result.table is None
    [clash] = [p for p in result.errors if p.code == "registry-clash"]
    assert clash.path == str(own) and clash.line is not None
    assert "'教育局' names '市财政局' here but '市教育局' in" in clash.message
    assert str(ledger / "units.yaml") in clash.message


def test_a_group_with_two_member_lists_is_an_error(ledger):
    shared = ledger / "units.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") +
                      "  - {name: 市直相关部门, kind: group, members: [市财政局]}\n", encoding="utf-8")
    result = _load(ledger)
    assert [p.code for p in result.errors] == ["registry-clash"]
    assert "group '市直相关部门' has other members here than in" in result.errors[0].message


def test_a_unit_no_file_declares_is_reported_in_its_own_file(ledger):
    meeting = ledger / "meetings" / "hy2024-03.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("lead: [市教育局]", "lead: [市教委]"),
                       encoding="utf-8")
    [problem] = _load(ledger).errors
    assert (problem.path, problem.line, problem.code) == (str(meeting), 13, "unknown-unit")


def test_a_broken_document_does_not_hide_the_others_problems(ledger):
    (ledger / "tables" / "gzbg2024.yaml").write_text("document: {}\ntasks: [\n", encoding="utf-8")
    meeting = ledger / "meetings" / "hy2024-03.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("2024年3月底前", "尽快"), encoding="utf-8")
    paths = {Path(p.path).name for p in _load(ledger).errors}
    assert paths == {"gzbg2024.yaml", "hy2024-03.yaml"}


@pytest.mark.parametrize(("manifest", "code", "line"), [
    ("title: t\ndocuments:\n  dz2021: tables/dz2021.yaml\n  'a:b': tables/gzbg2024.yaml\n", "bad-key", 4),
    ("title: t\ndocuments:\n  dz2021: tables/dz2021.yaml\n  again: tables/dz2021.yaml\n", "duplicate-key", 4),
    ("title: t\ndocuments:\n  dz2021: tables/dz2021.yaml\n  dz2021: tables/gzbg2024.yaml\n", "duplicate-key", 4),
    ("title: t\ndocumnets: {}\n", "unknown-field", 2),
    ("documents: {}\n", "missing-field", 1),
])
def test_manifest_problems_have_their_position(ledger, manifest, code, line):
    (ledger / "ledger.yaml").write_text(manifest, encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.line) == (code, line)


def test_a_missing_document_file_is_named_at_its_line_of_the_manifest(ledger):
    (ledger / "tables" / "gzbg2024.yaml").unlink()
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    [problem] = caught.value.problems
    assert (Path(problem.path).name, problem.line, problem.code) == ("ledger.yaml", 7, "file")


def test_a_document_that_cannot_be_read_leaves_its_units_unknown_as_warnings(ledger):
    (ledger / "tables" / "gzbg2024.yaml").write_text("document: {}\ntasks: [\n", encoding="utf-8")
    result = _load(ledger)
    assert [(Path(p.path).name, p.code) for p in result.errors] == [("gzbg2024.yaml", "yaml-syntax")]
    # 市财政 is an alias only gzbg2024 declares: the meeting naming it is not blamed for that
    [warning] = [p for p in result.problems if p.severity == "warning"]
    assert Path(warning.path).name == "hy2024-03.yaml" and "could not be read and may declare it" in warning.hint


def test_a_bare_id_must_be_unambiguous(ledger):
    table = _load(ledger).table
    assert table.tasks[task_index(table, "16")].ref == "dz2021:16"
    assert table.tasks[task_index(table, "gzbg2024:2")].text.startswith("全面推行预算绩效管理")
    with pytest.raises(UsageError, match=r"task '1' is in 3 documents: dz2021:1, gzbg2024:1, hy2024-03:1"):
        task_index(table, "1")
    with pytest.raises(UsageError, match=r"no task with id '9' in document 'gzbg2024'"):
        task_index(table, "gzbg2024:9")


def test_narrowing_keeps_the_registry_and_refuses_unknown_keys(ledger):
    table = _load(ledger).table
    narrowed = narrow(table, ["hy2024-03"])
    assert [task.ref for task in narrowed.tasks] == ["hy2024-03:1", "hy2024-03:2"]
    assert narrowed.units == table.units and not narrowed.multi_document
    assert narrowed.tasks[task_index(narrowed, "1")].ref == "hy2024-03:1"  # unambiguous now
    with pytest.raises(UsageError, match="no document 'nope' in the ledger; its documents are dz2021, gzbg2024, hy2024-03"):
        narrow(table, ["nope"])


def test_include_globs_stay_inside_the_folder(ledger):
    (ledger / "ledger.yaml").write_text("title: t\ninclude: ['../*.yaml']\n", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    assert [(p.code, p.line) for p in caught.value.problems] == [("bad-include", 2)]


def test_a_ledger_says_which_limit_it_is_over(ledger, monkeypatch):
    from dzshare_cli import ledger as ledger_module

    monkeypatch.setattr(ledger_module, "MAX_DOCUMENTS", 2)
    with pytest.raises(TableError, match="over 2 documents, the limit for one ledger"):
        read_manifest(ledger / "ledger.yaml")
    monkeypatch.setattr(ledger_module, "MAX_DOCUMENTS", 20)
    monkeypatch.setattr(ledger_module, "MAX_LEDGER_BYTES", 10_000)
    with pytest.raises(TableError, match="tables are over 0 MB together"):
        read_manifest(ledger / "ledger.yaml")


def test_a_units_file_may_be_a_bare_list(ledger):
    shared = ledger / "units.yaml"
    shared.write_text("- {name: 市财政局, aliases: [财政局]}\n- {name: 市教育局, aliases: [教育局]}\n"
                      "- {name: 市住房城乡建设局, aliases: [住建局, 教育局]}\n", encoding="utf-8")
    [clash] = _load(ledger).errors
    assert (clash.path, clash.line, clash.code) == (str(shared), 3, "registry-clash")


def test_a_missing_units_file_is_named_at_its_line_of_the_manifest(ledger):
    (ledger / "units.yaml").unlink()
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    [problem] = caught.value.problems
    assert (Path(problem.path).name, problem.line, problem.code) == ("ledger.yaml", 4, "file")
    assert "units.yaml: no such file" in problem.message


def test_a_group_may_name_units_another_file_declares_and_unknown_members_are_named(ledger):
    own = ledger / "tables" / "gzbg2024.yaml"
    text = own.read_text(encoding="utf-8")
    own.write_text(text + "  - {name: 教育财政, kind: group, members: [市财政局, 市教育局]}\n", encoding="utf-8")
    assert _load(ledger).errors == []  # 市教育局 is declared in units.yaml only
    own.write_text(text + "  - {name: 教育财政, kind: group, members: [市财政局, 市教委]}\n", encoding="utf-8")
    [problem] = _load(ledger).errors
    assert (problem.path, problem.code) == (str(own), "unknown-unit")
    assert "group member '市教委' is not a known unit" in problem.message


def test_a_reference_to_an_unknown_document_says_so(ledger):
    table = _load(ledger).table
    with pytest.raises(UsageError, match=r"no document 'nope' in the ledger for task 'nope:1'; its documents are dz2021"):
        task_index(table, "nope:1")
    with pytest.raises(UsageError, match=r"no document '' in the ledger|no task"):
        task_index(table, ":")


def test_include_globs_skip_hidden_folders_and_refuse_links_leading_out(ledger, tmp_path):
    (ledger / ".git").mkdir()
    (ledger / ".git" / "HEAD.yaml").write_text("not a table\n", encoding="utf-8")
    (ledger / "ledger.yaml").write_text("title: t\ninclude: ['**/*.yaml']\n", encoding="utf-8")
    keys = list(read_manifest(ledger / "ledger.yaml").documents)
    assert "HEAD" not in keys and {"dz2021", "gzbg2024", "hy2024-03"} <= set(keys)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("document: {}\ntasks: []\n", encoding="utf-8")
    (ledger / "meetings" / "linked.yaml").symlink_to(outside)
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    assert [(p.code, p.line) for p in caught.value.problems] == [("bad-include", 2)]
    assert "a link to a file outside the ledger's folder" in caught.value.problems[0].message


def test_a_document_that_cannot_be_looked_at_is_named_at_its_line(ledger, monkeypatch):
    # As root in CI, chmod cannot make a file unreadable: the refusal is made up here.
    from dzshare_cli import ledger as ledger_module

    real_stat = ledger_module.os.stat

    def stat(path, *args, **kwargs):
        if str(path).endswith("gzbg2024.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(ledger_module.os, "stat", stat)
    with pytest.raises(TableError) as caught:
        read_manifest(ledger / "ledger.yaml")
    [problem] = caught.value.problems
    assert (Path(problem.path).name, problem.line) == ("ledger.yaml", 7)
    assert "permission denied" in problem.message


def test_a_glob_that_matches_nothing_and_a_link_to_nothing_are_warnings(ledger):
    (ledger / "meetings" / "gone.yaml").symlink_to(ledger / "meetings" / "nowhere.yaml")
    (ledger / "ledger.yaml").write_text(
        (ledger / "ledger.yaml").read_text(encoding="utf-8").replace(
            "include: [meetings/*.yaml]", "include: [meetings/*.yaml, tables/*.yml]"), encoding="utf-8")
    result = _load(ledger)
    assert result.errors == [] and result.table is not None
    found = [(p.code, p.line, p.severity) for p in result.problems if p.code == "empty-include"]
    assert found == [("empty-include", 8, "warning"), ("empty-include", 8, "warning")]
    messages = " ".join(p.message for p in result.problems)
    assert "'tables/*.yml' matches no table file" in messages and "a link to nothing" in messages
