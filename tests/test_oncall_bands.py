"""The oncall sweep expands bands lazily: it must give OnCall's pipeline answer exactly.

``resolve_calendars`` expands each band of equal rank only when the sweep reaches it, and
stops once the window is covered. ``_resolve_all`` is OnCall's pipeline as it is: every
VEVENT expanded, records merged, gaps, swaps, then the sweep. The schedules here often have a
layer covering the window (sometimes from exactly its start, where a lower event still leaves
a zero-length row), shift ids shared across levels, and records as iCalendar gives them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import EngineError, Schedule, Shift, ShiftcalcError, Window
from shiftcalc.oncall.generation import shift_vevents
from shiftcalc.oncall.occurrences import VEvent, occurrence_spans
from shiftcalc.oncall.resolution import OncallEvent, _resolve_all, oncall_event, resolve_calendars
from shiftcalc.strategies import schedules

HOUR = timedelta(hours=1)
USERS = ("u1", "u2")


@st.composite
def _covering_shift(draw: st.DrawFn, window: Window) -> Shift:
    """A UTC shift at a random level that often covers ``window``, from before its start
    or from exactly its start."""
    start = window.start.replace(tzinfo=None) - HOUR * draw(st.integers(-1, 48))
    level = draw(st.integers(0, 3))
    shift_id = draw(st.sampled_from([None, "a", "b"]))
    if draw(st.booleans()):
        return Shift(
            type="single_event",
            id=shift_id,
            start=start,
            duration=HOUR * draw(st.integers(1, 200)),
            users=(draw(st.sampled_from(USERS)),),
            level=level,
            time_zone="UTC",
        )
    return Shift(
        type="rolling_users",
        id=shift_id,
        start=start,
        duration=HOUR * 24,
        frequency="daily",
        interval=1,
        rolling_users=tuple((user,) for user in USERS),
        start_rotation_from_user_index=0,
        level=level,
        time_zone="UTC",
    )


@st.composite
def _record(draw: st.DrawFn, window: Window, calendar_type: int) -> OncallEvent:
    """A record as an iCalendar event gives it."""
    start = window.start + HOUR * draw(st.integers(-30, 60))
    return oncall_event(
        start,
        start + HOUR * draw(st.integers(1, 80)),
        draw(st.sampled_from([(), ("u1",), ("u2",)])),
        draw(st.integers(0, 3)),
        calendar_type,
        draw(st.sampled_from([None, "a", "x", "y"])),
        all_day=draw(st.integers(0, 9)) == 0,
    )


Case = tuple[Schedule, Window, list[OncallEvent], list[OncallEvent], datetime | None]


@st.composite
def _cases(draw: st.DrawFn) -> Case:
    schedule = draw(schedules(profile="oncall", max_shifts=3, max_swaps=2))
    anchor = schedule.shifts[0].start if schedule.shifts else datetime(2024, 3, 1)
    window_start = (anchor + HOUR * draw(st.integers(-24, 72))).replace(tzinfo=UTC)
    window = Window(start=window_start, end=window_start + HOUR * draw(st.integers(0, 72)))
    shifts = list(schedule.shifts)
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 2, 3]))):
        shifts.insert(draw(st.integers(0, len(shifts))), draw(_covering_shift(window)))
    # ids shared by shifts of other levels, sometimes
    shifts = [replace(shift, id=draw(st.sampled_from([shift.id, "a", "b"]))) for shift in shifts]
    schedule = replace(schedule, shifts=tuple(shifts))
    primary_records = draw(st.lists(_record(window, 0), max_size=3))
    override_records = draw(st.lists(_record(window, 1), max_size=2))
    now = draw(st.none() | st.just(window.start))
    return schedule, window, primary_records, override_records, now


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_lazy_bands_give_the_whole_pipelines_answer(case: Case) -> None:
    schedule, window, primary_records, override_records, now = case
    try:
        primary, overrides = shift_vevents(schedule)
    except EngineError:
        return  # OnCall crashes writing the VEVENTs, before any expansion
    calendars = [(primary_records, primary), (override_records, overrides)]
    try:
        expected = _resolve_all(calendars, window, schedule.swaps, now)
    except ShiftcalcError as exc:
        with pytest.raises(type(exc)) as raised:
            resolve_calendars(calendars, window, schedule.swaps, now)
        assert str(raised.value) == str(exc)
        return
    assert resolve_calendars(calendars, window, schedule.swaps, now) == expected


WINDOW = Window(start=datetime(2025, 3, 3, tzinfo=UTC), end=datetime(2025, 3, 10, tzinfo=UTC))


def _weekly(level: int, start: datetime, **changes: object) -> Shift:
    shift = Shift(
        type="rolling_users",
        start=start,
        duration=timedelta(days=7),
        frequency="weekly",
        week_start="MO",
        rolling_users=(("u1",), ("u2",)),
        start_rotation_from_user_index=0,
        level=level,
        time_zone="UTC",
    )
    return replace(shift, **changes)  # type: ignore[arg-type]


def _expanded_levels(schedule: Schedule) -> list[int]:
    """The levels of the VEVENTs resolving ``schedule`` over WINDOW expands."""
    levels: list[int] = []

    def spy(event: object, *args: object) -> object:
        levels.append(event.level)  # type: ignore[attr-defined]
        return occurrence_spans(event, *args)  # type: ignore[arg-type]

    primary, overrides = shift_vevents(schedule)
    with patch("shiftcalc.oncall.resolution.occurrence_spans", side_effect=spy):
        resolved = resolve_calendars([([], primary), ([], overrides)], WINDOW, (), None)
    assert resolved == _resolve_all([([], primary), ([], overrides)], WINDOW, (), None)
    return levels


def test_a_covered_window_leaves_lower_levels_unexpanded() -> None:
    """Level 1 covers the window from a day before it: level 0 is never expanded."""
    schedule = Schedule(
        shifts=(
            _weekly(0, datetime(2025, 3, 2)),
            _weekly(1, datetime(2025, 3, 2), rolling_users=(("u3",), ("u4",))),
        )
    )
    assert set(_expanded_levels(schedule)) == {1}


def test_a_cover_from_the_window_start_still_expands_lower_levels() -> None:
    """Level 1 starts exactly at the window start: level 0's event from the day before
    keeps a zero-length piece there, so level 0 is expanded."""
    schedule = Schedule(
        shifts=(
            _weekly(0, datetime(2025, 3, 2)),
            _weekly(1, datetime(2025, 3, 3), rolling_users=(("u3",), ("u4",))),
        )
    )
    assert set(_expanded_levels(schedule)) == {0, 1}


def test_a_shift_id_on_two_levels_expands_everything() -> None:
    """Same-start records of one shift id merge across levels: no band is skipped."""
    schedule = Schedule(
        shifts=(
            _weekly(0, datetime(2025, 3, 2), id="same"),
            _weekly(1, datetime(2025, 3, 2), id="same", rolling_users=(("u3",), ("u4",))),
        )
    )
    assert set(_expanded_levels(schedule)) == {0, 1}


def test_a_hidden_level_still_crashes_like_oncall() -> None:
    """A level-0 rotation whose until cuts a VEVENT to end before it starts (until is read
    as UTC, the starts in Tokyo) crashes OnCall's expansion; hidden under level 1 or not, it
    crashes here too."""
    crashing = Shift(
        type="rolling_users",
        start=datetime(2025, 3, 4),
        duration=timedelta(days=1),
        frequency="daily",
        interval=1,
        until=datetime(2025, 3, 4, 20),
        rolling_users=(("u1",), ("u2",)),
        start_rotation_from_user_index=0,
        time_zone="Asia/Tokyo",
    )
    schedule = Schedule(shifts=(crashing, _weekly(1, datetime(2025, 3, 2))))
    primary, overrides = shift_vevents(schedule)
    calendars: list[tuple[list[OncallEvent], list[VEvent]]] = [([], primary), ([], overrides)]
    with pytest.raises(EngineError) as whole:
        _resolve_all(calendars, WINDOW, (), None)
    with pytest.raises(EngineError) as lazy:
        resolve_calendars(calendars, WINDOW, (), None)
    assert str(lazy.value) == str(whole.value)
