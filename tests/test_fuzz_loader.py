"""Fuzz: hostile scenario input (nesting, digits, sizes, far dates, unusual zones, surrogates)
gives a correct answer or a ShiftcalcError, within a hang guard; outputs stay byte-exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import ShiftcalcError, load_scenario, resolve, validate
from shiftcalc.strategies import scenarios

FIELDS = [
    "type",
    "start",
    "duration",
    "time_zone",
    "level",
    "rotation_start",
    "frequency",
    "interval",
    "until",
    "week_start",
    "by_day",
    "by_month",
    "by_monthday",
    "users",
    "rolling_users",
    "start_rotation_from_user_index",
    "source",
]
ZONES = (
    "UTC",
    "Pacific/Kiritimati",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Antarctica/Troll",
    "America/St_Johns",
    "Etc/GMT+12",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Australia/Lord_Howe",
)
LIMIT = shiftcalc._model.MAX_DURATION_SECONDS
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def nested(depth: int) -> Any:
    value: Any = "alice"
    for _ in range(depth):
        value = [value]
    return value


hostile = st.one_of(
    st.integers(min_value=0, max_value=200_000).map(nested),
    st.integers(min_value=4000, max_value=6000).map(lambda n: 10**n),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=8),
    st.sampled_from(["", "P99999999999D", "-1", "9" * 5000, "0001-01-01T00:00:00", "\x00"]),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def exercise(source: Any, profile: str) -> None:
    """Load, resolve and write every output: an answer or a ShiftcalcError, never a crash."""
    try:
        scenario = load_scenario(source, profile=profile)  # type: ignore[arg-type]
        validate(scenario.schedule, profile=profile)  # type: ignore[arg-type]
        result = resolve(scenario.schedule, scenario.window, profile=profile)  # type: ignore[arg-type]
        rows, schedule = result.shifts, scenario.schedule
        shiftcalc.to_json(shiftcalc.final_shifts_document(rows, schedule))
        shiftcalc.shifts_csv(rows, schedule)
        shiftcalc.hours_report_csv(rows, schedule)
        shiftcalc.table(rows, schedule)
        shiftcalc.quality_report(result.events, result.window)
    except ShiftcalcError as error:
        str(error)


def base_shift() -> dict[str, Any]:
    return {
        "type": "rolling_users",
        "start": "2024-01-01T09:00:00",
        "duration": 3600,
        "frequency": "daily",
        "rolling_users": [["alice"], ["bob"]],
        "start_rotation_from_user_index": 0,
    }


@FAST
@given(st.sampled_from(FIELDS), hostile, st.sampled_from(["strict", "oncall"]))
def test_hostile_value_in_any_shift_field(key: str, value: Any, profile: str) -> None:
    scenario = {
        "shifts": [{**base_shift(), key: value}],
        "window": {"start": "2024-01-01", "end": "2024-01-03"},
    }
    with hang_guard(60):
        exercise(scenario, profile)


@FAST
@given(
    st.sampled_from(FIELDS),
    st.sampled_from(
        [
            "[" * 3000 + "]" * 3000,
            "9" * 5000,
            "-" + "1" * 4500,
            '"\\ud800"',
            "1e999",
            "[" * 200_000,
        ]
    ),
)
def test_hostile_json_text_in_any_shift_field(key: str, raw: str) -> None:
    text = json.dumps(
        {
            "shifts": [{**base_shift(), key: "HOLE"}],
            "window": {"start": "2024-01-01", "end": "2024-01-03"},
        }
    )
    with hang_guard(60):
        exercise(text.replace('"HOLE"', raw), "strict")


@FAST
@given(
    start=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23)),
    duration=st.one_of(st.integers(1, 10**6), st.integers(1, LIMIT)),
    frequency=st.sampled_from([None, "hourly", "daily", "weekly", "monthly"]),
    interval=st.one_of(st.integers(1, 5), st.integers(1, 119_987)),
    zone=st.sampled_from(ZONES),
    level=st.integers(-(2**31), 2**31 - 1),
    window_days=st.integers(0, 3),
    offset_days=st.integers(-3, 3),
    profile=st.sampled_from(["strict", "oncall"]),
)
def test_far_dates_sizes_and_unusual_zones(
    start: datetime,
    duration: int,
    frequency: str | None,
    interval: int,
    zone: str,
    level: int,
    window_days: int,
    offset_days: int,
    profile: str,
) -> None:
    shift: dict[str, Any] = {
        "type": "recurrent_event" if frequency else "single_event",
        "start": start.replace(microsecond=0).isoformat(),
        "duration": duration,
        "time_zone": zone,
        "level": level,
        "users": ["alice"],
    }
    if frequency:
        shift |= {"frequency": frequency, "interval": interval, "week_start": "MO"}
    low, high = datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)
    begin = min(max(start.replace(tzinfo=UTC) + timedelta(days=offset_days), low), high)
    end = min(begin + timedelta(days=window_days), high)
    window = {"start": begin.isoformat(), "end": end.isoformat()}
    with hang_guard(60):
        exercise({"shifts": [shift], "window": window}, profile)


def old_to_json(rows: Any, schedule: shiftcalc.Schedule) -> str:
    """The document and JSON text as written before the template (strftime, json indent)."""

    def text(value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    results = []
    for row in rows:
        user = schedule.user(row.user)
        results.append(
            {
                "user_pk": user.id,
                "user_email": user.email,
                "user_username": user.username,
                "shift_start": text(row.start),
                "shift_end": text(row.end),
            }
        )
    document = {
        "count": len(results),
        "next": None,
        "previous": None,
        "results": results,
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }
    return json.dumps(document, indent=2) + "\n"


@FAST
@given(
    st.sampled_from(["strict", "oncall"]).flatmap(
        lambda p: st.tuples(st.just(p), scenarios(profile=p))
    )
)
def test_json_document_bytes_equal_the_previous_writer(drawn: tuple[str, Any]) -> None:
    profile, scenario = drawn
    try:  # oncall answers an EngineError where Grafana OnCall crashes: nothing to write
        rows = resolve(scenario.schedule, scenario.window, profile=profile).shifts  # type: ignore[arg-type]
    except ShiftcalcError:
        return
    document = shiftcalc.final_shifts_document(rows, scenario.schedule)
    assert shiftcalc.to_json(document) == old_to_json(rows, scenario.schedule)


@FAST
@given(
    st.sampled_from(["strict", "oncall"]).flatmap(
        lambda p: st.tuples(st.just(p), scenarios(profile=p))
    )
)
def test_every_drawn_scenario_passes_validate_and_the_loader(drawn: tuple[str, Any]) -> None:
    profile, scenario = drawn
    validate(scenario.schedule, profile=profile)  # type: ignore[arg-type]
    assert load_scenario(shiftcalc.dump_scenario(scenario), profile=profile) == scenario  # type: ignore[arg-type]
