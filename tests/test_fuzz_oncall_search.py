"""Fuzz of the oncall profile's period search: the jumps give OnCall's walk exactly, and
hostile rotations (old, huge intervals, rarely matching rules) end in time."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from oncall_walk import generate
from shiftcalc import Shift, ShiftcalcError
from shiftcalc._model import WEEKDAYS
from shiftcalc.oncall.occurrences import VEvent

_ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Tokyo"]


def _outcome(shift: Shift, *, walk: bool) -> list[VEvent] | tuple[str, str]:
    try:
        return generate(shift, walk=walk)
    except ShiftcalcError as exc:  # the engine's crashes must be the same both ways
        return (type(exc).__name__, str(exc))


@st.composite
def _rotations(draw: st.DrawFn, years: int = 3) -> Shift:
    frequency = draw(st.sampled_from(["hourly", "daily", "weekly", "monthly"]))
    start = draw(st.datetimes(datetime(2019, 1, 1), datetime(2022, 1, 1))).replace(
        second=0, microsecond=0
    )
    unit = {"hourly": 1, "daily": 24, "weekly": 168, "monthly": 720}[frequency]
    # the walk (the oracle) costs a search per period: hourly rotations start weeks earlier
    days = 40 if frequency == "hourly" else years * 366
    delay = draw(st.integers(0, days * 24 * 60))
    interval = draw(
        st.one_of(st.integers(1, 4), st.sampled_from([7, 24, 29, 30, 31, 32, 168, 700, 800]))
    )
    until = draw(st.none() | st.integers(0, (years + 1) * 366 * 24 * 60))
    by_day: tuple[str, ...] = ()
    if frequency != "daily":  # daily with by_day is the per-occurrence rotation (§2.7)
        by_day = tuple(draw(st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True)))
    return Shift(
        type="rolling_users",
        start=start,
        rotation_start=start + timedelta(minutes=delay),
        duration=timedelta(minutes=draw(st.sampled_from([15, 60, 60 * unit, 60 * unit + 7]))),
        frequency=frequency,  # type: ignore[arg-type]
        interval=interval,
        until=None if until is None else start + timedelta(minutes=until),
        week_start=draw(st.sampled_from(WEEKDAYS)),
        by_day=by_day,
        by_month=tuple(draw(st.lists(st.integers(1, 12), max_size=2, unique=True))),
        by_monthday=tuple(draw(st.lists(st.integers(1, 31), max_size=2, unique=True))),
        rolling_users=tuple((f"user{i}",) for i in range(draw(st.integers(1, 4)))),
        start_rotation_from_user_index=0,
        time_zone=draw(st.sampled_from(_ZONES)),
        source=draw(st.sampled_from(["api", "web"])),  # type: ignore[arg-type]
    )


@settings(deadline=None)
@given(shift=_rotations())
def test_jumping_over_ineligible_periods_equals_the_walk(shift: Shift) -> None:
    """Every frequency, BY-rule, interval, until and source: the VEVENTs of the walk."""
    with hang_guard(120):
        walked = _outcome(shift, walk=True)
    with hang_guard(60):
        assert _outcome(shift, walk=False) == walked


@st.composite
def _calendar_stepped_rotations(draw: st.DrawFn) -> Shift:
    """Hourly and daily rotations whose step depends on the calendar: BY-rules, and intervals
    whose step depends on the month's length (29-32 days, 673-745 hours)."""
    frequency = draw(st.sampled_from(["hourly", "daily"]))
    start = draw(st.datetimes(datetime(2019, 1, 1), datetime(2022, 1, 1))).replace(
        second=0, microsecond=0
    )
    days = 20 if frequency == "hourly" else 2 * 366  # the oracle walks every period
    delay = draw(st.integers(0, days * 24 * 60))
    month_dependent = [672, 673, 700, 720, 744, 745, 746] if frequency == "hourly" else []
    interval = draw(
        st.one_of(
            st.integers(1, 6), st.sampled_from([7, 24, 28, 29, 30, 31, 32, 33, *month_dependent])
        )
    )
    until = draw(st.none() | st.integers(0, (days + 40) * 24 * 60))
    by_day: tuple[str, ...] = ()
    if frequency == "hourly":
        by_day = tuple(draw(st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True)))
    monthdays = st.integers(1, 31) | st.integers(-31, -1)
    return Shift(
        type="rolling_users",
        start=start,
        rotation_start=start + timedelta(minutes=delay),
        duration=timedelta(minutes=draw(st.sampled_from([15, 60, 1440, 1447]))),
        frequency=frequency,  # type: ignore[arg-type]
        interval=interval,
        until=None if until is None else start + timedelta(minutes=until),
        week_start=draw(st.sampled_from(WEEKDAYS)),
        by_day=by_day,
        by_month=tuple(draw(st.lists(st.integers(1, 12), max_size=6, unique=True))),
        by_monthday=tuple(draw(st.lists(monthdays, max_size=8, unique=True))),
        rolling_users=tuple((f"user{i}",) for i in range(draw(st.integers(1, 4)))),
        start_rotation_from_user_index=0,
        time_zone=draw(st.sampled_from(_ZONES)),
        source=draw(st.sampled_from(["api", "web"])),  # type: ignore[arg-type]
    )


@settings(deadline=None)
@given(shift=_calendar_stepped_rotations())
def test_counting_calendar_dependent_periods_equals_the_walk(shift: Shift) -> None:
    """Hourly with any BY-rule, daily with by_month or by_monthday, month-dependent intervals,
    until, zones and sources: the counted jump gives the walk's VEVENTs (or its crash)."""
    with hang_guard(120):
        walked = _outcome(shift, walk=True)
    with hang_guard(60):
        assert _outcome(shift, walk=False) == walked
