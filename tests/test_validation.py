"""Validation: every rejection of Grafana OnCall's public API (reference §1.4, §1.5), with its
exact condition and message, and the strict profile's extra rejections."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc import ValidationError, load_scenario
from shiftcalc._scenario import (
    MSG_BY_DAY,
    MSG_BY_MONTH,
    MSG_BY_MONTHDAY,
    MSG_DAILY_INTERVAL,
    MSG_DAILY_MONTHDAY,
    MSG_DATETIME,
    MSG_FREQUENCY,
    MSG_FREQUENCY_REQUIRED,
    MSG_INTEGER,
    MSG_INTERVAL,
    MSG_INTERVAL_NULL,
    MSG_START_INDEX_REQUIRED,
    MSG_TIME_ZONE,
    MSG_TYPE,
    MSG_WEEK_START,
    MSG_WEEK_START_REQUIRED,
    MSG_WINDOW_ORDER,
    MSG_WINDOW_SPAN,
    Scenario,
)

PROFILES = ("strict", "oncall")
WINDOW = {"start": "2024-01-01T00:00:00Z", "end": "2024-01-15T00:00:00Z"}
ROTATION: dict[str, Any] = {
    "type": "rolling_users",
    "start": "2024-01-01T09:00:00",
    "duration": 28800,
    "frequency": "daily",
    "interval": 1,
    "rolling_users": [["alice"], ["bob"]],
    "start_rotation_from_user_index": 0,
}
RECURRENT: dict[str, Any] = {
    "type": "recurrent_event",
    "start": "2024-01-01T09:00:00",
    "duration": 3600,
    "frequency": "daily",
    "users": ["alice"],
}
SINGLE: dict[str, Any] = {
    "type": "single_event",
    "start": "2024-01-01T09:00:00",
    "duration": 3600,
    "users": ["alice"],
}
OVERRIDE: dict[str, Any] = {
    "type": "override",
    "start": "2024-01-02T12:00:00",
    "duration": 7200,
    "users": ["zoe"],
}


def scenario(shift: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A scenario with one shift and the standard window."""
    return {"shifts": [shift], "window": WINDOW} | top


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``base`` with some fields replaced; a value of ``...`` removes the field."""
    out = base | changes
    return {key: value for key, value in out.items() if value is not ...}


def load(data: dict[str, Any], profile: str = "strict") -> Scenario:
    """Load a scenario mapping in a profile."""
    return load_scenario(data, profile=profile)  # type: ignore[arg-type]


def rejection(data: dict[str, Any], profile: str = "strict") -> ValidationError:
    """The ValidationError that loading ``data`` raises."""
    with pytest.raises(ValidationError) as info:
        load(data, profile)
    return info.value


# ------------------------------------------------------------------ the recorded API rejections

API_CASES = [
    case
    for case in read_jsonl(VECTORS / "oncall" / "errors.jsonl")
    if case["expected_error"]["stage"] == "public_api_validation"
]
ENGINE_CASES = [
    case
    for case in read_jsonl(VECTORS / "oncall" / "errors.jsonl")
    if case["expected_error"]["stage"] == "engine"
]


def test_there_are_13_recorded_api_rejections() -> None:
    """errors.jsonl holds 13 public-API rejections and 5 engine crashes."""
    assert (len(API_CASES), len(ENGINE_CASES)) == (13, 5)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", API_CASES, ids=[case["name"] for case in API_CASES])
def test_recorded_api_rejection(case: dict[str, Any], profile: str) -> None:
    """Each input the API rejected is rejected with the API's own message, in both profiles."""
    body = case["expected_error"]["detail"]["body"]
    expected = body["detail"] if "detail" in body else body["time_zone"][0]
    error = rejection(case, profile)
    assert expected == error.reason
    assert error.field.startswith("shifts[0].")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", ENGINE_CASES, ids=[case["name"] for case in ENGINE_CASES])
def test_engine_crash_inputs_pass_validation(case: dict[str, Any], profile: str) -> None:
    """Inputs the API accepted (the engine crashed later) load in both profiles."""
    assert len(case["shifts"]) == len(load(case, profile).schedule.shifts)


