"""Fuzz of the queries: any instant means its UTC instant; far dates answer or are refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import (
    Schedule,
    ShiftcalcError,
    Window,
    load_scenario,
    next_handoffs,
    on_call_at,
    resolve,
    take_oncall,
)
from shiftcalc.strategies import schedules

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Antarctica/Troll",
         "Pacific/Apia", "Asia/Kolkata", "America/St_Johns", "UTC"]  # fmt: skip
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def zoned_instants(draw: st.DrawFn) -> datetime:
    """An aware datetime in a zone with DST quirks, fold 0 or 1, near a change of offset
    often (the repeated hour is where fold matters)."""
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    wall = draw(st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2027, 12, 31)))
    return wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1)))


def _answer(query: Callable[[], object]) -> object:
    """The query's answer, or the field of the ShiftcalcError it raises."""
    try:
        return query()
    except ShiftcalcError as error:
        return type(error), getattr(error, "field", None)


profiled_schedules = st.sampled_from(["strict", "oncall"]).flatmap(
    lambda profile: st.tuples(schedules(max_shifts=2, profile=profile), st.just(profile))
)


@SETTINGS
@given(profiled_schedules, zoned_instants(), st.booleans())
def test_every_query_reads_an_instant_as_its_utc_instant(
    drawn: tuple[Schedule, str], at: datetime, take_over: bool
) -> None:
    """on_call_at, resolve windows, next_handoffs, take_oncall, ``now`` and swaps: an instant
    in any zone and fold gives the answer of the same instant in UTC."""
    schedule, profile = drawn
    utc = at.astimezone(UTC)
    zone = at.tzinfo
    with hang_guard(60):
        for query in (
            lambda t: on_call_at(schedule, t, profile=profile),  # type: ignore[arg-type]
            lambda t: (
                resolve(
                    schedule,
                    Window(start=t, end=(t + timedelta(hours=5)).astimezone(zone)),
                    profile=profile,  # type: ignore[arg-type]
                    now=t,
                ).shifts
            ),
        ):
            assert _answer(partial(query, at)) == _answer(partial(query, utc))
        if profile == "oncall":
            return  # the strict-only queries
        horizon = timedelta(days=2)
        assert next_handoffs(schedule, at, 2, horizon=horizon) == next_handoffs(
            schedule, utc, 2, horizon=horizon
        )
        on_call = on_call_at(schedule, utc)
        if on_call and take_over:
            taker = schedule.users[0].id if schedule.users else on_call[0]
            assert take_oncall(schedule, taker=taker, relieved=on_call[0], at=at) == take_oncall(
                schedule, taker=taker, relieved=on_call[0], at=utc
            )
        swaps = tuple(
            replace(swap, swap_start=swap.swap_start.astimezone(zone)) for swap in schedule.swaps
        )
        window = Window(start=utc, end=utc + timedelta(days=1))
        assert resolve(replace(schedule, swaps=swaps), window).shifts == (
            resolve(schedule, window).shifts
        )


FAR_STARTS = st.sampled_from(
    ["0001-01-01T00:00:00", "0001-01-02T05:00:00", "0002-03-01T00:00:00", "1847-06-01T09:00:00",
     "9998-12-30T00:00:00", "9999-12-29T12:00:00", "9999-12-31T23:00:00"]
)  # fmt: skip
FAR_WINDOWS = st.sampled_from(
    [("0001-01-01T00:00:00Z", "0001-01-09T00:00:00Z"), ("2024-01-01", "2024-01-03"),
     ("9999-12-25T00:00:00Z", "9999-12-31T23:59:59Z"), ("0001-12-25", "0002-01-02")]
)  # fmt: skip


@SETTINGS
@given(
    start=FAR_STARTS,
    until=st.none() | FAR_STARTS | st.just("2036-01-01T00:00:00"),
    kind=st.sampled_from(["single_event", "recurrent_event", "rolling_users", "override"]),
    frequency=st.sampled_from(["hourly", "daily", "weekly", "monthly"]),
    interval=st.sampled_from([1, 2, 7, 168]),
    by_day=st.sampled_from([[], ["MO"], ["SA", "SU"]]),
    duration=st.sampled_from([3600, 86400, 86400 * 40]),
    zone=st.sampled_from([*ZONES, "Asia/Tokyo", "Pacific/Kiritimati"]),
    window=FAR_WINDOWS,
    profile=st.sampled_from(["strict", "oncall"]),
)
def test_far_dates_answer_or_raise_a_shiftcalc_error(
    start: str,
    until: str | None,
    kind: str,
    frequency: str,
    interval: int,
    by_day: list[str],
    duration: int,
    zone: str,
    window: tuple[str, str],
    profile: str,
) -> None:
    """Shifts and windows near the years 1 and 9999, in zones far from UTC, and queries
    there: a correct answer or a ShiftcalcError, never an OverflowError, within a guard."""
    shift: dict[str, object] = {"type": kind, "start": start, "duration": duration}
    if kind in ("recurrent_event", "rolling_users"):
        shift |= {"frequency": frequency, "interval": interval, "by_day": by_day}
        if frequency == "weekly":
            shift["week_start"] = "MO"
    if until is not None and until >= start:
        shift["until"] = until
    if kind in ("rolling_users", "override"):
        shift |= {"rolling_users": [["a"], ["b"]], "start_rotation_from_user_index": 0}
    else:
        shift["users"] = ["a"]
    document = {"schedule": {"time_zone": zone}, "shifts": [shift],
                "window": {"start": window[0], "end": window[1]}}  # fmt: skip
    with hang_guard(60):
        try:
            scenario = load_scenario(document, profile=profile)  # type: ignore[arg-type]
        except ShiftcalcError:
            return
        try:
            rows = resolve(scenario.schedule, scenario.window, profile=profile).shifts  # type: ignore[arg-type]
            for moment in (scenario.window.start, scenario.window.end):
                on_call_at(scenario.schedule, moment, profile=profile)  # type: ignore[arg-type]
            next_handoffs(scenario.schedule, scenario.window.start, 2)
        except ShiftcalcError:
            return
        for row in rows:
            assert scenario.window.start <= row.start <= row.end <= scenario.window.end
