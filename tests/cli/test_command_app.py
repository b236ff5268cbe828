"""The entry point builds only the command that runs (start-up), and the whole app otherwise."""

import os
import subprocess
import sys

import pytest
import typer

from dzshare_cli.cli import app
from dzshare_cli.cli.common import command_app
from tests.cli.helpers import run

NAMES = [info.name or info.callback.__name__.replace("_", "-") for info in app.registered_commands]


def test_every_command_is_found():
    assert {"due", "list", "show", "dept", "unit", "report", "done", "note", "import", "validate"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_command_line_builds_only_its_command(name):
    single = command_app([name, "--help"])
    assert single is not app
    group = typer.main.get_command(single)
    assert list(group.commands) == [name]
    assert app.registered_commands and len(app.registered_commands) == len(NAMES)  # the app is untouched


def test_the_apps_own_options_may_come_first():
    single = command_app(["--debug", "due", "--before", "2022-06"])
    assert [info.name or info.callback.__name__ for info in single.registered_commands] == ["due"]


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["--version"], ["lst"], ["--show-completion"]])
def test_anything_else_gets_the_whole_app(args):
    assert command_app(args) is app


def test_shell_completion_gets_the_whole_app(monkeypatch):
    monkeypatch.setenv("_DZSHARE_COMPLETE", "bash_complete")
    assert command_app(["due"]) is app


@pytest.mark.parametrize("args", [
    ["due", "--before", "2022-06", "--as-of", "2022-01-15", "--format", "json"],
    ["--debug", "show", "5", "--as-of", "2022-01-15", "--lang", "en"],
    ["due", "--before", "2022-13"],  # a usage error reads the same
])
def test_the_console_script_prints_what_the_whole_app_prints(args):
    env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    script = subprocess.run([sys.executable, "-m", "dzshare_cli", *args], capture_output=True,
                            text=True, encoding="utf-8", env=env, check=False)
    whole = run(*[arg for arg in args if arg != "--debug"], env={"COLUMNS": "100"})
    assert (script.returncode, script.stdout) == (whole.exit_code, whole.stdout)
    assert script.stderr.splitlines()[-1:] == whole.stderr.splitlines()[-1:]


#: What `dzshare due` must not import: modules only other commands or formats need. Each cost
#: start-up time on every run before it was made lazy (issue 12: due within 1.25x of typer).
NOT_ON_THE_DUE_PATH = (
    "chinese_calendar",  # working days: only tables that count them (10个工作日内)
    "dateutil",
    "openpyxl",  # xlsx output and import
    "docx",  # python-docx: only notice writes Word documents
    "lxml",
    "json",  # --format json, validate --format json, schema
    "dzshare_cli.diff",
    "dzshare_cli.edit",
    "dzshare_cli.timeline",
    "dzshare_cli.exporters.timeline_picture",
    "dzshare_cli.exporters.xlsx",
    "dzshare_cli.exporters.ics",
    "dzshare_cli.importers.importer",
    "dzshare_cli.notice",
    "dzshare_cli.reporting",  # who has reported: only `report` and the round trip
    "dzshare_cli.site.model",  # the site and its pages: only `dzshare site`
    "dzshare_cli.site.pages",
)

_MODULES_AFTER = """
import os, sys
from dzshare_cli.cli import main
sys.argv = ["dzshare", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
with open(os.environ["MODULES_OUT"], "w", encoding="utf-8") as out:
    out.write("\\n".join(sorted(sys.modules)))
"""


def modules_after(tmp_path, *args: str) -> set[str]:
    """The modules loaded once `dzshare ARGS` has run, in a fresh interpreter as the console script."""
    listing = tmp_path / "modules.txt"
    env = {**os.environ, "MODULES_OUT": str(listing), "PYTHONIOENCODING": "utf-8"}
    subprocess.run([sys.executable, "-c", _MODULES_AFTER, *args], capture_output=True, env=env, check=True)
    return set(listing.read_text(encoding="utf-8").split())


def test_due_imports_only_what_it_uses(tmp_path):
    loaded = modules_after(tmp_path, "due", "--before", "2022-06", "--as-of", "2022-07-01")
    assert "dzshare_cli.query" in loaded and "yaml" in loaded  # it did run
    assert sorted(loaded & set(NOT_ON_THE_DUE_PATH)) == []


def test_the_lazy_modules_load_when_their_command_needs_them(tmp_path):
    loaded = modules_after(tmp_path, "timeline", "--as-of", "2022-07-01", "--format", "svg", "-o",
                           str(tmp_path / "t.svg"))
    assert {"dzshare_cli.timeline", "dzshare_cli.exporters.timeline_picture"} <= loaded
    assert "json" in modules_after(tmp_path, "due", "--before", "2022-06", "--format", "json")
    notice = modules_after(tmp_path, "notice", "--as-of", "2022-07-01", "--unit", "财政局", "-o", str(tmp_path / "n"))
    assert {"dzshare_cli.notice", "docx"} <= notice
