"""Engine bugs found by the property and fuzz suites, each pinned by a named test."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from shiftcalc import EngineError, Schedule, User, Window
from shiftcalc._resolve import resolve
from shiftcalc._scenario import load_scenario
from shiftcalc.ical import calendar_records

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
        pytest.param(  # _expand.py: wall_clock(window.end) + 1 day; oncall: end + 16 days
            ONE_HOUR,
            {"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T01:00:00Z"},
            id="window-at-year-9999",
        ),
        pytest.param(  # _expand.py: wall_clock(window.start) - ...; oncall: start - 16 days
            ONE_HOUR,
            {"start": "0001-01-01T00:00:00Z", "end": "0001-01-01T01:00:00Z"},
            id="window-at-year-1",
        ),
        pytest.param(  # _expand.py: window wall clock - duration; oncall: start + duration
            # (10**12 s, 31,700 years, is now refused by the loader: test_loader_defects.py)
            {**ONE_HOUR, "duration": 9_000 * 365 * 86_400},
            {"start": "2024-01-01", "end": "2024-01-02"},
            id="duration-of-9000-years",
        ),
        pytest.param(  # a shift ending after 9999-12-31
            {**ONE_HOUR, "start": "9999-12-31T23:00:00", "duration": 7200},
            {"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T23:59:00Z"},
            id="shift-ending-after-year-9999",
        ),
    ],
)
def test_bug_2_extreme_datetimes_are_computed_or_an_engine_crash(
    shift: dict[str, object], window: dict[str, str], profile: str
) -> None:
    """Datetimes near the years 1 and 9999 are computed, margins cut at the ends of time.

    The loader takes any ``YYYY-MM-DDTHH:MM:SS`` and any integer duration; the expansion then
    adds margins (1 day strict, 16 days oncall) or the duration to datetimes at the edge of
    ``datetime``'s range, which used to escape as a bare OverflowError (then was refused as a
    ValidationError naming the window). Strict cuts an end after 9999 at the last instant;
    OnCall's engine crashes computing such a DTEND (an EngineError naming the duration).
    """
    scenario = load_scenario({"shifts": [shift], "window": window}, profile=profile)  # type: ignore[arg-type]
    start = datetime.fromisoformat(str(shift["start"]))
    ends_after_9999 = timedelta(seconds=int(str(shift["duration"]))) > datetime.max - start
    if profile == "oncall" and ends_after_9999:
        with pytest.raises(EngineError) as crash:
            resolve(scenario.schedule, scenario.window, profile=profile)
        assert crash.value.field == "shifts[0].duration"
        return
    rows = resolve(scenario.schedule, scenario.window, profile=profile).shifts  # type: ignore[arg-type]
    expected = (
        [
            (
                max(scenario.window.start, datetime.fromisoformat(str(shift["start"]) + "+00:00")),
                scenario.window.end,
            )
        ]
        if ends_after_9999
        else []
    )
    assert [(row.start, row.end) for row in rows] == expected


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


def test_bug_3_also_in_freetown_1939() -> None:
    """Freetown kept summer time four days in 1939 (−1:00 to −0:40 on 09-01 01:00Z, back on
    09-05 00:40Z). 00:10 on 09-01 is skipped: it takes −1:00, starts 01:10Z, which the clock
    shows as 00:30, so the start moved 20 minutes and so does the end: 09-05 12:10 + 20 min =
    12:30 at −1:00, 13:30Z. The fast path took equal offsets at both ends of a 4.5-day span
    to mean no change in between."""
    document = {
        "schedule": {"time_zone": "Africa/Freetown"},
        "users": ["a"],
        "shifts": [
            {
                "type": "single_event",
                "start": "1939-09-01T00:10:00",
                "duration": 4 * 86400 + 12 * 3600,
                "users": ["a"],
            }
        ],
        "window": {"start": "1939-08-30T00:00:00Z", "end": "1939-09-10T00:00:00Z"},
    }
    scenario = load_scenario(document)
    rows = resolve(scenario.schedule, scenario.window).shifts
    assert [(r.start.isoformat(), r.end.isoformat()) for r in rows] == [
        ("1939-09-01T01:10:00+00:00", "1939-09-05T13:30:00+00:00")
    ]


TROLL_HOURLY = {
    "type": "rolling_users",
    "start": "2024-03-31T00:00:00",
    "duration": 3600,
    "frequency": "hourly",
    "interval": 1,
    "rolling_users": [["u"], ["v"], ["w"]],
    "start_rotation_from_user_index": 0,
}


@pytest.mark.parametrize(
    ("shift", "window_end", "expected"),
    [
        # the window ends at 01:30Z: u's turn from wall 03:00 starts at 01:00Z too
        (TROLL_HOURLY, "2024-03-31T01:30:00Z", {("u", "01:00"), ("v", "01:00")}),
        (TROLL_HOURLY, "2024-03-31T03:00:00Z", {("u", "01:00"), ("v", "01:00")}),
        # until 01:30 (read as 01:30Z in Troll's UTC winter) keeps wall 03:00 (01:00Z)
        (
            {**TROLL_HOURLY, "until": "2024-03-31T01:30:00"},
            "2024-03-31T03:00:00Z",
            {("u", "01:00"), ("v", "01:00")},
        ),
    ],
)
def test_bug_4_later_wall_times_can_start_earlier_across_a_gap(
    shift: dict[str, object], window_end: str, expected: set[tuple[str, str]]
) -> None:
    """Antarctica/Troll goes from +00 to +02 at 01:00Z on 2024-03-31: wall times 01:00 to
    03:00 are skipped. An hourly rotation (u, v, w from 00:00) has v at wall 01:00 (01:00Z,
    the offset before the gap), w at 02:00 (02:00Z) and u again at 03:00, which is +02: 01:00Z.
    So a later wall time starts earlier, and the expansion stopped at the first start past
    the window's end (or past until), losing u's turn."""
    document = {
        "schedule": {"time_zone": "Antarctica/Troll"},
        "users": ["u", "v", "w"],
        "shifts": [shift],
        "window": {"start": "2024-03-31T01:00:00Z", "end": window_end},
    }
    scenario = load_scenario(document)
    rows = resolve(scenario.schedule, scenario.window).shifts
    at_one = {(r.user, f"{r.start:%H:%M}") for r in rows if r.start.hour == 1}
    assert at_one == expected


def _oncall_rows(
    shift: dict[str, object], zone: str, start: str, end: str
) -> list[tuple[str, str]]:
    document = {
        "schedule": {"type": "calendar", "time_zone": zone},
        "users": ["a", "b"],
        "shifts": [shift],
        "window": {"start": start, "end": end},
    }
    scenario = load_scenario(document, profile="oncall")
    rows = resolve(scenario.schedule, scenario.window, profile="oncall").shifts
    return [(f"{r.start:%Y-%m-%dT%H:%MZ}", f"{r.end:%Y-%m-%dT%H:%MZ}") for r in rows]


# Bugs 5 to 7 came from comparing the oncall expansion with recurring-ical-events 2.1.0 (the
# version OnCall pins) on generated VEVENTs; each expected answer is that library's.


def test_bug_5_a_single_events_until_only_caps_its_end() -> None:
    """OnCall writes UNTIL only in an RRULE, and a single event has none: ``until`` cuts its
    DTEND (as a wall time) and nothing else. 09:00-12:00 New York cut at 10:00 is 14:00Z to
    15:00Z, though 10:00 read as a UTC instant is before the start."""
    shift = {
        "type": "single_event",
        "start": "2024-01-10T09:00:00",
        "duration": 3 * 3600,
        "until": "2024-01-10T10:00:00",
        "users": ["a"],
    }
    rows = _oncall_rows(shift, "America/New_York", "2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z")
    assert rows == [("2024-01-10T14:00Z", "2024-01-10T15:00Z")]


def test_bug_5_a_single_event_cut_before_its_start_crashes_like_oncall() -> None:
    """``until`` before the start makes DTEND earlier than DTSTART: recurring-ical-events'
    assertion, OnCall's HTTP 500."""
    shift = {
        "type": "single_event",
        "start": "2024-01-10T09:00:00",
        "duration": 3600,
        "until": "2024-01-09T00:00:00",
        "users": ["a"],
    }
    with pytest.raises(EngineError, match="must start before it ends") as raised:
        _oncall_rows(shift, "UTC", "2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z")
    assert raised.value.field == "shifts[0].until"


