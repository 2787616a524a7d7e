"""Fuzzing: arbitrary input either works or raises ShiftcalcError, never anything else."""

from __future__ import annotations

import contextlib
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VECTORS, read_jsonl
from shiftcalc import Schedule, ShiftcalcError, User, Window
from shiftcalc._recurrence import RecurrenceRule, occurrences
from shiftcalc._resolve import resolve
from shiftcalc._scenario import dump_scenario, load_scenario
from shiftcalc.strategies import recurrence_rules, scenarios

PROFILES = ["strict", "oncall"]
MAX_WINDOW = timedelta(days=20)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["2024-01-01T09:00:00", "2024-01-01", "MO", "weekly", "UTC", "P1D"])
    | st.sampled_from(["9999-12-31T23:00:00", "0001-01-01T00:00:00Z", "9999-12-31", 10**12]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _resolve_capped(schedule: Schedule, window: Window, profile: str) -> None:
    end = min(window.end, window.start + MAX_WINDOW)
    resolve(schedule, Window(start=window.start, end=end), profile=profile)  # type: ignore[arg-type]


def _huge_number(value: Any) -> bool:
    """True when a number of 10**9 or more is in the document.

    Such a duration is valid, but every occurrence of the decades it spans overlaps the
    window, so resolving it is slow (correctly so): the fuzz run leaves it to test_regressions.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return abs(value) >= 10**9
    if isinstance(value, dict):
        return any(_huge_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_huge_number(v) for v in value)
    return False


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=json_values)
def test_load_scenario_random_json(profile: str, document: Any) -> None:
    """Random JSON values are loaded or refused with a ShiftcalcError."""
    source = document if isinstance(document, dict) else json.dumps(document)
    with contextlib.suppress(ShiftcalcError):
        load_scenario(source, profile=profile)  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_load_and_resolve_mutated_scenarios(profile: str, data: st.DataObject) -> None:
    """A valid scenario with one value replaced loads and resolves, or raises ShiftcalcError."""
    document = dump_scenario(data.draw(scenarios(max_shifts=3, max_days=5, profile=profile)))  # type: ignore[arg-type]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        document = _replace(document, path, data.draw(json_values))
    if _huge_number(document):
        return
    try:
        scenario = load_scenario(document, profile=profile)  # type: ignore[arg-type]
        _resolve_capped(scenario.schedule, scenario.window, profile)
    except ShiftcalcError:
        pass


@settings(deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_load_scenario_random_bytes(raw: bytes) -> None:
    """Random bytes as a scenario: loaded or refused with a ShiftcalcError."""
    with contextlib.suppress(ShiftcalcError):
        load_scenario(raw)


# --------------------------------------------------------------------------- iCal


def _calendars() -> list[tuple[str, tuple[User, ...], Window]]:
    """(calendar text, the case's users, the case's window) of every iCal vector."""
    found = []
    for case in read_jsonl(VECTORS / "oncall" / "ical_handmade.jsonl"):
        people = tuple(
            User(id=name, username=name, email=f"{name}@oracle.invalid") for name in case["users"]
        )
        window = Window(
            start=datetime.fromisoformat(case["window"]["start"]),
            end=datetime.fromisoformat(case["window"]["end"]),
        )
        for key in ("ical_primary", "ical_overrides"):
            if case["schedule"].get(key):
                found.append((case["schedule"][key], people, window))
    return found


CALENDARS = _calendars()
ICAL_USERS = tuple(User(id=name, username=name) for name in ("alice", "bob", "carol"))
ICAL_WINDOW = Window(start=datetime(2024, 3, 1, tzinfo=UTC), end=datetime(2024, 3, 15, tzinfo=UTC))


@st.composite
def mutated_calendars(draw: st.DrawFn) -> tuple[str, tuple[User, ...], Window]:
    text, people, window = draw(st.sampled_from(CALENDARS))
    lines = text.split("\r\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "text", "value", "swap"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "text":
            lines[i] = draw(st.text(max_size=40))
        elif action == "value":
            name = lines[i].partition(":")[0]
            lines[i] = f"{name}:{draw(st.text(max_size=30))}"
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            lines = [""]
    return "\r\n".join(lines), people, window


def _resolve_ical(
    text: str, profile: str, people: tuple[User, ...] = ICAL_USERS, window: Window = ICAL_WINDOW
) -> None:
    pytest.importorskip("shiftcalc.ical")
    for schedule in (
        Schedule(type="ical", ical_primary=text, users=people),
        Schedule(type="calendar", ical_overrides=text, users=people),
    ):
        with contextlib.suppress(ShiftcalcError):
            resolve(schedule, window, profile=profile)  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None)
@given(text=st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_ical_random_text(profile: str, text: str) -> None:
    """Random text as an iCal schedule: resolved or refused with a ShiftcalcError."""
    _resolve_ical(text, profile)


@pytest.mark.skipif(not CALENDARS, reason="no iCal vectors")
@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None)
@given(case=mutated_calendars())
def test_ical_mutated_calendars(profile: str, case: tuple[str, tuple[User, ...], Window]) -> None:
    """Real calendars with lines dropped, repeated, swapped or rewritten: never a crash."""
    _resolve_ical(*case[:1], profile, *case[1:])


# --------------------------------------------------------------------------- RRULE

rule_parts = st.sampled_from(
    [
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTH",
        "BYMONTHDAY",
        "BYSETPOS",
        "BYWEEKNO",
        "BYYEARDAY",
        "BYHOUR",
        "BYMINUTE",
        "BYSECOND",
        "WKST",
        "X-NAME",
        "",
    ]
)
rule_values = st.one_of(
    st.sampled_from(
        [
            "DAILY",
            "WEEKLY",
            "MONTHLY",
            "YEARLY",
            "HOURLY",
            "MINUTELY",
            "SECONDLY",
            "MO",
            "-1FR",
            "+2TU,WE",
            "20240101",
            "20240101T000000Z",
            "0",
            "-0",
            "366",
            "53",
            "-53",
            "1,2,,3",
            "60",
        ]
    ),
    st.integers(-400, 400).map(str),
    st.text(max_size=8),
)
rule_texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.tuples(rule_parts, rule_values), max_size=6).map(
        lambda parts: ";".join(f"{k}={v}" for k, v in parts)
    ),
    recurrence_rules(full_grammar=True).map(RecurrenceRule.to_ical),
)
dtstarts = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC]) | st.timezones(),
    ),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=rule_texts, dtstart=dtstarts, skip=st.integers(-1000, 100000))
def test_rrule_text(text: str, dtstart: datetime | date, skip: int) -> None:
    """Random RRULE text: parsed and expanded, or refused with a ShiftcalcError."""
    lower = dtstart + timedelta(hours=skip)
    try:
        rule = RecurrenceRule.parse(text)
        assert RecurrenceRule.parse(rule.to_ical()) == rule
        # bounded: sparse sub-daily rules take time in proportion to the span they cover
        window = occurrences(rule, dtstart, start=lower, end=lower + timedelta(days=10))
        list(itertools.islice(window, 50))
        list(itertools.islice(occurrences(rule, dtstart), 3))
    except ShiftcalcError:
        pass
