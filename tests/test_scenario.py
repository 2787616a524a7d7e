"""Loading scenarios: sources, shapes, users, errors that name the field, and the round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import VECTORS, read_jsonl
from scenario_builders import LONDON_DAILY
from shiftcalc import (
    Scenario,
    Schedule,
    Shift,
    User,
    ValidationError,
    Window,
    dump_scenario,
    load_scenario,
)
from shiftcalc._scenario import parse_shift, parse_window

SCENARIO: dict[str, Any] = {
    "schedule": {"type": "calendar", "time_zone": "Europe/London"},
    "users": [
        {"id": "UALICE", "username": "alice", "email": "Alice@Example.com"},
        {"id": "UBOB", "username": "bob"},
        "carol",
    ],
    "shifts": [
        {
            "type": "rolling_users",
            "name": "primary",
            "level": 1,
            "start": "2024-01-01T09:00:00",
            "duration": 604800,
            "frequency": "weekly",
            "interval": 1,
            "week_start": "MO",
            "rolling_users": [["alice"], ["UBOB", "carol"]],
            "start_rotation_from_user_index": 0,
        },
        {"type": "override", "start": "2024-01-03T12:00:00", "duration": 7200, "users": ["bob"]},
    ],
    "swaps": [
        {
            "beneficiary": "alice@example.com",
            "benefactor": "bob",
            "swap_start": "2024-01-05T00:00:00Z",
            "swap_end": "2024-01-06T01:00:00+01:00",
        }
    ],
    "window": {"start": "2024-01-01T00:00:00Z", "end": "2024-02-01"},
}


def test_loads_the_documented_example() -> None:
    """The scenario of the format's documentation loads into the model."""
    scenario = load_scenario(SCENARIO)
    schedule = scenario.schedule
    expected_users = (
        User(id="UALICE", username="alice", email="Alice@Example.com"),
        User(id="UBOB", username="bob"),
        User(id="carol", username="carol"),
    )
    assert schedule.users == expected_users
    assert schedule.shifts[0].rolling_users == (("UALICE",), ("UBOB", "carol"))
    assert schedule.shifts[0].duration == timedelta(weeks=1)
    assert schedule.shifts[1].rolling_users == (("UBOB",),)
    assert schedule.swaps[0].beneficiary == "UALICE"
    assert schedule.swaps[0].swap_end == datetime(2024, 1, 6, tzinfo=UTC)
    expected_window = Window(
        start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 2, 1, tzinfo=UTC)
    )
    assert scenario.window == expected_window


def test_every_source_form_gives_the_same_scenario(tmp_path: Path) -> None:
    """A path (str or PathLike), JSON text, bytes and a mapping load alike."""
    path = tmp_path / "scenario.json"
    text = json.dumps(SCENARIO)
    path.write_text(text, encoding="utf-8")
    expected = load_scenario(SCENARIO)
    for source in (str(path), path, text, text.encode(), json.loads(text)):
        assert load_scenario(source) == expected


def test_without_users_every_name_is_a_user() -> None:
    """With no users list, the names used by shifts and swaps become users, in order of use."""
    data = {
        "shifts": [
            {
                "type": "single_event",
                "start": "2024-01-01T09:00:00",
                "duration": 60,
                "users": ["b"],
            },
            {
                "type": "rolling_users",
                "start": "2024-01-01T09:00:00",
                "duration": 60,
                "frequency": "daily",
                "rolling_users": [["a"], ["b", "c"]],
                "start_rotation_from_user_index": 0,
                "users": ["ignored"],
            },
        ],
        "swaps": [{"beneficiary": "d", "swap_start": "2024-01-01", "swap_end": "2024-01-02"}],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    }
    users = load_scenario(data).schedule.users
    assert [user.id for user in users] == ["b", "a", "c", "d"]