@pytest.mark.parametrize("name", ["handmade.jsonl", "ical_handmade.jsonl"])
def test_every_engine_vector_loads_in_the_oncall_profile(name: str) -> None:
    """Every scenario the API accepted loads in the oncall profile."""
    cases = read_jsonl(VECTORS / "oncall" / name)
    loaded = [load(case, "oncall") for case in cases]
    assert len(cases) == len(loaded)


# ------------------------------------------------------------------ one rule at a time


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", ["weird_event", "SINGLE_EVENT", 0, 1, ""])
def test_unknown_type(value: Any, profile: str) -> None:
    """A type that is not one of the four names is 'Invalid shift type'."""
    error = rejection(scenario(changed(SINGLE, type=value)), profile)
    assert (error.field, error.reason) == ("shifts[0].type", MSG_TYPE)


@pytest.mark.parametrize("profile", PROFILES)
def test_missing_type_start_duration(profile: str) -> None:
    """type, start and duration are required fields."""
    for key in ("type", "start", "duration"):
        error = rejection(scenario(changed(SINGLE, **{key: ...})), profile)
        assert (f"shifts[0].{key}", "This field is required.") == (error.field, error.reason)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", ["XX", "mo", "Monday", 0, 6])
def test_bad_week_start(value: Any, profile: str) -> None:
    """week_start must be one of MO..SU, for any type and frequency."""
    for base in (RECURRENT, SINGLE):
        error = rejection(scenario(changed(base, week_start=value)), profile)
        assert (error.field, error.reason) == ("shifts[0].week_start", MSG_WEEK_START)


@pytest.mark.parametrize("day", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
def test_every_week_start_is_accepted(day: str) -> None:
    """All seven two-letter codes are valid week starts."""
    shift = load(scenario(changed(RECURRENT, frequency="weekly", week_start=day))).schedule
    assert day == shift.shifts[0].week_start


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", [0, 1, 3, "Daily", "yearly", "", ["daily"]])
def test_bad_frequency(value: Any, profile: str) -> None:
    """frequency must be hourly/daily/weekly/monthly; the numeric codes are rejected too."""
    error = rejection(scenario(changed(RECURRENT, frequency=value)), profile)
    assert (error.field, error.reason) == ("shifts[0].frequency", MSG_FREQUENCY)


@pytest.mark.parametrize("profile", PROFILES)
def test_bad_frequency_is_rejected_even_where_it_is_reset(profile: str) -> None:
    """Field validation runs before the type resets: a single event's bad frequency fails."""
    error = rejection(scenario(changed(SINGLE, frequency="yearly")), profile)
    assert error.reason == MSG_FREQUENCY


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("value", "index"), [(["MO", "XX"], 1), (["1MO"], 0), (["mo"], 0), ([1], 0), (["MO", None], 1)]
)
def test_bad_by_day(value: list[Any], index: int, profile: str) -> None:
    """Every by_day element must be a plain two-letter code; the path names the element."""
    error = rejection(scenario(changed(RECURRENT, by_day=value)), profile)
    assert (f"shifts[0].by_day[{index}]", MSG_BY_DAY) == (error.field, error.reason)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", [0, 13, -1, "1", 1.0, True])
def test_bad_by_month(value: Any, profile: str) -> None:
    """by_month elements are integers 1..12."""
    error = rejection(scenario(changed(RECURRENT, by_month=[1, value])), profile)
    assert (error.field, error.reason) == ("shifts[0].by_month[1]", MSG_BY_MONTH)


@pytest.mark.parametrize("value", [1, 12])
def test_by_month_bounds_accepted(value: int) -> None:
    """1 and 12 are valid months."""
    assert (value,) == load(scenario(changed(RECURRENT, by_month=[value]))).schedule.shifts[
        0
    ].by_month


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", [-32, 0, 32, "1", 1.5])
def test_bad_by_monthday(value: Any, profile: str) -> None:
    """by_monthday elements are integers in -31..-1 or 1..31."""
    error = rejection(scenario(changed(RECURRENT, by_monthday=[value])), profile)
    assert (error.field, error.reason) == ("shifts[0].by_monthday[0]", MSG_BY_MONTHDAY)


