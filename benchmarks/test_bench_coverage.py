"""coverage of the realistic schedule for all time, against resolving the years it rests on.

The realistic schedule (benchmarks/test_bench_resolve.py: weekly and weekday rotations in
America/New_York, twenty overrides) is proved covered for all time by one wall-clock period
and the distinct DST changes; the baseline resolves the 400-year cycle of its zone row by row
(what a proof by brute force needs), here measured on 20 of those years and scaled.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from shiftcalc import Window, coverage, load_scenario, resolve
from test_bench_resolve import realistic

SCHEDULE = load_scenario(
    json.loads(json.dumps(realistic("2025-01-01T00:00:00Z", "2025-12-31T00:00:00Z")))
).schedule
SINCE = datetime(2025, 1, 1, tzinfo=UTC)


def test_coverage_for_all_time(benchmark: Any) -> None:
    result = benchmark(coverage, SCHEDULE, SINCE)
    assert result.verdict == "covered"


def test_resolving_twenty_years_row_by_row(benchmark: Any) -> None:
    def twenty_years() -> int:
        gaps = 0
        for year in range(20):
            start = SINCE + timedelta(days=365 * year)
            gaps += len(
                resolve(SCHEDULE, Window(start=start, end=start + timedelta(days=365))).gaps
            )
        return gaps

    assert benchmark(twenty_years) == 0
