"""`dzshare diff` gives git only revisions, never options, and reads a blob like a file."""

import subprocess

import pytest
from typer.testing import CliRunner

from dzshare_cli import diff, loader
from dzshare_cli.cli import app
from dzshare_cli.loader import bundled_table_path
from tests.cli.helpers import run

_COMMIT = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-a", "-m"]


def _git(repo, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True)


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path.parent, "init", "-q", str(tmp_path))
    path = tmp_path / "tasks.yaml"
    path.write_bytes(bundled_table_path().read_bytes())
    _git(tmp_path, "add", "tasks.yaml")
    _git(tmp_path, *_COMMIT, "table")
    return path


def test_an_option_as_revision_is_refused_and_writes_nothing(repo):
    # git would write `--output=out:./tasks.yaml` into this folder
    (repo.parent / "out:.").mkdir()
    before = sorted(repo.parent.rglob("*"))
    result = run("diff", "-f", str(repo), "--", "--output=out")
    assert result.exit_code == 2
    assert result.stderr == ("revision '--output=out' starts with '-': git would read it as an option; "
                             "name a commit, a branch or a tag, such as HEAD~1\n")
    assert sorted(repo.parent.rglob("*")) == before


@pytest.mark.parametrize("revisions", [["--", "-p"], ["HEAD", "--", "-p"], ["--", "--output=x", "HEAD"]])
def test_either_revision_starting_with_a_dash_is_refused(repo, revisions):
    result = run("diff", "-f", str(repo), *revisions)
    assert result.exit_code == 2
    assert "starts with '-': git would read it as an option" in result.stderr


@pytest.mark.parametrize("revisions", [[""], ["  "], ["HEAD", ""]])
def test_an_empty_revision_is_refused_rather_than_reading_the_index(repo, revisions):
    # `git show :./tasks.yaml` is the staged copy: a change staged but not committed would vanish
    repo.write_text(repo.read_text("utf-8").replace("2022年9月底", "2022年12月底"), "utf-8")
    _git(repo.parent, "add", "tasks.yaml")
    result = run("diff", "-f", str(repo), *revisions)
    assert result.exit_code == 2
    assert result.stderr.startswith("the revision is empty;")


def test_a_blob_over_the_size_limit_is_refused_like_a_file(repo, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1024 * 1024)
    original = repo.read_bytes()
    repo.write_bytes(original + b"# padding\n" * 200_000)  # 2 MB
    _git(repo.parent, *_COMMIT, "big")
    repo.write_bytes(original)
    result = run("diff", "HEAD", "-f", str(repo))
    assert result.exit_code == 1
    assert result.stderr == ("tasks.yaml@HEAD: error[too-large]: the file is over the 1 MB limit for "
                             "a table; is this the right file?\n")


def test_a_blob_under_the_limit_is_compared(repo):
    repo.write_text(repo.read_text("utf-8").replace("2022年9月底", "2022年12月底"), "utf-8")
    result = run("diff", "HEAD", "-f", str(repo))
    assert result.exit_code == 0, result.output
    assert "deadline moved 2022-09-30 → 2022-12-31" in result.stdout


def _fake_git(tmp_path, monkeypatch, version: str) -> None:
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho 'git version {version}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    diff._end_of_options.cache_clear()


@pytest.mark.parametrize("version, arguments", [("2.39.2", ("--end-of-options",)),
                                                ("2.24.0.windows.1", ("--end-of-options",)),
                                                ("2.20.1", ()), ("unknown", ())])
def test_end_of_options_only_where_git_knows_it(tmp_path, monkeypatch, version, arguments):
    _fake_git(tmp_path, monkeypatch, version)
    try:
        assert diff._end_of_options() == arguments
    finally:
        diff._end_of_options.cache_clear()


def test_diff_refuses_standard_input():
    result = CliRunner().invoke(app, ["diff", "HEAD", "-f", "-"], input="tasks: []\n")
    assert result.exit_code == 2
    assert "standard input (-f -) has no history" in result.stderr
