"""Many `dzshare note` processes on one table: they take turns, and no note is lost."""

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from dzshare_cli.loader import load_table
from dzshare_cli.locks import lock_file_for
from tests.helpers import MINIMAL_TABLE, write_table

WRITERS = 20
ROUNDS = 3  # without the lock, notes went missing in every round
SRC = str(Path(__file__).resolve().parents[2] / "src")

#: Starts one `python -m dzshare_cli ARGS` process per argument list, all at the same moment.
#: The interpreter and dzshare are loaded once and the processes forked from it: twenty
#: interpreters loading dzshare one after another would take seconds of CPU each round, and
#: would reach the table one by one instead of together. Each process runs the command's own
#: module, opens its own lock and exits with the command's exit code.
FORKING_STARTER = r"""
import json, os, runpy, sys
import dzshare_cli.cli, dzshare_cli.edit, filelock, ruamel.yaml, ruamel.yaml.comments
commands, errors = json.loads(sys.argv[1]), sys.argv[2]
start_reading, start_writing = os.pipe()
children = []
for number, args in enumerate(commands):
    pid = os.fork()
    if pid == 0:
        os.close(start_writing)
        os.read(start_reading, 1)  # returns when every process is there
        os.dup2(os.open(os.path.join(errors, f"{number}.txt"), os.O_WRONLY | os.O_CREAT), 2)
        sys.argv = ["dzshare", *args]
        code = 70
        try:
            runpy.run_module("dzshare_cli", run_name="__main__")
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    children.append(pid)
os.close(start_writing)  # go
print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]))
"""


def _environment() -> dict[str, str]:
    environment = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    environment.pop("DZSHARE_LOCK_TIMEOUT", None)
    return environment


def _dzshare(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dzshare_cli", *args], env=_environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run_together(commands: list[list[str]], errors: Path) -> tuple[list[int], list[str]]:
    """Exit codes and stderr of the commands, run as processes started together."""
    errors.mkdir()
    started = subprocess.run([sys.executable, "-c", FORKING_STARTER, json.dumps(commands), str(errors)],
                             env=_environment(), capture_output=True, text=True, check=True)
    messages = [(errors / f"{number}.txt").read_text(encoding="utf-8") for number in range(len(commands))]
    return json.loads(started.stdout), messages


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_concurrent_notes_are_all_kept(tmp_path, round_number):
    path = write_table(tmp_path, MINIMAL_TABLE)
    notes = [f"第{round_number}轮进展{number}" for number in range(WRITERS)]
    # A generous wait: on a slow machine twenty writers may queue for longer than the default.
    commands = [["note", "2", note, "--unit", "市财政局", "--on", "2021-10-01", "--lock-timeout", "120",
                 "-f", str(path)] for note in notes]
    codes, messages = _run_together(commands, tmp_path / "stderr")
    assert codes == [0] * WRITERS, messages
    assert all(message.startswith("task 2: progress note from 市财政局") for message in messages), messages
    recorded = [record.note for record in load_table(path).task("2").progress]
    assert sorted(recorded) == sorted(notes)


def test_separate_interpreters_take_turns_too(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE)
    writers = [_dzshare("done", "1", "--on", "2021-09-20", "--lock-timeout", "120", "-f", str(path)),
               _dzshare("note", "1", "进展", "--unit", "市财政局", "--on", "2021-09-20",
                        "--lock-timeout", "120", "-f", str(path))]
    results = [(writer.wait(), writer.communicate()[1]) for writer in writers]
    assert [code for code, _ in results] == [0, 0], results
    task = load_table(path).task("1")
    assert [record.note for record in task.progress] == ["进展"]
    assert task.deadline.milestones[0].done == date(2021, 9, 20)


def test_a_writer_that_cannot_get_the_lock_says_so_and_writes_nothing(tmp_path):
    path = write_table(tmp_path, MINIMAL_TABLE)
    lock_file = lock_file_for(path)
    with FileLock(lock_file):  # another writer, holding the table
        writer = _dzshare("note", "2", "进展", "--unit", "市财政局", "--on", "2021-10-01",
                          "--lock-timeout", "0.2", "-f", str(path))
        _, stderr = writer.communicate()
    assert writer.returncode == 3
    assert stderr == (f"{path}: another dzshare command is changing this table (it holds the lock "
                      f"{lock_file}); waited 0.2 s; nothing was written: run the command again, "
                      "or wait longer with --lock-timeout SECONDS\n")
    assert path.read_text(encoding="utf-8") == MINIMAL_TABLE


@pytest.mark.parametrize("table_mode", [0o664, 0o644, 0o600])
def test_the_lock_file_takes_the_tables_permissions(tmp_path, table_mode):
    # A table shared by a group (0664) gets a lock file the group can open too, whatever the
    # umask of whoever first wrote to it.
    from dzshare_cli.locks import lock_file_for, locked

    path = tmp_path / "tasks.yaml"
    path.write_text("document: {}\n", encoding="utf-8")
    path.chmod(table_mode)
    previous = os.umask(0o077)
    try:
        with locked(path, timeout=1):
            pass
    finally:
        os.umask(previous)
    assert stat.S_IMODE(lock_file_for(path).stat().st_mode) == table_mode
