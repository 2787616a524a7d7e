"""shiftcalc.ical: Google Calendar / Outlook calendars in both profiles, errors, skip mode, export.

The calendars of ``tests/calendars`` are written the way the two services export them (CRLF,
folded lines, VTIMEZONE blocks, X-WR-* headers, vendor X- properties). Expected rows are
worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import pytest
import pytz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftcalc._errors import CalendarError, ValidationError
from shiftcalc._model import FinalShift, Frequency, Interval, Schedule, Shift, User, Window
from shiftcalc._resolve import resolve
from shiftcalc.ical import (
    WINDOWS_ZONES,
    SkippedComponent,
    calendar_records,
    final_shifts_to_ics,
)

CALENDARS = Path(__file__).parent / "calendars"
NAMES = ("alice", "bob", "carol", "dave", "erin", "frank", "zoe")
USERS = tuple(User(id=n, username=n, email=f"{n}@example.com") for n in NAMES)


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _text(calendar: str) -> str:
    """The file as written (CRLF kept: read_text would translate the line endings)."""
    text = (CALENDARS / calendar).read_bytes().decode("utf-8")
    assert "\r\n" in text
    return text


def _schedule(calendar: str, time_zone: str = "UTC") -> Schedule:
    text = _text(calendar)
    return Schedule(type="ical", time_zone=time_zone, ical_primary=text, users=USERS)


def _rows(
    schedule: Schedule, start: str, end: str, profile: Literal["strict", "oncall"]
) -> list[tuple[str, str, str]]:
    window = Window(start=_t(start), end=_t(end))
    result = resolve(schedule, window, profile=profile)
    return sorted(
        (row.user, row.start.strftime("%m-%d %H:%M:%S"), row.end.strftime("%m-%d %H:%M:%S"))
        for row in result.shifts
    )


def _records(
    text: str,
    profile: Literal["strict", "oncall"],
    start: str,
    end: str,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedComponent] | None = None,
) -> list[Interval]:
    schedule = Schedule(type="ical", ical_primary=text, users=USERS)
    window = Window(start=_t(start), end=_t(end))
    return calendar_records(
        text,
        schedule,
        window,
        profile=profile,
        overrides=False,
        on_error=on_error,
        skipped=skipped,
    )


# --------------------------------------------------------------------------- Google Calendar


def test_google_calendar_oncall() -> None:
    # alice MO/WE/FR 09-17 Berlin (CET: 08-16Z), RRULE with a trailing ';' and a folded
    # DESCRIPTION: 4 Mar; 6 Mar moved by RECURRENCE-ID to bob 12-20 (11-19Z); 8 Mar EXDATE;
    # 11 Mar CANCELLED instance; 13 Mar hidden by the [L1] all-day dave (00:00:00Z-23:59:59Z,
    # the calendar zone ignored); 15 Mar. The two-ATTENDEE event names nobody (several
    # attendees are ignored), the CANCELLED erin series nothing.
    rows = _rows(_schedule("google.ics"), "2024-03-04T00:00", "2024-03-16T00:00", "oncall")
    assert rows == [
        ("alice", "03-04 08:00:00", "03-04 16:00:00"),
        ("alice", "03-15 08:00:00", "03-15 16:00:00"),
        ("bob", "03-06 11:00:00", "03-06 19:00:00"),
        ("dave", "03-13 00:00:00", "03-13 23:59:59"),
    ]


def test_google_calendar_strict() -> None:
    # Same series; the all-day day is 13 March in X-WR-TIMEZONE Europe/Berlin, i.e.
    # 12 Mar 23:00Z - 13 Mar 23:00Z, and both attendees (mailto: stripped) are on call.
    rows = _rows(_schedule("google.ics"), "2024-03-04T00:00", "2024-03-16T00:00", "strict")
    assert rows == [
        ("alice", "03-04 08:00:00", "03-04 16:00:00"),
        ("alice", "03-15 08:00:00", "03-15 16:00:00"),
        ("bob", "03-06 11:00:00", "03-06 19:00:00"),
        ("carol", "03-05 18:00:00", "03-05 22:00:00"),
        ("dave", "03-12 23:00:00", "03-13 23:00:00"),
        ("frank", "03-05 18:00:00", "03-05 22:00:00"),
    ]


def test_google_shift_ids_and_records() -> None:
    text = _text("google.ics")
    records = _records(text, "oncall", "2024-03-04T00:00", "2024-03-07T00:00")
    ids = {(r.users, r.shift_id) for r in records}
    assert (("alice",), "7kq2p3m9v1c4s8d0f5g6h2j1lb@google.com") in ids
    # the modified instance: UID + _SEQUENCE + _RECURRENCE-ID isoformat (§3.1.3)
    assert (("bob",), "7kq2p3m9v1c4s8d0f5g6h2j1lb@google.com_1_2024-03-06T09:00:00+01:00") in ids
    # the two-attendee event is one empty record that still counts for gaps
    empty = [r for r in records if not r.users]
    assert len(empty) == 1
    assert empty[0].missing_users == ("Secondary rotation",)


# --------------------------------------------------------------------------- Outlook


def test_outlook_calendar_oncall() -> None:
    # 'W. Europe Standard Time' = Europe/Berlin. frank TU/TH 09-17 local until 5 Apr 07:00Z:
    # 26 and 28 Mar 08-16Z (CET), 2 and 4 Apr 07-15Z (CEST, after 31 Mar); the RDATE PERIOD
    # adds Saturday 30 Mar 08-12Z with its own end. The single ATTENDEE 'mailto:erin@…' is
    # compared verbatim and matches nobody. [L2] carol all-day 3 Apr: 00:00:00Z-23:59:59Z.
    rows = _rows(_schedule("outlook.ics"), "2024-03-25T00:00", "2024-04-06T00:00", "oncall")
    assert rows == [
        ("carol", "04-03 00:00:00", "04-03 23:59:59"),
        ("frank", "03-26 08:00:00", "03-26 16:00:00"),
        ("frank", "03-28 08:00:00", "03-28 16:00:00"),
        ("frank", "03-30 08:00:00", "03-30 12:00:00"),
        ("frank", "04-02 07:00:00", "04-02 15:00:00"),
        ("frank", "04-04 07:00:00", "04-04 15:00:00"),
    ]


def test_outlook_calendar_strict() -> None:
    # Strict strips mailto: (erin 1 Apr 10-12 CEST = 08-10Z) and reads the all-day event in the
    # schedule's zone (no X-WR-TIMEZONE): 3 Apr Berlin = 2 Apr 22:00Z - 3 Apr 22:00Z.
    schedule = _schedule("outlook.ics", time_zone="Europe/Berlin")
    rows = _rows(schedule, "2024-03-25T00:00", "2024-04-06T00:00", "strict")
    assert rows == [
        ("carol", "04-02 22:00:00", "04-03 22:00:00"),
        ("erin", "04-01 08:00:00", "04-01 10:00:00"),
        ("frank", "03-26 08:00:00", "03-26 16:00:00"),
        ("frank", "03-28 08:00:00", "03-28 16:00:00"),
        ("frank", "03-30 08:00:00", "03-30 12:00:00"),
        ("frank", "04-02 07:00:00", "04-02 15:00:00"),
        ("frank", "04-04 07:00:00", "04-04 15:00:00"),
    ]


def test_outlook_levels() -> None:
    text = _text("outlook.ics")
    records = _records(text, "oncall", "2024-04-03T00:00", "2024-04-04T00:00")
    assert [(r.users, r.level, r.all_day) for r in records] == [(("carol",), 2, True)]


# --------------------------------------------------------------------------- floating times


def test_floating_times_oncall_are_utc() -> None:
    # X-WR-TIMEZONE is ignored: 20:00-08:00 floating = UTC, COUNT=3.
    rows = _rows(_schedule("floating.ics"), "2024-03-08T00:00", "2024-03-12T00:00", "oncall")
    assert rows == [
        ("zoe", "03-08 20:00:00", "03-09 08:00:00"),
        ("zoe", "03-09 20:00:00", "03-10 08:00:00"),
        ("zoe", "03-10 20:00:00", "03-11 08:00:00"),
    ]


def test_floating_times_strict_use_x_wr_timezone() -> None:
    # New York: 8 Mar 20:00 EST = 9 Mar 01:00Z, lasting exactly 12 h (to 08:00 EST); 9 Mar
    # 20:00 EST = 10 Mar 01:00Z (+12 h = 09:00 EDT); 10 Mar 20:00 EDT = 11 Mar 00:00Z.
    rows = _rows(_schedule("floating.ics"), "2024-03-08T00:00", "2024-03-12T00:00", "strict")
    assert rows == [
        ("zoe", "03-09 01:00:00", "03-09 13:00:00"),
        ("zoe", "03-10 01:00:00", "03-10 13:00:00"),
        ("zoe", "03-11 00:00:00", "03-11 12:00:00"),
    ]


def test_strict_floating_without_x_wr_timezone_uses_schedule_zone() -> None:
    text = _text("floating.ics")
    text = text.replace("X-WR-TIMEZONE:America/New_York\r\n", "")
    schedule = Schedule(type="ical", time_zone="Asia/Tokyo", ical_primary=text, users=USERS)
    rows = _rows(schedule, "2024-03-08T00:00", "2024-03-09T00:00", "strict")
    assert rows == [("zoe", "03-08 11:00:00", "03-08 23:00:00")]  # 20:00 JST = 11:00Z


# --------------------------------------------------------------------------- small calendars


def _calendar(*events: str, head: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{head}{body}END:VCALENDAR\r\n"


def _ev(*lines: str) -> str:
    return "\r\n".join(lines)


def test_dtstart_not_matching_rule() -> None:
    # DTSTART Wednesday 6 Mar, BYDAY=MO: oncall counts DTSTART, strict does not.
    text = _calendar(
        _ev(
            "UID:w@x",
            "DTSTART:20240306T090000Z",
            "DTEND:20240306T100000Z",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            "SUMMARY:alice",
        )
    )
    oncall = _records(text, "oncall", "2024-03-01T00:00", "2024-03-31T00:00")
    strict = _records(text, "strict", "2024-03-01T00:00", "2024-03-31T00:00")
    assert [r.start.day for r in oncall] == [6, 11, 18]
    assert [r.start.day for r in strict] == [11, 18]


def test_sequence_dedupe_only_in_oncall() -> None:
    # FREQ=HOURLY;INTERVAL=12 with SEQUENCE: the engine keeps one occurrence per UID and day
    # (the later one, 12:00); strict keeps both.
    text = _calendar(
        _ev(
            "UID:h@x",
            "SEQUENCE:1",
            "DTSTART:20240304T000000Z",
            "DTEND:20240304T020000Z",
            "RRULE:FREQ=HOURLY;INTERVAL=12;COUNT=4",
            "SUMMARY:bob",
        )
    )
    oncall = _records(text, "oncall", "2024-03-04T00:00", "2024-03-06T00:00")
    strict = _records(text, "strict", "2024-03-04T00:00", "2024-03-06T00:00")
    assert [r.start.hour for r in oncall] == [12, 12]
    assert [r.start.hour for r in strict] == [0, 12, 0, 12]


def test_strict_recurrence_id_exact_instant_and_sequence() -> None:
    # Two edits of the 5 Mar instance: SEQUENCE 2 wins whatever the file order. A
    # RECURRENCE-ID that is no instance start (10:00) replaces nothing in strict.
    text = _calendar(
        _ev(
            "UID:r@x",
            "DTSTART:20240304T090000Z",
            "DTEND:20240304T100000Z",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:alice",
        ),
        _ev(
            "UID:r@x",
            "SEQUENCE:2",
            "RECURRENCE-ID:20240305T090000Z",
            "DTSTART:20240305T140000Z",
            "DTEND:20240305T150000Z",
            "SUMMARY:carol",
        ),
        _ev(
            "UID:r@x",
            "SEQUENCE:1",
            "RECURRENCE-ID:20240305T090000Z",
            "DTSTART:20240305T120000Z",
            "DTEND:20240305T130000Z",
            "SUMMARY:bob",
        ),
        _ev(
            "UID:r@x",
            "SEQUENCE:1",
            "RECURRENCE-ID:20240306T100000Z",
            "DTSTART:20240306T200000Z",
            "DTEND:20240306T210000Z",
            "SUMMARY:dave",
        ),
    )
    strict = _records(text, "strict", "2024-03-04T00:00", "2024-03-07T00:00")
    got = sorted((r.users[0], r.start.day, r.start.hour) for r in strict)
    assert got == [("alice", 4, 9), ("alice", 6, 9), ("carol", 5, 14), ("dave", 6, 20)]
    # oncall matches by date: dave's edit replaces the 6 Mar occurrence
    oncall = _records(text, "oncall", "2024-03-04T00:00", "2024-03-07T00:00")
    got = sorted((r.users[0], r.start.day, r.start.hour) for r in oncall)
    assert got == [("alice", 4, 9), ("carol", 5, 14), ("dave", 6, 20)]


def test_strict_dst_gap_and_all_day_half_open() -> None:
    # 02:30 on 10 Mar 2024 does not exist in New York: RFC 5545 §3.3.5 reads it with the
    # offset before the gap, 07:30Z (= 03:30 EDT).
    text = _calendar(
        _ev(
            "UID:g@x",
            "DTSTART;TZID=America/New_York:20240309T023000",
            "DTEND;TZID=America/New_York:20240309T033000",
            "RRULE:FREQ=DAILY;COUNT=2",
            "SUMMARY:alice",
        ),
        _ev("UID:d@x", "DTSTART;VALUE=DATE:20240312", "SUMMARY:bob"),
    )
    schedule = Schedule(type="ical", time_zone="America/New_York", ical_primary=text, users=USERS)
    window = Window(start=_t("2024-03-09T00:00"), end=_t("2024-03-14T00:00"))
    records = calendar_records(text, schedule, window, profile="strict", overrides=True)
    got = [(r.users, r.start, r.end, r.is_override, r.all_day) for r in records]
    assert got == [
        (("alice",), _t("2024-03-09T07:30"), _t("2024-03-09T08:30"), True, False),
        (("alice",), _t("2024-03-10T07:30"), _t("2024-03-10T08:30"), True, False),
        # no DTEND: one whole day, [12 Mar 00:00 EDT, 13 Mar 00:00 EDT)
        (("bob",), _t("2024-03-12T04:00"), _t("2024-03-13T04:00"), True, True),
    ]


def test_duration_and_exdate_on_rdate() -> None:
    text = _calendar(
        _ev(
            "UID:du@x",
            "DTSTART:20240304T220000Z",
            "DURATION:PT10H",
            "RDATE:20240310T220000Z,20240312T220000Z",
            "EXDATE:20240312T220000Z",
            "SUMMARY:erin",
        )
    )
    profiles: tuple[Literal["strict", "oncall"], ...] = ("oncall", "strict")
    for profile in profiles:
        records = _records(text, profile, "2024-03-01T00:00", "2024-03-31T00:00")
        got = [(r.start, r.end) for r in records]
        assert got == [
            (_t("2024-03-04T22:00"), _t("2024-03-05T08:00")),
            (_t("2024-03-10T22:00"), _t("2024-03-11T08:00")),
        ], profile


def test_user_matching_rules() -> None:
    text = _calendar(
        _ev(
            "UID:u@x",
            "DTSTART:20240304T090000Z",
            "DTEND:20240304T100000Z",
            "SUMMARY:[L3]  Alice@Example.COM ",
            "DESCRIPTION:bob",
            "ATTENDEE;CN=Zoe:MAILTO:zoe@example.com",
        )
    )
    oncall = _records(text, "oncall", "2024-03-04T00:00", "2024-03-05T00:00")
    strict = _records(text, "strict", "2024-03-04T00:00", "2024-03-05T00:00")
    assert [(r.users, r.level) for r in oncall] == [
        (("alice",), 3),
        (("bob",), 3),
    ]
    assert oncall[0].missing_users == ("MAILTO:zoe@example.com",)
    assert [r.users for r in strict] == [("alice",), ("bob",), ("zoe",)]


def test_uid_forms() -> None:
    events = [
        _ev(
            f"UID:{uid}",
            "DTSTART:20240304T090000Z",
            "DTEND:20240304T100000Z",
            "SUMMARY:alice",
        )
        for uid in (
            "oncall-6d2f-PKOABCDEF12345-U3-E1-S2",
            "amixr-6d2f-U1-E2-S1",
            "OUCE6WAHL35PP-202309200300-UHZ38D6AQXXBY",
            "plain@example.com",
        )
    ]
    records = _records(_calendar(*events), "oncall", "2024-03-04T00:00", "2024-03-05T00:00")
    assert [(r.shift_id, r.source) for r in records] == [
        ("OABCDEF12345", "slack"),
        (None, "api"),
        ("OUCE6WAHL35PP", None),
        ("plain@example.com", None),
    ]


def test_vtimezone_definition_matches_tz_database() -> None:
    # A VTIMEZONE-only zone behaves like zoneinfo (fold-aware, RFC 5545 §3.3.5) in strict and
    # like pytz (is_dst=False) in oncall: the same records as the IANA zone it copies.
    text = _text("google.ics")
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE") + 13]
    assert "TZOFFSETTO:+0200" in block
    custom = block.replace("TZID:Europe/Berlin", "TZID:Custom")
    walls = []
    wall = datetime(2024, 3, 30, 0, 0)
    while wall < datetime(2024, 11, 1):
        walls.append(wall)
        wall += timedelta(minutes=30) if wall.day in (30, 31, 26, 27) else timedelta(hours=7)

    def calendar(tzid: str) -> str:
        events = [
            _ev(f"UID:w{i}@x", f"DTSTART;TZID={tzid}:{w:%Y%m%dT%H%M%S}", "DURATION:PT1H")
            for i, w in enumerate(walls)
        ]
        return _calendar(*events, head=custom + "\r\n")

    for profile in ("strict", "oncall"):
        got = _records(calendar("Custom"), profile, "2024-03-29T00:00", "2024-11-02T00:00")
        want = _records(calendar("Europe/Berlin"), profile, "2024-03-29T00:00", "2024-11-02T00:00")
        assert len(got) == len(want) > 1800
        assert [(r.start, r.end) for r in got] == [(r.start, r.end) for r in want]


def test_windows_zone_table_resolves() -> None:
    assert WINDOWS_ZONES["W. Europe Standard Time"] == "Europe/Berlin"
    assert len(WINDOWS_ZONES) >= 60
    for name in WINDOWS_ZONES.values():
        pytz.timezone(name)
        ZoneInfo(name)


# --------------------------------------------------------------------------- errors


def _error(text: str, profile: Literal["strict", "oncall"] = "oncall") -> CalendarError:
    with pytest.raises(CalendarError) as info:
        _records(text, profile, "2024-03-01T00:00", "2024-03-31T00:00")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ValidationError)
    return info.value


def test_error_not_a_calendar() -> None:
    error = _error("hello world")
    assert error.field.startswith("line 1") or error.field == "calendar"
    error = _error("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "VCALENDAR" in error.field


def test_error_unbalanced_end() -> None:
    error = _error("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    assert error.field == "line 3.END"
    assert error.value == "END:VTODO"


@pytest.mark.parametrize("profile", ["oncall", "strict"])
def test_error_invalid_rrule(profile: Literal["strict", "oncall"]) -> None:
    text = _calendar(
        _ev("UID:abc@x", "DTSTART:20240304T090000Z", "RRULE:FREQ=FORTNIGHTLY", "SUMMARY:alice")
    )
    error = _error(text, profile)
    assert error.field == "VEVENT[UID=abc@x, line 4].RRULE"
    assert error.value == "FREQ=FORTNIGHTLY"


def test_error_missing_dtstart() -> None:
    error = _error(_calendar(_ev("UID:nodt@x", "SUMMARY:alice")))
    assert error.field == "VEVENT[UID=nodt@x, line 4].DTSTART"


@pytest.mark.parametrize("profile", ["oncall", "strict"])
def test_error_unknown_tzid(profile: Literal["strict", "oncall"]) -> None:
    text = _calendar(_ev("UID:tz@x", "DTSTART;TZID=Mars/Olympus:20240304T090000", "SUMMARY:a"))
    error = _error(text, profile)
    assert error.field == "VEVENT[UID=tz@x, line 4].DTSTART.TZID"
    assert error.value == "Mars/Olympus"


def test_error_bad_value_and_calscale() -> None:
    error = _error(_calendar(_ev("UID:v@x", "DTSTART:2024-03-04", "SUMMARY:a")))
    assert (error.field, error.value) == ("VEVENT[UID=v@x, line 4].DTSTART", "2024-03-04")
    error = _error(_calendar(head="CALSCALE:JULIAN\r\n"))
    assert (error.field, error.value) == ("VCALENDAR.CALSCALE", "JULIAN")


def test_skip_mode_reports_every_skipped_component() -> None:
    text = _calendar(
        _ev("UID:bad1@x", "DTSTART:20240304T090000Z", "RRULE:FREQ=DAILY;BYDAY=XX"),
        _ev("UID:ok@x", "DTSTART:20240304T090000Z", "DTEND:20240304T100000Z", "SUMMARY:alice"),
        _ev("SUMMARY:no uid, no start"),
    )
    skipped: list[SkippedComponent] = []
    records = _records(
        text, "strict", "2024-03-01T00:00", "2024-03-31T00:00", on_error="skip", skipped=skipped
    )
    assert [r.users for r in records] == [("alice",)]
    assert [(s.uid, s.line, s.property) for s in skipped] == [
        ("bad1@x", 4, "RRULE"),
        (None, 15, "DTSTART"),
    ]
    assert all(s.reason for s in skipped)


def test_skip_mode_bad_rdate_in_oncall() -> None:
    text = _calendar(
        _ev("UID:rd@x", "DTSTART:20240304T090000Z", "DTEND:20240304T100000Z", "RDATE:tomorrow"),
        _ev("UID:ok@x", "DTSTART:20240305T090000Z", "DTEND:20240305T100000Z", "SUMMARY:bob"),
    )
    skipped: list[SkippedComponent] = []
    records = _records(
        text, "oncall", "2024-03-01T00:00", "2024-03-31T00:00", on_error="skip", skipped=skipped
    )
    assert [r.users for r in records] == [("bob",)]
    assert skipped == [
        SkippedComponent(
            uid="rd@x", line=4, property="RDATE", reason="expected a DATE or DATE-TIME value"
        )
    ]
    error = _error(text)
    assert (error.field, error.value) == ("VEVENT[UID=rd@x, line 4].RDATE", "tomorrow")


# --------------------------------------------------------------------------- export

_EXPORT_ROWS = (
    FinalShift(user="alice", start=_t("2024-03-04T08:00"), end=_t("2024-03-04T16:00")),
    FinalShift(user="bob", start=_t("2024-03-04T08:00"), end=_t("2024-03-04T16:00"), level=1),
    FinalShift(user="alice", start=_t("2024-03-04T08:00"), end=_t("2024-03-04T16:00")),
    FinalShift(user="ghost", start=_t("2024-03-05T08:00"), end=_t("2024-03-05T09:30")),
)


def test_export_is_deterministic_and_well_formed() -> None:
    schedule = Schedule(type="web", users=USERS, name="Platform; primary, with a very long name")
    first = final_shifts_to_ics(_EXPORT_ROWS, schedule)
    assert first == final_shifts_to_ics(list(_EXPORT_ROWS), schedule)
    assert first.encode() == final_shifts_to_ics(_EXPORT_ROWS, schedule).encode()
    lines = first.split("\r\n")
    assert lines[-1] == "" and "\n" not in first.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "X-WR-TIMEZONE:UTC" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-WR-CALNAME:Platform\\; primary\\, with a very long name" in first.replace(
        "\r\n ", ""
    )
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == 4 and len(set(uids)) == 4
    assert all(uid.endswith("@shiftcalc") for uid in uids)
    assert "DTSTAMP:20240304T080000Z" in lines
    assert "SUMMARY:ghost" in lines
    assert 'ATTENDEE;CN="alice":mailto:alice@example.com' in lines


def test_export_reads_back_in_both_profiles() -> None:
    schedule = Schedule(type="web", users=USERS)
    text = final_shifts_to_ics(_EXPORT_ROWS[:2], schedule, name="x")
    back = Schedule(type="ical", ical_primary=text, users=USERS)
    window = Window(start=_t("2024-03-04T00:00"), end=_t("2024-03-06T00:00"))
    profiles: tuple[Literal["strict", "oncall"], ...] = ("oncall", "strict")
    for profile in profiles:
        rows = resolve(back, window, profile=profile).shifts
        assert sorted((r.user, r.start, r.end) for r in rows) == [
            ("alice", _t("2024-03-04T08:00"), _t("2024-03-04T16:00")),
            ("bob", _t("2024-03-04T08:00"), _t("2024-03-04T16:00")),
        ]


_ROUND_TRIP_WINDOW = Window(start=_t("2024-03-25T00:00"), end=_t("2024-04-08T00:00"))


@st.composite
def _schedules(draw: st.DrawFn) -> Schedule:
    zone = draw(st.sampled_from(["UTC", "Europe/Berlin"]))
    shifts = []
    for _ in range(draw(st.integers(1, 3))):
        start = datetime(2024, 3, draw(st.integers(18, 31)), draw(st.integers(0, 23)))
        duration = timedelta(hours=draw(st.integers(1, 48)))
        frequency: Frequency = draw(st.sampled_from(["daily", "weekly"]))
        level = draw(st.integers(0, 2))
        names = draw(st.lists(st.sampled_from(NAMES[:4]), min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            shift = Shift(
                type="rolling_users",
                start=start,
                duration=duration,
                frequency=frequency,
                interval=1,
                week_start="MO",
                level=level,
                rolling_users=tuple((n,) for n in names),
                start_rotation_from_user_index=0,
            )
        else:
            shift = Shift(
                type="recurrent_event",
                start=start,
                duration=duration,
                frequency=frequency,
                interval=draw(st.integers(1, 2)),
                week_start="MO",
                level=level,
                users=tuple(names),
            )
        shifts.append(shift)
    return Schedule(type="calendar", time_zone=zone, shifts=tuple(shifts), users=USERS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_schedules())
def test_round_trip_through_ics(schedule: Schedule) -> None:
    rows = resolve(schedule, _ROUND_TRIP_WINDOW).shifts
    text = final_shifts_to_ics(rows, schedule)
    back = Schedule(type="ical", time_zone=schedule.time_zone, ical_primary=text, users=USERS)
    again = resolve(back, _ROUND_TRIP_WINDOW).shifts
    assert sorted((r.user, r.start, r.end) for r in again) == sorted(
        (r.user, r.start, r.end) for r in rows
    )
