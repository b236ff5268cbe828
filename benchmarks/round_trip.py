"""Time the reporting round trip on one unit's big form against `validate` of its table, as ratios.

    python benchmarks/round_trip.py [--runs 3] [--rows 500]

A table of ROWS tasks, all led by 市财政局, gives one form of ROWS rows; every row is filled
(half of them 已完成 with a date). Measured, interleaved, each a fresh process:
  validate        dzshare validate TABLE                        (the baseline: one load)
  forms           dzshare forms --unit 市财政局 -o DIR --force     (writes the xlsx)
  collect-dry     dzshare collect FORM --dry-run                (reads, checks, works out the edit)
  collect-again   dzshare collect FORM on the collected table   (every row already there: nothing new)
  notice          dzshare notice --unit 市财政局 -o DIR --force    (the docx of the same rows, overdue)
  site            dzshare site -o DIR                           (every page of the table)
Targets: forms, collect-dry, collect-again, notice <= 4 x validate; site <= 8 x validate.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from startup import dzshare_command, interleaved

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.collect_forms fills a form as a unit does

TARGETS = {"forms": 4.0, "collect-dry": 4.0, "collect-again": 4.0, "notice": 4.0, "site": 8.0}


def big_table(rows: int) -> str:
    lines = ["document: {title: 大表, year: 2022, date: 2022-01-10}", "tasks:"]
    for number in range(1, rows + 1):
        lines += [f"  - id: {number}", f"    text: 第{number}项工作,按照全市统一部署推进落实并按月报送进展情况。",
                  "    lead: [市财政局]", "    responsible: [市直相关部门]", "    deadline: 2022年6月底"]
    lines += ["units:", "  - {name: 市财政局, kind: department}", "  - {name: 市审计局, kind: department}",
              "  - {name: 市直相关部门, kind: group, members: [市财政局, 市审计局]}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    from tests.collect_forms import fill, rows_by_task

    dzshare = dzshare_command()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        table, collected = folder / "tasks.yaml", folder / "collected.yaml"
        table.write_text(big_table(args.rows), encoding="utf-8")
        subprocess.run([*dzshare, "forms", "--as-of", "2022-06-01", "-o", str(folder / "forms"), "-f", str(table)],
                       check=True, capture_output=True)
        form = folder / "forms" / "市财政局.xlsx"
        fill(form, {row: {"进展情况": f"第{task}项已按计划推进", **({"是否完成": "已完成", "完成日期": "2022.5.20"}
                                                           if int(task) % 2 else {})}
                    for task, row in rows_by_task(form).items()})
        collected.write_bytes(table.read_bytes())
        subprocess.run([*dzshare, "collect", str(form), "--on", "2022-06-10", "-f", str(collected)],
                       check=True, capture_output=True)
        commands = {
            "validate": [*dzshare, "validate", "--as-of", "2022-06-10", str(table)],
            "forms": [*dzshare, "forms", "--as-of", "2022-06-01", "--unit", "市财政局", "-o", str(folder / "again"),
                      "--force", "-f", str(table)],
            "collect-dry": [*dzshare, "collect", str(form), "--on", "2022-06-10", "--dry-run", "-f", str(table)],
            "collect-again": [*dzshare, "collect", str(form), "--on", "2022-06-10", "-f", str(collected)],
            "notice": [*dzshare, "notice", "--as-of", "2022-07-01", "--unit", "市财政局", "-o",
                       str(folder / "notices"), "--force", "-f", str(table)],
            "site": [*dzshare, "site", "--as-of", "2022-07-01", "-o", str(folder / "site"), "-f", str(table)],
        }
        timings = interleaved(commands, args.runs)

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        spread = max(timings[name]) - min(timings[name])
        print(f"{name:13s} median {value:6.2f} s  (range {spread:.2f} s, {args.runs} runs, {args.rows:,} rows)")
    for name, target in TARGETS.items():
        ratio = median[name] / median["validate"]
        print(f"{name} / validate = {ratio:.2f}   (target <= {target})")


if __name__ == "__main__":
    main()