@pytest.mark.parametrize(
    "shift",
    [
        {"type": "single_event", "users": ["a"]},
        {"type": "override", "users": ["a"]},
        {"type": "recurrent_event", "frequency": "daily", "users": ["a"]},
        {"type": "recurrent_event", "frequency": "daily", "until": "2024-02-01T00:00:00",
         "users": ["a"]},
    ],
)  # fmt: skip
def test_oncall_crash_of_a_negative_duration_names_the_duration(shift: dict[str, object]) -> None:
    """A negative duration makes DTEND earlier than DTSTART: OnCall's crash names
    ``shifts[0].duration`` (it named ``until``, which most of these shifts do not have; the
    until after the start does not cut DTEND)."""
    shift = {**shift, "start": "2024-01-10T09:00:00", "duration": -5}
    with pytest.raises(EngineError, match="must start before it ends") as raised:
        _oncall_rows(shift, "UTC", "2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z")
    assert (raised.value.field, raised.value.value) == (
        "shifts[0].duration",
        "2024-01-10T08:59:55",
    )


@pytest.mark.parametrize(
    ("zone", "start", "until", "window", "expected"),
    [
        # +00 to +02 on 03-31: 10:00 on 04-02 is 08:00Z, before UNTIL 08:30Z, but at DTSTART's
        # offset it is 10:00Z, past UNTIL + 1 h: recurring-ical-events has stopped by then
        (
            "Antarctica/Troll",
            "2024-03-28T10:00:00",
            "2024-04-02T08:30:00",
            ("2024-04-01T00:00:00Z", "2024-04-03T00:00:00Z"),
            [("2024-04-01T08:00Z", "2024-04-01T09:00Z")],
        ),
        # Samoa skipped 2011-12-30 (-10 to +14): 10:00 on 2012-01-02 is 20:00Z the day before
        (
            "Pacific/Apia",
            "2011-12-27T10:00:00",
            "2012-01-02T12:00:00",
            ("2011-12-31T00:00:00Z", "2012-01-04T00:00:00Z"),
            [("2011-12-31T20:00Z", "2011-12-31T21:00Z")],
        ),
    ],
)
def test_bug_6_until_stops_the_expansion_at_dtstarts_offset(
    zone: str, start: str, until: str, window: tuple[str, str], expected: list[tuple[str, str]]
) -> None:
    """recurring-ical-events 2.1.0 gives dateutil UNTIL + 1 h, and dateutil compares each start
    at DTSTART's offset: after an offset grew by more than an hour, starts before UNTIL are
    lost. OnCall shows what that library yields."""
    shift = {
        "type": "recurrent_event",
        "start": start,
        "duration": 3600,
        "frequency": "daily",
        "interval": 1,
        "until": until,
        "users": ["a"],
    }
    assert _oncall_rows(shift, zone, *window) == expected


