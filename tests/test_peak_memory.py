"""The memory tests measure dzshare, not the test run that starts it."""

from tests.peak_memory import run_measured


def test_a_large_test_process_does_not_inflate_the_measured_peak():
    ballast = bytearray(400 * 1024 * 1024)
    for offset in range(0, len(ballast), 4096):  # resident, not only reserved
        ballast[offset] = 1
    code, _, peak = run_measured(["--version"])
    assert code == 0
    assert peak < 150 * 1024 * 1024 < len(ballast)
