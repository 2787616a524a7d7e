"""Fuzz: streams near the ends of time, in odd zones, with damaged cursors: each gives a right
answer or a ShiftcalcError, in bounded time, and an endless stream ends at the year 9999."""

from __future__ import annotations

import contextlib
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import Schedule, Shift, ShiftcalcError, Window

MAX_UTC = datetime.max.replace(tzinfo=UTC)
ZONES = st.sampled_from(
    ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns", "Asia/Kathmandu"]
)
FREQUENCIES = st.sampled_from([None, "hourly", "daily", "weekly", "monthly"])


def _plus(value: datetime, delta: timedelta) -> datetime:
    try:
        return value + delta
    except OverflowError:
        return datetime.max


@st.composite
def _far_shift(draw: st.DrawFn, base: datetime, span_days: int) -> Shift:
    start = base + timedelta(minutes=draw(st.integers(0, span_days * 1440)))
    frequency = draw(FREQUENCIES)
    recurring: dict[str, Any] = {}
    if frequency is not None:
        recurring = {
            "frequency": frequency,
            "interval": draw(st.integers(1, 3)),
            "week_start": "MO",
            "until": draw(
                st.none() | st.just(_plus(start, timedelta(days=draw(st.integers(0, 30)))))
            ),
        }
    return Shift(
        type="rolling_users" if frequency is not None else "single_event",
        start=start,
        duration=timedelta(minutes=draw(st.integers(1, 40 * 1440))),
        time_zone=draw(ZONES),
        level=draw(st.integers(0, 2)),
        users=() if frequency is not None else ("a",),
        rolling_users=(("a",), ("b",)) if frequency is not None else (),
        start_rotation_from_user_index=0 if frequency is not None else None,
        **recurring,
    )


def _schedule(base: datetime, span_days: int) -> st.SearchStrategy[Schedule]:
    return st.lists(_far_shift(base, span_days), max_size=3).map(
        lambda shifts: Schedule(shifts=tuple(shifts))
    )


LATE = datetime(9999, 11, 1)
EARLY = datetime(1, 1, 1)


@settings(deadline=None)
@given(
    _schedule(LATE, 40),
    st.integers(0, 60 * 1440),
    st.sampled_from(["strict", "oncall"]),
)
def test_endless_stream_near_9999_ends_as_a_resolve_to_the_end_of_time(
    schedule: Schedule, minutes: int, profile: str
) -> None:
    start = (LATE + timedelta(minutes=minutes)).replace(tzinfo=UTC)
    try:
        with hang_guard(60):
            rows = list(shiftcalc.iter_final_shifts(schedule, start, profile=profile))  # type: ignore[arg-type]
            gaps = list(shiftcalc.iter_gaps(schedule, start, profile=profile))  # type: ignore[arg-type]
    except ShiftcalcError:
        return
    assert all(row.end <= MAX_UTC for row in rows)
    if profile == "strict":
        whole = shiftcalc.resolve(schedule, Window(start=start, end=MAX_UTC))
        assert (rows, gaps) == (list(whole.shifts), list(whole.gaps))
        # the stream reaches the end of time: a last gap, or a row (rows sort by start, so the
        # one reaching the end need not be the last)
        assert not gaps or gaps[-1].end == MAX_UTC or max(row.end for row in rows) == MAX_UTC


@settings(deadline=None)
@given(_schedule(EARLY, 50), st.integers(0, 60 * 1440), st.integers(0, 40))
def test_stream_near_year_one_answers_and_resumes(
    schedule: Schedule, minutes: int, stop: int
) -> None:
    start = (EARLY + timedelta(minutes=minutes)).replace(tzinfo=UTC)
    end = start + timedelta(days=90)
    try:
        with hang_guard(60):
            stream = shiftcalc.iter_final_shifts(schedule, start, end=end)
            head = list(itertools.islice(stream, stop))
            token = json.loads(json.dumps(stream.cursor()))
            rest = list(shiftcalc.iter_final_shifts(schedule, start, end=end, cursor=token))
    except ShiftcalcError:
        return
    assert head + rest == list(shiftcalc.resolve(schedule, Window(start=start, end=end)).shifts)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
KEYS = st.sampled_from(
    [
        *("v", "kind", "profile", "start", "end", "durations", "now", "schedule", "from"),
        *("after", "chunk", "skip", "calendar_errors"),
    ]
)


@settings(deadline=None)
@given(KEYS, JSONISH, st.sampled_from(["strict", "oncall"]), st.integers(0, 30))
def test_damaged_cursor_resumes_or_is_refused(
    key: str, value: Any, profile: str, stop: int
) -> None:
    shift = Shift(
        type="rolling_users",
        start=datetime(2024, 1, 1),
        duration=timedelta(hours=6),
        frequency="hourly",
        interval=6,
        rolling_users=(("a",), ("b",)),
        start_rotation_from_user_index=0,
    )
    schedule = Schedule(shifts=(shift,))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    arguments: dict[str, Any] = {"end": start + timedelta(days=5), "profile": profile}
    stream = shiftcalc.iter_final_shifts(schedule, start, **arguments)
    list(itertools.islice(stream, stop))
    token = {**stream.cursor(), key: value}
    with hang_guard(30), contextlib.suppress(ShiftcalcError):
        list(shiftcalc.iter_final_shifts(schedule, start, cursor=token, **arguments))