TOKYO_CUT = {  # its second VEVENT ends (20:00 on 05-01) before it starts (00:00 on 05-02)
    "type": "rolling_users",
    "start": "2024-05-01T00:00:00",
    "duration": 86400,
    "frequency": "daily",
    "interval": 1,
    "rolling_users": [["a"], ["b"]],
    "start_rotation_from_user_index": 0,
    "until": "2024-05-01T20:00:00",
    "time_zone": "Asia/Tokyo",
}


def test_bug_7_the_crash_looks_from_midnight_before_the_padded_window() -> None:
    """recurring-ical-events starts its span at midnight (UTC) of the padded window's first
    day: for a window at 05-17 18:00Z that is 05-01 00:00Z, so the broken VEVENT (DTSTART
    05-01 15:00Z) is looked at and OnCall crashes; from 05-18 00:00Z the span starts at 05-02
    00:00Z (moved 4 hours later by the negative length) and nothing breaks."""
    with pytest.raises(EngineError, match="must start before it ends"):
        _oncall_rows(TOKYO_CUT, "UTC", "2024-05-17T18:00:00Z", "2024-05-18T00:00:00Z")
    assert _oncall_rows(TOKYO_CUT, "UTC", "2024-05-18T00:00:00Z", "2024-05-18T06:00:00Z") == []


# Bugs 8 to 14: iCalendar schedules in the oncall profile against recurring-ical-events 2.1.0
# (OnCall's expansion of imported calendars); each expected answer is that library's.


def _ical_rows(*events: list[str], start: str, end: str) -> list[tuple[str, str, str]]:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shiftcalc//test//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", "UID:u1", "DTSTAMP:20240101T000000Z", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    schedule = Schedule(
        type="ical", users=(User(id="alice", username="alice"), User(id="bob", username="bob"))
    )
    window = Window(
        start=datetime.fromisoformat(start).replace(tzinfo=UTC),
        end=datetime.fromisoformat(end).replace(tzinfo=UTC),
    )
    records = calendar_records(
        "\r\n".join(lines) + "\r\n", schedule, window, profile="oncall", overrides=False
    )
    return sorted(
        (f"{r.start:%m-%dT%H:%MZ}", f"{r.end:%m-%dT%H:%MZ}", r.users[0]) for r in records
    )


