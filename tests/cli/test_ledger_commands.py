"""Every command across the documents of a ledger: validate, done/note, report, matrix, units,
export, timeline, ics, diff, and --doc narrowing each of them."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dzshare_cli.exporters.ics import event_uid
from tests.cli.helpers import run

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"
AS_OF = "2024-05-01"


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    """The example ledger (dz2021, gzbg2024, hy2024-03 via include) in a folder of its own."""
    monkeypatch.delenv("DZSHARE_FILE", raising=False)
    folder = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.yaml"))}


# validate ------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["folder", "manifest", "file-option"])
def test_validate_checks_every_file_of_a_ledger(ledger, how):
    args = {"folder": [str(ledger)], "manifest": [str(ledger / "ledger.yaml")],
            "file-option": ["-f", str(ledger)]}[how]
    result = run("validate", *args)
    assert result.exit_code == 0, result.output
    # the manifest, units.yaml and three documents; 18 + 3 + 2 tasks; a ledger found by -f is named
    named = f" · ledger {ledger}/ledger.yaml" if how == "file-option" else ""
    assert result.stderr.splitlines()[-1] == "ok: 5 files, 23 tasks, 0 errors, 0 warnings" + named


def test_validate_without_a_path_finds_the_ledger_above(ledger, monkeypatch):
    monkeypatch.chdir(ledger / "tables")
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "ok: 5 files, 23 tasks, 0 errors, 0 warnings · ledger ../ledger.yaml"


def test_a_broken_document_is_reported_at_its_place_and_the_others_still_checked(ledger, monkeypatch):
    (ledger / "tables" / "gzbg2024.yaml").write_text("tasks: [\n", "utf-8")
    meeting = ledger / "meetings" / "hy2024-03.yaml"
    meeting.write_text(meeting.read_text("utf-8").replace("lead: [市教育局]", "lead: [市教委]"), "utf-8")
    monkeypatch.chdir(ledger)
    result = run("validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("tables/gzbg2024.yaml:2:1: error[yaml-syntax]") for line in lines), lines
    # the meeting is still checked against the registry, at its own line and column
    assert any(line.startswith("meetings/hy2024-03.yaml:13:12: warning[unknown-unit]") and "'市教委'" in line
               for line in lines), lines
    assert result.stderr.splitlines()[-1].startswith("fail: 5 files, 20 tasks, ")


def test_a_registry_clash_names_both_files(ledger):
    report = ledger / "tables" / "gzbg2024.yaml"
    report.write_text(report.read_text("utf-8").replace(
        "  - {name: 市财政局, kind: department, aliases: [市财政]}",
        "  - {name: 市财政局, kind: department, aliases: [市财政]}\n  - {name: 市审计局, aliases: [财政局]}"), "utf-8")
    result = run("validate", str(ledger))
    assert result.exit_code == 1
    clash = [line for line in result.stdout.splitlines() if "registry-clash" in line]
    assert len(clash) == 1
    assert clash[0].startswith(f"{ledger}/tables/gzbg2024.yaml:")
    assert f"'财政局' names '市审计局' here but '市财政局' in {ledger}/units.yaml" in clash[0]


def test_validate_doc_reports_only_that_document_but_still_the_registry(ledger):
    (ledger / "meetings" / "hy2024-03.yaml").write_text("tasks: [\n", "utf-8")
    dz2021 = ledger / "tables" / "dz2021.yaml"
    dz2021.write_text(dz2021.read_text("utf-8").replace("aliases: [财政局", "aliases: [市教育局, 财政局", 1),
                      "utf-8")
    result = run("validate", str(ledger), "--doc", "gzbg2024", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"status", "problems"}
    # the broken meeting is not reported, the clash between dz2021 and units.yaml is
    assert [(Path(p["path"]).name, p["code"]) for p in report["problems"]] == [("dz2021.yaml", "registry-clash")]
    assert result.stderr.splitlines()[-1] == "fail: 3 files, 3 tasks, 1 error, 0 warnings"


def test_validate_doc_must_name_a_document(ledger):
    result = run("validate", str(ledger), "--doc", "nosuch")
    assert result.exit_code == 2
    assert "no document 'nosuch' in the ledger; its documents are dz2021, gzbg2024, hy2024-03" in result.stderr


# done and note -------------------------------------------------------------------------------

def test_done_writes_into_the_documents_own_file_keeping_comments(ledger, monkeypatch):
    report = ledger / "tables" / "gzbg2024.yaml"
    report.write_text("# 2024 政府工作报告\n" + report.read_text("utf-8"), "utf-8")
    before = _files(ledger)
    monkeypatch.chdir(ledger)
    result = run("done", "gzbg2024:2", "--on", "2024-03-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == "task gzbg2024:2: milestone 1 (due 2024-06-30) recorded done on 2024-03-01\n"
    after = _files(ledger)
    assert [name for name in after if after[name] != before[name]] == ["tables/gzbg2024.yaml"]
    text = report.read_text("utf-8")
    assert text.startswith("# 2024 政府工作报告\n")
    assert "    done:\n      - milestone: 1\n        date: 2024-03-01\n" in text
    assert run("validate").exit_code == 0


def test_a_bare_id_in_several_documents_is_refused_with_the_candidates(ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    before = _files(ledger)
    result = run("done", "2", "--on", "2024-03-01")
    assert result.exit_code == 2
    assert "task '2' is in 3 documents: dz2021:2, gzbg2024:2, hy2024-03:2; name one as KEY:ID" in result.stderr
    assert _files(ledger) == before


def test_a_bare_id_found_once_and_doc_narrowing_both_find_the_file(ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    assert run("done", "10", "--on", "2024-03-01").exit_code == 0  # only dz2021 has a task 10
    assert "date: 2024-03-01" in (ledger / "tables" / "dz2021.yaml").read_text("utf-8")
    result = run("done", "1", "--doc", "hy2024-03", "--on", "2024-03-02")
    assert result.exit_code == 0, result.output
    assert "task hy2024-03:1: milestone 1" in result.stderr
    assert "date: 2024-03-02" in (ledger / "meetings" / "hy2024-03.yaml").read_text("utf-8")


def test_done_dry_run_shows_the_diff_of_that_file_and_writes_nothing(ledger):
    before = _files(ledger)
    result = run("done", "gzbg2024:1", "--on", "2024-03-01", "--dry-run", "-f", str(ledger))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- a/gzbg2024.yaml\n+++ b/gzbg2024.yaml\n")
    assert "+        date: 2024-03-01\n" in result.stdout
    assert _files(ledger) == before


def test_note_names_the_unit_as_the_ledger_registry_does(ledger, monkeypatch):
    # 市财政 is an alias declared only in gzbg2024's own units; the meeting's note is from 市财政局
    monkeypatch.chdir(ledger)
    result = run("note", "hy2024-03:1", "--unit", "市财政", "资金方案已起草", "--on", "2024-03-20")
    assert result.exit_code == 0, result.output
    assert result.stderr == "task hy2024-03:1: progress note from 市财政局 on 2024-03-20\n"
    assert "unit: 市财政局\n        note: 资金方案已起草" in (ledger / "meetings" / "hy2024-03.yaml").read_text("utf-8")
    assert run("validate").exit_code == 0


def test_editing_standard_input_is_still_refused(ledger):
    result = run("done", "1", "-f", "-")
    assert result.exit_code == 2
    assert "standard input" in result.stderr


# report --------------------------------------------------------------------------------------

def test_report_counts_each_document_and_names_the_document_of_overdue_work(ledger):
    result = run("report", "-f", str(ledger), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_document = {line["document"]: (line["open"], line["overdue"]) for line in report["documents"]}
    assert by_document == {"dz2021": (12, 12), "gzbg2024": (3, 0), "hy2024-03": (2, 2)}
    assert {entry["document"] for entry in report["overdue"]} == {"dz2021", "hy2024-03"}
    assert list(report["overdue"][0])[:2] == ["document", "task"]


def test_report_markdown_has_the_documents_section_and_the_document_column(ledger):
    result = run("report", "-f", str(ledger), "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0, result.output
    assert "## 各文件情况\n\n| 文件 | 文件名称 | 未完成 | 逾期 |" in result.stdout
    assert "| hy2024-03 | 市政府第3次常务会议议定事项 | 2 | 2 |" in result.stdout
    overdue = result.stdout.split("## 逾期事项")[1]
    assert overdue.split("\n")[2].startswith("| 文件 | 序号 |")
    assert "| hy2024-03 | 1 |" in overdue


def test_a_single_table_report_has_no_documents_section(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", "--as-of", AS_OF, "--format", "json")
    report = json.loads(result.stdout)
    assert "documents" not in report
    assert report["overdue"][0]["document"] is None


# matrix, units, export, timeline, ics --------------------------------------------------------

def test_matrix_names_tasks_by_reference_across_documents(ledger):
    result = run("matrix", "-f", str(ledger), "--format", "csv")
    header = result.stdout.lstrip("\ufeff").splitlines()[0].split(",")
    assert header[:3] == ["单位", "dz2021:1", "dz2021:2"] and header[-1] == "hy2024-03:2"
    records = json.loads(run("matrix", "-f", str(ledger), "--format", "json").stdout)
    assert {"unit": "市教育局", "document": "gzbg2024", "task": 1, "role": "lead", "role_label": None,
            "via": None} in records
    one = run("matrix", "-f", str(ledger), "--doc", "gzbg2024", "--format", "csv")
    assert one.stdout.lstrip("\ufeff").splitlines()[0] == "单位,1,2,3"


def test_units_count_across_documents(ledger):
    def finance(*doc: str) -> dict:
        result = run("units", "-f", str(ledger), *doc, "--as-of", AS_OF, "--format", "json")
        return next(unit for unit in json.loads(result.stdout) if unit["name"] == "市财政局")

    whole = finance()
    parts = [finance("--doc", key) for key in ("dz2021", "gzbg2024", "hy2024-03")]
    for count in ("lead", "responsible", "via_groups", "open_milestones"):
        assert whole[count] == sum(part[count] for part in parts)
    assert parts[2]["responsible"] == 1  # named 市财政 in the meeting, an alias from gzbg2024


def test_per_unit_export_lists_every_documents_tasks_with_the_document_column(ledger, tmp_path):
    out = tmp_path / "out"
    result = run("export", "-f", str(ledger), "--per-unit", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = (out / "市财政局.csv").read_text("utf-8-sig").splitlines()
    assert rows[0].startswith("文件,序号,工作任务,")
    assert {row.split(",")[0] for row in rows[1:]} == {"dz2021", "gzbg2024", "hy2024-03"}


def test_timeline_rows_are_named_by_reference_when_several_documents_are_in_play(ledger):
    both = run("timeline", "-f", str(ledger), "--as-of", AS_OF, "--format", "svg").stdout
    assert '<tspan font-weight="bold">gzbg2024:2</tspan>' in both
    one = run("timeline", "-f", str(ledger), "--doc", "gzbg2024", "--as-of", AS_OF, "--format", "svg").stdout
    assert '<tspan font-weight="bold">2</tspan>' in one and "gzbg2024:" not in one


def test_ics_uids_are_unique_across_documents_and_hold_the_key(ledger):
    result = run("export", "-f", str(ledger), "--format", "ics", "--as-of", "2024-01-01")
    uids = re.findall(r"^UID:(.*?)\r?$", result.stdout, re.MULTILINE)
    assert len(uids) == len(set(uids)) > 0
    assert [uid for uid in uids if uid.startswith("task-gzbg2024:2-")] == [
        event_uid("定州市督办台账", 2, 1, "gzbg2024"), event_uid("定州市督办台账", 2, 2, "gzbg2024")]
    assert "SUMMARY:[hy2024-03:2] 做好春季学期校园安全排查。" in result.stdout


def test_a_single_tables_uids_are_as_before(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--format", "ics", "--as-of", "2021-08-01")
    uids = re.findall(r"^UID:(.*?)\r?$", result.stdout, re.MULTILINE)
    assert uids[0] == "task-1-milestone-1-" + uids[0].rsplit("-", 1)[1]
    assert all(":" not in uid for uid in uids)


# --doc on every command that reads the table ---------------------------------------------------

READERS = [["due", "--as-of", AS_OF], ["list"], ["show", "1"], ["dept", "市财政局"], ["units"], ["matrix"],
           ["export"], ["report", "--as-of", AS_OF], ["timeline"], ["validate"]]


@pytest.mark.parametrize("command", READERS, ids=lambda command: command[0])
def test_every_reading_command_takes_doc(ledger, command):
    result = run(*command, "-f", str(ledger), "--doc", "gzbg2024")
    assert result.exit_code == 0, result.output
    unknown = run(*command, "-f", str(ledger), "--doc", "nosuch")
    assert unknown.exit_code == 2
    assert "no document 'nosuch' in the ledger" in unknown.stderr


# diff ----------------------------------------------------------------------------------------

def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


@pytest.fixture
def history(ledger):
    """The ledger in a git repository (one folder below its top), committed once."""
    repo = ledger.parent
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "ledger")
    return ledger


def _change_the_ledger(ledger: Path) -> None:
    report = ledger / "tables" / "gzbg2024.yaml"
    report.write_text(report.read_text("utf-8").replace("2024年8月底前", "2024年9月底前"), "utf-8")
    (ledger / "meetings" / "hy2024-03.yaml").unlink()
    (ledger / "meetings" / "hy2024-05.yaml").write_text(
        "document: {title: 第5次常务会议}\ntasks:\n  - {id: 1, text: 汛期安全, lead: [住建局], deadline: 2024年6月底前}\n",
        "utf-8")


def test_diff_compares_a_ledger_document_by_document(history, monkeypatch):
    _change_the_ledger(history)
    monkeypatch.chdir(history)
    result = run("diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "task gzbg2024:1, milestone 1: deadline moved 2024-08-31 → 2024-09-30",
        "document hy2024-05 added: 第5次常务会议 (1 task)",
        "document hy2024-03 removed: 市政府第3次常务会议议定事项 (2 tasks)",
    ]
    assert result.stderr == "3 changes from ledger.yaml@HEAD to ledger.yaml\n"


def test_diff_json_names_documents_and_doc_narrows(history):
    _change_the_ledger(history)
    _git(history.parent, "add", "-A")
    _git(history.parent, "commit", "-q", "-m", "changes")
    result = run("diff", "HEAD~1", "HEAD", "-f", str(history), "--format", "json", "--doc", "gzbg2024")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert [(c["document"], c["kind"], c["task"]) for c in changes] == [("gzbg2024", "deadline-moved", 1)]
    assert list(changes[0])[0] == "document"


def test_diff_reports_a_broken_old_revision_at_its_place(history, monkeypatch):
    report = history / "tables" / "gzbg2024.yaml"
    good = report.read_text("utf-8")
    report.write_text("tasks: [\n", "utf-8")
    _git(history.parent, "commit", "-q", "-a", "-m", "broken")
    report.write_text(good, "utf-8")
    monkeypatch.chdir(history)
    result = run("diff", "HEAD")
    assert result.exit_code == 1
    assert result.stderr.startswith("tables/gzbg2024.yaml@HEAD:2:1: error[yaml-syntax]")


def test_diff_tells_an_unknown_revision_from_a_ledger_missing_in_one(history, monkeypatch):
    monkeypatch.chdir(history)
    unknown = run("diff", "nonexist")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("git knows no revision 'nonexist' (a commit, branch or tag)")