@pytest.mark.parametrize("value", [-31, -1, 1, 31])
def test_by_monthday_bounds_accepted(value: int) -> None:
    """-31, -1, 1 and 31 are valid month days."""
    shifts = load(scenario(changed(RECURRENT, by_monthday=[value]))).schedule.shifts
    assert (value,) == shifts[0].by_monthday


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("value", [0, -1])
def test_interval_not_positive(value: int, profile: str) -> None:
    """An interval <= 0 is 'Invalid value for interval'."""
    error = rejection(scenario(changed(RECURRENT, interval=value)), profile)
    assert (error.field, error.reason) == ("shifts[0].interval", MSG_INTERVAL)


@pytest.mark.parametrize("value", ["2", True, 2.5, 2.0, [2]])
def test_interval_not_an_integer_strict(value: Any) -> None:
    """strict takes only JSON integers for interval."""
    error = rejection(scenario(changed(RECURRENT, interval=value)))
    assert (error.field, error.reason) == ("shifts[0].interval", MSG_INTERVAL)


@pytest.mark.parametrize(("value", "expected"), [("2", 2), (2.0, 2), (" 3 ", 3)])
def test_interval_coerced_like_drf_in_oncall(value: Any, expected: int) -> None:
    """The oncall profile coerces as DRF's IntegerField does ("2" → 2)."""
    shifts = load(scenario(changed(RECURRENT, interval=value)), "oncall").schedule.shifts
    assert expected == shifts[0].interval


@pytest.mark.parametrize("value", [True, 2.5, "two", [2]])
def test_interval_not_an_integer_oncall(value: Any) -> None:
    """DRF's IntegerField rejects what it cannot coerce with its own message."""
    error = rejection(scenario(changed(RECURRENT, interval=value)), "oncall")
    assert (error.field, error.reason) == ("shifts[0].interval", MSG_INTEGER)


@pytest.mark.parametrize("profile", PROFILES)
def test_interval_null_with_frequency(profile: str) -> None:
    """An explicit null interval with a frequency is rejected; an omitted one becomes 1."""
    for base in (RECURRENT, ROTATION):
        error = rejection(scenario(changed(base, interval=None)), profile)
        assert (error.field, error.reason) == ("shifts[0].interval", MSG_INTERVAL_NULL)
        assert (
            load(scenario(changed(base, interval=...)), profile).schedule.shifts[0].interval == 1
        )


BAD_DATETIMES = [
    "2024-01-01T09:00:00Z",
    "2024-01-01T09:00:00+00:00",
    "2024-01-01T09:00:00.5",
    "2024-01-01 09:00:00",
    "2024-01-01T09:00",
    "2024-01-01",
    "2024-02-30T09:00:00",
    "2024-01-01T24:00:00",
    20240101,
    "",
]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("key", ["start", "rotation_start", "until"])
@pytest.mark.parametrize("value", BAD_DATETIMES)
def test_bad_datetime_format(key: str, value: Any, profile: str) -> None:
    """start, rotation_start and until are exactly %Y-%m-%dT%H:%M:%S."""
    error = rejection(scenario(changed(RECURRENT, **{key: value})), profile)
    assert (f"shifts[0].{key}", MSG_DATETIME) == (error.field, error.reason)


@pytest.mark.parametrize("profile", PROFILES)
def test_override_until_format_is_checked_before_it_is_dropped(profile: str) -> None:
    """The API checks until's format before the override reset drops it."""
    error = rejection(scenario(changed(OVERRIDE, until="tomorrow")), profile)
    assert (error.field, error.reason) == ("shifts[0].until", MSG_DATETIME)


def test_unpadded_datetime() -> None:
    """strptime takes 2024-1-2T9:00:00, so the API (oncall) does; strict wants zero padding."""
    data = scenario(changed(SINGLE, start="2024-1-2T9:00:00"))
    assert datetime(2024, 1, 2, 9) == load(data, "oncall").schedule.shifts[0].start
    assert rejection(data).reason == MSG_DATETIME


@pytest.mark.parametrize("profile", PROFILES)
def test_unknown_time_zone(profile: str) -> None:
    """A shift or schedule zone that pytz does not know is 'Invalid timezone'."""
    error = rejection(scenario(changed(SINGLE, time_zone="Mars/Olympus_Mons")), profile)
    assert (error.field, error.reason) == ("shifts[0].time_zone", MSG_TIME_ZONE)
    data = scenario(SINGLE, schedule={"type": "calendar", "time_zone": "Nowhere/City"})
    error = rejection(data, profile)
    assert (error.field, error.reason) == ("schedule.time_zone", MSG_TIME_ZONE)


