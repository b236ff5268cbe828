"""Where the output goes can fail too: a full disk, an encoding that has no Chinese, a closed pipe.

These run dzshare as a real process, since the failures live in the process's own stdout.
"""

import os
import subprocess
import sys

import pytest

from dzshare_cli.errors import EXIT_OUTPUT
from tests.cli.helpers import run

DZSHARE = [sys.executable, "-m", "dzshare_cli"]
DUE = ["due", "--before", "2022-06", "--as-of", "2022-01-01"]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    env.update(extra)
    return env


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [DUE, [*DUE, "--format", "json"], ["list", "--format", "csv"], ["schema"]])
def test_a_full_disk_is_an_output_error(args):
    with open("/dev/full", "w") as full:
        completed = subprocess.run([*DZSHARE, *args], stdout=full, stderr=subprocess.PIPE, env=_env())
    assert completed.returncode == EXIT_OUTPUT
    lines = completed.stderr.decode().splitlines()
    assert lines[-1] == "cannot write the output: No space left on device; nothing more was written"
    assert not any("internal error" in line or "Traceback" in line for line in lines)


def test_an_encoding_without_chinese_is_named():
    completed = subprocess.run([*DZSHARE, *DUE], capture_output=True, env=_env(PYTHONIOENCODING="latin-1"))
    assert completed.returncode == EXIT_OUTPUT
    message = completed.stderr.decode("latin-1").splitlines()[-1]
    assert message.startswith("standard output uses the iso8859-1 encoding, which cannot show characters such as U+")
    assert "PYTHONIOENCODING=utf-8" in message


def test_a_closed_pipe_ends_quietly():
    # The reader is gone before dzshare writes: like `dzshare list | head -0`.
    process = subprocess.Popen([*DZSHARE, "list", "--format", "json", "--as-of", "2022-01-01"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait() == 0
    assert stderr.splitlines() == ["共 18 项任务 · 截至 2022-01-01 · 内置表"]  # the heading, and no complaint


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_short_and_long_help(flag):
    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: dzshare [OPTIONS] COMMAND [ARGS]...")
    assert "-h, --help" in result.stdout


def test_help_of_a_command_takes_h():
    result = run("due", "-h")
    assert result.exit_code == 0 and "--before" in result.stdout


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_short_and_long_version(flag):
    from dzshare_cli import __version__

    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"dzshare {__version__}\nworking-day calendar: ")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_script_for_a_named_shell(shell):
    # Named, so it does not depend on which shell started dzshare (sh, cron and CI have none).
    result = run("completion", shell)
    assert result.exit_code == 0, result.output
    assert "_DZSHARE_COMPLETE" in result.stdout and f"complete_{shell}" in result.stdout


def test_completion_of_an_unknown_shell_is_a_usage_error():
    result = run("completion", "tcsh")
    assert result.exit_code == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish', 'powershell', 'pwsh'." in result.stderr


def test_completion_completes_commands_and_choices():
    def complete(words: str, index: int) -> list[str]:
        completed = subprocess.run(DZSHARE, capture_output=True, env=_env(
            _DZSHARE_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(index)))
        return completed.stdout.decode().split()

    assert complete("dzshare du", 1) == ["due"]
    assert complete("dzshare due --lang ", 3) == ["zh", "en"]
