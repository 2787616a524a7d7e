"""OnCall's occurrence bounds at the ends of time: the padded window stops at the years 1 and
9999 instead of overflowing (a raw OverflowError inside expand_starts before)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import shiftcalc
from shiftcalc import Schedule, Shift, Window
from shiftcalc.oncall.occurrences import expand_starts

MAX = datetime.max.replace(tzinfo=UTC)
MIN = datetime.min.replace(tzinfo=UTC)


def test_expand_starts_bounds_stop_at_the_ends_of_time() -> None:
    start = datetime(9999, 12, 30, 9, tzinfo=UTC)
    rule = shiftcalc.RecurrenceRule.parse("FREQ=DAILY")
    starts = list(expand_starts(rule, start, "UTC", None, start, MAX))
    assert starts == [start, start + timedelta(days=1)]
    first = datetime(1, 1, 1, 9, tzinfo=UTC)
    assert list(expand_starts(rule, first, "UTC", None, MIN, first)) == [first]


@pytest.mark.parametrize(
    ("year", "month", "days"), [(9999, 12, (20, 19, 25, 31)), (1, 1, (10, 9, 1, 3))]
)
def test_an_event_ending_before_it_starts_near_the_ends_of_time_is_answered(
    year: int, month: int, days: tuple[int, int, int, int]
) -> None:
    """As in an ordinary year (2024): the until before the start leaves nothing."""

    def rows(y: int) -> tuple[shiftcalc.FinalShift, ...]:
        start, until, ws, we = (datetime(y, month, d) for d in days)
        shift = Shift(
            type="recurrent_event",
            start=start,
            duration=timedelta(hours=2),
            frequency="daily",
            until=until,
            users=("a",),
        )
        window = Window(start=ws.replace(tzinfo=UTC), end=we.replace(tzinfo=UTC))
        return shiftcalc.resolve(Schedule(shifts=(shift,)), window, profile="oncall").shifts

    assert rows(year) == rows(2024) == ()
