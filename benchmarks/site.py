"""Time `dzshare site` against `dzshare report --format html` of the same generated ledger.

    python benchmarks/site.py [--sizes 1k,10k] [--runs 1] [--dzshare PATH]

Both commands read a ledger of benchmarks/ledger.py's generator (1k = 30 documents of 33 tasks,
10k = 300) as of 2024-06-30, from the same warm cache (DZSHARE_CACHE_DIR), so that what is
compared is what each builds from the tasks: the html report is one page; the site is a page
per unit and per document, the timeline, and each unit's calendar (ics) and list (xlsx). The
runs take turns (one untimed run of each first), each in a fresh launcher that reads its peak
resident memory (the site's worker processes included: Linux counts a waited-for child's peak);
each site run writes a new folder. Prints the medians, site / report html, the peaks, the size
of the site, and whether the targets below are met.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ledger import (AS_OF, MB, TASKS_PER_DOCUMENT, BenchmarkError, Run, generate_ledger,  # noqa: E402
                    measure, parse_size)
from startup import dzshare_command, interleaved  # noqa: E402  (sibling scripts, not a package)

#: Targets at 10k tasks (300 documents): the site against the html report, and its peak memory.
TARGET_RATIO, TARGET_PEAK, TARGET_SIZE = 15.0, 400 * MB, "10k"


@dataclass(frozen=True)
class Command:
    """A command to time; `site` is the folder a site run writes, removed before each run."""

    argv: list[str]
    cache: Path
    output: Path
    site: Path | None = None


@dataclass
class SizeResult:
    label: str
    tasks: int
    runs: dict[str, list[Run]]  # "site", "report html"
    site_bytes: int
    site_files: int

    def median(self, name: str) -> float:
        return statistics.median(run.seconds for run in self.runs[name])

    def peak(self, name: str) -> int:
        return max(run.peak for run in self.runs[name])

    @property
    def ratio(self) -> float:
        return self.median("site") / self.median("report html")


def commands(dzshare: list[str], ledger: Path, folder: Path) -> dict[str, Command]:
    cache = folder / "cache"  # one cache for both: warm after the untimed first runs
    cache.mkdir(exist_ok=True)
    site = folder / "site"
    return {
        "site": Command([*dzshare, "site", "--as-of", AS_OF, "-f", str(ledger), "-o", str(site)], cache,
                        folder / "site.out", site),
        "report html": Command([*dzshare, "report", "--as-of", AS_OF, "--format", "html", "-f", str(ledger)],
                               cache, folder / "report.html"),
    }


def run_command(command: Command, _env: dict[str, str] | None = None) -> Run:
    if command.site is not None:  # a new folder every time: replacing a site would time its removal too
        shutil.rmtree(command.site, ignore_errors=True)
    return measure(command.argv, command.cache, command.output)


def written(folder: Path) -> tuple[int, int]:
    """The bytes and the number of the files in a folder."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def time_size(dzshare: list[str], label: str, runs: int, scratch: Path) -> SizeResult:
    folder = scratch / label
    folder.mkdir()
    documents = parse_size(label)
    generate_ledger(folder / "ledger", documents, TASKS_PER_DOCUMENT)
    steps = commands(dzshare, folder / "ledger", folder)
    timings = interleaved(steps, runs, run=run_command)
    site_bytes, site_files = written(folder / "site")
    return SizeResult(label, documents * TASKS_PER_DOCUMENT, timings, site_bytes, site_files)


def size_lines(result: SizeResult) -> list[str]:
    site, report = result.median("site"), result.median("report html")
    return [f"{result.label}: {result.tasks:,} tasks; site {result.site_files} files, {result.site_bytes / MB:.1f} MB",
            f"  site         {site:7.2f} s  peak {result.peak('site') / MB:5.0f} MB",
            f"  report html  {report:7.2f} s  peak {result.peak('report html') / MB:5.0f} MB",
            f"  site / report html {result.ratio:.1f}"]


def target_lines(results: dict[str, SizeResult]) -> list[str]:
    result = results.get(TARGET_SIZE)
    if result is None:
        return [f"targets (at {TARGET_SIZE}): not measured; run with --sizes including {TARGET_SIZE}"]
    peak = result.peak("site")
    return [f"target at {TARGET_SIZE}: site / report html {result.ratio:.1f} <= {TARGET_RATIO:g}: "
            f"{'met' if result.ratio <= TARGET_RATIO else 'MISSED'}",
            f"target at {TARGET_SIZE}: site peak {peak / MB:.0f} MB <= {TARGET_PEAK / MB:.0f} MB: "
            f"{'met' if peak <= TARGET_PEAK else 'MISSED'}"]


def benchmark(dzshare: list[str], sizes: list[str], runs: int) -> None:
    for label in sizes:
        parse_size(label)  # a bad size stops it before anything is timed
    print(f"{' '.join(dzshare)}; {runs} run(s) of each, interleaved; medians; as of {AS_OF}; warm cache")
    results = {}
    with tempfile.TemporaryDirectory(prefix="dzshare-site-bench-") as scratch:
        for label in sizes:
            results[label] = time_size(dzshare, label, runs, Path(scratch))
            print("\n".join(size_lines(results[label])), flush=True)
    print("\n".join(target_lines(results)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="thousands of tasks: 1k = 30 documents of 33")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each (a site of 10k takes a minute)")
    parser.add_argument("--dzshare", help="the dzshare command to time (default: the one installed beside "
                                          "this Python), e.g. another checkout's .venv/bin/dzshare")
    args = parser.parse_args()
    dzshare = [args.dzshare] if args.dzshare else dzshare_command()
    try:
        benchmark(dzshare, [label.strip().lower() for label in args.sizes.split(",") if label.strip()], args.runs)
    except BenchmarkError as error:
        sys.exit(f"benchmarks/site.py: {error}")


if __name__ == "__main__":
    main()
