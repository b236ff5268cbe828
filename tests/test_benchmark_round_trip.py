"""The table benchmarks/round_trip.py times is a valid table whose every task is one row of
市财政局's form."""

from __future__ import annotations

from datetime import date

from dzshare_cli.forms import unit_forms
from dzshare_cli.loader import parse_table
from dzshare_cli.units import UnitRegistry
from tests.helpers import load_benchmark



def test_the_benchmark_table_gives_one_form_row_per_task():
    result = parse_table(load_benchmark("round_trip").big_table(7), "big.yaml")
    assert result.table is not None and not [p for p in result.problems if p.severity == "error"]
    registry = UnitRegistry.from_table(result.table)
    forms = unit_forms(result.table, registry, date(2022, 6, 1))
    assert [(form.unit.name, len(form.rows)) for form in forms] == [("市财政局", 7), ("市审计局", 7)]