def test_time_zone_is_stored_in_its_canonical_spelling() -> None:
    """pytz accepts any letter case; the stored name is the canonical one."""
    data = scenario(changed(SINGLE, time_zone="europe/london"))
    assert load(data).schedule.shifts[0].time_zone == "Europe/London"


USERS = [{"id": "UA", "username": "alice"}, {"id": "UB", "username": "bob"}]


@pytest.mark.parametrize("profile", PROFILES)
def test_unknown_user_in_rolling_users(profile: str) -> None:
    """An unknown user in a rotation group is rejected naming the group."""
    data = scenario(changed(ROTATION, rolling_users=[["alice"], ["bob", "fuzz"]]), users=USERS)
    error = rejection(data, profile)
    expected = ("shifts[0].rolling_users[1]", "User does not exist {'fuzz'}")
    assert expected == (error.field, error.reason)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("groups", "field", "reason"),
    [
        ([["alice"], "bob"], "shifts[0].rolling_users[1]", "expected a list"),
        (
            [["alice"], ["bob", 3]],
            "shifts[0].rolling_users[1][1]",
            "expected a user name (a non-empty string)",
        ),
        ([[""]], "shifts[0].rolling_users[0][0]", "expected a user name (a non-empty string)"),
    ],
)
def test_malformed_rotation_groups(profile: str, groups: object, field: str, reason: str) -> None:
    """A group that is not a list, or a name that is not a string, is named exactly."""
    error = rejection(scenario(changed(ROTATION, rolling_users=groups), users=USERS), profile)
    assert (error.field, error.reason) == (field, reason)


def test_unknown_user_in_users() -> None:
    """The API drops unknown users of events silently (oncall); strict rejects them."""
    data = scenario(changed(SINGLE, users=["alice", "ghost"]), users=USERS)
    assert load(data, "oncall").schedule.shifts[0].users == ("UA",)
    error = rejection(data)
    assert (error.field, error.reason) == ("shifts[0].users[1]", "unknown user")


def test_override_with_only_unknown_users_stays_empty_in_oncall() -> None:
    """An override whose users are all unknown stays, with no groups (oncall)."""
    data = scenario(changed(OVERRIDE, users=["ghost"]), users=USERS)
    assert load(data, "oncall").schedule.shifts[0].rolling_users == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_frequency_required_for_recurring_types(profile: str) -> None:
    """recurrent_event and rolling_users need a frequency; single events and overrides not."""
    for base in (RECURRENT, ROTATION):
        error = rejection(scenario(changed(base, frequency=...)), profile)
        assert (error.field, error.reason) == ("shifts[0].frequency", MSG_FREQUENCY_REQUIRED)
    for base in (SINGLE, OVERRIDE):
        assert load(scenario(base), profile).schedule.shifts[0].frequency is None


