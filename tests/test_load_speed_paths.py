"""The loader's trusted construction of shifts (``_model.loaded_shift``): the loader checks
every field once, in OnCall's serializer order, and assembles the Shift without running
construction's checks again. Guarded here: every shift it loads is what checked construction
makes of the same fields, and every bad field is still refused under its scenario path. The
plain path (``_scenario._plain_shift``: plain rotations and overrides read without the careful
path's phases) loads what the careful path loads, or leaves the shift to it."""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shiftcalc import Shift, ValidationError, _scenario, load_scenario

WINDOW = {"start": "2024-01-01", "end": "2024-01-03"}
# per field: values the loader may take (VALID; some still break a cross-field rule) and values
# it refuses (INVALID); the type's resets and an override's fixed values are reached by "type"
VALID: dict[str, list[Any]] = {
    "type": ["single_event", "recurrent_event", "rolling_users", "override"],
    "start": ["2024-01-01T09:00:00", "0001-01-01T00:00:00", "9999-12-31T23:00:00"],
    "duration": [3600, -60, 0, "01:00:00", "P1D", 1.5, "2 03:04:05"],
    "time_zone": ["UTC", "Europe/Berlin", "europe/berlin", None],
    "level": [0, -3, 2**31 - 1, "2", 1.0],
    "rotation_start": ["2024-01-01T10:00:00", "2023-01-01T00:00:00", None],
    "frequency": ["hourly", "daily", "weekly", "monthly", None],
    "interval": [1, 2, 119_987, "3", 2.0],
    "until": ["2024-02-01T00:00:00", "2023-01-01T00:00:00", None],
    "week_start": ["MO", "SU"],
    "by_day": [["MO", "FR"], ["MO", "MO"], [], None],
    "by_month": [[1, 12], None],
    "by_monthday": [[1, -1], None],
    "users": [["alice"], ["alice", "ALICE"], None, []],
    "rolling_users": [[["alice"], ["bob"]], [["alice", "carol"]], None, []],
    "start_rotation_from_user_index": [0, 1, 5, "0", None],
    "source": ["web", "api", "terraform", None, "bad"],
    "id": ["s1", None],
    "name": ["rota", None],
    "team_id": ["t", None],
}
INVALID: dict[str, list[Any]] = {
    "type": ["bad", None, 3],
    "start": ["x", 1],
    "duration": [10**12, "bad", True, None],
    "time_zone": ["Nowhere", "", 7],
    "level": [2**31, True, None],
    "rotation_start": ["x"],
    "frequency": ["yearly", 5],
    "interval": [0, -1, 10**9],
    "until": ["x"],
    "week_start": ["XX", None, 1],
    "by_day": [["XX"], "MO", [1]],
    "by_month": [[13], [0], ["1"], [True]],
    "by_monthday": [[0], [32], ["1"]],
    "users": [[""], [3], "alice"],
    "rolling_users": [[[]], [["alice", 3]], ["alice"]],
    "start_rotation_from_user_index": [-1, 2**31],
    "source": [0],
    "id": [3],
    "name": [[]],
    "team_id": [1.5],
}
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _checked(shift: Shift) -> Shift:
    """The same fields through ``Shift``'s own construction, every check run."""
    fields = {field.name: getattr(shift, field.name) for field in dataclasses.fields(Shift)}
    return Shift(**fields)


@st.composite
def _shift_documents(draw: st.DrawFn) -> dict[str, Any]:
    optional = draw(st.sets(st.sampled_from(sorted(VALID)), max_size=len(VALID)))
    keys = optional | {"type", "start", "duration"}
    if draw(st.integers(0, 3)):  # a bad field a quarter of the time
        bad = set()
        for key in ("frequency", "week_start", "start_rotation_from_user_index"):
            keys.add(key)  # the cross-field rules that need them let more shifts through
    else:
        bad = {draw(st.sampled_from(sorted(keys)))}
    return {key: draw(st.sampled_from((INVALID if key in bad else VALID)[key])) for key in keys}


@FAST
@given(_shift_documents(), st.sampled_from(["strict", "oncall"]))
def test_every_loaded_shift_is_what_checked_construction_makes(
    document: dict[str, Any], profile: str
) -> None:
    try:
        scenario = load_scenario({"shifts": [document], "window": WINDOW}, profile=profile)  # type: ignore[arg-type]
    except ValidationError as error:
        assert error.field.startswith("shifts[0]"), error.field
        event("refused")
        return
    event("loaded")
    for shift in scenario.schedule.shifts:
        assert _checked(shift) == shift


BASE: dict[str, Any] = {
    "type": "rolling_users",
    "start": "2024-01-01T09:00:00",
    "duration": 3600,
    "frequency": "weekly",
    "week_start": "MO",
    "rolling_users": [["alice"], ["bob"]],
    "start_rotation_from_user_index": 0,
}
BAD: list[tuple[str, Any, str]] = [
    ("type", "bad", "shifts[0].type"),
    ("start", "2024-01-01", "shifts[0].start"),
    ("duration", "bad", "shifts[0].duration"),
    ("duration", 10**12, "shifts[0].duration"),
    ("time_zone", "Nowhere", "shifts[0].time_zone"),
    ("level", 2**31, "shifts[0].level"),
    ("rotation_start", "x", "shifts[0].rotation_start"),
    ("frequency", "yearly", "shifts[0].frequency"),
    ("interval", 0, "shifts[0].interval"),
    ("interval", 10**9, "shifts[0].interval"),
    ("until", "x", "shifts[0].until"),
    ("week_start", "XX", "shifts[0].week_start"),
    ("by_day", ["MO", "XX"], "shifts[0].by_day[1]"),
    ("by_month", [13], "shifts[0].by_month[0]"),
    ("by_monthday", [0], "shifts[0].by_monthday[0]"),
    ("rolling_users", [["alice", 3]], "shifts[0].rolling_users[0][1]"),
    ("rolling_users", "alice", "shifts[0].rolling_users"),
    ("start_rotation_from_user_index", -1, "shifts[0].start_rotation_from_user_index"),
    ("source", "bad", "shifts[0].source"),
    ("id", 3, "shifts[0].id"),
    ("name", [], "shifts[0].name"),
    ("team_id", 1.5, "shifts[0].team_id"),
]


