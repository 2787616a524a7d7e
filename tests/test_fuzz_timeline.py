"""Fuzz of the timeline pictures: any resolution renders, as valid XML and within the width.

Schedules and windows from shiftcalc.strategies (both profiles, swaps included), windows of a
minute to decades, near the years 1 and 9999, in zones with odd changes of offset, usernames
with markup, controls and wide characters, any width the API takes.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import (
    Schedule,
    ShiftcalcError,
    Window,
    load_scenario,
    resolve,
    timeline_svg,
    timeline_text,
)
from shiftcalc.strategies import scenarios, schedules

ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Antarctica/Troll",
         "Pacific/Apia", "Asia/Kolkata", "America/St_Johns", "Pacific/Kiritimati",
         "Etc/GMT+12", "UTC"]  # fmt: skip
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = st.text(
    alphabet=st.sampled_from(["a", "<", "&", '"', "\x01", "\n", "\x1b", "漢", "\u0301", "é", " "]),
    min_size=1,
    max_size=12,
)
SPANS = st.sampled_from(
    [
        timedelta(minutes=1),
        timedelta(hours=5),
        timedelta(days=1),
        timedelta(days=3),
        timedelta(days=40),
        timedelta(days=400),
    ]
)  # fmt: skip  (longer windows: test_decades_render, with a rotation of bounded output)
FAR_STARTS = st.sampled_from(
    [datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 3, 7, tzinfo=UTC),
     datetime(9999, 12, 20, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
     datetime(1970, 1, 1, tzinfo=UTC), datetime(2024, 3, 30, 22, tzinfo=UTC)]
)  # fmt: skip


def columns(line: str) -> int:
    """Terminal columns: wide characters two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in line
    )


def check(schedule: Schedule, window: Window, profile: str, width: int) -> None:
    """Both pictures of ``resolve(schedule, window)``, or a ShiftcalcError from resolving."""
    try:
        resolution = resolve(schedule, window, profile=profile)  # type: ignore[arg-type]
    except ShiftcalcError:
        return
    text = timeline_text(resolution, schedule, width=width)
    assert max(columns(line) for line in text.splitlines()) <= width
    assert "\x1b" not in text
    gaps = [gap for gap in resolution.gaps if gap.start < gap.end]
    if gaps:  # the grid starts where the lane names do (the third line)
        lines = text.splitlines()
        grid = len(lines[2]) - len(lines[2].lstrip())
        assert any(c in ".!" for line in lines[4:] if line[:1] != " " for c in line[grid:])
    root = ET.fromstring(timeline_svg(resolution, schedule))
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("data-lane")]
    final = [r for r in rects if r.get("data-lane") == "final"]
    rows = [row for row in resolution.shifts if row.start < row.end]
    assert len(final) == len(rows) + len(gaps)


@SETTINGS
@given(
    st.sampled_from(["strict", "oncall"]).flatmap(
        lambda p: st.tuples(scenarios(max_days=20, profile=p), st.just(p))
    ),
    st.integers(40, 160),
)
def test_any_scenario_renders(drawn: tuple[object, str], width: int) -> None:
    """A drawn scenario (its own window) renders in both forms, within the width."""
    scenario, profile = drawn
    with hang_guard(60):
        check(scenario.schedule, scenario.window, profile, width)  # type: ignore[attr-defined]


@SETTINGS
@given(
    st.sampled_from(["strict", "oncall"]).flatmap(
        lambda p: st.tuples(schedules(max_shifts=2, profile=p), st.just(p))
    ),
    FAR_STARTS,
    SPANS,
    st.sampled_from(ZONES),
    NAMES,
    st.integers(40, 120),
)
def test_far_windows_odd_zones_and_names_render(
    drawn: tuple[Schedule, str],
    start: datetime,
    span: timedelta,
    zone: str,
    name: str,
    width: int,
) -> None:
    """Windows near the ends of time, long and short, in odd zones, with hostile names."""
    schedule, profile = drawn
    end = (
        min(start + span, datetime.max.replace(tzinfo=UTC))
        if start.year < 9999
        else (datetime.max.replace(tzinfo=UTC))
    )
    if end <= start:
        return
    users = tuple(replace(user, username=f"{name}{i}") for i, user in enumerate(schedule.users))
    try:
        schedule = replace(schedule, time_zone=zone, name=name, users=users)
    except ShiftcalcError:
        return
    with hang_guard(60):
        check(schedule, Window(start=start, end=end), profile, width)


def test_a_user_directory_of_wide_names_keeps_the_width() -> None:
    """Double-width names in the legend are counted as two columns each."""
    users = [{"id": f"U{i}", "username": "漢字" * 8 + str(i)} for i in range(5)]
    scenario = load_scenario({
        "schedule": {"name": "漢" * 80},
        "users": users,
        "shifts": [{"type": "rolling_users", "start": "2024-01-01T00:00:00", "duration": 3600,
                    "frequency": "hourly", "rolling_users": [[f"U{i}"] for i in range(5)],
                    "start_rotation_from_user_index": 0}],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    })  # fmt: skip
    resolution = resolve(scenario.schedule, scenario.window)
    text = timeline_text(resolution, scenario.schedule, width=40)
    assert "漢字" in text
    assert max(columns(line) for line in text.splitlines()) <= 40


@pytest.mark.parametrize(
    ("start", "days", "zone"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), 3_000_000, "Europe/London"),
        (datetime(1990, 6, 1, tzinfo=UTC), 30_000, "Australia/Lord_Howe"),
        (datetime(1990, 6, 1, tzinfo=UTC), 3_000, "Antarctica/Troll"),
        (datetime(9000, 1, 1, tzinfo=UTC), 3_000_000, "Pacific/Apia"),
    ],
)
def test_decades_render(start: datetime, days: int, zone: str) -> None:
    """Windows of years to millennia (a weekly rotation: bounded output) render in time."""
    scenario = load_scenario({
        "schedule": {"time_zone": zone},
        "shifts": [{"type": "rolling_users", "start": "2000-01-03T09:00:00", "duration": 604800,
                    "frequency": "weekly", "week_start": "MO", "interval": 52,
                    "rolling_users": [["a"], ["b"]], "start_rotation_from_user_index": 0}],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    })  # fmt: skip
    end = min(start + timedelta(days=min(days, (datetime.max.replace(tzinfo=UTC) - start).days)),
              datetime.max.replace(tzinfo=UTC))  # fmt: skip
    with hang_guard(60):
        check(scenario.schedule, Window(start=start, end=end), "strict", 100)


def test_thousands_of_users_on_call_together_render_in_time() -> None:
    """One shift of 3,000 users (stacked in every lane): sub-rows are found with heaps, cells
    in one pass, so this is bounded work, not a quadratic blow-up."""
    users = [f"u{i}" for i in range(3000)]
    scenario = load_scenario({
        "schedule": {"time_zone": "Europe/London"},
        "shifts": [{"type": "recurrent_event", "start": "2024-01-01T08:00:00", "duration": 3600,
                    "frequency": "daily", "users": users}],
        "window": {"start": "2024-01-01", "end": "2024-01-08"},
    })  # fmt: skip
    with hang_guard(120):
        check(scenario.schedule, scenario.window, "strict", 100)
