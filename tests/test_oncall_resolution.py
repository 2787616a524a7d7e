"""OnCall's resolution sweep against its literal transcription, on adversarial event lists.

Small integer hours make equal starts, equal ends, touching and nested events, same-shift
pieces and gaps among level-0 events common: exactly where the order of the resolved events
(not only their set) could drift. Events come as OnCall makes them (records merged, gaps
detected on the records): the sweep never ends on some inputs OnCall cannot make, such as
a zero-length event starting where a gap starts (both re-queue behind each other forever).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import oncall_literal
from shiftcalc import Window
from shiftcalc.oncall.resolution import OncallEvent, events_of, oncall_event, resolve_events

BASE = datetime(2025, 3, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


@st.composite
def events(draw: st.DrawFn) -> OncallEvent:
    start = draw(st.integers(-2, 12))
    length = draw(st.integers(1, 8))  # OnCall drops zero-length occurrences (§2.11)
    kind = draw(st.sampled_from(["primary", "override", "empty"]))
    users = () if kind == "empty" else draw(st.sampled_from([("a",), ("b",), ("a", "c")]))
    return oncall_event(
        BASE + start * HOUR,
        BASE + (start + length) * HOUR,
        users,
        draw(st.integers(0, 2)),
        1 if kind == "override" else 0,
        draw(st.sampled_from(["s1", "s2", "s3"])),
    )


@settings(max_examples=500)  # cheap, and the order it checks hides in rare shapes
@given(st.lists(events(), max_size=16), st.integers(0, 4), st.integers(0, 14))
def test_resolution_matches_the_literal_sweep(
    records: list[OncallEvent], window_start: int, window_length: int
) -> None:
    window = Window(
        start=BASE + window_start * HOUR, end=BASE + (window_start + window_length) * HOUR
    )
    found = events_of(records, window)
    assert resolve_events(found, window) == oncall_literal.resolve_literally(found, window)


def test_requeued_events_go_behind_events_of_equal_start() -> None:
    """Worked by hand: x's rest [4, 8) goes behind y (queued, same start); y then moves on
    past the block [0, 4) and goes behind x's rest. The final sort by (start, shift) keeps
    that order for rows of one shift and one start: x before y."""

    def event(start: int, end: int, users: tuple[str, ...], level: int) -> OncallEvent:
        return oncall_event(BASE + start * HOUR, BASE + end * HOUR, users, level, 0, "s")

    found = [event(0, 4, ("top",), 2), event(0, 8, ("x",), 1), event(4, 6, ("y",), 1)]
    window = Window(start=BASE, end=BASE + 8 * HOUR)
    resolved = resolve_events(found, window)
    assert [(users, start.hour, end.hour) for start, end, users, *_ in resolved] == [
        (("top",), 0, 4),
        (("x",), 4, 8),
        (("y",), 4, 6),
    ]
    assert resolved == oncall_literal.resolve_literally(found, window)


def test_a_rest_waits_for_an_earlier_queued_event() -> None:
    """Worked by hand: x's rest [8, 11) goes back behind q (queued, start 5), so q is cut by
    the block [6, 8) before x's rest moves the shared block cursor past it."""

    def event(start: int, end: int, users: tuple[str, ...], level: int) -> OncallEvent:
        return oncall_event(BASE + start * HOUR, BASE + end * HOUR, users, level, 0, "s")

    found = [
        event(0, 4, ("top",), 2),
        event(6, 8, ("top",), 2),
        event(12, 14, ("top",), 2),
        event(2, 11, ("x",), 1),
        event(5, 9, ("q",), 1),
    ]
    window = Window(start=BASE, end=BASE + 14 * HOUR)
    resolved = resolve_events(found, window)
    assert [(users[0], start.hour, end.hour) for start, end, users, *_ in resolved] == [
        ("top", 0, 4),
        ("x", 4, 6),
        ("q", 5, 6),
        ("top", 6, 8),
        ("q", 8, 9),
        ("x", 8, 11),
        ("top", 12, 14),
    ]
    assert resolved == oncall_literal.resolve_literally(found, window)