@pytest.mark.parametrize(("key", "value", "field"), BAD)
def test_a_bad_field_is_named_by_its_scenario_path(key: str, value: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_scenario({"shifts": [{**BASE, key: value}], "window": WINDOW})
    assert caught.value.field == field


def test_a_bad_user_of_an_event_is_named_by_its_scenario_path() -> None:
    shift = {"type": "single_event", "start": "2024-01-01T09:00:00", "duration": 60}
    with pytest.raises(ValidationError) as caught:
        load_scenario({"shifts": [{**shift, "users": ["a", ""]}], "window": WINDOW})
    assert caught.value.field == "shifts[0].users[1]"


# ------------------------------------------------------------------ the plain path of the loader
# ``_scenario._plain_shift`` reads plain rotations and overrides without the careful path's
# phases and falls back to it on anything else: with it and with it switched off, a scenario
# loads to the same schedule (users in the same order) or fails with the same error.
PLAIN: dict[str, list[Any]] = {
    "type": ["rolling_users", "override", "single_event", None, ["rolling_users"]],
    "start": ["2024-01-01T09:00:00", "2024-13-01T09:00:00", "2024-1-01T09:00:00", None, 7],
    "duration": [3600, 86400 * 7, -60, 0, 10**12, True, "3600", 1.5, None],
    "time_zone": ["Europe/Berlin", "europe/berlin", "Nowhere", "", None, 3],
    "level": [0, 2, -1, 2**31, True, "2", None],
    "rotation_start": ["2024-01-01T10:00:00", "2023-12-01T00:00:00", "x", None],
    "frequency": ["daily", "weekly", "hourly", "monthly", "yearly", None, 3],
    "interval": [1, 2, 0, 10**9, True, "2", None],
    "week_start": ["MO", "SU", "XX", None, 1],
    "by_day": [["MO", "FR"], ["MO", "MO"], [], ["XX"], "MO", None],
    "rolling_users": [
        [["alice"], ["bob"]],
        [["alice", "ALICE"], ["carol"]],
        [["alice", "alice"]],
        [["dave"]],
        [[]],
        [["alice", 3]],
        ["alice"],
        [],
        None,
    ],
    "users": [["alice"], ["bob", "Alice"], ["alice", "alice"], ["dave"], [""], [], "alice", None],
    "start_rotation_from_user_index": [0, 1, 5, -1, True, "0", None],
    "source": ["web", "api", "terraform", "bad", ["web"], None],
    "id": ["s1", 3, None],
    "name": ["rota", [], None],
    "team_id": ["t", None],
    "until": ["2024-02-01T00:00:00", None],
    "by_month": [[1], None],
}
DIRECTORY = [{"id": "alice"}, {"id": "bob"}, {"id": "carol", "username": "Carol"}]


@st.composite
def _plain_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly plain rotations and overrides, some with an off value or key."""
    kind = draw(st.sampled_from(["rolling_users", "override"]))
    if kind == "override":
        keys = {"type", "start", "duration", "users"}
    else:
        keys = {"type", "start", "duration", "frequency", "week_start", "rolling_users"}
        keys.add("start_rotation_from_user_index")
    keys |= draw(st.sets(st.sampled_from(sorted(PLAIN)), max_size=4))
    off = draw(st.integers(0, 2))  # 0: every value plain; 1: one drawn value; 2: all drawn
    document = {key: PLAIN[key][0] if key != "users" else ["bob"] for key in sorted(keys)}
    document["type"] = kind
    if off == 1:
        key = draw(st.sampled_from(sorted(keys)))
        document[key] = draw(st.sampled_from(PLAIN[key]))
    elif off == 2:
        document.update({key: draw(st.sampled_from(PLAIN[key])) for key in sorted(keys)})
    return document


def _loaded(scenario: dict[str, Any], profile: str) -> Any:
    try:
        loaded = load_scenario(scenario, profile=profile)  # type: ignore[arg-type]
    except ValidationError as error:
        return type(error), error.field, str(error)
    schedule = loaded.schedule
    return schedule.shifts, schedule.users


@settings(FAST, max_examples=300)
@given(
    st.lists(_plain_documents(), min_size=1, max_size=3),
    st.sampled_from(["strict", "oncall"]),
    st.booleans(),
)
def test_the_plain_path_loads_what_the_careful_path_loads(
    documents: list[dict[str, Any]], profile: str, directory: bool
) -> None:
    scenario: dict[str, Any] = {"shifts": documents, "window": WINDOW}
    if directory:
        scenario["users"] = DIRECTORY
    fast = _loaded(scenario, profile)
    with patch.object(_scenario, "_plain_shift", return_value=None):
        careful = _loaded(scenario, profile)
    event("refused" if isinstance(fast[0], type) else "loaded")
    assert fast == careful
