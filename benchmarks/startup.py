"""Time dzshare against its own imports, in one run, and report ratios (this machine is noisy).

    python benchmarks/startup.py [--runs 15]

Measures, interleaving the commands so that machine load hits them alike:
  baseline   python -c "import typer, rich.table, pydantic, yaml"
  floor      a bare typer command that prints a six-row rich table (typer's own parse cost)
  due        dzshare due --before 2022-06                    (the bundled table)
  due-10k    dzshare due --format json -f <10,000 tasks>      (a generated table)
  validate-10k  dzshare validate <10,000 tasks>
Targets from the issues: due / floor <= 1.25 (issue 12), due-10k <= 1.5 s, validate-10k < 2 s.

dzshare's package is byte-compiled first, as `pip install` does (typer, rich and pydantic, which
the floor imports, are): with PYTHONDONTWRITEBYTECODE set, as on CI and in this sandbox, an
editable install would otherwise compile dzshare's source again on every run, which no installed
copy does. `--source` times that case instead.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

FLOOR_APP = '''
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()

@app.command()
def due(before: str = "", fmt: str = "table"):
    table = Table()
    for name in ("序号", "工作任务", "牵头单位", "完成时限", "目标", "状态"):
        table.add_column(name)
    for _ in range(6):
        table.add_row("1", "成立政务数据共享协调推进机制", "市行政审批局", "2021-09-30", "", "逾期 46 天")
    Console().print(table)

@app.command()
def other():
    pass

app()
'''

DEADLINES = ["{y}年{m}月底", "{y}年{m}月底前完成", "长期推进;{y}年{m}月底取得阶段成效", "长期推进",
             "{y}年{m}月底取得阶段成效;{y2}年{m}月底基本建成", "{y}年底前", "{y}年上半年"]
UNITS = ["市行政审批局", "市直相关部门", "市财政局", "市发展改革局", "各乡镇(街道)", "市委网信办"]


def generate_table(count: int) -> str:
    """A valid table of `count` tasks with varied deadlines and units."""
    lines = ["document:", "  title: 生成的测试表", "  year: 2021", "tasks:"]
    for number in range(1, count + 1):
        year, month = 2021 + number % 5, 1 + number % 12
        deadline = DEADLINES[number % len(DEADLINES)].format(y=year, m=month, y2=year + 1)
        lines += [
            f"  - id: {number}",
            f"    title: 任务{number}",
            f"    text: 第{number}项工作任务的内容,依托平台推进数据共享。",
            f"    lead: [{UNITS[number % len(UNITS)]}]",
            f"    responsible: [{UNITS[(number + 1) % len(UNITS)]}, {UNITS[(number + 3) % len(UNITS)]}]",
            f"    deadline: {deadline}",
        ]
    lines.append("units:")  # a registry, so that every unit name is checked as in the bundled table
    departments = [unit for unit in UNITS if unit not in ("市直相关部门", "各乡镇(街道)")]
    lines += [f"  - {{name: {unit}, kind: department}}" for unit in departments]
    lines.append(f"  - {{name: 市直相关部门, kind: group, members: [{', '.join(departments)}]}}")
    lines.append("  - {name: 各乡镇(街道), kind: group, members: []}")
    return "\n".join(lines) + "\n"


def dzshare_command() -> list[str]:
    script = Path(sys.executable).parent / "dzshare"
    if script.exists():
        return [str(script)]
    found = shutil.which("dzshare")
    return [found] if found else [sys.executable, "-m", "dzshare_cli"]


def time_once(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - start


Command = TypeVar("Command")
Measure = TypeVar("Measure")


def interleaved(commands: dict[str, Command], runs: int, env: dict[str, str] | None = None,
                run: Callable[[Command, dict[str, str] | None], Measure] = time_once,  # type: ignore[assignment]
                ) -> dict[str, list[Measure]]:
    """Seconds of each run of each command (or what `run` measures of it), the commands taking
    turns so that machine load hits them alike; one untimed run of each first warms the OS file
    cache."""
    for command in commands.values():
        run(command, env)
    timings: dict[str, list[Measure]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            timings[name].append(run(command, env))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--source", action="store_true",
                        help="do not byte-compile dzshare first (each run compiles what it imports)")
    args = parser.parse_args()
    if not args.source:
        import dzshare_cli

        compileall.compile_dir(Path(dzshare_cli.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory() as scratch:
        floor = Path(scratch) / "floor.py"
        floor.write_text(FLOOR_APP, encoding="utf-8")
        big = Path(scratch) / "big.yaml"
        big.write_text(generate_table(args.tasks), encoding="utf-8")
        dzshare = dzshare_command()
        commands = {
            "baseline": [sys.executable, "-c", "import typer, rich.table, pydantic, yaml"],
            "floor": [sys.executable, str(floor), "due", "--before", "2022-06"],
            "due": [*dzshare, "due", "--before", "2022-06"],
            "due-10k": [*dzshare, "due", "--format", "json", "--as-of", "2021-08-01", "-f", str(big)],
            "validate-10k": [*dzshare, "validate", "--as-of", "2021-08-01", str(big)],
        }
        timings = interleaved(commands, args.runs)

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        spread = max(timings[name]) - min(timings[name])
        print(f"{name:12s} median {value * 1000:7.1f} ms  (range {spread * 1000:.1f} ms, {args.runs} runs)")
    print(f"due / baseline  = {median['due'] / median['baseline']:.2f}   (target <= 1.3)")
    print(f"floor / baseline = {median['floor'] / median['baseline']:.2f}   (typer parsing alone)")
    print(f"due / floor     = {median['due'] / median['floor']:.2f}   (what dzshare adds; target <= 1.25, "
          f"{'source compiled on every run' if args.source else 'byte-compiled'})")
    print(f"due-10k         = {median['due-10k']:.2f} s  ({args.tasks:,} tasks; target <= 1.5 s)")
    print(f"validate-10k    = {median['validate-10k']:.2f} s  ({args.tasks:,} tasks; target < 2 s)")


if __name__ == "__main__":
    main()
