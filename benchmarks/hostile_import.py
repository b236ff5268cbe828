"""Time `dzshare import` of the crafted files of issue 10 against importing the bundled seed table,
in one run, as ratios (this machine is noisy); also each run's peak memory.

    python benchmarks/hostile_import.py [--runs 5]

Run it from a checkout (it builds the files with tests/hostile_sources.py):
  seed                          tests/fixtures/published_table.txt (18 tasks)
  xlsx-merge-to-XFD1048576      5 KB xlsx, <mergeCell ref="F1:XFD1048576"/>       (read: clipped)
  html-rowspan-colspan-100000   200-byte html, one cell spanning 10^5 x 10^5       (read: clipped)
  docx-gridspan-10^8            Word table with a cell of w:gridSpan 10^8           (read: clipped)
  xlsx-million-rows             10 MB xlsx, a sheet of 1,000,000 rows               (refused)
  dense-docx                    a Word body of 480,000 empty paragraphs, under every size limit
  rows-at-the-limit-xlsx        a header and 9,999 tasks: the most rows an import reads
Target from the issue: each crafted file refused (or read) within 5 s and 300 MB.
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

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from tests.hostile_sources import (CRAFTED, SUFFIXES, _rewrite_zip_member, docx_table,  # noqa: E402
                                   inline_cells, xlsx_with_rows)

SEED = CHECKOUT / "tests" / "fixtures" / "published_table.txt"


def dense_docx(path: Path) -> Path:
    docx_table(path)
    _rewrite_zip_member(path, "word/document.xml",
                        lambda xml: xml.replace("<w:body>", "<w:body>" + "<w:p/>" * 480_000, 1))
    return path


def rows_at_the_limit(path: Path) -> Path:
    """A header and 9,999 tasks of five cells: the largest sheet an import reads."""
    header = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]
    return xlsx_with_rows(path, 10_000, lambda n: inline_cells(n, header if n == 1 else [
        str(n - 1), f"第{n - 1}项工作任务。", "市审批局", "市财政局、市发展改革局", "2022年6月底"]))


def import_once(source: Path, output: Path) -> tuple[float, int, int]:
    """Seconds, exit code and peak RSS in MB of one `dzshare import` in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dzshare_cli", "import", str(source), "-o", str(output),
                                "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, process.returncode, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        sources = {"seed": SEED}
        for name, build in CRAFTED.items():
            sources[name] = build(folder / f"{name.replace('^', '')}{SUFFIXES[name]}")
        sources["dense-docx"] = dense_docx(folder / "dense.docx")
        sources["rows-at-the-limit-xlsx"] = rows_at_the_limit(folder / "rows.xlsx")
        output = folder / "out.yaml"
        for source in sources.values():  # warm the OS file cache; not timed
            import_once(source, output)
        timings: dict[str, list[float]] = {name: [] for name in sources}
        peaks: dict[str, int] = dict.fromkeys(sources, 0)
        exits: dict[str, int] = {}
        for _ in range(args.runs):
            for name, source in sources.items():
                elapsed, exit_code, peak = import_once(source, output)
                timings[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
                exits[name] = exit_code
        sizes = {name: source.stat().st_size for name, source in sources.items()}

    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        print(f"{name:28s} {sizes[name]:>10,} B  exit {exits[name]}  median {value:6.2f} s  "
              f"x{value / median['seed']:5.2f} seed  peak {peaks[name]:4d} MB")
    print(f"({args.runs} runs each, interleaved; target: each crafted file within 5 s and 300 MB)")


if __name__ == "__main__":
    main()
