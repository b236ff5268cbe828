"""dzshare notice end to end: a docx per unit, --unit, --reply-by, a ledger, nothing to chase,
no overwrite without --force, and bad input as one line."""

from pathlib import Path

import docx

from tests.cli.helpers import run
from tests.helpers import write_table

LEDGER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"


def _texts(path: Path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs if paragraph.text]


def test_one_notice_per_unit_with_overdue_work(tmp_path):
    out = tmp_path / "notices"
    result = run("notice", "--as-of", "2022-07-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert "市行政审批局.docx" in names and "市直相关部门.docx" not in names
    assert result.stdout == ""
    assert f"wrote {len(names)} notices (" in result.stderr and "reply by 2022-07-08" in result.stderr
    texts = _texts(out / "市行政审批局.docx")
    assert texts[:2] == ["督办通知单", "市行政审批局："] and texts[-1] == "2022年7月1日"
    rows = docx.Document(str(out / "市行政审批局.docx")).tables[0].rows
    assert rows[1].cells[5].text == "逾期274天"  # 2021-09-30 to 2022-07-01


def test_unit_and_reply_by(tmp_path):
    result = run("notice", "--as-of", "2022-07-01", "--unit", "财政局", "--reply-by", "2022-07-15", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == ["市财政局.docx"]
    assert "于2022年7月15日前" in _texts(tmp_path / "市财政局.docx")[3]
    assert "wrote 1 notice (" in result.stderr


def test_soon_days_widens_what_is_chased(tmp_path):
    args = ("notice", "--as-of", "2022-06-20", "--unit", "财政局")
    assert run(*args, "--soon-days", "0", "-o", str(tmp_path / "a")).exit_code == 0
    assert run(*args, "--soon-days", "30", "-o", str(tmp_path / "b")).exit_code == 0
    narrow = docx.Document(str(tmp_path / "a" / "市财政局.docx")).tables[0].rows
    wide = docx.Document(str(tmp_path / "b" / "市财政局.docx")).tables[0].rows
    assert len(wide) > len(narrow)
    assert wide[-1].cells[5].text == "10天后到期"  # 2022-06-30


def test_a_unit_with_nothing_to_chase_is_a_usage_error(tmp_path):
    result = run("notice", "--as-of", "2021-01-01", "--unit", "财政局", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "市财政局 has nothing overdue or due within 30 days as of 2021-01-01" in result.stderr
    assert not (tmp_path / "out").exists()


def test_nothing_to_chase_anywhere_writes_nothing(tmp_path):
    result = run("notice", "--as-of", "2021-01-01", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "no notice written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_existing_notices_are_kept_without_force(tmp_path):
    args = ("notice", "--as-of", "2022-07-01", "--unit", "财政局", "-o", str(tmp_path))
    assert run(*args).exit_code == 0
    target = tmp_path / "市财政局.docx"
    built = target.read_bytes()
    target.write_bytes(b"kept")
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert "file exists" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == b"kept"
    assert run(*args, "--force").exit_code == 0
    assert target.read_bytes() == built  # and rebuilt byte for byte


def test_bad_reply_by_is_a_usage_error(tmp_path):
    result = run("notice", "--as-of", "2022-07-01", "--reply-by", "2022-06-30", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == ("--reply-by 2022-06-30 is before the notice's date 2022-07-01; "
                                     "give a reply date on or after --as-of")
    result = run("notice", "--as-of", "2022-07-01", "--reply-by", "2022-13-01", "-o", str(tmp_path))
    assert result.exit_code == 2 and "--reply-by" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_group_and_stdout_are_usage_errors(tmp_path):
    result = run("notice", "--as-of", "2022-07-01", "--unit", "市直相关部门", "-o", str(tmp_path))
    assert result.exit_code == 2 and "group" in result.stderr
    result = run("notice", "--as-of", "2022-07-01", "-o", "-")
    assert result.exit_code == 2 and "-o DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_broken_table_is_one_line_and_no_traceback(tmp_path):
    path = write_table(tmp_path, "document:\n  title: x\ntasks:\n  - id: 1\n    text: [unclosed\n")
    result = run("notice", "--as-of", "2022-07-01", "-f", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_ledger_notice_is_signed_by_the_ledgers_issuer(tmp_path):
    result = run("notice", "--as-of", "2024-06-01", "-f", str(LEDGER), "--unit", "财政局", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    texts = _texts(tmp_path / "市财政局.docx")
    assert texts[-2:] == ["定州市人民政府督查室", "2024年6月1日"]
    assert "于2024年6月7日前" in texts[3]  # Saturday 2024-06-01 + 5 working days
    keys = {row.cells[0].text for row in docx.Document(str(tmp_path / "市财政局.docx")).tables[0].rows[1:]}
    assert keys == {"dz2021", "gzbg2024", "hy2024-03"}
    narrowed = run("notice", "--as-of", "2024-06-01", "-f", str(LEDGER), "--doc", "gzbg2024", "--unit", "财政局",
                   "-o", str(tmp_path / "one"))
    assert narrowed.exit_code == 0, narrowed.output
    rows = docx.Document(str(tmp_path / "one" / "市财政局.docx")).tables[0].rows[1:]
    assert {row.cells[0].text for row in rows} == {"gzbg2024"}


def test_a_member_that_reported_the_group_s_milestone_done_gets_no_notice(tmp_path):
    from tests.test_notice import GROUP_HELD

    table = write_table(tmp_path, GROUP_HELD)
    result = run("notice", "--as-of", "2022-07-01", "-o", str(tmp_path / "out"), "-f", str(table))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["市教育局.docx", "市财政局.docx"]
    assert "wrote 2 notices (5 items, 3 overdue)" in result.stderr
    assert "has reported done" in " ".join(run("notice", "--help").stdout.split())
