"""Bad input through the CLI: one line per problem naming file:line:col, exit 1, no traceback."""

import pytest

from tests.cli.helpers import run
from tests.helpers import FIXTURES, MINIMAL_TABLE, write_table
from tests.test_loader import BAD_FILES, _expectation


@pytest.mark.parametrize("command", [("list",), ("due", "--before", "2022-06"), ("show", "1")])
@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_table_gives_one_line_and_exit_1(command, path):
    line, col, _ = _expectation(path)
    result = run(*command, "-f", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(f"{path}:{line}:{col}: ")
    assert "Traceback" not in result.output


def test_missing_file_names_the_path_and_the_fix(tmp_path):
    result = run("list", "-f", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path / 'missing.yaml'}: error[file]: no such file; "
                             "check the path (--file or DZSHARE_FILE selects the table)\n")


def test_directory_instead_of_a_file(tmp_path):
    result = run("list", "-f", str(tmp_path))
    assert result.exit_code == 1
    assert "is a directory" in result.stderr


def test_unknown_format_is_a_usage_error():
    result = run("list", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


def test_internal_errors_are_one_line_without_debug(monkeypatch, tmp_path):
    from dzshare_cli import cli

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.query, "list_view", broken)
    path = write_table(tmp_path, MINIMAL_TABLE)
    result = run("list", "-f", str(path))
    assert result.exit_code == 70
    assert result.stderr == "internal error: RuntimeError: boom; rerun with --debug and report it\n"
    debug = run("--debug", "list", "-f", str(path))
    assert isinstance(debug.exception, RuntimeError)


def test_fixtures_exist():
    assert (FIXTURES / "bad").is_dir()
