"""The strategies of ``shiftcalc.strategies``: valid, round-tripping, validated arguments."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import shiftcalc
from shiftcalc import EngineError, Scenario, Schedule, Shift, ShiftSwap, User, Window, resolve
from shiftcalc._hypothesis_plugin import _register
from shiftcalc._recurrence import RecurrenceRule
from shiftcalc._scenario import dump_scenario, load_scenario
from shiftcalc._tz import get_zone
from shiftcalc.strategies import (
    calendars,
    recurrence_rules,
    scenarios,
    schedules,
    shift_swaps,
    shifts,
    time_zones,
    users,
    windows,
)

PROFILES = ["strict", "oncall"]


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None)
@given(data=st.data())
def test_scenarios_round_trip(profile: str, data: st.DataObject) -> None:
    """Every scenario drawn loads back, unchanged, in its own profile."""
    scenario = data.draw(scenarios(profile=profile))  # type: ignore[arg-type]
    assert load_scenario(dump_scenario(scenario), profile=profile) == scenario  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None)
@given(data=st.data())
def test_resolvable_scenarios_resolve(profile: str, data: st.DataObject) -> None:
    """``resolvable=True`` drops the scenarios Grafana OnCall's engine crashes on."""
    scenario = data.draw(scenarios(profile=profile, resolvable=True))  # type: ignore[arg-type]
    resolve(scenario.schedule, scenario.window, profile=profile)  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", PROFILES)
@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_ical_scenarios_round_trip_and_resolve_naming_only_their_users(
    profile: str, data: st.DataObject
) -> None:
    """An ``ical`` scenario loads back unchanged and resolves in its profile, every name of
    its calendar matching a user of its directory (oncall: names in SUMMARY, since OnCall
    reads an ATTENDEE's ``mailto:`` whole)."""
    scenario = data.draw(scenarios(profile=profile, schedule_types=["ical"]))  # type: ignore[arg-type]
    assert scenario.schedule.type == "ical" and scenario.schedule.ical_primary
    assert load_scenario(dump_scenario(scenario), profile=profile) == scenario  # type: ignore[arg-type]
    result = resolve(scenario.schedule, scenario.window, profile=profile)  # type: ignore[arg-type]
    assert result.unresolved == ()
    ids = {user.id for user in scenario.schedule.users}
    assert {row.user for row in result.shifts} <= ids


@settings(deadline=None, max_examples=40)
@given(calendars(names=["x", "y@example.com"], max_events=3, time_zones=["Asia/Tokyo"]))
def test_calendars_follow_their_arguments(text: str) -> None:
    """The events name only ``names``, their zones are ``time_zones`` (or UTC), and there are
    at most ``max_events`` of them (plus moved instances, which share a UID)."""
    names = set(re.findall(r"(?:SUMMARY:(?:\[L\d\] )?|ATTENDEE:mailto:)(.*)\r", text))
    assert names and names <= {"x", "y@example.com"}
    assert set(re.findall(r"TZID=([^:;]*)", text)) <= {"Asia/Tokyo"}
    assert 1 <= len(set(re.findall(r"UID:(.*)\r", text))) <= 3


def test_calendars_draw_every_kind_of_event() -> None:
    """Timed and all-day events, each rule, EXDATE and a moved instance are all drawn."""
    found = settings(database=None, phases=[Phase.generate], max_examples=500)
    for needle in (
        "VALUE=DATE",
        "FREQ=DAILY",
        "FREQ=WEEKLY",
        "FREQ=MONTHLY",
        "EXDATE",
        "RECURRENCE-ID",
        "DURATION:",
        "[L1]",
        "ATTENDEE",
    ):
        find(calendars(), lambda text, needle=needle: needle in text, settings=found)


def test_engine_crashes_are_drawn_by_default() -> None:
    """Without ``resolvable`` the oncall scenarios include engine crashes (an embedder must
    handle them): a derandomised search finds one."""

    def crashes(scenario: Scenario) -> bool:
        try:
            resolve(scenario.schedule, scenario.window, profile="oncall")
        except EngineError:
            return True
        return False

    found = find(
        scenarios(profile="oncall"),
        crashes,
        settings=settings(max_examples=2000, derandomize=True, database=None),
    )
    with pytest.raises(EngineError):
        resolve(found.schedule, found.window, profile="oncall")


@settings(deadline=None)
@given(scenarios(profile="strict"))
def test_strict_scenarios_load_in_oncall(scenario: Scenario) -> None:
    """The strict profile is the stricter one: its scenarios load in ``oncall`` too."""
    assert load_scenario(dump_scenario(scenario), profile="oncall") == scenario


@settings(deadline=None)
@given(shifts(types=["rolling_users"], min_groups=2, max_groups=3))
def test_rotation_group_bounds(shift: Shift) -> None:
    """Rotations get between min_groups and max_groups non-empty groups."""
    assert 2 <= len(shift.rolling_users) <= 3
    assert all(shift.rolling_users)
    assert shift.start_rotation_from_user_index is not None
    assert 0 <= shift.start_rotation_from_user_index < len(shift.rolling_users)


@settings(deadline=None)
@given(shifts(users=["x", "y"]))
def test_shifts_name_only_given_users(shift: Shift) -> None:
    """A shift names only the users it was given; starts are whole minutes in range."""
    named = set(shift.users) | {u for group in shift.rolling_users for u in group}
    assert named <= {"x", "y"}
    assert shift.start.second == shift.start.microsecond == 0
    assert datetime(2018, 12, 31) <= shift.start <= datetime(2028, 1, 1)
    assert timedelta(minutes=15) <= shift.duration <= timedelta(days=14)