def test_bug_8_a_modified_instance_replaces_one_occurrence_of_its_day() -> None:
    """recurring-ical-events keeps one occurrence per UID and day to compare with: a modified
    instance that comes after its series replaces the last occurrence of its day (18:00
    here), not every occurrence that day."""
    rows = _ical_rows(
        [
            "DTSTART:20240301T000000Z",
            "DTEND:20240301T010000Z",
            "RRULE:FREQ=HOURLY;INTERVAL=6;COUNT=4",
            "SUMMARY:alice",
        ],
        [
            "RECURRENCE-ID:20240301T060000Z",
            "DTSTART:20240301T070000Z",
            "DTEND:20240301T080000Z",
            "SUMMARY:bob",
        ],
        start="2024-03-01",
        end="2024-03-02",
    )
    assert rows == [
        ("03-01T00:00Z", "03-01T01:00Z", "alice"),
        ("03-01T06:00Z", "03-01T07:00Z", "alice"),
        ("03-01T07:00Z", "03-01T08:00Z", "bob"),
        ("03-01T12:00Z", "03-01T13:00Z", "alice"),
    ]


def test_bug_9_two_wall_times_on_one_instant_are_two_occurrences() -> None:
    """Berlin skips 02:00-03:00 on 2024-03-31: an hourly series from 01:00 has 02:00 (read at
    +01, 01:00Z) and 03:00 (+02, 01:00Z too). The library keeps both; OnCall's end rule then
    drops the first (its end moves before its start) and keeps the second."""
    rows = _ical_rows(
        [
            "DTSTART;TZID=Europe/Berlin:20240331T010000",
            "DTEND;TZID=Europe/Berlin:20240331T013000",
            "RRULE:FREQ=HOURLY;COUNT=3",
            "SUMMARY:alice",
        ],
        start="2024-03-30",
        end="2024-04-01",
    )
    assert rows == [
        ("03-31T00:00Z", "03-31T00:30Z", "alice"),
        ("03-31T01:00Z", "03-31T01:30Z", "alice"),
    ]


def test_bug_10_an_rdate_counts_when_dtstart_is_past_until() -> None:
    """UNTIL before DTSTART: the series is empty and DTSTART is dropped (the event has a
    UTC value, so the library checks UNTIL), but an RDATE is still an occurrence."""
    rows = _ical_rows(
        [
            "DTSTART:20241028T004500",
            "DURATION:PT1H",
            "RRULE:FREQ=HOURLY;UNTIL=20241028",
            "RDATE:20241028T120000Z",
            "SUMMARY:alice",
        ],
        start="2024-10-27",
        end="2024-10-29",
    )
    assert rows == [("10-28T12:00Z", "10-28T13:00Z", "alice")]


def test_bug_11_an_imported_event_that_ends_before_it_starts_crashes_like_oncall() -> None:
    """Troll skips 01:00-03:00 on 2024-03-31: DTSTART 02:00 reads as 02:00Z (the offset before
    the gap) and DTEND 03:00 as 01:00Z. The library's assertion is OnCall's HTTP 500; the
    event used to vanish silently."""
    with pytest.raises(EngineError, match="must start before it ends"):
        _ical_rows(
            [
                "DTSTART;TZID=Antarctica/Troll:20240331T020000",
                "DTEND;TZID=Antarctica/Troll:20240331T030000",
                "SUMMARY:alice",
            ],
            start="2024-03-30",
            end="2024-04-02",
        )


def test_bug_12_a_period_end_is_normalised_like_any_end() -> None:
    """OnCall re-reads every end at the offset in force then, an RDATE PERIOD's too. Berlin:
    a period to 02:30 on 2024-03-31 (skipped: read at +01, 01:30Z) ends at 02:30 +02, 00:30Z;
    a period in Troll's gap (01:00 to 02:00, both read at +00) ends at 00:00Z, before its
    start, and is dropped; a UTC period end stays as written."""
    berlin = _ical_rows(
        [
            "DTSTART;TZID=Europe/Berlin:20240330T223000",
            "DTEND;TZID=Europe/Berlin:20240330T233000",
            "RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20240330T223000/20240331T023000",
            "SUMMARY:alice",
        ],
        start="2024-03-30",
        end="2024-04-01",
    )
    assert berlin == [("03-30T21:30Z", "03-31T00:30Z", "alice")]
    troll = _ical_rows(
        [
            "DTSTART;TZID=Antarctica/Troll:20240329T030000",
            "DTEND;TZID=Antarctica/Troll:20240329T040000",
            "RDATE;VALUE=PERIOD;TZID=Antarctica/Troll:20240331T010000/20240331T020000",
            "SUMMARY:alice",
        ],
        start="2024-03-28",
        end="2024-04-02",
    )
    assert troll == [("03-29T03:00Z", "03-29T04:00Z", "alice")]