@pytest.mark.parametrize("profile", PROFILES)
def test_week_start_required_only_for_weekly(profile: str) -> None:
    """Weekly needs week_start; daily and monthly do not."""
    error = rejection(scenario(changed(RECURRENT, frequency="weekly")), profile)
    assert (error.field, error.reason) == ("shifts[0].week_start", MSG_WEEK_START_REQUIRED)
    for frequency in ("hourly", "daily", "monthly"):
        assert load(scenario(changed(RECURRENT, frequency=frequency)), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_daily_rotation_with_by_monthday(profile: str) -> None:
    """Daily rotations may not have by_monthday; other frequencies and types may."""
    error = rejection(scenario(changed(ROTATION, by_monthday=[1])), profile)
    assert (error.field, error.reason) == ("shifts[0].by_monthday", MSG_DAILY_MONTHDAY)
    assert load(scenario(changed(ROTATION, frequency="monthly", by_monthday=[1])), profile)
    assert load(scenario(changed(RECURRENT, by_monthday=[1])), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_daily_rotation_interval_above_by_day_length(profile: str) -> None:
    """Daily rotations with by_day need interval <= len(by_day)."""
    error = rejection(scenario(changed(ROTATION, interval=3, by_day=["MO", "TU"])), profile)
    assert (error.field, error.reason) == ("shifts[0].interval", MSG_DAILY_INTERVAL)
    assert load(scenario(changed(ROTATION, interval=2, by_day=["MO", "TU"])), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_rotation_needs_start_index(profile: str) -> None:
    """rolling_users needs start_rotation_from_user_index; recurrent events do not."""
    error = rejection(scenario(changed(ROTATION, start_rotation_from_user_index=...)), profile)
    assert error.reason == MSG_START_INDEX_REQUIRED
    assert error.field == "shifts[0].start_rotation_from_user_index"


# ------------------------------------------------------------------ strict-only rejections

STRICT_ONLY = [
    ("duration", changed(ROTATION, duration=0), "shifts[0].duration"),
    ("negative duration", changed(ROTATION, duration=-60), "shifts[0].duration"),
    ("until before start", changed(ROTATION, until="2023-12-31T09:00:00"), "shifts[0].until"),
    (
        "rotation_start before start",
        changed(ROTATION, rotation_start="2023-12-31T09:00:00"),
        "shifts[0].rotation_start",
    ),
    (
        "empty group",
        changed(ROTATION, rolling_users=[["alice"], []]),
        "shifts[0].rolling_users[1]",
    ),
    ("no groups", changed(ROTATION, rolling_users=[]), "shifts[0].rolling_users"),
    (
        "start index out of range",
        changed(ROTATION, start_rotation_from_user_index=2),
        "shifts[0].start_rotation_from_user_index",
    ),
]


@pytest.mark.parametrize(
    ("shift", "field"), [case[1:] for case in STRICT_ONLY], ids=[case[0] for case in STRICT_ONLY]
)
def test_strict_only_rejections(shift: dict[str, Any], field: str) -> None:
    """What the API forgets to reject: strict rejects it, oncall accepts it."""
    assert field == rejection(scenario(shift)).field
    assert load(scenario(shift), "oncall")


def test_until_equal_to_start_is_accepted_in_strict() -> None:
    """until == start is the smallest valid until."""
    assert load(scenario(changed(ROTATION, until=ROTATION["start"])))


# ------------------------------------------------------------------ resets and overrides


@pytest.mark.parametrize("profile", PROFILES)
def test_single_event_resets(profile: str) -> None:
    """A single event drops frequency, interval, by_* and rotation fields, but keeps until."""
    data = changed(
        SINGLE,
        frequency="daily",
        interval=2,
        by_day=["MO"],
        by_month=[1],
        by_monthday=[1],
        rolling_users=[["bob"]],
        start_rotation_from_user_index=0,
        until="2024-01-01T09:30:00",
    )
    shift = load(scenario(data), profile).schedule.shifts[0]
    actual = (shift.frequency, shift.interval, shift.by_day, shift.by_month, shift.by_monthday)
    assert actual == (None, None, (), (), ())
    assert ((), None, datetime(2024, 1, 1, 9, 30)) == (
        shift.rolling_users,
        shift.start_rotation_from_user_index,
        shift.until,
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_rotation_ignores_users(profile: str) -> None:
    """rolling_users shifts drop their users field."""
    shift = load(scenario(changed(ROTATION, users=["carol"])), profile).schedule.shifts[0]
    assert shift.users == ()
    assert shift.rolling_users == (("alice",), ("bob",))


@pytest.mark.parametrize("profile", PROFILES)
def test_override_is_a_web_override(profile: str) -> None:
    """An override becomes one group per user, level 99, rotation_start = start, source web."""
    data = changed(
        OVERRIDE, users=["zoe", "yan"], level=3, frequency="daily", until="2024-01-09T00:00:00"
    )
    shift = load(scenario(data), profile).schedule.shifts[0]
    actual = (
        shift.rolling_users,
        shift.users,
        shift.level,
        shift.rotation_start,
        shift.source,
        shift.frequency,
        shift.until,
    )
    expected = ((("zoe",), ("yan",)), (), 99, shift.start, "web", None, None)
    assert expected == actual


def test_override_level_matches_the_engine_vectors() -> None:
    """The engine reports overrides at priority level 99 (handmade vectors)."""
    cases = read_jsonl(VECTORS / "oncall" / "handmade.jsonl")
    case = next(c for c in cases if c["name"] == "overrides_over_rotation_and_in_gap")
    levels = {e["priority_level"] for e in case["expected_final_events"] if e["is_override"]}
    shifts = load(case, "oncall").schedule.shifts
    assert levels == {shift.level for shift in shifts if shift.is_override}


def test_duration_formats() -> None:
    """Duration: integer seconds, or Django's duration strings as the API accepts them."""
    for value, expected in [
        (3600, timedelta(hours=1)),
        ("3600", timedelta(hours=1)),
        ("01:00:00", timedelta(hours=1)),
        ("1 02:00:00", timedelta(days=1, hours=2)),
        ("P1DT2H", timedelta(days=1, hours=2)),
    ]:
        assert (
            expected == load(scenario(changed(SINGLE, duration=value))).schedule.shifts[0].duration
        )
    for value in ("1h", True, "", [1]):
        assert rejection(scenario(changed(SINGLE, duration=value))).field == "shifts[0].duration"


# ------------------------------------------------------------------ window and swaps


@pytest.mark.parametrize("profile", PROFILES)
def test_window_end_before_start(profile: str) -> None:
    """end < start is rejected; end == start is accepted."""
    data = scenario(SINGLE) | {"window": {"start": "2024-01-02", "end": "2024-01-01"}}
    error = rejection(data, profile)
    assert (error.field, error.reason) == ("window.end", MSG_WINDOW_ORDER)
    assert load(
        scenario(SINGLE) | {"window": {"start": "2024-01-02", "end": "2024-01-02"}}, profile
    )


def test_window_span() -> None:
    """oncall rejects more than 365 days (365 exactly is fine); strict has no limit."""
    year = {"start": "2023-01-01T00:00:00Z", "end": "2024-01-01T00:00:00Z"}
    longer = {"start": "2023-01-01T00:00:00Z", "end": "2024-01-01T00:01:00Z"}
    assert load(scenario(SINGLE) | {"window": year}, "oncall")
    error = rejection(scenario(SINGLE) | {"window": longer}, "oncall")
    assert (error.field, error.reason) == ("window.end", MSG_WINDOW_SPAN)
    assert load(scenario(SINGLE) | {"window": longer})


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00 Z",
        "2024/01/01",
        "yesterday",
        0,
        None,
        "2024-13-01",
    ],
)
def test_bad_window_bound(value: Any) -> None:
    """Window bounds are instants with Z or an offset, or dates."""
    data = scenario(SINGLE) | {"window": {"start": value, "end": "2024-02-01"}}
    assert rejection(data).field == "window.start"


def test_swap_order_and_users() -> None:
    """swap_end before swap_start is rejected, and so is an unknown user."""
    swap = {
        "beneficiary": "alice",
        "benefactor": None,
        "swap_start": "2024-01-02T00:00:00Z",
        "swap_end": "2024-01-01T00:00:00Z",
    }
    error = rejection(scenario(SINGLE, users=USERS, swaps=[swap]))
    assert (
        error.field,
        error.reason,
    ) == ("swaps[0].swap_end", "swap_end must occur after swap_start")
    swap |= {"swap_end": "2024-01-03T00:00:00Z", "benefactor": "mallory"}
    error = rejection(scenario(SINGLE, users=USERS, swaps=[swap]))
    assert (error.field, error.reason) == ("swaps[0].benefactor", "unknown user")


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("durations", "bogus"), ("calendar_errors", "bogus"), ("max_occurrences", True)],
)
def test_resolve_refuses_unknown_option_values_by_name(keyword: str, value: object) -> None:
    """One check of the options every entry point takes: resolve accepted these silently
    (an unknown ``durations`` read as wall clock); streams and coverage refused them."""
    from datetime import UTC, datetime

    import shiftcalc

    window = shiftcalc.Window(
        start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 2, tzinfo=UTC)
    )
    for call in (
        lambda: shiftcalc.resolve(shiftcalc.Schedule(), window, **{keyword: value}),  # type: ignore[arg-type]
        lambda: shiftcalc.iter_final_shifts(
            shiftcalc.Schedule(), window.start, **{keyword: value}
        ),  # type: ignore[arg-type]
    ):
        with pytest.raises(shiftcalc.ValidationError) as caught:
            call()
        assert caught.value.field == keyword
