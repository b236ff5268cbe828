"""dzshare forms end to end: files per unit, --unit, --period, a ledger, no overwrite without --force."""

from pathlib import Path

from openpyxl import load_workbook

from dzshare_cli.forms import CHECK_SHEET, FIRST_ROW, FORM_SHEET, read_check
from tests.cli.helpers import run

LEDGER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ledger"


def test_one_form_per_unit_for_the_bundled_table(tmp_path):
    out = tmp_path / "forms"
    result = run("forms", "--as-of", "2022-06-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert "市财政局.xlsx" in names and "市直相关部门.xlsx" not in names
    assert "wrote" in result.stderr and f"{len(names)} forms" in result.stderr
    book = load_workbook(out / "市财政局.xlsx")
    header, rows = read_check(book[CHECK_SHEET])
    assert header["unit"] == "市财政局" and header["period"] == "2022-06" and header["as_of"] == "2022-06-01"
    assert header["name"] == "tasks.yaml"  # no full path of the office's machine goes out
    assert book[FORM_SHEET].cell(FIRST_ROW, 2).value == rows[0]["id"]


def test_unit_and_period(tmp_path):
    result = run("forms", "--as-of", "2022-06-01", "--unit", "财政局", "--period", "2022-07", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == ["市财政局.xlsx"]
    book = load_workbook(tmp_path / "市财政局.xlsx")
    assert "2022年7月25日前" in book[FORM_SHEET]["A1"].value
    assert read_check(book[CHECK_SHEET])[0]["period"] == "2022-07"


def test_bad_period_and_group_are_usage_errors(tmp_path):
    result = run("forms", "--period", "2022-6-1", "-o", str(tmp_path))
    assert result.exit_code == 2 and "YYYY-MM" in result.stderr
    result = run("forms", "--unit", "市直相关部门", "-o", str(tmp_path))
    assert result.exit_code == 2 and "group" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_existing_forms_are_kept_without_force(tmp_path):
    args = ("forms", "--as-of", "2022-06-01", "--unit", "财政局", "-o", str(tmp_path))
    assert run(*args).exit_code == 0
    target = tmp_path / "市财政局.xlsx"
    target.write_bytes(b"kept")
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert target.read_bytes() == b"kept"
    assert run(*args, "--force").exit_code == 0
    assert target.read_bytes() != b"kept"


def test_a_ledger_form_names_its_documents(tmp_path):
    result = run("forms", "--as-of", "2024-06-01", "-f", str(LEDGER), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    forms = sorted(tmp_path.iterdir())
    assert forms
    header, rows = read_check(load_workbook(forms[0])[CHECK_SHEET])
    assert header["source"] == "ledger" and header["name"] == "ledger"
    assert rows and all(row["document"] and row["task"] == f"{row['document']}:{row['id']}" for row in rows)
    sheet = load_workbook(forms[0])[FORM_SHEET]
    assert sheet.cell(int(rows[0]["row"]), 1).value == rows[0]["document"]


def test_a_one_digit_month_is_written_as_collect_reads_it(tmp_path, monkeypatch):
    # --period 2022-6 is accepted; the form must say 2022-06, or collect finds its sheet garbled.
    from tests.collect_forms import fill, rows_by_task, write_table

    monkeypatch.chdir(tmp_path)
    table = write_table(tmp_path)
    assert run("forms", "--as-of", "2022-06-01", "--period", "2022-6", "-o", "forms", "-f", str(table)).exit_code == 0
    form = tmp_path / "forms" / "市财政局.xlsx"
    header, _ = read_check(load_workbook(form)[CHECK_SHEET])
    assert header["period"] == "2022-06"
    fill(form, {rows_by_task(form)["2"]: {"进展情况": "推进中"}})
    collected = run("collect", str(form), "--on", "2022-06-10", "-f", str(table))
    assert collected.exit_code == 0, collected.output
    assert "1 progress note" in collected.output
