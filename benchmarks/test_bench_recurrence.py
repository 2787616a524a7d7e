"""One week of a rule started ten years earlier: shiftcalc's jump-ahead against dateutil.

``dateutil.rrule.rrule(...).between()`` walks every instance since DTSTART; shiftcalc jumps to
the window's period. Each benchmark checks that both give the same instants (dateutil repeats
the instant of a wall time skipped by the spring-forward change, hence the set).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule

from shiftcalc._recurrence import occurrences

NY = ZoneInfo("America/New_York")
DTSTART = datetime(2015, 1, 1, 9, tzinfo=NY)
START = datetime(2025, 3, 3, tzinfo=NY)
END = datetime(2025, 3, 10, tzinfo=NY)
FREQS = {"HOURLY": rrule.HOURLY, "DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY}


def _instants(values: Iterable[datetime | date]) -> list[datetime]:
    return sorted({v.astimezone(UTC) for v in values if isinstance(v, datetime)})


def _shiftcalc(freq: str) -> list[datetime | date]:
    return list(occurrences(f"FREQ={freq}", DTSTART, start=START, end=END, end_inclusive=True))


def _dateutil(freq: str) -> list[datetime]:
    return rrule.rrule(FREQS[freq], dtstart=DTSTART).between(START, END, inc=True)


@pytest.mark.parametrize("freq", list(FREQS))
@pytest.mark.parametrize("engine", ["shiftcalc", "dateutil"])
def test_one_week_ten_years_on(benchmark: Any, engine: str, freq: str) -> None:
    """The same week of instants from both engines; only the time differs."""
    run: Callable[[str], list[Any]] = _shiftcalc if engine == "shiftcalc" else _dateutil
    benchmark.group = f"one week of FREQ={freq} from 2015"
    found = benchmark(run, freq)
    expected = _instants(_dateutil(freq)) if engine == "shiftcalc" else _instants(found)
    assert _instants(found) == expected
    assert len(expected) == {"HOURLY": 168, "DAILY": 7, "WEEKLY": 1}[freq]
