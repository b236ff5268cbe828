"""The table benchmarks/round_trip.py times is a valid table whose every task is one row of
市财政局's form."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

from dzshare_cli.forms import unit_forms
from dzshare_cli.loader import parse_table
from dzshare_cli.units import UnitRegistry

_SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "round_trip.py"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_round_trip", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    search_path = list(sys.path)
    sys.path.insert(0, str(_SCRIPT.parent))  # it imports its sibling startup.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = search_path
    return module


def test_the_benchmark_table_gives_one_form_row_per_task():
    result = parse_table(_load_benchmark().big_table(7), "big.yaml")
    assert result.table is not None and not [p for p in result.problems if p.severity == "error"]
    registry = UnitRegistry.from_table(result.table)
    forms = unit_forms(result.table, registry, date(2022, 6, 1))
    assert [(form.unit.name, len(form.rows)) for form in forms] == [("市财政局", 7), ("市审计局", 7)]
