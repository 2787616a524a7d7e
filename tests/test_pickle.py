"""Every value that crosses a process boundary (resolve_many's pool, Dask) pickles, and comes
back equal, with its fields: the values, resolutions of both profiles (their lazy timeline
included), and every ShiftcalcError subclass."""

from __future__ import annotations

import pickle
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

import shiftcalc
from scenario_builders import BOTH
from shiftcalc.strategies import scenarios

TEAM: dict[str, Any] = {
    "schedule": {"type": "calendar", "time_zone": "Europe/London"},
    "users": [{"id": "UA", "username": "alice", "email": "a@example.com"}, "bob", "carol"],
    "shifts": [
        {"type": "rolling_users", "start": "2024-03-25T09:00:00", "duration": 604800,
         "frequency": "weekly", "week_start": "MO", "rolling_users": [["alice"], ["bob"]],
         "start_rotation_from_user_index": 0},
        {"type": "override", "start": "2024-03-27T12:00:00", "duration": 3600,
         "users": ["carol"]},
    ],
    "swaps": [{"beneficiary": "alice", "benefactor": "bob",
               "swap_start": "2024-03-30T00:00:00Z", "swap_end": "2024-03-31T00:00:00Z"}],
    "window": {"start": "2024-03-24", "end": "2024-04-08"},
    "now": "2024-03-20T00:00:00Z",
}  # fmt: skip


def roundtrip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value))


@BOTH
def test_pickle_values_come_back_equal(profile: str) -> None:
    """Scenario, Schedule, Shift, ShiftSwap, User, Window, FinalShift, Gap and FinalEvent
    pickle and come back equal."""
    scenario = shiftcalc.load_scenario(TEAM, profile=profile)  # type: ignore[arg-type]
    schedule = scenario.schedule
    for value in (scenario, schedule, *schedule.shifts, *schedule.swaps, *schedule.users,
                  scenario.window):  # fmt: skip
        assert roundtrip(value) == value
    # the directory index of a schedule is rebuilt on the other side
    assert roundtrip(schedule).user("UA").username == "alice"
    resolution = shiftcalc.resolve(schedule, scenario.window, profile=profile)  # type: ignore[arg-type]
    for value in (*resolution.shifts, *resolution.gaps, *resolution.events):
        assert roundtrip(value) == value  # FinalShift, Gap, FinalEvent on their own


@BOTH
@pytest.mark.parametrize("without_swaps", [False, True])
def test_pickle_resolution_keeps_rows_gaps_and_timeline(profile: str, without_swaps: bool) -> None:
    """A Resolution pickles in both profiles (strict with and without swaps: two paths),
    lazy timeline included: rows, gaps and events equal the original's."""
    document = {**TEAM, "swaps": []} if without_swaps else TEAM
    scenario = shiftcalc.load_scenario(document, profile=profile)  # type: ignore[arg-type]
    resolution = shiftcalc.resolve(
        scenario.schedule,
        scenario.window,
        profile=profile,
        now=scenario.now,  # type: ignore[arg-type]
    )
    back = roundtrip(resolution)
    assert back == resolution
    assert back.events == resolution.events
    assert all(isinstance(row, shiftcalc.FinalShift) for row in back.shifts)
    assert roundtrip(resolution) == back  # once the events are built, too


_NO_CODE = (lambda: None).__code__  # an __init__ written in C takes a message only


def _subclasses(cls: type) -> list[type]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _subclasses(sub)
    return found


def test_pickle_every_error_subclass_keeps_its_fields() -> None:
    """Every ShiftcalcError subclass pickles with its fields and message (pickle rebuilt them
    from the message alone and failed: ValidationError needs field, value and reason)."""
    classes = _subclasses(shiftcalc.ShiftcalcError)
    assert {cls.__name__ for cls in classes} >= {
        "ShiftcalcError", "ValidationError", "RecurrenceError", "CalendarError", "EngineError",
        "NotOnCallError",
    }  # fmt: skip
    value = {"at": datetime(2024, 1, 1, tzinfo=UTC), "n": [1, 2]}
    for cls in classes:
        error = (
            cls("shifts[0].duration", value, "must be positive")
            if "field" in getattr(cls.__init__, "__code__", _NO_CODE).co_varnames
            else cls("a message")
        )
        error.add_note("a note")
        back = roundtrip(error)
        assert type(back) is cls
        assert str(back) == str(error)
        assert back.__notes__ == ["a note"]
        for name in ("field", "value", "reason"):
            assert getattr(back, name, None) == getattr(error, name, None)


def test_pickle_errors_raised_by_the_library() -> None:
    """Errors as the library raises them (a shortened value, a calendar field) pickle too."""
    with pytest.raises(shiftcalc.ValidationError) as raised:
        shiftcalc.load_scenario({"shifts": [{"type": "nope"}], "window": {}})
    back = roundtrip(raised.value)
    assert (back.field, back.value, back.reason) == (
        raised.value.field, raised.value.value, raised.value.reason,
    )  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(scenarios(max_days=7))
def test_pickle_drawn_scenarios_and_their_resolutions(scenario: shiftcalc.Scenario) -> None:
    """Any valid scenario and its resolution come back equal."""
    assert roundtrip(scenario) == scenario
    resolution = shiftcalc.resolve(scenario.schedule, scenario.window)
    back = roundtrip(resolution)
    assert (back, back.events) == (resolution, resolution.events)


def test_pickle_resolution_rows_carry_every_field_of_a_final_shift() -> None:
    """Resolution pickles its rows as plain tuples of these fields, in final_shift_row's
    order: a field added to FinalShift must be added there too."""
    names = [field.name for field in fields(shiftcalc.FinalShift)]
    assert names == ["user", "start", "end", "level", "is_override", "shift_id"]
    row = shiftcalc.FinalShift(
        user="u", start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 2, tzinfo=UTC),
        level=7, is_override=True, shift_id="s1",
    )  # fmt: skip
    resolution = shiftcalc.Resolution(
        profile="strict", window=shiftcalc.Window(start=row.start, end=row.end), shifts=(row,),
        gaps=(),
    )  # fmt: skip
    assert roundtrip(resolution).shifts == (row,)


def test_pickle_resolution_keeps_its_options() -> None:
    """A Resolution's durations and calendar_errors (what its picture's layers are expanded
    with) survive the round trip, as the rows do."""
    scenario = shiftcalc.load_scenario(TEAM)
    resolution = shiftcalc.resolve(
        scenario.schedule, scenario.window, durations="elapsed", calendar_errors="skip"
    )
    back = roundtrip(resolution)
    assert (back.durations, back.calendar_errors) == ("elapsed", "skip")
    assert back == resolution