@settings(deadline=None)
@given(schedules(min_shifts=1, max_shifts=3))
def test_schedule_users_cover_shifts(schedule: Schedule) -> None:
    """Every user a schedule's shifts or swaps name is in its directory."""
    known = {user.id for user in schedule.users}
    assert 1 <= len(schedule.shifts) <= 3
    for shift in schedule.shifts:
        assert set(shift.users) | {u for g in shift.rolling_users for u in g} <= known
    for swap in schedule.swaps:
        assert {swap.beneficiary, swap.benefactor} - {None} <= known


@given(windows(max_days=3))
def test_windows(window: Window) -> None:
    """Windows are UTC, minute-aligned, ordered and at most max_days long."""
    assert window.start.tzinfo is UTC
    assert timedelta(0) <= window.end - window.start <= timedelta(days=3)
    assert window.start.second == 0


@given(shift_swaps(users=["a", "b"]))
def test_shift_swaps(swap: ShiftSwap) -> None:
    """Swaps are ordered and name the given users."""
    assert swap.swap_start <= swap.swap_end
    assert swap.beneficiary in ("a", "b")
    assert swap.benefactor in (None, "a", "b")


@given(users())
def test_users(user: User) -> None:
    """Users have a non-empty id and username and no empty e-mail."""
    assert user.id
    assert user.username
    assert user.email != ""


@pytest.mark.parametrize("full_grammar", [False, True])
@settings(deadline=None)
@given(data=st.data())
def test_recurrence_rules_round_trip(full_grammar: bool, data: st.DataObject) -> None:
    """Rules drawn survive ``to_ical``/``parse``; the on-call subset uses only its parts."""
    rule = data.draw(recurrence_rules(full_grammar=full_grammar))
    assert RecurrenceRule.parse(rule.to_ical()) == rule
    if not full_grammar:
        assert rule.freq in ("HOURLY", "DAILY", "WEEKLY", "MONTHLY")
        assert rule.count is None and rule.until is None and not rule.bysetpos
        assert all(n is None for _, n in rule.byday)


@pytest.mark.parametrize("dst", [True, False])
@given(data=st.data())
def test_time_zones_dst(dst: bool, data: st.DataObject) -> None:
    """``dst=True`` zones change offset between 2019 and 2027; ``dst=False`` zones never do."""
    zone = get_zone(data.draw(time_zones(dst=dst)))
    offsets = {
        datetime(year, month, 1, tzinfo=UTC).astimezone(zone).utcoffset()
        for year in range(2019, 2028)
        for month in range(1, 13)
    }
    assert (len(offsets) > 1) == dst


@pytest.mark.parametrize(
    "strategy",
    [
        lambda: time_zones(dst="yes"),  # type: ignore[arg-type]
        lambda: recurrence_rules(full_grammar=1),  # type: ignore[arg-type]
        lambda: shifts(min_groups=3, max_groups=2),
        lambda: shifts(types=["weekly"]),  # type: ignore[list-item]
        lambda: shifts(types="override"),  # type: ignore[arg-type]
        lambda: shifts(users=[]),
        lambda: shifts(profile="lenient"),  # type: ignore[arg-type]
        lambda: schedules(min_shifts=5, max_shifts=1),
        lambda: windows(max_days=400),
        lambda: scenarios(max_days=-1),
        lambda: shift_swaps(users="alice"),
        lambda: users(ids=[]),
        lambda: calendars(names=[]),
        lambda: calendars(max_events=0),
        lambda: calendars(time_zones=["Mars/Olympus"]),
        lambda: calendars(profile="lenient"),  # type: ignore[arg-type]
        lambda: schedules(schedule_types=["ics"]),  # type: ignore[list-item]
        lambda: scenarios(schedule_types="ical"),  # type: ignore[arg-type]
        # found by a tester: a KeyError at draw time, a broken calendar, unresolved names
        lambda: shifts(time_zones=["Mars/Olympus_Mons"]),
        lambda: calendars(names=["a\rb"]),
        lambda: calendars(names=["alice", "0 "]),
        lambda: calendars(names=["[L2] alice"]),
    ],
)
def test_invalid_arguments(strategy: object) -> None:
    """Bad arguments are refused up front with InvalidArgument."""
    with pytest.raises(InvalidArgument):
        strategy()  # type: ignore[operator]


@pytest.mark.parametrize(
    "kind", [Shift, Schedule, Window, User, ShiftSwap, RecurrenceRule, shiftcalc.Scenario]
)
@settings(deadline=None, max_examples=10)
@given(data=st.data())
def test_plugin_registers_from_type(kind: type, data: st.DataObject) -> None:
    """After the entry point's ``_register``, ``st.from_type`` draws each value type; a
    Scenario from ``scenarios()`` (from its fields, ``now`` was a naive datetime, which
    resolve refuses: a tester found one in ten refused)."""
    _register()
    # ours, not Hypothesis' field-by-field builds(Kind, field=...)
    assert not repr(st.from_type(kind)).startswith(f"builds({kind.__name__},")
    drawn = data.draw(st.from_type(kind))
    assert isinstance(drawn, kind)
    if isinstance(drawn, shiftcalc.Scenario):
        shiftcalc.resolve(drawn.schedule, drawn.window, now=drawn.now)
