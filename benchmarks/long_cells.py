"""Time `dzshare list` on a table with one 10 MB task text against the bundled table, in one run.

    python benchmarks/long_cells.py [--runs 5] [--megabytes 10]

The terminal table shows at most render.CELL_CHARS characters of a cell, so the long text
should cost what reading it costs, not what wrapping it into a 20-cell column would (83 s and
540 MB before the cap). Reports the median of each, their ratio and the peak memory; the json
format, which keeps the whole text, is timed too. Commands are interleaved so that machine load
hits them alike (this machine is noisy).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from startup import dzshare_command  # noqa: E402  (a sibling script, not a package)


def long_text_table(megabytes: int) -> str:
    """A valid one-task table whose task has no title and a text of about `megabytes` MB."""
    text = "数据共享" * (megabytes * 1024 * 1024 // 12)  # 3 bytes a character in UTF-8
    return ("document:\n  title: 长文本\n  year: 2021\ntasks:\n  - id: 1\n"
            f"    text: {text}\n    lead: [市行政审批局]\n    deadline: 2021年9月底\n")


def run_once(command: list[str]) -> tuple[float, int]:
    """Seconds and peak resident memory (KB on Linux) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "COLUMNS": "80"})
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed with status {status}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "long.yaml"
        big.write_text(long_text_table(args.megabytes), encoding="utf-8")
        dzshare = dzshare_command()
        commands = {
            "list": [*dzshare, "list", "--as-of", "2021-08-01"],
            "list-long": [*dzshare, "list", "--as-of", "2021-08-01", "-f", str(big)],
            "json-long": [*dzshare, "list", "--as-of", "2021-08-01", "--format", "json", "-f", str(big)],
        }
        for command in commands.values():  # warm the OS file cache; not timed
            run_once(command)
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        peak: dict[str, int] = dict.fromkeys(commands, 0)
        for _ in range(args.runs):
            for name, command in commands.items():
                elapsed, memory = run_once(command)
                seconds[name].append(elapsed)
                peak[name] = max(peak[name], memory)

    median = {name: statistics.median(values) for name, values in seconds.items()}
    for name, value in median.items():
        print(f"{name:10s} median {value:6.2f} s  peak {peak[name] / 1024:6.0f} MB  ({args.runs} runs)")
    print(f"list-long / list = {median['list-long'] / median['list']:.2f}   "
          f"(one {args.megabytes} MB text against the bundled table)")
    print(f"json-long / list = {median['json-long'] / median['list']:.2f}   (json keeps the whole text)")


if __name__ == "__main__":
    main()