def test_names_resolve_by_id_username_and_email() -> None:
    """Shifts may name users by id, username or e-mail (any letter case)."""
    users = [{"id": "U1", "username": "ann", "email": "Ann@Example.com"}]
    for name in ("U1", "ann", "ann@example.com", "ANN@EXAMPLE.COM"):
        shift = parse_shift(
            {
                "type": "single_event",
                "start": "2024-01-01T00:00:00",
                "duration": 1,
                "users": [name],
            },
            index=0,
            directory=tuple(User(**user) for user in users),
        )
        assert shift.users == ("U1",)


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ("/nonexistent/scenario.json", "scenario"),
        ('{"shifts": [', "scenario"),
        (b"\xff\xfe", "scenario"),
        ("[1, 2]", "scenario"),
        ({"shifts": {}, "window": {}}, "shifts"),
        ({"shifts": [[]], "window": {}}, "shifts[0]"),
        ({"shifts": []}, "window"),
        ({"window": {"start": "2024-01-01", "end": "2024-01-02"}}, "shifts"),
        ({"users": "alice", "shifts": []}, "users"),
        ({"users": [{"id": "a", "email": 5}], "shifts": []}, "users[0].email"),
        ({"users": [{"username": "a"}], "shifts": []}, "users[0].id"),
        ({"users": ["a", "a"], "shifts": []}, "users[1].id"),
        ({"schedule": [], "shifts": []}, "schedule"),
        ({"schedule": {"type": "google"}, "shifts": []}, "schedule.type"),
        ({"schedule": {"type": "ical"}, "shifts": []}, "schedule.ical_primary"),
        (
            {"schedule": {"enable_web_overrides": "yes"}, "shifts": []},
            "schedule.enable_web_overrides",
        ),
        ({"shifts": [], "window": []}, "window"),
        ({"shifts": [], "swaps": [{"beneficiary": 3}]}, "swaps[0].beneficiary"),
    ],
)
def test_errors_name_the_field(source: Any, field: str) -> None:
    """Unreadable, malformed and mistyped input raises ValidationError naming the field."""
    with pytest.raises(ValidationError) as info:
        load_scenario(source)
    assert info.value.field == field


def test_nested_error_path() -> None:
    """A bad element deep in a shift is named by its full path."""
    data = {
        "shifts": [
            {"type": "single_event", "start": "2024-01-01T00:00:00", "duration": 1},
            {"type": "single_event", "start": "2024-01-01T00:00:00", "duration": 1},
            {
                "type": "recurrent_event",
                "start": "2024-01-01T00:00:00",
                "duration": 1,
                "frequency": "daily",
                "by_day": ["MO", "XX"],
            },
        ],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    }
    with pytest.raises(ValidationError) as info:
        load_scenario(data)
    assert (info.value.field, info.value.value) == ("shifts[2].by_day[1]", "XX")


def test_strict_rejects_unknown_fields_oncall_ignores_them() -> None:
    """A misspelt shift field is an error in strict and ignored (like the API) in oncall."""
    shift = {"type": "single_event", "start": "2024-01-01T00:00:00", "duration": 1, "user": ["a"]}
    data = {"shifts": [shift], "window": {"start": "2024-01-01", "end": "2024-01-02"}}
    with pytest.raises(ValidationError) as info:
        load_scenario(data)
    assert info.value.field == "shifts[0].user"
    assert load_scenario(data, profile="oncall").schedule.shifts[0].users == ()


def test_unknown_profile() -> None:
    """Only 'strict' and 'oncall' are profiles."""
    with pytest.raises(ValidationError):
        load_scenario(SCENARIO, profile="lenient")  # type: ignore[arg-type]


def test_parse_window_building_block() -> None:
    """parse_window reads dates as midnight UTC and converts offsets to UTC."""
    window = parse_window({"start": "2024-01-01", "end": "2024-01-01T05:00:00+05:00"})
    assert window == Window(
        start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 1, tzinfo=UTC)
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-40, 40) | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
SHIFT_KEYS = [
    "type",
    "start",
    "duration",
    "rotation_start",
    "until",
    "frequency",
    "interval",
    "week_start",
    "by_day",
    "by_month",
    "by_monthday",
    "users",
    "rolling_users",
    "start_rotation_from_user_index",
    "level",
    "time_zone",
    "source",
]


