"""The README's reporting round trip runs as written: its `console round-trip` blocks are run in
order in a temporary folder holding a copy of docs/examples/round-trip.yaml, with 市财政局's
form filled in as the README says, and each command prints what the README shows ('…' stands
for lines left out)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from docx import Document

from tests.cli.helpers import run
from tests.collect_forms import fill, rows_by_task

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SKIPPED = "…"


def _steps() -> list[tuple[str, list[str]]]:
    steps = []
    for block in re.findall(r"```console round-trip\n(.*?)```", README, flags=re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output.splitlines()))
    return steps


def _shows(shown: list[str], printed: list[str]) -> bool:
    """The printed lines are the shown ones, where '…' may stand for any run of lines."""
    pattern = "".join(".*?" if line == SKIPPED else re.escape(line.rstrip() + "\n") for line in shown)
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in printed), flags=re.DOTALL) is not None


def _fill_as_the_readme_says(form: Path) -> None:
    rows = rows_by_task(form)
    fill(form, {rows["1"]: {"进展情况": "评价报告已印发", "是否完成": "已完成", "完成日期": "2022.5.20",
                            "佐证材料": "财预〔2022〕15号"},
                rows["2"]: {"进展情况": "已开展采购领域专项检查", "是否完成": "推进中"}})


def test_the_round_trip_runs_as_the_readme_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "docs" / "examples" / "round-trip.yaml", tmp_path / "tasks.yaml")
    steps = _steps()
    assert [shlex.split(command)[1] for command, _ in steps] == ["forms", "collect", "collect", "report", "notice"]
    after_first_collect = None
    for command, shown in steps:
        words = shlex.split(command)
        if words[1] == "collect" and after_first_collect is None:
            _fill_as_the_readme_says(tmp_path / "forms" / "市财政局.xlsx")
        result = run(*words[1:])
        assert result.exit_code == 0, result.output
        assert _shows(shown, result.output.splitlines()), f"{command}\n{result.output}"
        if words[1] == "collect":
            table = (tmp_path / "tasks.yaml").read_bytes()
            assert after_first_collect in (None, table)  # the second collect changes nothing
            after_first_collect = table
    # What the README says the first collect wrote, and that the notices are there.
    written = after_first_collect.decode("utf-8")
    assert "done:\n      - milestone: 1\n        date: 2022-05-20\n        evidence: 财预〔2022〕15号" in written
    assert written.count("unit: 市财政局") == 2
    notices = sorted(path.name for path in (tmp_path / "notices").iterdir())
    assert notices == ["市发展改革局.docx", "市审计局.docx"]
    assert Document(str(tmp_path / "notices" / "市审计局.docx")).paragraphs[1].text.startswith("市审计局")


def test_the_skipped_lines_marker_matches_only_what_it_should():
    assert _shows(["a", SKIPPED, "d"], ["a", "b", "c", "d"])
    assert not _shows(["a", SKIPPED, "d"], ["a", "b", "c"])
    assert not _shows(["a", "d"], ["a", "b", "d"])
