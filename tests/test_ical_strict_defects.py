"""Regressions of the strict profile's iCalendar reading: a VEVENT that ends before it starts,
and RECURRENCE-ID;RANGE=THISANDFUTURE. Public API only, as tests/test_ical_defects.py.

Every expected value below is worked out by hand from the calendar text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest

from shiftcalc import CalendarError, EngineError, Schedule, Window, resolve
from shiftcalc.__main__ import main
from shiftcalc.ical import SkippedComponent, calendar_records

ENDS_BEFORE = "the event ends before it starts"


def _calendar(*events: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


def _event(*props: str, uid: str = "e1") -> str:
    return "".join(line + "\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _window(start: str = "2024-01-01", end: str = "2024-01-15") -> Window:
    return Window(start=_at(start), end=_at(end))


Row = tuple[str, str, str]


def _rows(
    calendar: str,
    profile: Literal["strict", "oncall"] = "strict",
    window: Window | None = None,
    *,
    time_zone: str = "UTC",
) -> list[Row]:
    schedule = Schedule(type="ical", time_zone=time_zone, ical_primary=calendar)
    shifts = resolve(schedule, window or _window(), profile=profile).shifts
    return [(r.user, f"{r.start:%m-%d %H:%M}", f"{r.end:%m-%d %H:%M}") for r in shifts]


# a good VEVENT next to the bad one (line 3 is the bad one's BEGIN:VEVENT)
CAROL = _event("DTSTART:20240110T090000Z", "DTEND:20240110T100000Z", "SUMMARY:carol", uid="good")

# --------------------------------------------------------------------------- 1. ends before


BACKWARDS = {
    "DTEND": (
        ("DTSTART:20240101T090000Z", "DTEND:20240101T080000Z"),
        "20240101T080000Z",
    ),
    "DTEND-zoned": (
        (
            "DTSTART;TZID=Europe/Berlin:20240101T090000",
            "DTEND;TZID=Europe/Berlin:20240101T085959",
        ),
        "20240101T085959",
    ),
    "DURATION": (("DTSTART:20240101T090000Z", "DURATION:-PT1H"), "-PT1H"),
    "RDATE": (
        (
            "DTSTART:20240101T090000Z",
            "DTEND:20240101T100000Z",
            "RDATE;VALUE=PERIOD:20240105T090000Z/20240105T080000Z",
        ),
        "20240105T090000Z/20240105T080000Z",
    ),
    "RDATE-duration": (
        (
            "DTSTART:20240101T090000Z",
            "DTEND:20240101T100000Z",
            "RDATE;VALUE=PERIOD:20240105T090000Z/-PT30M",
        ),
        "20240105T090000Z/-PT30M",
    ),
    "DTEND-date": (
        ("DTSTART;VALUE=DATE:20240103", "DTEND;VALUE=DATE:20240102"),
        "20240102",
    ),
    "DURATION-date": (("DTSTART;VALUE=DATE:20240103", "DURATION:-P1D"), "-P1D"),
}


@pytest.mark.parametrize("case", sorted(BACKWARDS))
def test_strict_refuses_a_vevent_that_ends_before_it_starts(case: str) -> None:
    """RFC 5545 §3.6.1: DTEND is later than DTSTART. Strict dropped such a VEVENT with no
    word; it raises a CalendarError naming the property that makes the end, with its value.
    oncall: OnCall's crash (recurring-ical-events' assertion, named DTEND), for an all-day
    one too (the library checks dates as it checks times; oncall gave a row that ended
    before it started)."""
    props, value = BACKWARDS[case]
    prop = case.split("-")[0]
    calendar = _calendar(_event(*props, "SUMMARY:alice"), CAROL)
    schedule = Schedule(type="ical", ical_primary=calendar)
    with pytest.raises(CalendarError) as raised:
        resolve(schedule, _window(), profile="strict")
    assert raised.value.field == f"VEVENT[UID=e1, line 3].{prop}"
    assert (raised.value.value, raised.value.reason) == (value, ENDS_BEFORE)
    with pytest.raises(EngineError, match="must start before it ends") as crashed:
        resolve(schedule, _window(), profile="oncall")
    assert crashed.value.field == "VEVENT[UID=e1, line 3].DTEND"


@pytest.mark.parametrize("case", sorted(BACKWARDS))
def test_strict_skips_and_reports_a_vevent_that_ends_before_it_starts(case: str) -> None:
    """With calendar_errors="skip" the VEVENT is left out and listed; the rest stays. A
    zero-length VEVENT (DTEND equal to DTSTART) is legal: on call for no time, no error."""
    props, _ = BACKWARDS[case]
    zero = _event("DTSTART:20240101T090000Z", "DTEND:20240101T090000Z", "SUMMARY:z", uid="z")
    calendar = _calendar(_event(*props, "SUMMARY:alice"), CAROL, zero)
    schedule = Schedule(type="ical", ical_primary=calendar)
    result = resolve(schedule, _window(), profile="strict", calendar_errors="skip")
    assert [(s.uid, s.line, s.property, s.reason) for s in result.skipped] == [
        ("e1", 3, case.split("-")[0], ENDS_BEFORE)
    ]
    assert [(r.user, r.start, r.end) for r in result.shifts] == [
        ("carol", _at("2024-01-10T09:00"), _at("2024-01-10T10:00"))
    ]


def test_strict_an_instance_taking_a_backwards_masters_length_is_refused_too() -> None:
    """A RECURRENCE-ID instance without an end of its own takes its master's, which ends
    before it starts: it is refused naming that DTEND (it was dropped silently as well)."""
    calendar = _calendar(
        _event(
            "RECURRENCE-ID:20240102T090000Z",
            "DTSTART:20240102T100000Z",
            "SUMMARY:bob",
            uid="s",
        ),
        _event(
            "DTSTART:20240101T090000Z",
            "DTEND:20240101T080000Z",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:alice",
            uid="s",
        ),
    )
    schedule = Schedule(type="ical", ical_primary=calendar)
    with pytest.raises(CalendarError) as raised:
        resolve(schedule, _window(), profile="strict")
    assert raised.value.field == "VEVENT[UID=s, line 3].DTEND"
    assert raised.value.value == "20240101T080000Z"
    assert raised.value.reason.startswith(ENDS_BEFORE)
    result = resolve(schedule, _window(), profile="strict", calendar_errors="skip")
    assert [(s.line, s.property) for s in result.skipped] == [(3, "DTEND"), (9, "DTEND")]
    assert result.shifts == ()


def test_strict_an_end_cut_at_the_end_of_time_is_no_error() -> None:
    """An end past 9999 in UTC is cut there (the last instant), not "before its start": a
    timed VEVENT, and an RDATE PERIOD (which was refused naming RRULE by an OverflowError)."""
    ny = "TZID=America/New_York"
    window = Window(start=_at("9999-12-31T00:00"), end=datetime.max.replace(tzinfo=UTC))
    end = f"{datetime.max:%m-%d %H:%M}"
    timed = _calendar(
        _event(f"DTSTART;{ny}:99991231T150000", f"DTEND;{ny}:99991231T220000", "SUMMARY:a")
    )
    assert _rows(timed, window=window) == [("a", "12-31 20:00", end)]
    period = _calendar(
        _event(
            "DTSTART:99991230T100000Z",
            "DTEND:99991230T110000Z",
            f"RDATE;VALUE=PERIOD;{ny}:99991231T150000/99991231T220000",
            "SUMMARY:a",
        )
    )
    assert _rows(period, window=window) == [("a", "12-31 20:00", end)]


def test_cli_final_shifts_reports_a_vevent_that_ends_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tester's report: final-shifts exited 0 with no rows and no warning."""
    path = tmp_path / "x.ics"
    props, _ = BACKWARDS["DTEND"]
    path.write_text(_calendar(_event(*props, "SUMMARY:alice")), encoding="utf-8")
    argv = ["final-shifts", str(path), "--window", "2024-01-01", "2024-01-15"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and "DTEND" in err and ENDS_BEFORE in err
    assert main([*argv, "--calendar-errors", "skip"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["results"] == []
    assert len(err.splitlines()) == 1 and "DTEND" in err


# --------------------------------------------------------------------------- 2. THISANDFUTURE


def _series(*props: str, uid: str = "s") -> str:
    """alice daily at 09:00Z for an hour, five days from 2024-01-01."""
    return _event(
        "DTSTART:20240101T090000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=5",
        "SUMMARY:alice",
        *props,
        uid=uid,
    )


def _future(rid: str, start: str, *props: str, rng: str = ";RANGE=THISANDFUTURE") -> str:
    return _event(f"RECURRENCE-ID{rng}:{rid}", f"DTSTART:{start}", *props, uid="s")


ALICE_1_2 = [("alice", "01-01 09:00", "01-01 10:00"), ("alice", "01-02 09:00", "01-02 10:00")]
BOB_3_5 = [("bob", f"01-0{d} 12:00", f"01-0{d} 13:00") for d in (3, 4, 5)]


def test_strict_thisandfuture_moves_the_later_instances() -> None:
    """RFC 5545 §3.8.4.4: the override at the 3rd (09:00 to 12:00, bob) applies to the 4th
    and 5th too: moved by 3 hours, the master's hour long (it has no end of its own), bob.

    oncall (recurring-ical-events 2.1.0) reads no RANGE, unchanged: what it gives today, the
    3rd's instance replaced by the override, which has no end (no row), the 4th and 5th
    alice's."""
    calendar = _calendar(_series(), _future("20240103T090000Z", "20240103T120000Z", "SUMMARY:bob"))
    assert _rows(calendar) == ALICE_1_2 + BOB_3_5
    alice = [("alice", f"01-0{d} 09:00", f"01-0{d} 10:00") for d in (1, 2, 4, 5)]
    assert _rows(calendar, "oncall") == alice
    ended = _calendar(
        _series(),
        _future("20240103T090000Z", "20240103T120000Z", "DTEND:20240103T140000Z", "SUMMARY:bob"),
    )
    assert _rows(ended, "oncall") == [
        *alice[:2],
        ("bob", "01-03 12:00", "01-03 14:00"),
        *alice[2:],
    ]


def test_strict_thisandfuture_takes_its_own_length_and_level() -> None:
    """Its own DTEND (2 hours) and [L2] level hold for the later instances too."""
    calendar = _calendar(
        _series(),
        _future(
            "20240103T090000Z", "20240103T120000Z", "DTEND:20240103T140000Z", "SUMMARY:[L2] bob"
        ),
    )
    schedule = Schedule(type="ical", ical_primary=calendar)
    rows = resolve(schedule, _window(), profile="strict").shifts
    got = [(r.user, r.level, f"{r.start:%d %H}", f"{r.end:%d %H}") for r in rows]
    assert got == [
        ("alice", 0, "01 09", "01 10"),
        ("alice", 0, "02 09", "02 10"),
        ("bob", 2, "03 12", "03 14"),
        ("bob", 2, "04 12", "04 14"),
        ("bob", 2, "05 12", "05 14"),
    ]


def test_strict_thisandfuture_before_the_window_still_moves_instances_in_it() -> None:
    """A window from the 4th: the override at the 3rd is outside it, its moves are not."""
    calendar = _calendar(_series(), _future("20240103T090000Z", "20240103T120000Z", "SUMMARY:bob"))
    assert _rows(calendar, window=_window("2024-01-04")) == BOB_3_5[1:]
    # a window that holds only the moved instance (09:00 is no longer on call on the 4th)
    assert _rows(calendar, window=_window("2024-01-04T11:30", "2024-01-04T12:30")) == [
        ("bob", "01-04 12:00", "01-04 12:30")
    ]
    assert _rows(calendar, window=_window("2024-01-04T09:00", "2024-01-04T10:00")) == []


def test_strict_several_thisandfuture_each_apply_until_the_next() -> None:
    """From the 2nd bob at 12:00, from the 4th carol at 07:00 (earlier than the master)."""
    calendar = _calendar(
        _future("20240104T090000Z", "20240104T070000Z", "SUMMARY:carol"),
        _series(),
        _future("20240102T090000Z", "20240102T120000Z", "SUMMARY:bob"),
    )
    assert _rows(calendar) == [
        ("alice", "01-01 09:00", "01-01 10:00"),
        ("bob", "01-02 12:00", "01-02 13:00"),
        ("bob", "01-03 12:00", "01-03 13:00"),
        ("carol", "01-04 07:00", "01-04 08:00"),
        ("carol", "01-05 07:00", "01-05 08:00"),
    ]


def test_strict_a_single_instance_override_inside_a_thisandfuture_range_wins() -> None:
    """A RECURRENCE-ID (the original 09:00 of the 4th) replaces that instance only."""
    calendar = _calendar(
        _series(),
        _future("20240102T090000Z", "20240102T120000Z", "SUMMARY:bob"),
        _future("20240104T090000Z", "20240104T150000Z", "SUMMARY:dave", rng=""),
    )
    assert _rows(calendar) == [
        ("alice", "01-01 09:00", "01-01 10:00"),
        ("bob", "01-02 12:00", "01-02 13:00"),
        ("bob", "01-03 12:00", "01-03 13:00"),
        ("dave", "01-04 15:00", "01-04 16:00"),
        ("bob", "01-05 12:00", "01-05 13:00"),
    ]


def test_strict_thisandfuture_sequence_precedence() -> None:
    """Of two RECURRENCE-IDs of one instance the higher SEQUENCE wins, whether it has
    RANGE=THISANDFUTURE or not (as before for two without)."""
    future = _future("20240103T090000Z", "20240103T120000Z", "SUMMARY:bob", "SEQUENCE:2")
    single = _future("20240103T090000Z", "20240103T150000Z", "SUMMARY:dave", "SEQUENCE:1", rng="")
    assert _rows(_calendar(_series(), single, future)) == ALICE_1_2 + BOB_3_5
    assert _rows(_calendar(_series(), future, single)) == ALICE_1_2 + BOB_3_5
    higher = single.replace("SEQUENCE:1", "SEQUENCE:3")
    alice = [("alice", f"01-0{d} 09:00", f"01-0{d} 10:00") for d in (4, 5)]
    assert _rows(_calendar(_series(), future, higher)) == [
        *ALICE_1_2,
        ("dave", "01-03 15:00", "01-03 16:00"),
        *alice,
    ]


def test_strict_thisandfuture_matching_no_instance_moves_nothing() -> None:
    """A THISANDFUTURE whose RECURRENCE-ID is no instance (10:00) stands on its own, as a
    RECURRENCE-ID without RANGE does: its series is untouched (series s), while one that
    matches (series t, carol; from the 4th at 20:00 for dave) moves its series."""
    other = _series(uid="t").replace("SUMMARY:alice", "SUMMARY:carol")
    matching = _future("20240104T090000Z", "20240104T200000Z", "SUMMARY:dave")
    calendar = _calendar(
        _series(),
        _future("20240103T100000Z", "20240103T120000Z", "SUMMARY:bob"),
        other,
        matching.replace("UID:s", "UID:t"),
    )
    alice = [("alice", f"01-0{d} 09:00", f"01-0{d} 10:00") for d in (1, 2, 3, 4, 5)]
    carol = [("carol", f"01-0{d} 09:00", f"01-0{d} 10:00") for d in (1, 2, 3)]
    dave = [("dave", f"01-0{d} 20:00", f"01-0{d} 21:00") for d in (4, 5)]
    expected = [*alice[:3], ("bob", "01-03 12:00", "01-03 13:00"), *alice[3:], *carol, *dave]
    assert sorted(_rows(calendar)) == sorted(expected)


def test_strict_cancelled_thisandfuture_ends_the_series_there() -> None:
    """STATUS:CANCELLED with THISANDFUTURE cancels that instance and every later one."""
    calendar = _calendar(
        _series(), _future("20240103T090000Z", "20240103T090000Z", "STATUS:CANCELLED")
    )
    assert _rows(calendar) == ALICE_1_2


def test_strict_all_day_thisandfuture_moves_by_whole_days() -> None:
    """An all-day series in Europe/Berlin moved a day later from the 30 March: whole Berlin
    days (the 31st is 23 hours long), not 24-hour steps."""
    series = _event(
        "DTSTART;VALUE=DATE:20240328",
        "DTEND;VALUE=DATE:20240329",
        "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=4",
        "SUMMARY:alice",
        uid="s",
    )
    future = _event(
        "RECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20240330",
        "DTSTART;VALUE=DATE:20240331",
        "DTEND;VALUE=DATE:20240401",
        "SUMMARY:bob",
        uid="s",
    )
    window = _window("2024-03-25", "2024-04-10")
    rows = _rows(_calendar(series, future), window=window, time_zone="Europe/Berlin")
    assert rows == [
        ("alice", "03-27 23:00", "03-28 23:00"),
        ("bob", "03-30 23:00", "03-31 22:00"),
        ("bob", "04-01 22:00", "04-02 22:00"),
        ("bob", "04-03 22:00", "04-04 22:00"),
    ]


def test_strict_refuses_another_range() -> None:
    """RANGE=THISANDPRIOR (RFC 2445, gone from RFC 5545) is refused, not read as one
    instance; skip-able."""
    calendar = _calendar(
        _series(),
        _future("20240103T090000Z", "20240103T120000Z", "SUMMARY:bob", rng=";RANGE=THISANDPRIOR"),
    )
    schedule = Schedule(type="ical", ical_primary=calendar)
    with pytest.raises(CalendarError) as raised:
        resolve(schedule, _window(), profile="strict")
    assert raised.value.field == "VEVENT[UID=s, line 10].RECURRENCE-ID"
    assert raised.value.value == "RANGE=THISANDPRIOR"
    result = resolve(schedule, _window(), profile="strict", calendar_errors="skip")
    assert [(s.line, s.property) for s in result.skipped] == [(10, "RECURRENCE-ID")]
    alice = [("alice", f"01-0{d} 09:00", f"01-0{d} 10:00") for d in (1, 2, 3, 4, 5)]
    assert [
        (r.user, f"{r.start:%m-%d %H:%M}", f"{r.end:%m-%d %H:%M}") for r in result.shifts
    ] == alice


def test_strict_thisandfuture_past_the_occurrence_cap_is_reported() -> None:
    """Matching a THISANDFUTURE to its instance walks a COUNT rule from DTSTART: past the
    cap (4 instances to the 4th, max_occurrences=2) it is reported as the cap's skip, not
    read as a change of one instance; the series' 1st day (the window) is alice's."""
    calendar = _calendar(_series(), _future("20240104T090000Z", "20240104T120000Z", "SUMMARY:bob"))
    schedule = Schedule(type="ical", ical_primary=calendar)
    skipped: list[SkippedComponent] = []
    records = calendar_records(
        calendar,
        schedule,
        _window("2024-01-01", "2024-01-02"),
        profile="strict",
        overrides=False,
        on_error="skip",
        skipped=skipped,
        max_occurrences=2,
    )
    assert [(s.line, s.property) for s in skipped] == [(10, "RRULE")]
    assert "max_occurrences=2" in skipped[0].reason
    assert [(r.users, r.start) for r in records] == [(("alice",), _at("2024-01-01T09:00"))]


def test_strict_all_day_instance_without_an_end_takes_its_masters_whole_days() -> None:
    """An all-day RECURRENCE-ID instance without DTEND lasts as its master: one day, here.
    The master's first day is 31 March in Berlin, 23 hours long (spring forward), and the
    instance took those 23 hours as its length: 0 whole days, so it was dropped silently
    (helper-26's review found it). Hand-checked: 4 April in Berlin (CEST, UTC+2) is
    3 April 22:00Z to 4 April 22:00Z."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20240331\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
        "SUMMARY:alice\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:d\r\n"
        "RECURRENCE-ID;VALUE=DATE:20240401\r\nDTSTART;VALUE=DATE:20240404\r\nSUMMARY:bob\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    window = Window(start=datetime(2024, 3, 29, tzinfo=UTC), end=datetime(2024, 4, 8, tzinfo=UTC))
    rows = resolve(Schedule(type="ical", ical_primary=text), window).shifts
    assert [(r.user, r.start, r.end) for r in rows] == [
        ("alice", datetime(2024, 3, 30, 23, tzinfo=UTC), datetime(2024, 3, 31, 22, tzinfo=UTC)),
        ("alice", datetime(2024, 4, 1, 22, tzinfo=UTC), datetime(2024, 4, 2, 22, tzinfo=UTC)),
        ("bob", datetime(2024, 4, 3, 22, tzinfo=UTC), datetime(2024, 4, 4, 22, tzinfo=UTC)),
    ]


# --------------------------------------------------------------------------- 3. nominal days


@pytest.mark.parametrize(
    ("start", "duration", "window", "expected"),
    [
        # London falls back on 27 October: a week from Monday 09:00 BST ends Monday 09:00 GMT
        (";TZID=Europe/London:20241021T090000", "P1W", ("2024-10-20", "2024-11-01"),
         ("10-21 08:00", "10-28 09:00")),
        # New York springs forward on 10 March: a day of 23 hours, and an exact 24 hours
        (";TZID=America/New_York:20240309T090000", "P1D", ("2024-03-09", "2024-03-12"),
         ("03-09 14:00", "03-10 13:00")),
        (";TZID=America/New_York:20240309T090000", "PT24H", ("2024-03-09", "2024-03-12"),
         ("03-09 14:00", "03-10 14:00")),
        # the days nominal, the hours exact: Sunday 09:00 EDT, then two hours
        (";TZID=America/New_York:20240309T090000", "P1DT2H", ("2024-03-09", "2024-03-12"),
         ("03-09 14:00", "03-10 15:00")),
        # a floating time is read in the calendar's zone, its days too
        (":20240309T090000", "P1D", ("2024-03-09", "2024-03-12"), ("03-09 14:00", "03-10 13:00")),
        # in UTC a day is 24 hours
        (":20240309T090000Z", "P1D", ("2024-03-09", "2024-03-12"), ("03-09 09:00", "03-10 09:00")),
    ],
)  # fmt: skip
def test_strict_duration_weeks_and_days_are_wall_clock_days(
    start: str, duration: str, window: tuple[str, str], expected: tuple[str, str]
) -> None:
    """RFC 5545 §3.3.6: a DURATION's weeks and days are nominal, its hours, minutes and
    seconds exact. strict measured P1W as 168 hours, which left an hour uncovered (or covered
    twice) between weekly turns at every DST change (a tester found)."""
    calendar = _calendar(_event(f"DTSTART{start}", f"DURATION:{duration}", "SUMMARY:alice"))
    rows = _rows(calendar, window=_window(*window), time_zone="America/New_York")
    assert rows == [("alice", *expected)]


def test_strict_weekly_turns_of_a_week_meet_across_dst() -> None:
    """Two alternating weekly VEVENTs of DURATION:P1W: every hand-off at 09:00 local time,
    no gap and no overlap across the change to GMT (the tester's calendar)."""
    turns = [
        _event(
            f"DTSTART;TZID=Europe/London:202410{day}T090000",
            "DURATION:P1W",
            "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=2",
            f"SUMMARY:{name}",
            uid=name,
        )
        for name, day in (("alice", "21"), ("bob", "28"))
    ]
    window = _window("2024-10-21T08:00:00", "2024-11-18T09:00:00")
    assert _rows(_calendar(*turns), window=window) == [
        ("alice", "10-21 08:00", "10-28 09:00"),
        ("bob", "10-28 09:00", "11-04 09:00"),
        ("alice", "11-04 09:00", "11-11 09:00"),
        ("bob", "11-11 09:00", "11-18 09:00"),
    ]
    gaps = resolve(Schedule(type="ical", ical_primary=_calendar(*turns)), window).gaps
    assert gaps == ()


def test_strict_instance_without_an_end_takes_its_masters_nominal_days() -> None:
    """A moved instance with neither DTEND nor DURATION lasts as its master: P1D from 10:00 on
    the Saturday before the spring change ends at 10:00 EDT on Sunday, 23 hours later."""
    master = _event(
        "DTSTART;TZID=America/New_York:20240307T090000",
        "DURATION:P1D",
        "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=2",
        "SUMMARY:alice",
    )
    moved = _event(
        "RECURRENCE-ID;TZID=America/New_York:20240309T090000",
        "DTSTART;TZID=America/New_York:20240309T100000",
        "SUMMARY:alice",
    )
    rows = _rows(_calendar(master, moved), window=_window("2024-03-09T12:00:00", "2024-03-13"))
    assert rows == [("alice", "03-09 15:00", "03-10 14:00")]


@pytest.mark.parametrize(
    ("period", "end"),
    [("P1D", "03-10 13:00"), ("PT24H", "03-10 14:00"), ("P1DT2H", "03-10 15:00")],
)
def test_strict_rdate_period_days_are_wall_clock_days(period: str, end: str) -> None:
    """An RDATE PERIOD's duration is a duration (RFC 5545 §3.3.9): its days nominal too, in the
    RDATE's own zone. From Saturday 09:00 EST, P1D ends Sunday 09:00 EDT, 23 hours later."""
    event = _event(
        "DTSTART;TZID=America/New_York:20240301T090000",
        "DURATION:PT1H",
        f"RDATE;TZID=America/New_York;VALUE=PERIOD:20240309T090000/{period}",
        "SUMMARY:alice",
    )
    rows = _rows(_calendar(event), window=_window("2024-03-08", "2024-03-12"))
    assert rows == [("alice", "03-09 14:00", end)]
    utc = _event("DTSTART:20240301T090000Z", "DURATION:PT1H",
                 f"RDATE;VALUE=PERIOD:20240309T140000Z/{period}", "SUMMARY:alice")  # fmt: skip
    hours = {"P1D": 24, "PT24H": 24, "P1DT2H": 26}[period]
    utc_rows = _rows(_calendar(utc), window=_window("2024-03-08", "2024-03-12"))
    assert utc_rows == [("alice", "03-09 14:00", f"03-10 {14 + hours - 24:02d}:00")]
