"""benchmarks/site.py's helpers run: a site and an html report of a small generated ledger are
timed, measured and summed up (its timings are not checked: this machine is noisy)."""

from __future__ import annotations

import sys

import pytest

from tests.helpers import load_benchmark



bench = load_benchmark("site")
DZSHARE = [sys.executable, "-m", "dzshare_cli"]


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """A size of 0.1k: 3 documents of 33 tasks, each command run once after its untimed run."""
    return bench.time_size(DZSHARE, "0.1k", 1, tmp_path_factory.mktemp("bench"))


def test_both_commands_ran_and_were_measured(measured):
    assert measured.tasks == 99
    assert set(measured.runs) == {"site", "report html"}
    assert all(len(runs) == 1 and runs[0].seconds > 0 and runs[0].peak > 10 * 1024 * 1024
               for runs in measured.runs.values())
    assert measured.site_files > 80 and measured.site_bytes > 100_000  # a page per unit, its downloads
    assert measured.ratio == measured.median("site") / measured.median("report html")


def test_the_summary_names_the_figures(measured):
    text = "\n".join(bench.size_lines(measured))
    assert text.startswith("0.1k: 99 tasks; site ")
    assert "site / report html" in text and "peak" in text
    assert bench.target_lines({"0.1k": measured}) == [
        "targets (at 10k): not measured; run with --sizes including 10k"]


@pytest.mark.parametrize(("site", "peak_mb", "verdicts"), [
    (30.0, 300, ["met", "met"]), (31.0, 300, ["MISSED", "met"]), (10.0, 401, ["met", "MISSED"])])
def test_the_targets_are_judged_at_10k(site, peak_mb, verdicts):
    mb = 1024 * 1024
    result = bench.SizeResult("10k", 9900, {"site": [bench.Run(site, peak_mb * mb)],
                                            "report html": [bench.Run(2.0, 100 * mb)]}, 1, 1)
    lines = bench.target_lines({"10k": result})
    assert [line.rsplit(": ", 1)[1] for line in lines] == verdicts


def test_a_failing_command_stops_the_benchmark_with_its_message(tmp_path):
    command = bench.Command([*DZSHARE, "site", "--as-of", "2024-06-30", "-f", str(tmp_path / "missing"),
                             "-o", str(tmp_path / "s")], tmp_path, tmp_path / "out", tmp_path / "s")
    with pytest.raises(bench.BenchmarkError, match="exited"):
        bench.run_command(command)


def test_a_bad_size_is_refused():
    with pytest.raises(bench.BenchmarkError, match="thousand tasks"):
        bench.parse_size("big")
