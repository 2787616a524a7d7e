"""Properties and fuzz of explain: it agrees with on_call_at at every instant, in both profiles
(random instants, occurrence boundaries, fold=1 wall times), and hostile input ends with an
answer or a ShiftcalcError in bounded time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import Explanation, Profile, Scenario, Schedule, Window
from shiftcalc._merge import merge_spans
from shiftcalc._resolve import layers
from shiftcalc.oncall.resolution import final_events, resolve_events
from shiftcalc.strategies import scenarios, schedules

PROFILES: tuple[Profile, ...] = ("strict", "oncall")
SEARCH = timedelta(days=20)  # the nearest-turn horizon here: examples stay fast


def check(result: Explanation, schedule: Schedule) -> None:
    """The users an explanation names as on call are exactly on_call_at's, each with a chain
    of winning layers naming them, and nobody else is in a winning layer."""
    expected = shiftcalc.on_call_at(schedule, result.at, profile=result.profile)
    assert result.on_call == expected
    won = [layer for layer in result.layers if layer.outcome == "won"]
    assert sorted({user for layer in won for user in layer.users}) == list(expected)
    assert [chain.user for chain in result.chains] == list(expected)
    for chain in result.chains:
        assert chain.layers
        assert all(chain.user in layer.users and layer.outcome == "won" for layer in chain.layers)
    for layer in result.layers:
        assert layer.start <= result.at < layer.end
        if layer.occurrence_start is not None and not layer.swaps:
            assert layer.occurrence_start <= layer.start
    json.dumps(shiftcalc.explanation_document(result, schedule))
    shiftcalc.explanation_text(result, schedule)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Scenario, Profile, datetime]:
    """A scenario, a profile and an instant: inside the window, at an occurrence boundary,
    or a fold=1 wall time in the schedule's zone."""
    profile = draw(st.sampled_from(PROFILES))
    scenario = draw(scenarios(max_shifts=3, max_days=3, profile=profile))
    window = scenario.window
    span = int((window.end - window.start).total_seconds()) // 60
    at = window.start + timedelta(minutes=draw(st.integers(0, span)))
    how = draw(st.sampled_from(("inside", "boundary", "fold")))
    if how == "boundary":
        try:
            found = shiftcalc.expand(scenario.schedule, window, profile=profile)
        except shiftcalc.ShiftcalcError:
            found = []  # OnCall's crash on this schedule: explain must crash alike
        bounds = [edge for interval in found for edge in (interval.start, interval.end)]
        if bounds:
            at = draw(st.sampled_from(bounds))
    elif how == "fold":
        at = at.astimezone(ZoneInfo(scenario.schedule.time_zone)).replace(fold=1)
    return scenario, profile, at


@settings(deadline=None)
@given(cases())
def test_explain_agrees_with_on_call_at(case: tuple[Scenario, Profile, datetime]) -> None:
    scenario, profile, at = case
    with hang_guard(60):
        try:
            expected = shiftcalc.on_call_at(scenario.schedule, at, profile=profile)
        except shiftcalc.ShiftcalcError as exc:
            expected = None  # OnCall's engine crashes here (EngineError): explain must too
            error: type[Exception] = type(exc)
        if expected is None:
            with pytest.raises(error):
                shiftcalc.explain(scenario.schedule, at, profile=profile)
            return
        check(shiftcalc.explain(scenario.schedule, at, profile=profile), scenario.schedule)


@settings(deadline=None, max_examples=100)
@given(cases(), st.data())
def test_user_answer_agrees_with_resolution(
    case: tuple[Scenario, Profile, datetime], data: st.DataObject
) -> None:
    """``user=``: on call exactly when on_call_at says; nearest turns are theirs and on the
    right side of the instant (strict: the user is on call at each turn's start)."""
    scenario, profile, at = case
    schedule = scenario.schedule
    user = data.draw(st.sampled_from([u.id for u in schedule.users] or ["nobody"]))
    with hang_guard(60):
        try:
            result = shiftcalc.explain(schedule, at, user=user, profile=profile, horizon=SEARCH)
        except shiftcalc.EngineError:
            return  # OnCall's crash (the property above holds explain to on_call_at's)
    check(result, schedule)
    answer = result.user
    assert answer is not None
    assert answer.on_call == (user in result.on_call)
    utc_at = at.astimezone(UTC)
    if answer.previous is not None:
        assert answer.previous.start < answer.previous.end <= utc_at
    if answer.next is not None:
        assert utc_at <= answer.next.start < answer.next.end
        if profile == "strict":
            assert user in shiftcalc.on_call_at(schedule, answer.next.start)
    for hidden in answer.hidden:
        assert hidden.layer.outcome != "won" or hidden.by in ("swap", "override_first_user")


