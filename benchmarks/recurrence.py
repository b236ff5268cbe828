"""Time `dzshare due` on N fixed-date tasks against N monthly recurring tasks, in one run.

    python benchmarks/recurrence.py [--runs 7] [--tasks 2000]

Both tables are issued in 2022; the recurring tasks are open-ended (长期坚持,每月25日前), so by an
as-of date in mid 2027 each has 66 occurrences behind it. Occurrences are yielded lazily up to a
horizon (the window's upper bound, else the as-of date) and one past it, never an unbounded list.
Measures, interleaved so that machine load hits them alike:
  fixed        due --after 2027-05 --by 2027-06 --as-of 2027-06-01 -f <N tasks due 2027-06-25>
  recurring    the same on <N tasks due 每月25日前 since 2022-01>
  recurring-all due --as-of 2027-06-01 -f <the recurring table>  (every overdue occurrence listed)
  fixed-units / recurring-units, fixed-report / recurring-report: units and report --format json
               on each table (each names a lead and a responsible unit per task; each task's
               occurrences are read once per command, not once per unit it names)
The ratio recurring / fixed is the price of reading 66 occurrences per task instead of one.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from startup import dzshare_command, interleaved  # a sibling script, not a package

AS_OF = "2027-06-01"


def table(count: int, deadline: str) -> str:
    lines = ["document: {title: 基准测试表, year: 2022}", "tasks:"]
    lines += [f"  - {{id: {number}, text: 第{number}项任务, lead: [单位{number % 7}], "
              f"responsible: [单位{number % 5 + 10}], deadline: '{deadline}'}}"
              for number in range(1, count + 1)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tasks", type=int, default=2_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        fixed, recurring = folder / "fixed.yaml", folder / "recurring.yaml"
        fixed.write_text(table(args.tasks, "2027年6月25日"), encoding="utf-8")
        recurring.write_text(table(args.tasks, "长期坚持,每月25日前"), encoding="utf-8")
        due = [*dzshare_command(), "due", "--as-of", AS_OF, "--format", "json"]
        window = ["--after", "2027-05", "--by", "2027-06"]
        commands = {
            "fixed": [*due, *window, "-f", str(fixed)],
            "recurring": [*due, *window, "-f", str(recurring)],
            "recurring-all": [*due, "-f", str(recurring)],
        }
        for command in ("units", "report"):
            for name, path in (("fixed", fixed), ("recurring", recurring)):
                commands[f"{name}-{command}"] = [*dzshare_command(), command, "--as-of", AS_OF, "--format", "json",
                                                 "-f", str(path)]
        timings = interleaved(commands, args.runs)

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        spread = max(timings[name]) - min(timings[name])
        print(f"{name:13s} median {value * 1000:7.1f} ms  (range {spread * 1000:.1f} ms, {args.runs} runs)")
    print(f"recurring / fixed     = {median['recurring'] / median['fixed']:.2f}   ({args.tasks:,} tasks, "
          "66 occurrences each read against 1 milestone)")
    print(f"recurring-all / fixed = {median['recurring-all'] / median['fixed']:.2f}   "
          f"({args.tasks * 65:,} overdue occurrences listed)")
    for command in ("units", "report"):
        print(f"recurring-{command} / fixed-{command} = "
              f"{median[f'recurring-{command}'] / median[f'fixed-{command}']:.2f}")


if __name__ == "__main__":
    main()
