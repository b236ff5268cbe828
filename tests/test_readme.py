"""The README and the docs/ pages stay true: every `$ dzshare ...` example prints what the page
says it prints."""

import re
import shlex
from pathlib import Path

import pytest

from tests.cli.helpers import run

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _examples(page: Path) -> list[tuple[str, str]]:
    examples = []
    text = page.read_text(encoding="utf-8")
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


ALL_EXAMPLES = [(page.name, command, output) for page in PAGES for command, output in _examples(page)]


def test_readme_has_examples():
    assert len(_examples(ROOT / "README.md")) >= 5


@pytest.mark.parametrize(("page", "command", "output"), ALL_EXAMPLES,
                         ids=[f"{page}: {command}" for page, command, _ in ALL_EXAMPLES])
def test_readme_example(page, command, output, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository
    words = shlex.split(command)
    assert words[0] == "dzshare"
    result = run(*words[1:])
    # Trailing spaces are not compared: editors strip them from the README.
    assert [line.rstrip() for line in result.output.splitlines()] == output.splitlines()


def test_readme_shows_the_main_job_and_the_test_command():
    assert re.search(r"^python3 -m venv .* pip install \. && dzshare due --before 2022-06$", README, re.M)
    assert re.search(r"^python3 -m venv .* pip install '\.\[test\]' && python -m pytest$", README, re.M)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "grep -m1 -E '^python3 -m venv .* && python -m pytest$' README.md" in ci


def test_ci_makes_skipped_browser_tests_fail_and_installs_the_browser():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export DZSHARE_REQUIRE_BROWSER=1" in ci and "apt-get install -y -q --no-install-recommends chromium" in ci
    assert ci.index("DZSHARE_REQUIRE_BROWSER=1") < ci.index('eval "$test_command"')
