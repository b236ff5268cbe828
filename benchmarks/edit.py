"""Time `done` and `note` on a big table against `validate` of it, in one run, as ratios.

    python benchmarks/edit.py [--runs 3] [--tasks 20000]

An edit reads and checks the table, edits the one task's lines and checks the result, so it
should cost about two loads of the table, whatever its size, and never a round trip of the
whole file through the YAML writer (which took 62 s on 20,000 tasks). Measures, interleaved:
  validate        dzshare validate BIG
  done-dry-run    dzshare done <middle task> --dry-run -f BIG
  note-dry-run    dzshare note <last task> ... --dry-run -f BIG
  note            dzshare note <middle task> ... -f COPY      (writes: lock, edit, rename)
Target: each edit <= 2.5 x validate.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from startup import dzshare_command, generate_table, interleaved

TARGET_RATIO = 2.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=20_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "big.yaml"
        big.write_text(generate_table(args.tasks), encoding="utf-8")
        copy = Path(scratch) / "copy.yaml"
        shutil.copyfile(big, copy)
        dzshare = dzshare_command()
        middle, last = str(args.tasks // 2), str(args.tasks)
        commands = {
            "validate": [*dzshare, "validate", "--as-of", "2021-08-01", str(big)],
            "done-dry-run": [*dzshare, "done", middle, "--on", "2021-01-01", "--dry-run", "-f", str(big)],
            "note-dry-run": [*dzshare, "note", last, "进展顺利", "--unit", "市财政局", "--on", "2021-01-01",
                             "--dry-run", "-f", str(big)],
            "note": [*dzshare, "note", middle, "进展顺利", "--unit", "市财政局", "--on", "2021-01-01",
                     "-f", str(copy)],
        }
        timings = interleaved(commands, args.runs)

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        spread = max(timings[name]) - min(timings[name])
        print(f"{name:13s} median {value:6.2f} s  (range {spread:.2f} s, {args.runs} runs, {args.tasks:,} tasks)")
    for name in ("done-dry-run", "note-dry-run", "note"):
        ratio = median[name] / median["validate"]
        print(f"{name} / validate = {ratio:.2f}   (target <= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
