"""The oncall profile's rotation generation: shortcuts must give OnCall's walk exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_walk import generate
from shiftcalc import EngineError, Shift, Window
from shiftcalc._recurrence import RecurrenceRule
from shiftcalc._tz import as_utc, get_zone, naive_utc
from shiftcalc.oncall.generation import _Generator
from shiftcalc.oncall.occurrences import VEvent, occurrence_spans, pytz_localize, steady_runs


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
        walked = generate(shift, walk=True)
    except Exception as exc:  # the engine's crashes (DST) must be the same both ways
        try:
            generate(shift, walk=False)
        except Exception as other:
            assert (type(exc), str(exc)) == (type(other), str(other))
            return
        raise
    assert generate(shift, walk=False) == walked


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
    events = generate(shift, walk=False)
    # OnCall's periods before eligibility are UTC hours from start; the first at or after
    # rotation_start is number k, and period k belongs to group k mod 3
    k = (datetime(2025, 3, 1) - datetime(2015, 1, 5, 9)) // timedelta(hours=1)
    order = [("a",), ("b",), ("c",)]
    assert [event.users for event in events] == [order[(k + i) % 3] for i in range(3)]
    assert [event.dtstart.replace(tzinfo=None) for event in events] == [
        datetime(2025, 3, 1, 0) + timedelta(hours=i) for i in range(3)
    ]
    assert events == generate(shift, walk=True)


def _vevent(
    start: datetime,
    zone: str,
    length_minutes: int,
    rule: RecurrenceRule | None,
    *,
    until: datetime | None = None,
    web: bool = False,
) -> VEvent | None:
    """A VEVENT as OnCall writes it from a wall-clock start, or None where OnCall crashes."""
    try:
        dtstart = pytz_localize(start, zone, strict=True, field="start")
        dtend = pytz_localize(
            start + timedelta(minutes=length_minutes), zone, strict=True, field="end"
        )
    except EngineError:
        return None
    return VEvent(
        dtstart=dtstart,
        dtend=dtend,
        zone=zone,
        rule=rule,
        rule_until=until,
        users=("a",),
        level=0,
        is_override=False,
        web_source=web,
        rotation_start=as_utc(start + timedelta(hours=5) if web else start),
        shift_index=0,
        shift_id="s",
    )


DST_EDGES = [  # (a skipped or repeated wall time, its zone)
    (datetime(2024, 3, 10, 2, 30), "America/New_York"),  # springs forward
    (datetime(2024, 11, 3, 1, 30), "America/New_York"),  # falls back
    (datetime(2024, 3, 31, 2, 30), "Europe/Berlin"),
    (datetime(2024, 4, 7, 1, 45), "Australia/Lord_Howe"),  # half an hour back
    (datetime(2024, 10, 6, 2, 15), "Australia/Lord_Howe"),  # and forward
]
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]
CLOSE_CHANGES_FOR_SEARCH = [  # a week apart, a day skipped, two hours skipped
    (datetime(2000, 10, 8, 0, 30), "America/Boa_Vista"),
    (datetime(2011, 12, 30, 12), "Pacific/Apia"),
    (datetime(2024, 3, 31, 1, 30), "Antarctica/Troll"),
]
# a wall time and its zone: often one a DST change skips or repeats
WALL_TIMES = st.one_of(
    st.sampled_from(DST_EDGES),
    st.tuples(st.datetimes(datetime(2023, 1, 1), datetime(2025, 1, 1)), st.sampled_from(ZONES)),
)


def _assert_stepping_is_the_search(shift: Shift, zone: str, interval: int, stepper: str) -> None:
    """The generator's ``stepper`` (next_day, next_week) gives the search's next period from
    the first anchor, and whole rotations (or the same crash) with it as with the search."""
    generator = _Generator(shift, zone, 0, "shift")
    try:
        anchor = generator.anchor(generator.start, zone)
    except EngineError:
        return  # OnCall crashes on this DTSTART before any search
    stepped = getattr(generator, stepper)(anchor, interval)
    assert stepped == generator.search(anchor, next_period=True, interval=interval)
    searching = _Generator(shift, zone, 0, "shift")
    setattr(
        searching,
        stepper,
        lambda anchor, interval: searching.search(anchor, next_period=True, interval=interval),
    )
    try:
        expected = searching.generate()
    except EngineError as exc:
        try:
            generator.generate()
        except EngineError as other:
            assert str(other) == str(exc)
            return
        raise
    assert generator.generate() == expected


@settings(deadline=None, max_examples=300)
@given(
    case=WALL_TIMES,
    shift_days=st.integers(-2, 1),
    hour=st.sampled_from([None, 0, 1, 2, 3, 23]),
    by_day=st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), unique=True),
    interval=st.integers(1, 3),
    until_days=st.one_of(st.none(), st.integers(-2, 12)),
)
def test_stepping_days_equals_the_rule_search(
    case: tuple[datetime, str],
    shift_days: int,
    hour: int | None,
    by_day: list[str],
    interval: int,
    until_days: int | None,
) -> None:
    """The next period of a daily rotation, found by stepping days, is the search's answer:
    across DST changes (anchors the days before a skipped or repeated hour, where a day is 23
    or 25 hours long), with until, by_day and intervals."""
    start, zone = case
    start = start.replace(second=0, microsecond=0) + timedelta(days=shift_days)
    if hour is not None:
        start = start.replace(hour=hour)
    shift = Shift(
        type="rolling_users",
        start=start,
        duration=timedelta(hours=9),
        frequency="daily",
        interval=interval,
        by_day=tuple(by_day),
        until=None if until_days is None else start + timedelta(days=until_days, hours=5),
        rolling_users=(("a",), ("b",)),
        start_rotation_from_user_index=0,
        time_zone=zone,
    )
    _assert_stepping_is_the_search(shift, zone, interval, "next_day")


@settings(deadline=None, max_examples=300)
@given(
    case=st.one_of(WALL_TIMES, st.sampled_from(CLOSE_CHANGES_FOR_SEARCH)),
    shift_days=st.integers(-8, 1),
    hour=st.sampled_from([None, 0, 1, 2, 3, 23]),
    week_start=st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    interval=st.integers(1, 3),
    duration_hours=st.sampled_from([1, 9, 24, 24 * 7]),
    until_days=st.one_of(st.none(), st.integers(-2, 30)),
    rotation_days=st.one_of(st.none(), st.integers(0, 30)),
    source=st.sampled_from(["api", "web"]),
)
def test_stepping_weeks_equals_the_rule_search(
    case: tuple[datetime, str],
    shift_days: int,
    hour: int | None,
    week_start: str,
    interval: int,
    duration_hours: int,
    until_days: int | None,
    rotation_days: int | None,
    source: str,
) -> None:
    """The next period of a weekly rotation, found by stepping weeks, is the search's answer:
    across DST changes (where a week is an hour short or long, and the period's first day is
    a fixed-offset instant), week starts, intervals, until and web eligibility."""
    start, zone = case
    start = start.replace(second=0, microsecond=0) + timedelta(days=shift_days)
    if hour is not None:
        start = start.replace(hour=hour)
    shift = Shift(
        type="rolling_users",
        start=start,
        duration=timedelta(hours=duration_hours),
        frequency="weekly",
        week_start=week_start,
        interval=interval,
        until=None if until_days is None else start + timedelta(days=until_days, hours=5),
        rotation_start=None if rotation_days is None else start + timedelta(days=rotation_days),
        rolling_users=(("a",), ("b",), ("c",)),
        start_rotation_from_user_index=0,
        time_zone=zone,
        source=source,  # type: ignore[arg-type]
    )
    _assert_stepping_is_the_search(shift, zone, interval, "next_week")


@settings(deadline=None, max_examples=200)
@given(
    case=WALL_TIMES,
    freq=st.sampled_from(["HOURLY", "DAILY", "WEEKLY"]),
    interval=st.integers(1, 9),
    own_weekday=st.booleans(),
    length_minutes=st.sampled_from([30, 60 * 8, 60 * 24, 60 * 24 * 7, 60 * 24 * 9]),
    window_offset_days=st.integers(-20, 400),
    window_days=st.sampled_from([0, 1, 7, 60]),
)
def test_stepping_instances_equals_expanding_the_rule(
    case: tuple[datetime, str],
    freq: str,
    interval: int,
    own_weekday: bool,
    length_minutes: int,
    window_offset_days: int,
    window_days: int,
) -> None:
    """A VEVENT whose instances are a fixed step apart (OnCall's kinds) is expanded by
    stepping; the spans are those of expanding its rule, DST changes included."""
    start, zone = case
    start = start.replace(second=0, microsecond=0)
    weekday = ((start.weekday(), None),) if own_weekday and freq == "WEEKLY" else ()
    rule = RecurrenceRule(freq=freq, interval=interval, byday=weekday)
    event = _vevent(start, zone, length_minutes, rule)
    if event is None:
        return
    window_start = as_utc(start) + timedelta(days=window_offset_days, hours=5)
    window = Window(start=window_start, end=window_start + timedelta(days=window_days))
    stepped = occurrence_spans(event, window)
    with patch("shiftcalc.oncall.occurrences._fixed_step", return_value=None):
        assert occurrence_spans(event, window) == stepped


# Wall times by changes of offset that are unusually close or large (Freetown's four-day
# summer time of 1939 is left out: pytz's data lacks it, and the profile reads both).
CLOSE_CHANGES = [
    (datetime(2000, 10, 8, 0, 30), "America/Boa_Vista"),  # skipped; back a week later
    (datetime(2000, 10, 14, 23, 30), "America/Boa_Vista"),  # repeated
    (datetime(2011, 12, 30, 12), "Pacific/Apia"),  # a whole day skipped
    (datetime(2004, 6, 1), "America/Argentina/Tucuman"),  # two changes 12 days apart
    (datetime(2024, 3, 31, 1, 30), "Antarctica/Troll"),  # two hours skipped
    (datetime(1994, 12, 31, 12), "Pacific/Kiritimati"),  # a whole day skipped
]


@pytest.mark.parametrize(
    ("zone", "year"),
    [
        ("America/New_York", 2025),
        ("Australia/Lord_Howe", 2024),
        ("Europe/Dublin", 2024),  # summer time is its standard time (negative DST)
        ("America/Boa_Vista", 2000),
        ("Pacific/Apia", 2011),
        ("America/Argentina/Tucuman", 2004),
        ("Africa/Freetown", 1939),
        ("Antarctica/Troll", 2024),
        ("Pacific/Kiritimati", 1994),
        ("UTC", 2024),
    ],
)
def test_steady_runs_hold_one_offset_and_no_skipped_or_repeated_time(zone: str, year: int) -> None:
    """Every wall time of a run (every quarter of an hour) reads the run's offset with either
    fold: none is skipped or repeated, so localising it is subtracting the offset."""
    window = Window(
        start=datetime(year, 1, 1, tzinfo=UTC), end=datetime(year + 1, 1, 1, tzinfo=UTC)
    )
    runs = steady_runs(zone, window)
    assert runs, "no steady time at all"
    tz = get_zone(zone)
    quarter = timedelta(minutes=15)
    covered = timedelta(0)
    for run_start, run_end, offset in runs:
        wall = naive_utc(max(run_start, window.start - timedelta(days=20)))
        end = naive_utc(min(run_end, window.end + timedelta(days=40)))
        while wall < end:
            assert tz.utcoffset(wall) == offset == tz.utcoffset(wall.replace(fold=1)), wall
            wall += quarter
            covered += quarter
    # and the runs leave out only the days around changes
    assert covered > timedelta(days=300)


@settings(deadline=None, max_examples=300)
@given(
    case=st.one_of(WALL_TIMES, st.sampled_from(CLOSE_CHANGES)),
    freq=st.sampled_from(["HOURLY", "DAILY", "WEEKLY", None]),
    interval=st.integers(1, 9),
    length_minutes=st.sampled_from([0, 30, 60 * 8, 60 * 24, 60 * 24 * 7, 60 * 24 * 9]),
    window_offset_hours=st.integers(-24 * 20, 24 * 40),
    window_days=st.sampled_from([0, 1, 7, 60]),
    web=st.booleans(),
    until_hours=st.one_of(st.none(), st.integers(0, 24 * 30)),
)
def test_steady_runs_give_the_careful_offsets(
    case: tuple[datetime, str],
    freq: str | None,
    interval: int,
    length_minutes: int,
    window_offset_hours: int,
    window_days: int,
    web: bool,
    until_hours: int | None,
) -> None:
    """Occurrences whose offsets come from the zone's steady runs are those of the careful
    path (the offset six hours either side, then pytz), near close and large changes too."""
    start, zone = case
    start = start.replace(second=0, microsecond=0)
    event = _vevent(
        start,
        zone,
        length_minutes,
        None if freq is None else RecurrenceRule(freq=freq, interval=interval),
        until=None if until_hours is None else as_utc(start + timedelta(hours=until_hours)),
        web=web,
    )
    if event is None:
        return
    window_start = as_utc(start) + timedelta(hours=window_offset_hours)
    window = Window(start=window_start, end=window_start + timedelta(days=window_days))
    careful = occurrence_spans(event, window)
    assert occurrence_spans(event, window, steady_runs(zone, window)) == careful