@given(
    profile=st.sampled_from(["strict", "oncall"]),
    changes=st.dictionaries(st.sampled_from(SHIFT_KEYS), JSON_VALUES, max_size=4),
    users=st.none() | JSON_VALUES,
    window=JSON_VALUES,
)
def test_fuzz_only_validation_errors(
    profile: str, changes: dict[str, Any], users: Any, window: Any
) -> None:
    """Whatever the field values, loading either succeeds or raises ValidationError."""
    shift = {
        "type": "rolling_users",
        "start": "2024-01-01T09:00:00",
        "duration": 3600,
        "frequency": "daily",
        "rolling_users": [["a"]],
        "start_rotation_from_user_index": 0,
    } | changes
    data = {"users": users, "shifts": [shift], "window": window}
    try:
        scenario = load_scenario(data, profile=profile)  # type: ignore[arg-type]
    except ValidationError:
        return
    assert isinstance(scenario, Scenario)


# ------------------------------------------------------------------ round trip


def test_round_trip_of_the_documented_example() -> None:
    """dump_scenario gives back a document that loads to the same scenario."""
    scenario = load_scenario(SCENARIO)
    assert load_scenario(dump_scenario(scenario)) == scenario
    assert json.loads(json.dumps(dump_scenario(scenario))) == dump_scenario(scenario)


def test_round_trip_of_the_bundled_example() -> None:
    """The bundled example survives a dump and a load."""
    text = resources.files("shiftcalc").joinpath("examples", "oncall-team.json").read_text()
    scenario = load_scenario(text)
    assert load_scenario(dump_scenario(scenario)) == scenario


@pytest.mark.parametrize("name", ["handmade.jsonl", "ical_handmade.jsonl", "errors.jsonl"])
def test_round_trip_of_the_vectors(name: str) -> None:
    """Every loadable vector scenario survives a dump and a load in the oncall profile."""
    for case in read_jsonl(VECTORS / "oncall" / name):
        try:
            scenario = load_scenario(case, profile="oncall")
        except ValidationError:
            continue
        assert load_scenario(dump_scenario(scenario), profile="oncall") == scenario


def test_dump_shape() -> None:
    """The dump uses the API's field names and formats."""
    doc = dump_scenario(load_scenario(SCENARIO))
    assert doc["shifts"][0]["start"] == "2024-01-01T09:00:00"
    assert doc["shifts"][0]["duration"] == 604800
    assert doc["shifts"][1] == {
        "type": "override",
        "start": "2024-01-03T12:00:00",
        "duration": 7200,
        "users": ["UBOB"],
    }
    assert doc["window"] == {"start": "2024-01-01T00:00:00Z", "end": "2024-02-01T00:00:00Z"}
    assert doc["users"][2] == {"id": "carol", "username": "carol"}


NAMES = st.sampled_from(["ann", "bob", "cid", "dee"])
WALL = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda value: value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")
)


@st.composite
def shifts(draw: st.DrawFn) -> dict[str, Any]:
    """Valid shift objects of every type."""
    kind = draw(st.sampled_from(["single_event", "recurrent_event", "rolling_users", "override"]))
    shift: dict[str, Any] = {
        "type": kind,
        "start": draw(WALL),
        "duration": draw(st.integers(1, 14 * 86400)),
    }
    if draw(st.booleans()):
        shift["time_zone"] = draw(st.sampled_from(["UTC", "Europe/London", "Asia/Tokyo"]))
    if kind in ("recurrent_event", "rolling_users"):
        shift["frequency"] = draw(st.sampled_from(["hourly", "weekly", "monthly"]))
        shift["interval"] = draw(st.integers(1, 4))
        shift["week_start"] = draw(st.sampled_from(["MO", "SU"]))
        shift["level"] = draw(st.integers(0, 5))
        shift["by_day"] = draw(st.lists(st.sampled_from(["MO", "WE", "FR"]), unique=True))
    if kind == "rolling_users":
        groups = draw(st.lists(st.lists(NAMES, min_size=1, max_size=2, unique=True), min_size=1))
        shift["rolling_users"] = groups
        shift["start_rotation_from_user_index"] = draw(st.integers(0, len(groups) - 1))
    else:
        shift["users"] = draw(st.lists(NAMES, max_size=3, unique=True))
    return shift


