"""Choice options (every Enum option of every command) and what `report --fail-on` says when it fails."""

import pytest
import typer

from dzshare_cli.cli import app
from tests.cli.helpers import run

_COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def _choice_options() -> list[tuple[str, str, tuple[str, ...]]]:
    """(command, option, its choices) for every option whose type is a set of choices."""
    found = []
    for name, command in sorted(_COMMANDS.items()):
        for param in command.params:
            descriptor = param.type_descriptor
            if param.param_type_name == "option" and descriptor.is_choice:
                choices = tuple(str(choice.value) for choice in descriptor.choices)
                found.append((name, param.opts[0], choices))
    return found


CHOICE_OPTIONS = _choice_options()


def test_the_choice_options_are_found():
    options = {(name, option) for name, option, _ in CHOICE_OPTIONS}
    assert {("due", "--lang"), ("due", "--format"), ("dept", "--role"), ("report", "--fail-on"),
            ("timeline", "--format"), ("validate", "--format"), ("diff", "--format"),
            ("import", "--from")} <= options


def _required_arguments(name: str) -> list[str]:
    """Placeholders for a command's arguments and required options, so that parsing reaches the choice."""
    args = []
    for param in _COMMANDS[name].params:
        if param.param_type_name == "argument" and param.required:
            args.append("x")
        elif param.param_type_name == "option" and param.required:
            args += [param.opts[0], "x"]
    return args


@pytest.mark.parametrize(("name", "option", "choices"), CHOICE_OPTIONS)
def test_a_wrong_choice_is_named_with_the_choices(name, option, choices):
    result = run(name, *_required_arguments(name), option, "fr")
    assert result.exit_code == 2, result.output
    expected = f"Invalid value for '{option}': 'fr' is not one of {', '.join(map(repr, choices))}."
    assert expected in result.stderr
    assert "Value error" not in result.stderr


@pytest.mark.parametrize(("name", "option", "choices"), CHOICE_OPTIONS)
def test_help_still_lists_the_choices(name, option, choices):
    assert f"<{'|'.join(choices)}>" in run(name, "--help").stdout


def test_right_choices_still_parse():
    result = run("dept", "财政局", "--role", "responsible", "--lang", "en", "--format", "md", "--as-of", "2022-01-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("市财政局 · 12 tasks")  # not 18: the one it leads is left out


@pytest.mark.parametrize(("as_of", "fail_on", "message"), [
    ("2022-07-01", "overdue", "fail-on overdue: 10 milestones overdue\n"),
    ("2021-09-15", "due-soon", "fail-on due-soon: 2 milestones due soon\n"),
    ("2021-12-15", "due-soon", "fail-on due-soon: 2 milestones overdue, 4 due soon\n"),
    ("2021-12-15", "overdue", "fail-on overdue: 2 milestones overdue\n"),
])
def test_fail_on_says_what_triggered_it(as_of, fail_on, message):
    result = run("report", "--as-of", as_of, "--fail-on", fail_on, "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.endswith(message)
    assert result.stdout.startswith("{")  # the report itself is still written


def test_fail_on_that_does_not_trigger_says_nothing():
    result = run("report", "--as-of", "2021-09-15", "--fail-on", "overdue", "--format", "json")
    assert result.exit_code == 0
    assert "fail-on" not in result.stderr
