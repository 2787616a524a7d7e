"""The oncall profile's rotation generation: shortcuts must give OnCall's walk exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import Shift
from shiftcalc._oncall import VEvent, _Generator


def _generate(shift: Shift, *, walk: bool) -> list[VEvent]:
    generator = _Generator(shift, shift.time_zone or "UTC", 0, "shift")
    if walk:
        # OnCall's own way: every period from start, one after the other
        generator.skip_ineligible = lambda start: (start, 0)  # type: ignore[method-assign]
    return generator.generate()


@settings(deadline=None)
@given(
    frequency=st.sampled_from(["hourly", "daily"]),
    start=st.datetimes(datetime(2023, 1, 1), datetime(2025, 1, 1)).map(
        lambda value: value.replace(second=0, microsecond=0)
    ),
    delay_minutes=st.integers(0, 60 * 24 * 40),
    duration_minutes=st.sampled_from([15, 60, 480, 1440, 2000]),
    interval=st.integers(1, 3),
    groups=st.integers(1, 4),
    zone=st.sampled_from(["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]),
    source=st.sampled_from(["api", "web"]),
)
def test_skipping_ineligible_periods_equals_the_walk(
    frequency: str,
    start: datetime,
    delay_minutes: int,
    duration_minutes: int,
    interval: int,
    groups: int,
    zone: str,
    source: str,
) -> None:
    """Jumping over the periods before rotation_start builds the VEVENTs the walk builds."""
    shift = Shift(
        type="rolling_users",
        start=start,
        rotation_start=start + timedelta(minutes=delay_minutes),
        duration=timedelta(minutes=duration_minutes),
        frequency=frequency,  # type: ignore[arg-type]
        interval=interval,
        rolling_users=tuple((f"user{i}",) for i in range(groups)),
        start_rotation_from_user_index=0,
        time_zone=zone,
        source=source,  # type: ignore[arg-type]
    )
    try:
        walked = _generate(shift, walk=True)
    except Exception as exc:  # the engine's crashes (DST) must be the same both ways
        try:
            _generate(shift, walk=False)
        except Exception as other:
            assert (type(exc), str(exc)) == (type(other), str(other))
            return
        raise
    assert _generate(shift, walk=False) == walked


def test_a_rotation_start_years_later_is_not_walked() -> None:
    """An hourly rotation whose rotation_start is ten years after start: the same VEVENTs."""
    shift = Shift(
        type="rolling_users",
        start=datetime(2015, 1, 5, 9),
        rotation_start=datetime(2025, 3, 1),
        duration=timedelta(minutes=30),
        frequency="hourly",
        interval=1,
        rolling_users=(("a",), ("b",), ("c",)),
        start_rotation_from_user_index=0,
        time_zone="Europe/Berlin",
    )
    events = _generate(shift, walk=False)
    # OnCall's periods before eligibility are UTC hours from start; the first at or after
    # rotation_start is number k, and period k belongs to group k mod 3
    k = (datetime(2025, 3, 1) - datetime(2015, 1, 5, 9)) // timedelta(hours=1)
    order = [("a",), ("b",), ("c",)]
    assert [event.users for event in events] == [order[(k + i) % 3] for i in range(3)]
    assert [event.dtstart.replace(tzinfo=None) for event in events] == [
        datetime(2025, 3, 1, 0) + timedelta(hours=i) for i in range(3)
    ]
    assert events == _generate(shift, walk=True)
