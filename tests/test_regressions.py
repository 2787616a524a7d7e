"""Engine bugs found by the property and fuzz suites, each pinned by a named test."""

from __future__ import annotations

import pytest

from shiftcalc import ValidationError
from shiftcalc._resolve import resolve
from shiftcalc._scenario import load_scenario

WINDOW = {"start": "2019-01-01T00:00:00Z", "end": "2019-01-15T00:00:00Z"}


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_bug_1_weekly_shift_with_by_monthday(profile: str) -> None:
    """Weekly + by_monthday (the API accepts it) expands with by_monthday as a filter.

    It used to load and then fail: RecurrenceRule refused WEEKLY with BYMONTHDAY, which RFC
    5545 forbids. Now it reads as dateutil reads it, the days of each week that are a 1st.
    """
    document = {
        "users": ["alice"],
        "shifts": [
            {
                "type": "recurrent_event",
                "start": "2019-01-01T00:00:00",
                "duration": 900,
                "frequency": "weekly",
                "week_start": "MO",
                "by_monthday": [1],
                "users": ["alice"],
            }
        ],
        "window": WINDOW,
    }
    scenario = load_scenario(document, profile=profile)  # type: ignore[arg-type]
    rows = resolve(scenario.schedule, scenario.window, profile=profile).shifts  # type: ignore[arg-type]
    # 2019-01-01 is the only 1st in the window; DTSTART (a Tuesday) is that day
    assert [(r.user, r.start.isoformat(), r.end.isoformat()) for r in rows] == [
        ("alice", "2019-01-01T00:00:00+00:00", "2019-01-01T00:15:00+00:00")
    ]


ONE_HOUR = {
    "type": "single_event",
    "start": "2024-01-01T00:00:00",
    "duration": 3600,
    "users": ["a"],
}


@pytest.mark.parametrize("profile", ["strict", "oncall"])
@pytest.mark.parametrize(
    ("shift", "window"),
    [
        pytest.param(  # _expand.py: wall_clock(window.end) + 1 day; _oncall.py: end + 16 days
            ONE_HOUR,
            {"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T01:00:00Z"},
            id="window-at-year-9999",
        ),
        pytest.param(  # _expand.py: wall_clock(window.start) - ...; _oncall.py: start - 16 days
            ONE_HOUR,
            {"start": "0001-01-01T00:00:00Z", "end": "0001-01-01T01:00:00Z"},
            id="window-at-year-1",
        ),
        pytest.param(  # _expand.py: window wall clock - duration; _oncall.py: start + duration
            {**ONE_HOUR, "duration": 10**12},
            {"start": "2024-01-01", "end": "2024-01-02"},
            id="duration-of-31700-years",
        ),
        pytest.param(  # a shift ending after 9999-12-31
            {**ONE_HOUR, "start": "9999-12-31T23:00:00", "duration": 7200},
            {"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T23:59:00Z"},
            id="shift-ending-after-year-9999",
        ),
    ],
)
def test_bug_2_extreme_datetimes_are_a_validation_error(
    shift: dict[str, object], window: dict[str, str], profile: str
) -> None:
    """Datetimes pushed past years 1..9999 give a ValidationError naming the window.

    The loader takes any ``YYYY-MM-DDTHH:MM:SS`` and any integer duration; the expansion then
    adds margins (1 day strict, 16 days oncall) or the duration to datetimes at the edge of
    ``datetime``'s range, which used to escape as a bare OverflowError.
    """
    scenario = load_scenario({"shifts": [shift], "window": window}, profile=profile)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        resolve(scenario.schedule, scenario.window, profile=profile)  # type: ignore[arg-type]
    assert caught.value.field == "window"
    assert "years 1 to 9999" in caught.value.reason


@pytest.mark.parametrize(
    ("days", "end"),
    [
        (3, "2000-10-11T04:30:00+00:00"),  # ends in summer time: 01:30-03:00
        (7, "2000-10-15T05:30:00+00:00"),  # summer time is over: 01:30-04:00
        (7.5, "2000-10-15T17:30:00+00:00"),  # 13:30-04:00
        (15, "2000-10-23T05:30:00+00:00"),
    ],
)
def test_bug_3_start_in_a_gap_with_the_offset_back_by_the_end(days: float, end: str) -> None:
    """A start in a DST gap moves its end with it, even when the offset is back by the end.

    America/Boa_Vista began summer time on 2000-10-08 (00:00-04:00 became 01:00-03:00) and left
    it on 2000-10-15. A shift at 00:30 that day starts at 01:30-03:00, so its wall-clock end
    moves an hour too. The fast path took equal offsets at both ends to mean "no change in
    between" for spans up to 14 days, but these changes are a week apart: 7-day shifts ended an
    hour early (tests/test_zone_data.py now checks the spacing the fast path assumes).
    """
    document = {
        "schedule": {"time_zone": "America/Boa_Vista"},
        "users": ["a"],
        "shifts": [
            {
                "type": "single_event",
                "start": "2000-10-08T00:30:00",
                "duration": int(days * 86400),
                "users": ["a"],
            }
        ],
        "window": {"start": "2000-10-01T00:00:00Z", "end": "2000-11-01T00:00:00Z"},
    }
    scenario = load_scenario(document)
    rows = resolve(scenario.schedule, scenario.window).shifts
    assert [(r.start.isoformat(), r.end.isoformat()) for r in rows] == [
        ("2000-10-08T04:30:00+00:00", end)
    ]
