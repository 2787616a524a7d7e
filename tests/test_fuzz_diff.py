"""Fuzz: diff on hostile input ends with an answer or a ShiftcalcError, in bounded time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import FinalShift, Weights, Window
from shiftcalc._diff import compare

FAR = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
    lambda d: d.replace(tzinfo=UTC)
)
ZONES = st.sampled_from(
    [
        "UTC",
        "Pacific/Kiritimati",
        "America/St_Johns",
        "Asia/Kathmandu",
        "Etc/GMT+12",
        "Europe/London",
    ]
)


@st.composite
def rows(draw: st.DrawFn) -> list[FinalShift]:
    found = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(FAR)
        end = draw(FAR)  # may end before it starts, as an oncall row can
        found.append(FinalShift(user=draw(st.sampled_from("abc")), start=start, end=end))
    return found


@settings(deadline=None)
@given(
    rows(),
    rows(),
    FAR,
    FAR,
    st.none()
    | st.builds(
        Weights,
        night_start=st.times(),
        night_end=st.times(),
        night_factor=st.floats(0, 1e6),
        weekend_factor=st.floats(0, 1e6),
        zone=ZONES | st.none(),
    ),
)
def test_compare_far_rows_answers_or_refuses(
    a: list[FinalShift], b: list[FinalShift], s: datetime, e: datetime, weights: Weights | None
) -> None:
    window = Window(start=min(s, e), end=max(s, e))
    with hang_guard(60):
        try:
            result = compare(a, b, window, weights=weights, zone="Asia/Kathmandu")
        except shiftcalc.ShiftcalcError:
            return
    assert all(window.start <= c.start < c.end <= window.end for c in result.changes)


@given(st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()))
def test_weights_refuse_bad_factors(value: object) -> None:
    try:
        Weights(night_factor=value, night_start=time(1))  # type: ignore[arg-type]
    except shiftcalc.ShiftcalcError:
        return
    assert isinstance(value, int | float) and 0 <= value < float("inf")


def test_weighted_window_of_a_millennium_is_refused_not_slow() -> None:
    start = datetime(1000, 1, 1, tzinfo=UTC)
    row = [FinalShift(user="a", start=start, end=start + timedelta(days=400_000))]
    window = Window(start=start, end=start + timedelta(days=400_000))
    with hang_guard(30):
        try:
            compare(row, [], window, weights=Weights())
        except shiftcalc.ValidationError as error:
            assert error.field == "weights"
        else:
            raise AssertionError("expected a refusal")
