"""Time `dzshare timeline` on tables whose milestones are millennia apart, against the bundled table.

    python benchmarks/timeline.py [--runs 9]

The axis is bounded (ten years at most, narrowed to the terminal), so the time and the size of
the picture follow the rows, not the years between the first milestone and the last. Measures,
interleaving the commands so that machine load hits them alike:
  bundled      timeline --format svg                        (the bundled table, 18 tasks)
  far          timeline --format svg -f <3 tasks: 0001, 2022, 9999>
  far-term     timeline -f <the same>                         (the terminal, 80 columns)
  spread       timeline --format svg -f <1,000 tasks, milestones scattered over 0001..9999>
Targets from issue 10 (the far table took 91 s and wrote 14 MB): far / bundled <= 1.2 and an svg
of a few KB; spread / bundled stays near its share of rows.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path

from startup import dzshare_command, interleaved  # a sibling script, not a package

FAR_APART = """\
document: {title: 远期测试表}
tasks:
  - {id: 1, text: 很早的工作。, lead: [甲局], deadline: 0001-01-31}
  - {id: 2, text: 很晚的工作。, lead: [乙局], deadline: 9999-12-31}
  - {id: 3, text: 当前的工作。, lead: [乙局], deadline: 2022年3月底}
"""


def spread_table(count: int) -> str:
    """`count` tasks: most due in 2020..2025, every fourth in a random year up to 9999."""
    pick = random.Random(10)
    lines = ["document: {title: 分散的测试表}", "tasks:"]
    for number in range(1, count + 1):
        year = pick.randint(1, 9999) if number % 4 == 0 else 2020 + number % 6
        lines.append(f"  - {{id: {number}, text: 第{number}项任务, lead: [单位{number % 7}], "
                     f"deadline: {year:04d}-{1 + number % 12:02d}-01}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--tasks", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "far.yaml").write_text(FAR_APART, encoding="utf-8")
        (folder / "spread.yaml").write_text(spread_table(args.tasks), encoding="utf-8")
        dzshare = [*dzshare_command(), "timeline", "--as-of", "2022-01-15", "--force"]
        commands = {
            "bundled": [*dzshare, "--format", "svg", "-o", str(folder / "bundled.svg")],
            "far": [*dzshare, "--format", "svg", "-o", str(folder / "far.svg"), "-f", str(folder / "far.yaml")],
            "far-term": [*dzshare, "-f", str(folder / "far.yaml")],
            "spread": [*dzshare, "--format", "svg", "-o", str(folder / "spread.svg"),
                       "-f", str(folder / "spread.yaml")],
        }
        timings = interleaved(commands, args.runs, env={"COLUMNS": "80"})
        sizes = {name: (folder / f"{name}.svg").stat().st_size for name in ("bundled", "far", "spread")}

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        spread = max(timings[name]) - min(timings[name])
        size = f", svg {sizes[name] / 1024:.1f} KB" if name in sizes else ""
        print(f"{name:9s} median {value * 1000:7.1f} ms  (range {spread * 1000:.1f} ms, {args.runs} runs{size})")
    print(f"far / bundled      = {median['far'] / median['bundled']:.2f}   (target <= 1.2; was 91 s, 14 MB)")
    print(f"far-term / bundled = {median['far-term'] / median['bundled']:.2f}")
    print(f"spread / bundled   = {median['spread'] / median['bundled']:.2f}   ({args.tasks:,} tasks against 18)")


if __name__ == "__main__":
    main()
