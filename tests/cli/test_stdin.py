"""`-f -` (and DZSHARE_FILE=-) reads the table from standard input for every reading command."""

import pytest
from typer.testing import CliRunner

from dzshare_cli import loader
from dzshare_cli.cli import app
from tests.helpers import MINIMAL_TABLE, write_table

AS_OF = ["--as-of", "2021-08-01"]

#: Every command that reads a table, with arguments that make it show something.
READING_COMMANDS = [
    ["due", *AS_OF, "--format", "json"],
    ["list", "--format", "csv"],
    ["show", "2"],
    ["dept", "市财政局", *AS_OF],
    ["units", "--format", "json"],
    ["matrix"],
    ["export", "--format", "json", *AS_OF],
    ["export", "--format", "ics", "-o", "-", *AS_OF],
    ["report", *AS_OF, "--format", "md"],
    ["timeline", *AS_OF],
    ["validate", *AS_OF],
]


def _run(args: list[str], input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, args, input=input, env=env, prog_name="dzshare")


def _without_product_id(output: str) -> str:
    # The ics file is stamped per run; everything else must be the same from a pipe as from a file.
    return "\n".join(line for line in output.splitlines() if not line.startswith("DTSTAMP"))


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda args: " ".join(args[:3]))
def test_every_reading_command_reads_standard_input(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    write_table(tmp_path, MINIMAL_TABLE)
    from_file = _run([*args, "-f", "tasks.yaml"])
    from_pipe = _run([*args, "-f", "-"], input=MINIMAL_TABLE)
    bundled = _run(args, input=MINIMAL_TABLE)
    assert from_pipe.exit_code == from_file.exit_code == 0, from_pipe.output
    # The heading names what was read; all else is the same from a pipe as from a file.
    assert _without_product_id(from_pipe.output).replace("&lt;stdin&gt;", "<stdin>") == \
        _without_product_id(from_file.output.replace("· tasks.yaml", "· <stdin>"))
    assert from_pipe.output != bundled.output  # it read the pipe, not the bundled table


def test_dzshare_file_dash_reads_standard_input():
    result = _run(["list", "--format", "csv"], input=MINIMAL_TABLE, env={"DZSHARE_FILE": "-"})
    assert result.exit_code == 0, result.output
    assert "建设平台。" in result.stdout


def test_validate_takes_dash_as_a_path():
    result = _run(["validate", "-", *AS_OF], input=MINIMAL_TABLE.replace("2021年9月底", "尽快"))
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:10:15: error[bad-deadline]:")


def test_problems_in_standard_input_are_named_stdin():
    result = _run(["due", "-f", "-"], input="document: {}\ntasks: [\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("<stdin>:3:1: error[yaml-syntax]:")


def test_standard_input_is_read_up_to_the_size_limit(monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1024 * 1024)
    result = _run(["list", "-f", "-"], input=MINIMAL_TABLE + "#" * 1024 * 1024 + "\n")
    assert result.exit_code == 1
    assert result.stderr == ("<stdin>: error[too-large]: the file is over the 1 MB limit for a table; "
                             "is this the right file?\n")


@pytest.mark.parametrize("args", [["done", "1", "--on", "2021-08-01"], ["note", "1", "进展", "--unit", "市财政局"]])
def test_editing_commands_refuse_standard_input(args):
    for result in (_run([*args, "-f", "-"], input=MINIMAL_TABLE),
                   _run(args, input=MINIMAL_TABLE, env={"DZSHARE_FILE": "-"})):
        assert result.exit_code == 2
        assert result.stderr == ("-f - reads a table from standard input, which cannot be edited in "
                                 "place; pass the table file's path\n")
