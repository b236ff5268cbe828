"""`dzshare export` and `-o`: files every office can open, never clobbered, never half-written."""

import csv
import io
import json
import os

from openpyxl import load_workbook

from dzshare_cli.exporters import UTF8_BOM
from tests.cli.helpers import run
from tests.helpers import MINIMAL_TABLE, write_table

AS_OF = "2022-01-15"
RECIPIENTS = 35  # 38 units less the three groups


def test_whole_table_csv_file_has_a_bom(tmp_path):
    out = tmp_path / "tasks.csv"
    result = run("export", "--format", "csv", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(UTF8_BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 19
    assert rows[1][1] == "成立由市政府领导同志负责、有关部门参加的定州市政务数据共享协调推进机制。"  # full text
    assert result.stderr.startswith(f"wrote {out}: 共 18 项任务 · 截至 2022-01-15")


def test_dash_streams_to_stdout_without_a_bom():
    result = run("export", "--format", "csv", "-o", "-", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("序号,工作任务")


def test_per_unit_csv_files(tmp_path):
    result = run("export", "--per-unit", "--format", "csv", "-o", str(tmp_path / "out"), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == RECIPIENTS
    assert result.stderr == f"wrote {RECIPIENTS} files to {tmp_path / 'out'} · 内置表\n"
    for path in files:
        assert path.read_bytes().startswith(UTF8_BOM), path.name
    dongting = list(csv.reader(io.StringIO((tmp_path / "out" / "东亭镇.csv").read_text("utf-8-sig"))))
    assert [row[0] for row in dongting[1:]] == ["3", "4", "17", "18"]
    assert dongting[1][2] == "责任 (经由 各乡镇(街道))"


def test_per_unit_workbook(tmp_path):
    result = run("export", "--per-unit", "--format", "xlsx", "--workbook", "-o", str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "units.xlsx")
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == RECIPIENTS + 1
    assert "市财政局" in book.sheetnames and "东亭镇" in book.sheetnames
    finance = book["市财政局"]
    assert finance["A1"].value == "关于建立健全政务数据共享协调机制加快推进数据有序共享的重点任务责任分工"
    assert finance["A2"].value == ("市财政局 · 共 18 项任务:牵头 1 项, 责任 0 项, 经由组 17 项 · "
                                   "未完成节点 12 个, 其中逾期 6 个 · 截至 2022-01-15")
    assert book["汇总"]["A2"].value == "共 35 个单位 · 截至 2022-01-15"
    assert [cell.value for cell in finance[3]] == ["序号", "工作任务", "角色", "完成时限", "状态"]
    assert finance.max_row == 3 + 18
    summary = book["汇总"]
    assert summary["A4"].value == "市行政审批局" and summary["C4"].value == 5


def test_per_unit_workbook_in_english(tmp_path):
    result = run("export", "--per-unit", "--format", "xlsx", "--workbook", "-o", str(tmp_path), "--as-of", AS_OF,
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "units.xlsx")
    assert book["市财政局"]["A2"].value == ("市财政局 · 18 tasks: 1 lead, 0 responsible, 17 via groups · "
                                         "12 open milestones, 6 overdue · as of 2022-01-15")
    assert book["Summary"]["A2"].value == "35 units · as of 2022-01-15"


def test_per_unit_json_files_carry_role_and_via(tmp_path):
    run("export", "--per-unit", "--format", "json", "-o", str(tmp_path), "--as-of", AS_OF)
    tasks = json.loads((tmp_path / "市财政局.json").read_text("utf-8"))
    assert {(task["id"], task["role"], task["via"]) for task in tasks if task["id"] in (1, 16)} == {
        (1, "responsible", "市直相关部门"), (16, "lead", None)}


def test_a_refused_export_changes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "东亭镇.csv").write_text("mine", encoding="utf-8")
    result = run("export", "--per-unit", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 3
    assert result.stderr == f"{out / '东亭镇.csv'}: file exists; pass --force to replace it\n"
    assert [path.name for path in out.iterdir()] == ["东亭镇.csv"]
    assert (out / "东亭镇.csv").read_text(encoding="utf-8") == "mine"
    forced = run("export", "--per-unit", "-o", str(out), "--as-of", AS_OF, "--force")
    assert forced.exit_code == 0
    assert len(list(out.iterdir())) == RECIPIENTS


def test_listing_commands_write_files_too(tmp_path):
    out = tmp_path / "due.xlsx"
    result = run("due", "--before", "2022-06", "--as-of", "2021-08-01", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert [row[0].value for row in sheet.iter_rows(min_row=4)] == [1, 2, 3, 5, 6, 8]
    again = run("due", "--before", "2022-06", "--format", "xlsx", "-o", str(out))
    assert again.exit_code == 3


def test_unit_names_cannot_escape_the_directory(tmp_path):
    body = MINIMAL_TABLE.replace("lead: [市财政局]", "lead: ['../../逃逸', CON, '=cmd|x']")
    path = write_table(tmp_path, body)
    out = tmp_path / "out"
    result = run("export", "--per-unit", "-f", str(path), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "_CON.csv" in names and "___逃逸.csv" in names and "=cmd_x.csv" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tasks.yaml"]
    rows = list(csv.reader(io.StringIO((out / "=cmd_x.csv").read_text("utf-8-sig"))))
    assert rows[0][0] == "序号"


def test_per_unit_needs_a_directory():
    result = run("export", "--per-unit")
    assert result.exit_code == 2
    assert "name a directory with -o DIR" in result.stderr


def test_workbook_needs_xlsx_and_per_unit(tmp_path):
    assert run("export", "--workbook", "-o", str(tmp_path / "x.csv")).exit_code == 2
    result = run("export", "--per-unit", "--workbook", "--format", "csv", "-o", str(tmp_path))
    assert result.exit_code == 2 and "--format xlsx" in result.stderr


def test_a_dangling_symlink_at_the_output_is_refused(tmp_path):
    out = tmp_path / "tasks.csv"
    out.symlink_to(tmp_path / "planted.csv")
    result = run("export", "--format", "csv", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 3
    assert result.stderr == (f"{out}: is a symbolic link to {tmp_path / 'planted.csv'}, which does not "
                             "exist; dzshare does not create files through a link: remove the link or "
                             "name another file\n")
    assert not (tmp_path / "planted.csv").exists()


def test_a_named_pipe_at_the_output_is_not_replaced_even_with_force(tmp_path):
    out = tmp_path / "tasks.csv"
    os.mkfifo(out)
    result = run("export", "--format", "csv", "-o", str(out), "--force", "--as-of", AS_OF)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{out}: not a regular file (a named pipe)")
    assert out.is_fifo()


def test_per_unit_checks_every_file_before_writing_any(tmp_path):
    out = tmp_path / "out"
    (out / "市财政局.csv").mkdir(parents=True)  # in the way of one of the 35 files
    result = run("export", "--per-unit", "-o", str(out), "--as-of", AS_OF, "--force")
    assert result.exit_code == 3
    assert result.stderr == f"{out / '市财政局.csv'}: is a directory; name a file\n"
    assert [path.name for path in out.iterdir()] == ["市财政局.csv"]


def test_per_unit_failing_on_one_file_writes_none(tmp_path, monkeypatch):
    real_fsync, written = os.fsync, []

    def tenth_fails(fd):
        written.append(fd)
        if len(written) == 10:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", tenth_fails)
    out = tmp_path / "out"
    result = run("export", "--per-unit", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 3
    assert result.stderr.endswith(": cannot write: No space left on device; nothing was written\n")
    assert list(out.iterdir()) == []
