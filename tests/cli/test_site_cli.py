"""dzshare site end to end: the folder written, its version from git, refusals and exit codes."""

import os
import subprocess
from pathlib import Path

import pytest

from dzshare_cli.loader import bundled_table_path
from tests.cli.helpers import run

AS_OF = "2022-07-01"


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_site_writes_the_overview_a_page_per_unit_and_the_timeline(tmp_path):
    out = tmp_path / "site"
    result = run("site", "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(list((out / "units").glob("*.html"))) == 38
    assert (out / "timeline.html").exists() and (out / "index.html").exists()
    assert "35 unit pages and 3 group pages, 34 red · as of 2022-07-01 · bundled table" in result.stderr
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "内容版本 " in overview  # the bundled table is in no repository of the user's


def test_building_twice_gives_identical_bytes_and_replaces_the_previous_site(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("site", "--as-of", AS_OF, "-o", str(first)).exit_code == 0
    assert run("site", "--as-of", AS_OF, "-o", str(second)).exit_code == 0
    assert _files(first) == _files(second)
    again = run("site", "--as-of", AS_OF, "-o", str(first))
    assert again.exit_code == 0 and "replaced the site in" in again.stderr
    assert _files(first) == _files(second)


def test_a_folder_with_other_files_is_refused_with_the_output_exit_code(tmp_path):
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    result = run("site", "--as-of", AS_OF, "-o", str(tmp_path))
    assert result.exit_code == 3
    assert "is not a site dzshare wrote" in result.stderr and "--force" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["mine.txt"]


def test_standard_output_is_no_folder():
    result = run("site", "--as-of", AS_OF, "-o", "-")
    assert result.exit_code == 2 and "name it with -o DIR" in result.stderr


def _git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True,
                          env=env).stdout.strip()


@pytest.fixture
def repository(tmp_path):
    """A table in a git repository of its own, committed."""
    folder = tmp_path / "repo"
    folder.mkdir()
    _git(folder, "init", "-q")
    table = folder / "tasks.yaml"
    table.write_bytes(bundled_table_path().read_bytes())
    _git(folder, "add", "tasks.yaml")
    _git(folder, "commit", "-q", "-m", "table")
    return folder


def test_the_version_is_the_commit_and_says_when_the_table_has_uncommitted_changes(repository):
    head = _git(repository, "rev-parse", "HEAD")
    out = repository / "site"  # inside the repository: the site itself does not make the table dirty
    for _ in range(2):
        assert run("site", "--as-of", AS_OF, "-f", str(repository / "tasks.yaml"), "-o", str(out)).exit_code == 0
        overview = (out / "index.html").read_text(encoding="utf-8")
        assert f"版本 {head[:12]} ·" in overview.replace("</p>", " ·") and "未提交" not in overview
    table = repository / "tasks.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("成立政务数据共享协调推进机制", "成立协调机制"),
                     encoding="utf-8")
    assert run("site", "--as-of", AS_OF, "-f", str(table), "-o", str(out)).exit_code == 0
    assert f"版本 {head[:12]}(含未提交的修改,内容 " in (out / "index.html").read_text(encoding="utf-8")


def test_a_table_outside_git_is_versioned_by_its_content(tmp_path):
    table = tmp_path / "tasks.yaml"
    table.write_bytes(bundled_table_path().read_bytes())
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    assert run("site", "--as-of", AS_OF, "-f", str(table), "-o", str(tmp_path / "s"), env=env).exit_code == 0
    assert "内容版本 " in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")


def test_a_ledger_gets_a_page_per_document(tmp_path):
    ledger = Path(__file__).parents[2] / "docs" / "examples" / "ledger"
    result = run("site", "--as-of", "2024-07-01", "-f", str(ledger), "-o", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "s" / "docs").iterdir()) == [
        "dz2021.html", "gzbg2024.html", "hy2024-03.html"]


def test_two_runs_of_the_console_script_give_identical_bytes(tmp_path):
    """In separate interpreters, each with its own string hashing (sets iterate differently)."""
    import sys

    for name, seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run([sys.executable, "-m", "dzshare_cli", "site", "--as-of", AS_OF, "-o", str(tmp_path / name)],
                              capture_output=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
