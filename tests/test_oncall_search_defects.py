"""Regressions of the oncall profile's period search: old rotations, huge intervals and rarely
matching rules end in time, with OnCall's walk's VEVENTs (or its crash)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import hang_guard
from oncall_walk import generate, old_rotation
from shiftcalc import EngineError, Schedule, Shift, User, Window, resolve
from shiftcalc._model import interval_limit


def _rotation(**fields: object) -> Shift:
    return old_rotation(**{"frequency": "weekly", **fields})


@pytest.mark.parametrize("source", ["api", "web"])
@pytest.mark.parametrize(
    "rules",
    [
        {"frequency": "weekly"},
        {"frequency": "weekly", "by_day": ("MO", "FR"), "interval": 3, "week_start": "MO"},
        {"frequency": "weekly", "by_month": (2,), "until": datetime(1995, 1, 1)},
        {"frequency": "monthly"},
        {"frequency": "monthly", "by_monthday": (13,), "by_day": ("FR",), "interval": 7},
        {"frequency": "monthly", "by_month": (2,), "by_monthday": (30,)},
        {"frequency": "daily", "interval": 2},
        {"frequency": "hourly", "interval": 5, "until": datetime(2000, 1, 1)},
    ],
)
def test_a_rotation_started_in_1847_jumps_to_1990(rules: dict[str, object], source: str) -> None:
    """A rotation_start 143 years after start: the walk's VEVENTs, without the walk."""
    shift = _rotation(source=source, **rules)
    with hang_guard(30):
        events = generate(shift)
    assert events
    if rules["frequency"] in ("weekly", "monthly"):  # the walk is affordable there
        with hang_guard(120):
            assert events == generate(shift, walk=True)


@pytest.mark.parametrize(("frequency", "interval"), [("daily", 40), ("hourly", 800)])
def test_an_interval_past_the_search_horizon_steps_one_unit(frequency: str, interval: int) -> None:
    """OnCall's next period is a unit on when the rule's next start is beyond the search's
    month: the jump used to step by the interval there and gave the wrong group."""
    shift = _rotation(
        start=datetime(2021, 1, 1, 9),
        rotation_start=datetime(2021, 6, 1),
        frequency=frequency,
        interval=interval,
    )
    events = generate(shift)
    assert events == generate(shift, walk=True)
    assert events[0].users == ("d",)


@pytest.mark.parametrize("frequency", ["weekly", "monthly"])
def test_a_huge_weekly_or_monthly_interval_is_the_engines_crash(frequency: str) -> None:
    """OnCall's next period past 9999 is its own date arithmetic's overflow (the largest
    interval a shift may have reaches it from 2020: see _model.interval_limit)."""
    shift = _rotation(
        start=datetime(2020, 1, 1),
        rotation_start=datetime(2021, 1, 1),
        frequency=frequency,
        interval=interval_limit(frequency),
    )
    with hang_guard(30), pytest.raises(EngineError) as caught:
        generate(shift)
    assert caught.value.field == "shifts[0].interval"


@pytest.mark.parametrize("frequency", ["hourly", "daily"])
def test_a_huge_hourly_or_daily_interval_steps_one_unit(frequency: str) -> None:
    """The rule's next start is after 9999, where dateutil ends it: every period is the
    synthetic one, a unit on, as in the walk."""
    shift = _rotation(
        start=datetime(2020, 1, 1),
        rotation_start=datetime(2021, 1, 1),
        frequency=frequency,
        interval=interval_limit(frequency),
    )
    with hang_guard(30):
        events = generate(shift)
        assert events == generate(shift, walk=True)
    unit = timedelta(hours=1) if frequency == "hourly" else timedelta(days=1)
    assert [event.dtstart for event in events] == [
        datetime(2021, 1, 1, tzinfo=UTC) + unit * k for k in range(4)
    ]


def test_a_huge_interval_with_one_group_is_one_vevent() -> None:
    """With one group OnCall never searches a next period: no crash."""
    shift = _rotation(
        start=datetime(2020, 1, 1),
        rotation_start=datetime(2020, 1, 1),
        frequency="monthly",
        interval=interval_limit("monthly"),
        rolling_users=(("a",),),
    )
    with hang_guard(30):
        assert len(generate(shift)) == 1


_WINDOW = Window(start=datetime(2024, 6, 1, tzinfo=UTC), end=datetime(2024, 6, 15, tzinfo=UTC))


@pytest.mark.parametrize("profile", ["oncall", "strict"])
@pytest.mark.parametrize(
    "fields",
    [
        # hourly every 168 hours from a Monday never meets a Tuesday
        {"type": "recurrent_event", "users": ("a",)},
        # the eligible VEVENT is in Tokyo: its Tuesday 23:00 UTC is a Wednesday there
        {
            "type": "rolling_users",
            "rolling_users": (("a",), ("b",)),
            "start": datetime(2024, 1, 1, 23),
            "time_zone": "Asia/Tokyo",
        },
        {
            "type": "recurrent_event",
            "users": ("a",),
            "frequency": "daily",
            "interval": 1,
            "by_day": (),
            "by_month": (2,),
            "by_monthday": (30,),
        },
        {
            "type": "rolling_users",
            "rolling_users": (("a",), ("b",)),
            "frequency": "monthly",
            "interval": 7,
            "by_day": ("FR",),
            "by_monthday": (13,),
        },
    ],
)
def test_rules_that_rarely_or_never_meet_resolve_in_time(
    fields: dict[str, object], profile: str
) -> None:
    """Hourly by 168 with a weekday it never meets, February 30th, Friday the 13th every
    seventh month: resolved (an answer, not a hang) in both profiles."""
    values: dict[str, object] = {
        "start": datetime(2024, 1, 1, 9),
        "duration": timedelta(hours=1),
        "frequency": "hourly",
        "interval": 168,
        "by_day": ("TU",),
    }
    values.update(fields)
    schedule = Schedule(
        users=(User(id="a", username="a"), User(id="b", username="b")),
        shifts=(Shift(**values),),  # type: ignore[arg-type]
    )
    with hang_guard(30):
        resolution = resolve(schedule, _WINDOW, profile=profile)  # type: ignore[arg-type]
    if fields["type"] == "recurrent_event":
        assert resolution.shifts == ()
