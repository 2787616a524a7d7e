"""coverage against brute force, and hostile arguments: a right answer or a ShiftcalcError.

The oracle resolves the same schedule year by year over a long horizon and takes its first
gap; schedules are drawn to be nearly covered (turns that just meet, rules that skip days,
DST zones, monthly rules, ``until``, overrides in the future), so that gaps, when there are
any, tend to be late and near DST changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import ShiftcalcError, Window, coverage, load_scenario, resolve

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe"]
YEARS = 12


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, Any]:
    shifts: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["weekly", "daily", "monthly"]))
        hour = draw(st.sampled_from([0, 1, 2, 9]))
        day = draw(st.integers(1, 28))
        shift: dict[str, Any] = {
            "type": "rolling_users",
            "start": f"2035-01-{day:02d}T{hour:02d}:00:00",
            "frequency": kind,
            "rolling_users": [["alice"], ["bob"]][: draw(st.integers(1, 2))],
            "start_rotation_from_user_index": 0,
            "level": draw(st.integers(0, 1)),
            "time_zone": draw(st.sampled_from(ZONES)),
        }
        slack = draw(st.sampled_from([0, 0, -3600, 3600]))
        if kind == "weekly":
            shift |= {"duration": 604800 + slack, "week_start": "MO"}
        elif kind == "daily":
            shift |= {"duration": 86400 + slack}
            if draw(st.booleans()):
                shift |= {"type": "recurrent_event", "users": ["carol"], "by_day": ["MO", "WE"]}
                del shift["rolling_users"], shift["start_rotation_from_user_index"]
                shift["duration"] = 86400 * 5
        else:
            shift |= {"duration": 86400 * 31 + slack}
            if draw(st.booleans()):
                shift["by_monthday"] = [day]
        if draw(st.integers(0, 4)) == 0:
            shift["until"] = f"20{draw(st.integers(36, 45))}-03-{day:02d}T{hour:02d}:00:00"
        shifts.append(shift)
    if draw(st.booleans()):
        shifts.append(
            {
                "type": "override",
                "start": "2039-06-01T00:00:00",
                "duration": 86400,
                "users": ["dave"],
            }
        )
    return {
        "schedule": {"type": "calendar", "time_zone": draw(st.sampled_from(ZONES))},
        "shifts": shifts,
        "window": {"start": "2040-01-01", "end": "2040-01-02"},
    }


def _first_gap(schedule: Any, since: datetime) -> datetime | None:
    start = since
    for _ in range(YEARS):
        end = start + timedelta(days=365)
        gaps = resolve(schedule, Window(start=start, end=end)).gaps
        if gaps:
            return gaps[0].start
        start = end
    return None


# the oracle resolves 12 years per example: a tenth of the profile's examples
@settings(max_examples=max(10, settings.default.max_examples // 10), deadline=None)
@given(schedules(), st.integers(0, 4 * 365))
def test_coverage_agrees_with_brute_force(document: dict[str, Any], day: int) -> None:
    schedule = load_scenario(document).schedule
    since = datetime(2036, 1, 1, tzinfo=UTC) + timedelta(days=day)
    with hang_guard(60):
        result = coverage(schedule, since, horizon=timedelta(days=200 * 366))
    expected = _first_gap(schedule, since)
    if result.verdict == "covered":
        assert expected is None, result.argument
    elif result.verdict == "uncovered":
        assert result.first_gap is not None
        horizon = since + timedelta(days=365 * YEARS)
        if result.first_gap.start < horizon:
            assert result.first_gap.start == expected
        else:
            assert expected is None
    else:
        assert expected is None or expected >= result.checked.end


@settings(deadline=None)
@given(
    st.integers(1, 9999),
    st.one_of(st.integers(1, 10**6), st.integers(1, 315_537_897_599)),
    st.sampled_from(["weekly", "daily", "monthly", "hourly"]),
    st.one_of(st.integers(1, 3), st.integers(1, 10**5)),
    st.sampled_from([*ZONES, "Pacific/Apia", "Antarctica/Troll", "Pacific/Kiritimati"]),
    st.integers(1, 3),
    st.integers(1, 9999),
    st.booleans(),
)
def test_far_and_hostile_input_ends(
    year: int,
    seconds: int,
    frequency: str,
    interval: int,
    zone: str,
    min_users: int,
    since_year: int,
    monthly_day: bool,
) -> None:
    """Far years (1 and 9999), huge durations and intervals, odd zones: an answer or a
    ShiftcalcError, in time."""
    shift: dict[str, Any] = {
        "type": "rolling_users",
        "start": f"{year:04d}-01-01T00:00:00",
        "duration": seconds,
        "frequency": frequency,
        "interval": interval,
        "week_start": "MO",
        "rolling_users": [["a"], ["b"]],
        "start_rotation_from_user_index": 0,
    }
    if monthly_day:
        shift["by_monthday"] = [31]
    document = {
        "schedule": {"type": "calendar", "time_zone": zone},
        "shifts": [shift],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    }
    since = datetime(since_year, 1, 1, tzinfo=UTC)
    with hang_guard(60):
        try:
            schedule = load_scenario(document).schedule
            result = coverage(schedule, since, min_users=min_users, horizon=timedelta(days=120))
        except ShiftcalcError:
            return
    assert result.verdict in ("covered", "uncovered", "bounded")
    if result.first_gap is not None:
        assert since <= result.first_gap.start < result.first_gap.end
