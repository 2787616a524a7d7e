"""Provenance: every interval and record says where it came from (``Origin``).

For random schedules in both profiles, each origin names the shift (or iCal VEVENT) that
produced it, an occurrence start that is an occurrence of that shift, the rotation group whose
users are on call, and the swap that replaced someone; golden cases pin turn numbers, groups
and a RECURRENCE-ID instance.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import EngineError, Profile, Schedule, Shift, ShiftcalcError, ShiftSwap, Window
from shiftcalc._expand import expand_shift, expand_strict, strict_spans
from shiftcalc._merge import split_for_swaps
from shiftcalc._model import Interval, Origin, SwapMark, origin_of
from shiftcalc._resolve import expand
from shiftcalc.ical import calendar_records
from shiftcalc.oncall.generation import shift_vevents
from shiftcalc.oncall.resolution import (
    END,
    IS_GAP,
    ORIGIN,
    SHIFT_ID,
    START,
    USERS,
    resolve_calendars,
)
from shiftcalc.strategies import Scenario, scenarios
from test_fuzz_ical import calendars as ical_calendars
from test_fuzz_ical import windows as ical_windows

_US = timedelta(microseconds=1)


def _zone(schedule: Schedule, shift: Shift) -> str:
    return shift.time_zone or schedule.time_zone


def _check_shift_origin(schedule: Schedule, interval: Interval, origin: Origin) -> None:
    """The origin names the shift that produced ``interval``, an occurrence of it, and the
    group on call."""
    assert origin.kind == "shift"
    shift = schedule.shifts[origin.shift_index]
    assert origin.shift_id == (shift.id or f"shift-{origin.shift_index}") == interval.shift_id
    assert origin.occurrence_start.utcoffset() == timedelta(0)
    # the occurrence start is one of the shift's occurrences (strict expansion, alone)
    point = Window(start=origin.occurrence_start, end=origin.occurrence_start + _US)
    starts = {
        item.start
        for item in expand_shift(shift, _zone(schedule, shift), point, index=origin.shift_index)
    }
    assert origin.occurrence_start in starts
    if shift.type == "rolling_users" and interval.users:
        assert origin.turn is not None and origin.group is not None
        count = len(shift.rolling_users)
        first = (shift.start_rotation_from_user_index or 0) % count
        assert origin.group == (origin.turn + first) % count
        assert set(interval.users) <= set(shift.rolling_users[origin.group])


@settings(max_examples=60)
@given(scenarios(max_shifts=4, max_days=4))
def test_every_strict_interval_names_its_shift_occurrence_and_group(scenario: Scenario) -> None:
    schedule, window = scenario.schedule, scenario.window
    intervals = expand_strict(schedule, window)
    for interval in intervals:
        assert interval.origin is not None
        assert interval.origin.occurrence_start == interval.start
        _check_shift_origin(schedule, interval, interval.origin)
    # the merger's spans carry the same origins, in the same order
    spans = strict_spans(schedule, window)
    assert [origin_of(span[5]) for span in spans if span[5] is not None] == [
        interval.origin for interval in intervals
    ]


@settings(max_examples=60)
@given(scenarios(max_shifts=4, max_days=4))
def test_a_strict_swap_piece_names_its_swap(scenario: Scenario) -> None:
    schedule, window = scenario.schedule, scenario.window
    intervals = expand_strict(schedule, window)
    pieces = split_for_swaps(intervals, schedule.swaps)
    for piece in pieces:
        assert piece.origin is not None
        for mark in piece.origin.swaps:
            swap = schedule.swaps[mark.index]
            assert (mark.beneficiary, mark.benefactor) == (swap.beneficiary, swap.benefactor)
            assert swap.swap_start <= piece.start and piece.end <= swap.swap_end
            assert mark.benefactor in piece.users


def _weekly_rotation(start_index: int = 1) -> Schedule:
    shift = Shift(
        type="rolling_users",
        id="weekly",
        start=datetime(2024, 1, 1, 9),
        duration=timedelta(days=7),
        frequency="weekly",
        week_start="MO",
        rolling_users=(("alice",), ("bob",), ("carol",)),
        start_rotation_from_user_index=start_index,
    )
    return Schedule(shifts=(shift,))


def test_a_weekly_rotation_numbers_its_turns_and_groups() -> None:
    window = Window(start=datetime(2024, 1, 15, tzinfo=UTC), end=datetime(2024, 2, 5, tzinfo=UTC))
    intervals = expand(_weekly_rotation(), window)
    got = [
        (i.users, i.origin.turn, i.origin.group, i.origin.occurrence_start)
        for i in intervals
        if i.origin is not None
    ]
    assert got == [
        (("carol",), 1, 2, datetime(2024, 1, 8, 9, tzinfo=UTC)),
        (("alice",), 2, 0, datetime(2024, 1, 15, 9, tzinfo=UTC)),
        (("bob",), 3, 1, datetime(2024, 1, 22, 9, tzinfo=UTC)),
        (("carol",), 4, 2, datetime(2024, 1, 29, 9, tzinfo=UTC)),
    ]
    assert all(i.origin and i.origin.shift_id == "weekly" for i in intervals)


def test_a_strict_swap_marks_the_piece_it_hands_over() -> None:
    swap = ShiftSwap(
        beneficiary="alice",
        benefactor="dave",
        swap_start=datetime(2024, 1, 16, tzinfo=UTC),
        swap_end=datetime(2024, 1, 17, tzinfo=UTC),
    )
    window = Window(
        start=datetime(2024, 1, 15, 9, tzinfo=UTC), end=datetime(2024, 1, 22, 9, tzinfo=UTC)
    )
    intervals = expand_strict(_weekly_rotation(), window)
    pieces = split_for_swaps(intervals, (swap,))
    swapped = [p for p in pieces if p.origin is not None and p.origin.swaps]
    assert [(p.users, p.start.day, p.end.day) for p in swapped] == [(("dave",), 16, 17)]
    origin = swapped[0].origin
    assert origin is not None and origin.swaps == (SwapMark(0, "alice", "dave"),)
    assert origin.occurrence_start == datetime(2024, 1, 15, 9, tzinfo=UTC)
    assert origin.turn == 2 and origin.group == 0


@settings(max_examples=60)
@given(scenarios(max_shifts=4, max_days=4, profile="oncall"))
def test_every_oncall_record_names_its_shift_and_group(scenario: Scenario) -> None:
    schedule, window = scenario.schedule, scenario.window
    try:
        records = expand(schedule, window, profile="oncall")
    except EngineError:
        return  # OnCall's own crash (a DST-ambiguous start...): nothing to name
    for record in records:
        origin = record.origin
        assert origin is not None and origin.kind == "shift"
        shift = schedule.shifts[origin.shift_index]
        assert origin.shift_id == record.shift_id == (shift.id or f"shift-{origin.shift_index}")
        assert origin.occurrence_start == record.start
        if shift.type in ("rolling_users", "override") and shift.rolling_users:
            assert origin.group is not None
            assert set(record.users) <= set(shift.rolling_users[origin.group])


@settings(max_examples=60)
@given(scenarios(max_shifts=4, max_days=4, profile="oncall"))
def test_oncall_events_keep_their_origin_through_merge_swaps_and_cuts(
    scenario: Scenario,
) -> None:
    schedule, window = scenario.schedule, scenario.window
    try:
        primary, overrides = shift_vevents(schedule)
        events = resolve_calendars([([], primary), ([], overrides)], window, schedule.swaps, None)
    except EngineError:
        return  # OnCall's own crash: nothing to name
    for event in events:
        ref = event[ORIGIN]
        if event[IS_GAP]:
            assert ref is None
            continue
        assert ref is not None
        origin = origin_of(ref)
        shift = schedule.shifts[origin.shift_index]
        assert origin.shift_id == event[SHIFT_ID]
        # a cut or swap piece lies inside its occurrence, which starts no later
        assert origin.occurrence_start <= event[START]
        for mark in origin.swaps:
            swap = schedule.swaps[mark.index]
            assert (mark.beneficiary, mark.benefactor) == (swap.beneficiary, swap.benefactor)
            assert swap.swap_start <= event[START] and event[END] <= swap.swap_end
        if origin.group is not None and not origin.swaps:
            assert set(event[USERS]) <= set(shift.rolling_users[origin.group])


def test_an_oncall_weekly_rotation_names_each_group() -> None:
    window = Window(start=datetime(2024, 1, 15, tzinfo=UTC), end=datetime(2024, 2, 5, tzinfo=UTC))
    records = expand(_weekly_rotation(), window, profile="oncall")
    got = sorted(
        (r.origin.occurrence_start, r.users, r.origin.group)
        for r in records
        if r.origin is not None
    )
    assert got == [
        (datetime(2024, 1, 8, 9, tzinfo=UTC), ("carol",), 2),
        (datetime(2024, 1, 15, 9, tzinfo=UTC), ("alice",), 0),
        (datetime(2024, 1, 22, 9, tzinfo=UTC), ("bob",), 1),
        (datetime(2024, 1, 29, 9, tzinfo=UTC), ("carol",), 2),
    ]


_RECURRING_WITH_AN_EXCEPTION = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//provenance//EN",
        "BEGIN:VEVENT",
        "UID:daily",
        "DTSTART:20240101T090000Z",
        "DTEND:20240101T170000Z",
        "RRULE:FREQ=DAILY;COUNT=3",
        "SUMMARY:alice",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:daily",
        "RECURRENCE-ID:20240102T090000Z",
        "DTSTART:20240102T100000Z",
        "DTEND:20240102T180000Z",
        "SUMMARY:bob",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_an_ical_recurrence_id_instance_names_its_component(profile: Profile) -> None:
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 4, tzinfo=UTC))
    records = calendar_records(
        _RECURRING_WITH_AN_EXCEPTION, Schedule(), window, profile=profile, overrides=False
    )
    got = sorted(
        (r.origin.occurrence_start, r.users, r.origin.uid, r.origin.recurrence_id, r.origin.line)
        for r in records
        if r.origin is not None
    )
    assert len(got) == len(records) == 3
    instance = datetime(2024, 1, 2, 9, tzinfo=UTC)
    assert got == [
        (datetime(2024, 1, 1, 9, tzinfo=UTC), ("alice",), "daily", None, 4),
        (datetime(2024, 1, 2, 10, tzinfo=UTC), ("bob",), "daily", instance, 11),
        (datetime(2024, 1, 3, 9, tzinfo=UTC), ("alice",), "daily", None, 4),
    ]
    assert all(
        r.origin is not None and r.origin.kind == "ical" and r.origin.calendar == "primary"
        for r in records
    )


@settings(max_examples=40)
@given(ical_calendars(), ical_windows(), st.sampled_from(["strict", "oncall"]))
def test_every_ical_record_names_its_vevent(text: str, window: Window, profile: Profile) -> None:
    try:
        records = calendar_records(text, Schedule(), window, profile=profile, overrides=True)
    except ShiftcalcError:
        return
    uids = {line[4:] for line in text.replace("\r\n ", "").splitlines() if line.startswith("UID:")}
    for record in records:
        origin = record.origin
        assert origin is not None and origin.kind == "ical" and origin.calendar == "overrides"
        assert origin.occurrence_start == record.start
        assert origin.uid in uids or (origin.uid == "" and not uids)