@given(
    items=st.lists(shifts(), max_size=5),
    zone=st.sampled_from(["UTC", "America/New_York"]),
    with_users=st.booleans(),
)
def test_round_trip_property(items: list[dict[str, Any]], zone: str, with_users: bool) -> None:
    """load(dump(s)) == s for generated scenarios, with and without a users list."""
    data: dict[str, Any] = {
        "schedule": {"type": "calendar", "time_zone": zone},
        "shifts": items,
        "window": {"start": "2024-01-01T00:00:00Z", "end": "2024-03-01T00:00:00Z"},
    }
    if with_users:
        data["users"] = [{"id": f"U-{n}", "username": n, "email": f"{n}@x.test"} for n in "abc"]
        data["users"] += ["ann", "bob", "cid", "dee"]
    scenario = load_scenario(data)
    assert load_scenario(dump_scenario(scenario)) == scenario


def test_dump_of_a_hand_built_scenario() -> None:
    """A scenario built from model values dumps to a loadable document."""
    shift = Shift(
        type="single_event",
        start=datetime(2024, 1, 1, 9),
        duration=timedelta(hours=1),
        users=("a",),
    )
    schedule = Schedule(users=(User(id="a", username="a"),), shifts=(shift,))
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 2, tzinfo=UTC))
    scenario = Scenario(schedule=schedule, window=window)
    assert load_scenario(dump_scenario(scenario)) == scenario


def test_now_round_trips_and_is_an_instant() -> None:
    """The optional ``now`` loads as a UTC instant, survives dump/load, and is validated."""
    document = {
        "shifts": [],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
        "now": "2024-01-01T12:00:00+02:00",
    }
    scenario = load_scenario(document)
    assert scenario.now == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert load_scenario(dump_scenario(scenario)) == scenario
    with pytest.raises(ValidationError) as caught:
        load_scenario({**document, "now": "2024-01-01T12:00:00"})
    assert caught.value.field == "now"


def test_load_scenario_with_a_window_reads_not_the_documents() -> None:
    """``window=`` replaces the document's window, which is then not read: one missing, or
    longer than oncall's 365 days, is no error; the rest is read as always."""
    window = Window(
        start=datetime(2024, 3, 30, 9, tzinfo=UTC), end=datetime(2024, 3, 31, 12, tzinfo=UTC)
    )
    plain = load_scenario(LONDON_DAILY, profile="oncall")
    long = {**LONDON_DAILY, "window": {"start": "2024-01-01", "end": "2026-01-01"}}
    with pytest.raises(ValidationError, match="365 days"):
        load_scenario(long, profile="oncall")
    for document in (long, {k: v for k, v in LONDON_DAILY.items() if k != "window"}):
        assert load_scenario(document, profile="oncall", window=window) == plain
    with pytest.raises(ValidationError) as raised:
        load_scenario(LONDON_DAILY, window="2024-01-01")  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.value) == ("window", "2024-01-01")


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_a_python_shift_without_interval_dumps_what_loads(profile: str) -> None:
    """A Shift built in Python may leave ``interval`` out (None: 1 to both engines); its dump
    wrote ``"interval": null``, which the loader refuses beside a frequency. It writes 1, and
    the document loads back to the same rows."""
    from shiftcalc import Scenario, Schedule, Shift, dump_scenario, resolve

    shift = Shift(type="rolling_users", start=datetime(2024, 1, 1, 9), duration=timedelta(hours=8),
                  frequency="daily", rolling_users=(("ann",), ("ben",)),
                  start_rotation_from_user_index=0)  # fmt: skip
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 8, tzinfo=UTC))
    schedule = Schedule(shifts=(shift,))
    document = dump_scenario(Scenario(schedule=schedule, window=window))
    assert document["shifts"][0]["interval"] == 1
    back = load_scenario(document, profile=profile)  # type: ignore[arg-type]
    assert (
        resolve(back.schedule, window, profile=profile).shifts  # type: ignore[arg-type]
        == resolve(schedule, window, profile=profile).shifts  # type: ignore[arg-type]
    )
