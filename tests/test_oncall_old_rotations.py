"""Regressions of the oncall profile's period search for hourly and daily rotations whose step
depends on the calendar (BY-rules, intervals of 29-32 days or 673-745 hours): an old rotation
jumps to its first eligible period with the walk's VEVENTs, and resolves in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import hang_guard
from oncall_walk import generate, old_rotation
from shiftcalc import Schedule, Shift, User, Window, resolve
from shiftcalc.oncall.generation import _Generator
from shiftcalc.oncall.search import UnitWalk

_GROUPS = (("a",), ("b",), ("c",))
_USERS = tuple(User(id=name, username=name) for name in "abc")
_WINDOW = Window(start=datetime(2024, 6, 1, tzinfo=UTC), end=datetime(2024, 6, 15, tzinfo=UTC))

_CALENDAR_RULES = [
    {"frequency": "hourly", "by_day": ("MO", "WE", "FR")},
    {"frequency": "hourly", "by_day": ("SA", "SU"), "interval": 5},
    {"frequency": "hourly", "by_month": (2,)},
    {"frequency": "hourly", "by_monthday": tuple(range(1, 32, 2)), "interval": 5},
    {"frequency": "hourly", "by_day": ("FR",), "by_monthday": (13,), "interval": 100},
    {"frequency": "hourly", "interval": 700},
    {"frequency": "hourly", "interval": 745},
    {"frequency": "daily", "by_month": (2, 7)},
    {"frequency": "daily", "by_monthday": (13, -1), "interval": 3},
    {"frequency": "daily", "by_month": (2,), "by_monthday": (30,)},
    {"frequency": "daily", "interval": 29},
    {"frequency": "daily", "interval": 30},
    {"frequency": "daily", "interval": 32},
    {"frequency": "daily", "by_day": ("MO", "TU"), "by_month": (2,)},
    {"frequency": "daily", "by_day": ("MO", "WE", "FR"), "interval": 2},
]


def _rotation(**fields: object) -> Shift:
    return old_rotation(
        **{"start": datetime(1847, 1, 5, 9, 30), "rolling_users": _GROUPS, **fields}
    )


@pytest.mark.parametrize("source", ["api", "web"])
@pytest.mark.parametrize("rules", _CALENDAR_RULES)
def test_a_calendar_dependent_rotation_from_1847_resolves_in_time(
    rules: dict[str, object], source: str
) -> None:
    """143 years of hourly or daily periods before rotation_start: resolved, not walked."""
    schedule = Schedule(users=_USERS, shifts=(_rotation(source=source, **rules),))
    with hang_guard(30):
        resolve(schedule, _WINDOW, profile="oncall")


@pytest.mark.parametrize("source", ["api", "web"])
@pytest.mark.parametrize("rules", _CALENDAR_RULES)
def test_a_calendar_dependent_rotation_jumps_to_the_walks_vevents(
    rules: dict[str, object], source: str
) -> None:
    """A few months (hourly) or years (daily) of periods: the jump gives the walk's VEVENTs."""
    span = timedelta(days=75 if rules["frequency"] == "hourly" else 4 * 366)
    start = datetime(2019, 12, 30, 21, 15)
    shift = _rotation(
        source=source,
        start=start,
        rotation_start=start + span,
        time_zone="America/New_York",
        duration=timedelta(hours=25),
        **rules,
    )
    with hang_guard(120):
        assert generate(shift) == generate(shift, walk=True)


@pytest.mark.parametrize("frequency", ["hourly", "daily"])
def test_until_inside_the_skipped_periods_ends_the_jump_where_the_walk_ends(
    frequency: str,
) -> None:
    """Instances after until do not count, and no period after it is reached."""
    start = datetime(2020, 1, 30, 10)
    shift = _rotation(
        start=start,
        rotation_start=start + timedelta(days=60),
        until=start + timedelta(days=35, hours=5),
        frequency=frequency,
        by_monthday=(1, 2, 31),
        interval=3,
    )
    with hang_guard(120):
        assert generate(shift) == generate(shift, walk=True)


def test_a_month_too_short_for_the_interval_steps_one_unit_to_its_end() -> None:
    """Daily every 30 days: from a February day the next instance is past the horizon, so the
    walk steps a day at a time to March 1st, and from there 30 days again."""
    shift = _rotation(
        start=datetime(2021, 1, 20, 9),
        rotation_start=datetime(2021, 5, 1),
        frequency="daily",
        interval=30,
    )
    events = generate(shift)
    assert events == generate(shift, walk=True)
    # Jan 20, Feb 19, then Feb 20 ... Mar 1 (10 synthetic days), Mar 31, Apr 30, May 30
    assert [event.dtstart.date() for event in events] == [
        datetime(2021, 5, 30).date(),
        datetime(2021, 6, 29).date(),
        datetime(2021, 7, 29).date(),
    ]


@pytest.mark.parametrize(
    "rules",
    [
        {"frequency": "daily", "by_month": (2,), "by_monthday": (29,), "interval": 3},
        {"frequency": "daily", "interval": 31},
        {"frequency": "hourly", "interval": 730},
        {"frequency": "hourly", "by_month": (2, 3), "by_monthday": (-1,), "interval": 7},
    ],
)
def test_the_400_year_repetition_counts_what_the_runs_count(rules: dict[str, object]) -> None:
    """From 1200 to 1990 the walk repeats itself each Gregorian cycle: the repeats counted at
    once give the position and count that counting every run gives."""
    shift = _rotation(start=datetime(1200, 1, 3, 7), **rules)
    generator = _Generator(shift, "UTC", 0, "shift")
    last = (generator.last_ineligible() - generator.start) // (
        timedelta(hours=1) if rules["frequency"] == "hourly" else timedelta(days=1)
    )
    repeated = UnitWalk(generator, generator.start, last)
    counted = UnitWalk(generator, generator.start, last)
    counted.period = lambda: 1 << 80  # type: ignore[method-assign]
    with hang_guard(120):
        assert repeated.run() == counted.run()
