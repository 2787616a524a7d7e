"""Writing the answer against computing it: the final_shifts JSON document of the realistic
schedule (benchmarks/test_bench_resolve.py) for a year, next to its resolve.

Writing must cost less than the computation it prints. Run both with
``pytest benchmarks/test_bench_output.py`` and compare the group's means.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from shiftcalc import final_shifts_document, final_shifts_json, load_scenario, resolve, to_json
from test_bench_resolve import YEAR


@pytest.fixture(scope="module")
def year() -> Any:
    scenario = load_scenario(YEAR)
    return scenario, resolve(scenario.schedule, scenario.window).shifts


def test_resolve_realistic_year(benchmark: Any, year: Any) -> None:
    """The computation: resolve the realistic schedule over a year (strict)."""
    benchmark.group = "realistic year: resolve vs JSON document"
    scenario, rows = year
    assert benchmark(lambda: resolve(scenario.schedule, scenario.window).shifts) == rows


def test_json_document_realistic_year(benchmark: Any, year: Any) -> None:
    """The writing: final_shifts_document + to_json of the same rows."""
    benchmark.group = "realistic year: resolve vs JSON document"
    scenario, rows = year
    text = benchmark(lambda: to_json(final_shifts_document(rows, scenario.schedule)))
    assert json.loads(text)["count"] == len(rows) > 500


def test_json_text_realistic_year(benchmark: Any, year: Any) -> None:
    """The writing as the CLI does it: final_shifts_json, straight from the rows."""
    benchmark.group = "realistic year: resolve vs JSON document"
    scenario, rows = year
    text = benchmark(lambda: final_shifts_json(rows, scenario.schedule))
    assert text == to_json(final_shifts_document(rows, scenario.schedule))
