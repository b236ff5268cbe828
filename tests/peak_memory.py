"""Peak memory of a dzshare run in a process of its own, measured so that the test run's own size
cannot leak into it.

Linux charges a forked child with the resident memory of the process it was forked from, and keeps
that figure across exec; a child forked from a test run of 300 MB would report 300 MB whatever
dzshare did. So a small launcher process starts dzshare and reads its peak.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_LAUNCHER = r"""
import os, resource, subprocess, sys
output, cap, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def limit():
    if cap:  # a regression fails with MemoryError instead of swapping the machine
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

with open(output if output != "-" else os.devnull, "wb") as out:
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, preexec_fn=limit)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
sys.stderr.buffer.write(stderr)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)  # kilobytes on Linux
"""


def run_measured(args: list[str], *, stdout: Path | None = None, env: dict[str, str] | None = None,
                 address_space_cap: int = 0) -> tuple[int, str, int]:
    """`python -m dzshare_cli ARGS`: its exit code, its stderr and its peak resident memory in bytes."""
    launcher = [sys.executable, "-c", _LAUNCHER, str(stdout) if stdout else "-", str(address_space_cap)]
    completed = subprocess.run([*launcher, sys.executable, "-m", "dzshare_cli", *args],
                               capture_output=True, env=env, check=True)
    code, kilobytes = completed.stdout.split()
    return int(code), completed.stderr.decode("utf-8"), int(kilobytes) * 1024