def test_bug_13_an_rdate_equal_to_a_series_instance_replaces_it() -> None:
    """Troll's series at 02:00 began in summer (+02): its 2024-10-31 instance is 02:00+02 to
    dateutil, the same instant as the RDATE 00:00 (+00 by then). dateutil keeps one of equal
    values, the RDATE's, and recurring-ical-events reads it at 00:00Z; the series' 02:00Z
    occurrence that day is gone."""
    rows = _ical_rows(
        [
            "DTSTART;TZID=Antarctica/Troll:20241025T020000",
            "DURATION:PT2H",
            "RRULE:FREQ=DAILY;COUNT=8",
            "RDATE;TZID=Antarctica/Troll:20241031T000000",
            "SUMMARY:alice",
        ],
        start="2024-10-30",
        end="2024-11-01",
    )
    assert rows == [
        ("10-30T02:00Z", "10-30T04:00Z", "alice"),
        ("10-31T00:00Z", "10-31T02:00Z", "alice"),
    ]


def test_bug_14_an_exdate_removes_the_series_value_it_equals() -> None:
    """Troll's hourly series from 00:00 (+02) on 2024-10-27, the night it falls back to +00 at
    01:00Z. dateutil compares EXDATE 03:00 (+00, 03:00Z) with its values at DTSTART's offset,
    so it drops wall 05:00 (05:00+02 is 03:00Z); recurring-ical-events then drops wall 03:00,
    whose localised start is 03:00Z: both are gone."""
    rows = _ical_rows(
        [
            "DTSTART;TZID=Antarctica/Troll:20241027T000000",
            "DTEND;TZID=Antarctica/Troll:20241027T020000",
            "RRULE:FREQ=HOURLY;COUNT=8",
            "EXDATE;TZID=Antarctica/Troll:20241027T030000",
            "SUMMARY:alice",
        ],
        start="2024-10-26",
        end="2024-10-29",
    )
    assert [start for start, _, _ in rows] == [
        "10-26T22:00Z",
        "10-27T01:00Z",
        "10-27T02:00Z",
        "10-27T04:00Z",
        "10-27T06:00Z",
        "10-27T07:00Z",
    ]


@pytest.mark.parametrize(
    ("frequency", "interval", "by", "start", "first_turns"),
    [
        # weekly Mondays from a Wednesday: 8, 15 and 22 January
        (
            "weekly",
            1,
            {"by_day": ["MO"]},
            "2024-01-03T09:00:00",
            ["01-08 08:00", "01-15 08:00", "01-22 08:00"],
        ),
        # every other week from the week of 3 January: its Monday is before start (RFC 5545
        # drops it), so the first is the 15th
        (
            "weekly",
            2,
            {"by_day": ["MO"]},
            "2024-01-03T09:00:00",
            ["01-15 08:00", "01-29 08:00", "02-12 08:00"],
        ),
        # the 5th of each month from the 20th: February's is the first (09:00 in Berlin is
        # 07:00Z in summer time)
        (
            "monthly",
            1,
            {"by_monthday": [5]},
            "2024-01-20T09:00:00",
            ["02-05 08:00", "03-05 08:00", "04-05 07:00"],
        ),
    ],
)
def test_bug_15_the_first_occurrence_is_the_named_groups_turn(
    frequency: str, interval: int, by: dict[str, list[object]], start: str, first_turns: list[str]
) -> None:
    """strict counted turns from the period holding ``start``: a Monday rotation started on a
    Wednesday gave its first Monday to the group after the one start_rotation_from_user_index
    names (bob for "start with alice"). Turns now count from the first occurrence (DESIGN,
    strict rule 7), as Grafana OnCall gives the first shift to the named user."""
    shift = {
        "type": "rolling_users",
        "start": start,
        "duration": 8 * 3600,
        "frequency": frequency,
        "interval": interval,
        "week_start": "MO",
        "rolling_users": [["alice"], ["bob"], ["carol"]],
        "start_rotation_from_user_index": 0,
        **by,
    }
    document = {
        "schedule": {"type": "calendar", "time_zone": "Europe/Berlin"},
        "shifts": [shift],
        "window": {"start": "2024-01-01T00:00:00Z", "end": "2024-04-30T00:00:00Z"},
    }
    scenario = load_scenario(json.dumps(document))
    rows = resolve(scenario.schedule, scenario.window).shifts
    found = [(row.user, row.start.strftime("%m-%d %H:%M")) for row in rows[:3]]
    assert found == list(zip(["alice", "bob", "carol"], first_turns, strict=True))
