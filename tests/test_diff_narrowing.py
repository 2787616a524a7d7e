"""The diff sweeps only the part of the window where the sides can differ
(``_diff.differing_part``): held equal to sweeping the whole window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import Diff, FinalShift, Window, _diff
from shiftcalc._diff import compare

T0 = datetime(2024, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)
WINDOW = Window(start=T0 + 10 * H, end=T0 + 90 * H)


def whole_window_compare(
    before: list[FinalShift], after: list[FinalShift], window: Window
) -> Diff:
    """The careful path: the sweep over the whole window."""
    with mock.patch.object(_diff, "differing_part", lambda b, a, w: w):
        return compare(before, after, window)


rows = st.builds(
    lambda user, start, length: FinalShift(
        user=user, start=T0 + start * H, end=T0 + (start + length) * H
    ),
    st.sampled_from("abc"),
    st.integers(0, 100),
    st.integers(-3, 30),  # empty and backwards rows too (the oncall profile has them)
)


@st.composite
def changed_pairs(draw: st.DrawFn) -> tuple[list[FinalShift], list[FinalShift]]:
    """Row lists sharing a prefix and a suffix, with a changed middle on either side."""
    head, tail = draw(st.lists(rows, max_size=8)), draw(st.lists(rows, max_size=8))
    if draw(st.booleans()):  # sorted by start, as resolve gives them
        head.sort(key=lambda row: row.start)
        tail.sort(key=lambda row: row.start)
    middle_a, middle_b = draw(st.lists(rows, max_size=4)), draw(st.lists(rows, max_size=4))
    return head + middle_a + tail, head + middle_b + tail


@settings(max_examples=500)
@given(changed_pairs(), st.integers(0, 100), st.integers(0, 100))
def test_narrowed_diff_equals_the_whole_window_sweep(
    pair: tuple[list[FinalShift], list[FinalShift]], lo: int, length: int
) -> None:
    before, after = pair
    for window in (WINDOW, Window(start=T0 + lo * H, end=T0 + (lo + length) * H)):
        assert compare(before, after, window) == whole_window_compare(before, after, window)


def test_a_local_change_sweeps_only_around_it() -> None:
    """A week of daily rows, one day changed: the part starts at the previous hand-off and
    ends at the next one, so the diff's hand-offs keep the sets they change from."""
    days = [
        FinalShift(user="ab"[i % 2], start=T0 + 24 * i * H, end=T0 + 24 * (i + 1) * H)
        for i in range(7)
    ]
    changed = [*days[:3], FinalShift(user="c", start=days[3].start, end=days[3].end), *days[4:]]
    window = Window(start=T0, end=T0 + 7 * 24 * H)
    part = _diff.differing_part(days, changed, window)
    assert (part.start, part.end) == (days[2].start, days[4].end)
    result = compare(days, changed, window)
    assert [(c.start, c.before, c.after) for c in result.changes] == [
        (days[3].start, ("b",), ("c",))
    ]
    assert result.opening == (("a",), ("a",)) and result.closing == (("a",), ("a",))
    assert result == whole_window_compare(days, changed, window)


def test_alike_sides_sweep_nothing() -> None:
    days = [
        FinalShift(user="a", start=T0 + 24 * i * H, end=T0 + 24 * (i + 1) * H) for i in range(3)
    ]
    window = Window(start=T0 + H, end=T0 + 50 * H)
    part = _diff.differing_part(days, list(days), window)
    assert part.start == part.end
    result = compare(days, list(days), window)
    assert result.identical and result.opening == (("a",), ("a",)) == result.closing


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(("strict", "oncall")), st.data())
def test_narrowed_diff_of_changed_schedules(profile: str, data: st.DataObject) -> None:
    """Schedules with shifts dropped and an override added, resolved in either profile."""
    from shiftcalc import ShiftcalcError, resolve
    from test_diff import pairs

    a, b, window = data.draw(pairs(profile))
    try:
        before = resolve(a, window, profile=profile).shifts  # type: ignore[arg-type]
        after = resolve(b, window, profile=profile).shifts  # type: ignore[arg-type]
    except ShiftcalcError:
        return  # the engine's own crashes (oncall): nothing to compare
    assert compare(before, after, window) == whole_window_compare(
        list(before), list(after), window
    )
