"""--help is the first documentation users read: every command has it, with an example."""

import re

import pytest
import typer

from dzshare_cli import __version__
from dzshare_cli.cli import app
from tests.cli.helpers import run

COMMANDS = sorted(info.name or info.callback.__name__ for info in app.registered_commands
                  if not info.hidden)  # hidden ones are aliases (unit = dept)


def test_commands_are_registered():
    assert {"due", "list", "show", "dept", "units", "matrix", "export"} <= set(COMMANDS)


def test_unit_is_an_alias_of_dept():
    assert run("unit", "东亭镇", "--format", "json").stdout == run("dept", "东亭镇", "--format", "json").stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = run(name, "--help")
    assert result.exit_code == 0, result.output
    assert f"Example: dzshare {name}" in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help_text(name):
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"dzshare {name} {param.opts[0]} has no help text"


def test_version():
    result = run("--version")
    first, calendar = result.stdout.splitlines()
    assert first == f"dzshare {__version__}"
    # the years whose holidays and 调休 days working-day counts know (chinesecalendar 1.11: 2004–2026)
    assert re.fullmatch(r"working-day calendar: 2004–20\d\d \(chinesecalendar \d+\.\d+\.\d+\)", calendar)


def test_no_arguments_shows_help():
    result = run()
    assert "Commands" in result.output and "due" in result.output


@pytest.mark.parametrize("command", ["done", "note", "diff"])
def test_commands_that_refuse_stdin_do_not_offer_it(command):
    # done and note change a file in place, diff reads it from git: `-f -` is refused there.
    result = run(command, "--help")
    assert "--file" in result.stdout and "standard input" not in result.stdout


def test_reading_commands_offer_stdin():
    assert "- reads standard input" in " ".join(run("due", "--help").stdout.split())


def test_the_file_option_says_a_ledger_is_found_by_default():
    text = " ".join(run("list", "--help").stdout.split())
    assert "nearest ledger.yaml at or above this folder, else the bundled table" in text