FAR = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 10)),
    st.datetimes(min_value=datetime(9999, 12, 20), max_value=datetime(9999, 12, 31, 23, 59)),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
).map(lambda d: d.replace(tzinfo=UTC))


@settings(deadline=None, max_examples=100)
@given(
    st.sampled_from(PROFILES),
    schedules(max_shifts=3),
    FAR,
    st.sampled_from([timedelta(days=1), timedelta(days=366), timedelta(days=40_000)]),
    st.data(),
)
def test_far_instants_and_horizons(
    profile: Profile, schedule: Schedule, at: datetime, horizon: timedelta, data: st.DataObject
) -> None:
    """Near the years 1 and 9999, any horizon: an answer agreeing with on_call_at, or a
    ShiftcalcError, in bounded time."""
    user = data.draw(st.sampled_from([u.id for u in schedule.users] or ["nobody"]))
    with hang_guard(60):
        try:
            result = shiftcalc.explain(schedule, at, user=user, profile=profile, horizon=horizon)
        except shiftcalc.ShiftcalcError:
            return
    check(result, schedule)
    assert result.user is not None and result.user.user == user


@settings(deadline=None, max_examples=50)
@given(
    st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just(datetime(2024, 1, 1))),
    st.one_of(st.integers(), st.just(timedelta(days=-1)), st.just(timedelta(0))),
)
def test_hostile_arguments_are_validation_errors(at: object, horizon: object) -> None:
    schedule = Schedule()
    with hang_guard(10):
        try:
            shiftcalc.explain(schedule, at, horizon=horizon)  # type: ignore[arg-type]
        except shiftcalc.ValidationError:
            return
    raise AssertionError("accepted")


def test_window_of_explain_is_the_point() -> None:
    """A guard of the plan: explain reads the point window, not a long one (the far past of
    a rotation costs nothing)."""
    scenario = shiftcalc.load_scenario(
        {
            "shifts": [
                {
                    "type": "rolling_users",
                    "start": "1900-01-01T00:00:00",
                    "duration": 3600,
                    "frequency": "hourly",
                    "rolling_users": [["a"], ["b"], ["c"]],
                    "start_rotation_from_user_index": 0,
                }
            ],
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        }
    )
    with hang_guard(30):
        for profile in PROFILES:
            at = datetime(9000, 6, 1, 12, 30, tzinfo=UTC)
            result = shiftcalc.explain(scenario.schedule, at, user="a", profile=profile)
            check(result, scenario.schedule)
            assert result.layers[0].turn is not None
    assert Window  # the public type the point window is built from


@settings(deadline=None, max_examples=100)
@given(st.sampled_from(PROFILES), st.data())
def test_layers_decide_as_resolve(profile: Profile, data: st.DataObject) -> None:
    """What explain reads is resolve's own input: the profile's merger on ``layers`` gives
    resolve's rows (strict) and events (oncall), over any window."""
    scenario = data.draw(scenarios(max_shifts=3, max_days=4, profile=profile))
    schedule, window = scenario.schedule, scenario.window
    try:
        expected = shiftcalc.resolve(schedule, window, profile=profile)
    except shiftcalc.ShiftcalcError as exc:
        with pytest.raises(type(exc)):
            layers(schedule, window, profile=profile)
        return
    found = layers(schedule, window, profile=profile)
    if profile == "strict":
        assert merge_spans(found.spans, found.window).shifts == expected.shifts
    else:
        assert final_events(resolve_events(found.events, found.window)) == expected.events
