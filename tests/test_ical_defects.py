"""Regressions of iCalendar schedules and export: one test per defect, at the public level.

Each test goes through ``shiftcalc.resolve``, ``shiftcalc.load_scenario`` or ``shiftcalc.ical``
only, so that it holds whatever reads the calendar text underneath.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest

import shiftcalc
from conftest import hang_guard
from shiftcalc import (
    CalendarError,
    FinalShift,
    Schedule,
    ShiftcalcError,
    User,
    ValidationError,
    Window,
    load_scenario,
    resolve,
)
from shiftcalc.ical import (
    MAX_OCCURRENCES,
    UnresolvedName,
    calendar_records,
    final_shifts_to_ics,
)

PROFILES: tuple[Literal["strict", "oncall"], ...] = ("strict", "oncall")


def _calendar(*events: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


def _event(*props: str, uid: str = "e1") -> str:
    return "".join(line + "\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"))


def _window(start: str = "2024-03-01", end: str = "2024-03-08") -> Window:
    return Window(
        start=datetime.fromisoformat(start).replace(tzinfo=UTC),
        end=datetime.fromisoformat(end).replace(tzinfo=UTC),
    )


def _users(schedule: Schedule, profile: Literal["strict", "oncall"]) -> list[str]:
    return sorted({row.user for row in resolve(schedule, _window(), profile=profile).shifts})


MONDAY = _event(
    "DTSTART:20240304T090000Z",
    "DTEND:20240304T170000Z",
    "SUMMARY:[L1] Alice",
    "DESCRIPTION:the primary rotation",
    "ATTENDEE;CN=Bob:mailto:bob@example.com",
)


# --------------------------------------------------------------------------- 1. users


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_without_a_directory_takes_names_as_users(
    profile: Literal["strict", "oncall"],
) -> None:
    """Without users, SUMMARY (no [Ln]) and ATTENDEE (no mailto:) are the users; DESCRIPTION's
    free text is not a user."""
    schedule = Schedule(type="ical", ical_primary=_calendar(MONDAY))
    assert _users(schedule, profile) == ["Alice", "bob@example.com"]
    rows = resolve(schedule, _window(), profile=profile).shifts
    assert {row.level for row in rows} == {1}
    assert resolve(schedule, _window(), profile=profile).unresolved == ()


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_scenario_without_users_keeps_calendar_names(
    profile: Literal["strict", "oncall"],
) -> None:
    """A scenario without a users list, whose override shifts name users too, still takes the
    calendar's names as users (no implicit directory to match them against)."""
    scenario = load_scenario(
        {
            "schedule": {"type": "ical", "ical_primary": _calendar(MONDAY)},
            "shifts": [
                {
                    "type": "override",
                    "start": "2024-03-05T09:00:00",
                    "duration": 3600,
                    "users": ["carol"],
                },
            ],
            "window": {"start": "2024-03-01", "end": "2024-03-08"},
        },
        profile=profile,
    )
    assert not scenario.schedule.has_directory  # its users are only the names it uses
    assert _users(scenario.schedule, profile) == ["Alice", "bob@example.com", "carol"]


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_usernames_match_in_any_letter_case(profile: Literal["strict", "oncall"]) -> None:
    """With a directory, a calendar's name matches a username or e-mail in any letter case
    (a directory in which that would be ambiguous is refused when it is built)."""
    alice = User(id="U1", username="alice")
    schedule = Schedule(type="ical", ical_primary=_calendar(MONDAY), users=(alice,))
    assert _users(schedule, profile) == ["U1"]  # "Alice"
    upper = Schedule(
        type="ical",
        ical_primary=_calendar(MONDAY.replace("[L1] Alice", "ALICE")),
        users=(alice,),
    )
    assert _users(upper, profile) == ["U1"]  # "ALICE"
    bob = User(id="U2", username="robert", email="BOB@example.com")
    mail = Schedule(type="ical", ical_primary=_calendar(MONDAY), users=(bob,))
    assert _users(mail, "strict") == ["U2"]  # the ATTENDEE's bob@example.com
    with pytest.raises(ValidationError) as caught:
        Schedule(
            type="ical",
            ical_primary=_calendar(MONDAY),
            users=(alice, User(id="U3", username="ALICE")),
        )
    assert caught.value.field == "users[1].username"


# --------------------------------------------------------------------------- 2. unresolved


def test_ical_unresolved_names_are_listed_with_their_origin() -> None:
    """Resolution.unresolved lists each unmatched name once per VEVENT: calendar, UID, line,
    property; strict also reports a gap of kind 'unresolved', oncall an empty record."""
    users = (User(id="U1", username="zed"),)
    overrides = _calendar(
        _event("DTSTART:20240305T000000Z", "DURATION:PT1H", "SUMMARY:nobody", uid="o1")
    )
    text = _calendar(
        _event(
            "DTSTART:20240304T090000Z",
            "DURATION:PT1H",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:ghost",
            "DESCRIPTION:zed",
            uid="r1",
        ),
        MONDAY,
    )
    schedule = Schedule(type="ical", ical_primary=text, ical_overrides=overrides, users=users)
    for profile in PROFILES:
        result = resolve(schedule, _window(), profile=profile)
        # oncall compares a lone ATTENDEE verbatim, mailto: included
        attendee = "bob@example.com" if profile == "strict" else "mailto:bob@example.com"
        assert result.unresolved == (
            UnresolvedName(name="ghost", calendar="primary", uid="r1", line=3, property="SUMMARY"),
            UnresolvedName(
                name="Alice", calendar="primary", uid="e1", line=11, property="SUMMARY"
            ),
            UnresolvedName(
                name="the primary rotation",
                calendar="primary",
                uid="e1",
                line=11,
                property="DESCRIPTION",
            ),
            UnresolvedName(
                name=attendee, calendar="primary", uid="e1", line=11, property="ATTENDEE"
            ),
            UnresolvedName(
                name="nobody", calendar="overrides", uid="o1", line=3, property="SUMMARY"
            ),
        ), profile
    strict = resolve(schedule, _window())
    assert any(gap.kind == "unresolved" for gap in strict.gaps)


def test_ical_unresolved_names_only_for_events_in_the_window() -> None:
    """A VEVENT with no occurrence in the window reports nothing."""
    text = _calendar(_event("DTSTART:20250101T000000Z", "DURATION:PT1H", "SUMMARY:later"))
    schedule = Schedule(type="ical", ical_primary=text, users=(User(id="a", username="a"),))
    for profile in PROFILES:
        assert resolve(schedule, _window(), profile=profile).unresolved == ()


# --------------------------------------------------------------------------- 3. speed


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_many_weekly_all_day_events_resolve_in_linear_time(
    profile: Literal["strict", "oncall"],
) -> None:
    """2,000 weekly all-day VEVENTs over a year (about 105,000 occurrences) resolve well
    within the guard (10,000 of them took minutes: replacement of kept instances was linear
    per instance in oncall, and matching, levels and midnights were redone per occurrence)."""
    events = [
        _event(
            f"DTSTART;VALUE=DATE:202401{i % 7 + 1:02d}",
            f"DTEND;VALUE=DATE:202401{i % 7 + 2:02d}",
            "RRULE:FREQ=WEEKLY",
            f"SUMMARY:user{i % 50}",
            "SEQUENCE:1",
            uid=f"e{i}",
        )
        for i in range(2000)
    ]
    schedule = Schedule(type="ical", ical_primary=_calendar(*events))
    window = _window("2024-01-01", "2025-01-01")
    with hang_guard(60):
        records = calendar_records(
            schedule.ical_primary or "", schedule, window, profile=profile, overrides=False
        )
        assert len(records) > 100_000
        rows = resolve(schedule, window, profile=profile).shifts
    assert {row.user for row in rows} == {f"user{i}" for i in range(50)}


# --------------------------------------------------------------------------- 4. the cap

SECONDLY = _event(
    "DTSTART:20240101T000000Z",
    "DURATION:PT1S",
    "RRULE:FREQ=SECONDLY",
    "SUMMARY:a",
    uid="every-second",
)
HOURLY = _event("DTSTART:20240101T000000Z", "DURATION:PT1H", "SUMMARY:b", uid="ok")


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_occurrence_cap_refuses_a_secondly_rule(profile: Literal["strict", "oncall"]) -> None:
    """FREQ=SECONDLY over 30 days (2.6 million instances) is refused, naming the VEVENT's
    RRULE and the limit, in bounded time and memory; skip mode leaves it out and lists it."""
    schedule = Schedule(type="ical", ical_primary=_calendar(SECONDLY, HOURLY))
    window = _window("2024-01-01", "2024-01-31")
    with hang_guard(60), pytest.raises(CalendarError) as raised:
        resolve(schedule, window, profile=profile)
    assert raised.value.field == "VEVENT[UID=every-second, line 3].RRULE"
    assert str(MAX_OCCURRENCES) in raised.value.reason
    with hang_guard(60):
        result = resolve(schedule, window, profile=profile, calendar_errors="skip")
    assert [row.user for row in result.shifts] == ["b"]
    assert [(s.uid, s.property) for s in result.skipped] == [("every-second", "RRULE")]


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_occurrence_cap_is_configurable(profile: Literal["strict", "oncall"]) -> None:
    """max_occurrences sets the cap: a daily rule over a week passes at 40, fails at 5."""
    text = _calendar(
        _event("DTSTART:20240301T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY", "SUMMARY:a")
    )
    schedule = Schedule(type="ical", ical_primary=text)
    records = calendar_records(
        text, schedule, _window(), profile=profile, overrides=False, max_occurrences=40
    )
    assert len(records) == 7
    with pytest.raises(CalendarError, match="max_occurrences=5"):
        calendar_records(
            text, schedule, _window(), profile=profile, overrides=False, max_occurrences=5
        )
    with pytest.raises(CalendarError):
        calendar_records(
            text, schedule, _window(), profile=profile, overrides=False, max_occurrences=0
        )


# --------------------------------------------------------------------------- 5. crashes


def _resolve_text(text: str, profile: Literal["strict", "oncall"]) -> tuple[str, ...]:
    schedule = Schedule(type="ical", ical_primary=text)
    return tuple(row.user for row in resolve(schedule, _window(), profile=profile).shifts)


def _vtimezone(offset: str) -> str:
    return (
        "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        f"TZOFFSETFROM:+0000\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("offset", ["+2400", "-2400", "+0160", "+2300"])
def test_ical_vtimezone_offsets_of_24_hours_are_refused(
    profile: Literal["strict", "oncall"], offset: str
) -> None:
    """TZOFFSETTO:+2400 is a CalendarError naming the TZID; +2300 is a zone like any other."""
    event = _event("DTSTART;TZID=Custom:20240305T090000", "DURATION:PT1H", "SUMMARY:a")
    text = _calendar(event, head=_vtimezone(offset))
    if offset == "+2300":
        assert _resolve_text(text, profile) == ("a",)
        return
    with pytest.raises(CalendarError, match="UTC offset") as raised:
        _resolve_text(text, profile)
    assert raised.value.field.endswith(".DTSTART.TZID")


@pytest.mark.parametrize("zone", ["posix/Europe/London", "right/Europe/London"])
def test_ical_recurrence_id_in_a_posix_or_right_zone(zone: str) -> None:
    """A RECURRENCE-ID at a DST change in posix/... or right/... (zoneinfo has them, pytz not):
    strict moves the instance; oncall (pytz's database) refuses the zone by name."""
    text = _calendar(
        _event(
            "DTSTART;TZID=Europe/London:20240330T013000",
            "DURATION:PT1H",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:a",
        ),
        _event(
            f"RECURRENCE-ID;TZID={zone}:20240331T013000",
            f"DTSTART;TZID={zone}:20240331T110000",
            "DURATION:PT1H",
            "SUMMARY:a",
        ),
    )
    schedule = Schedule(type="ical", ical_primary=text)
    window = _window("2024-03-29", "2024-04-03")
    starts = [row.start.strftime("%d %H:%M") for row in resolve(schedule, window).shifts]
    assert starts == ["30 01:30", "31 10:00", "01 00:30"]
    with pytest.raises(CalendarError, match="unknown time zone"):
        resolve(schedule, window, profile="oncall")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    "value", ["PT" + "9" * 5000 + "S", "P" + "9" * 30 + "D", "P999999999D", "P0000000000000001D"]
)
def test_ical_durations_of_huge_digits(profile: Literal["strict", "oncall"], value: str) -> None:
    """DURATION (and an RDATE period) of thousands of digits: a CalendarError naming it, not
    a ValueError or OverflowError; leading zeros are only zeros."""
    text = _calendar(_event("DTSTART:20240305T090000Z", f"DURATION:{value}", "SUMMARY:a"))
    if value.endswith("01D"):
        assert _resolve_text(text, profile) == ("a",)
        return
    with pytest.raises(CalendarError) as raised:
        _resolve_text(text, profile)
    assert raised.value.field == "VEVENT[UID=e1, line 3].DURATION"
    period = _event(
        "DTSTART:20240305T090000Z",
        "DURATION:PT1H",
        f"RDATE;VALUE=PERIOD:20240306T090000Z/{value}",
        "SUMMARY:a",
    )
    with pytest.raises(CalendarError, match=r"\.RDATE"):
        _resolve_text(_calendar(period), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_levels_of_huge_digits(profile: Literal["strict", "oncall"]) -> None:
    """[Ln] with more than 18 digits is a CalendarError naming SUMMARY; [L007] is level 7."""
    huge = _calendar(
        _event("DTSTART:20240305T090000Z", "DURATION:PT1H", "SUMMARY:[L" + "9" * 5000 + "] a")
    )
    with pytest.raises(CalendarError) as raised:
        _resolve_text(huge, profile)
    assert raised.value.field == "VEVENT[UID=e1, line 3].SUMMARY"
    seven = _calendar(_event("DTSTART:20240305T090000Z", "DURATION:PT1H", "SUMMARY:[L007] a"))
    rows = resolve(Schedule(type="ical", ical_primary=seven), _window(), profile=profile).shifts
    assert [row.level for row in rows] == [7]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    "props",
    [
        ("DTSTART:20240305T090000Z", "DTEND:99991231T235959Z"),
        ("DTSTART;VALUE=DATE:20240305", "DTEND;VALUE=DATE:99991231"),
        ("DTSTART:00010101T000000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY"),
        ("DTSTART:99991231T000000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY"),
        ("DTSTART;TZID=Pacific/Kiritimati:00010101T000000", "DURATION:PT1H", "RRULE:FREQ=DAILY"),
        ("DTSTART;TZID=Etc/GMT+12:99991231T230000", "DURATION:PT1H", "RRULE:FREQ=DAILY"),
        ("DTSTART:20240305T090000Z", "DURATION:PT1H", "RDATE:00010101T000000Z,99991231T230000Z"),
        (
            "DTSTART:20240305T090000Z",
            "DURATION:PT1H",
            "RRULE:FREQ=DAILY",
            "EXDATE:00010101T000000Z,99991231T000000Z",
        ),
        ("DTSTART:20240305T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z"),
        ("DTSTART;VALUE=DATE:20240305", "RRULE:FREQ=DAILY;UNTIL=00010101"),
    ],
)
@pytest.mark.parametrize(
    "window",
    [("2024-03-01", "2024-03-08"), ("0001-01-01", "0001-01-08"), ("9999-12-24", "9999-12-31")],
)
def test_ical_far_dates_give_an_answer_or_a_calendar_error(
    profile: Literal["strict", "oncall"], props: tuple[str, ...], window: tuple[str, str]
) -> None:
    """Values in years 1 and 9999, in windows near now and at both ends of the range: an
    answer, or a CalendarError naming the VEVENT (never an OverflowError)."""
    schedule = Schedule(type="ical", ical_primary=_calendar(_event(*props, "SUMMARY:a")))
    try:
        rows = resolve(schedule, _window(*window), profile=profile).shifts
    except CalendarError as error:
        assert error.field.startswith("VEVENT[UID=e1, line 3].")
        return
    assert all(row.user == "a" for row in rows)


def test_ical_far_dtend_covers_the_window() -> None:
    """An event from 2024 to 9999 covers a window in 2024 (its search bound used to overflow)."""
    text = _calendar(_event("DTSTART:20240305T090000Z", "DTEND:99991231T235959Z", "SUMMARY:a"))
    for profile in PROFILES:
        assert _resolve_text(text, profile) == ("a",)


def _strict_spans(text: str, window: Window) -> list[tuple[datetime, datetime, str]]:
    schedule = Schedule(type="ical", ical_primary=text)
    records = calendar_records(text, schedule, window, profile="strict", overrides=False)
    return sorted((record.start, record.end, record.users[0]) for record in records)


def test_ical_values_past_9999_in_utc_near_the_end_of_time() -> None:
    """New York's last hours of 9999 are no UTC instants: strict cuts an event ending there
    at the last instant, as it cuts a shift (oncall refuses it, naming DTEND: OnCall's
    library crashes there); a RECURRENCE-ID there matches no instance and
    its VEVENT stands on its own (it raised OverflowError; the release fuzz run found it);
    an instance without an end takes its master's whole length, then is cut. Hand-checked:
    New York is UTC-5 in December."""
    last = datetime.max.replace(tzinfo=UTC)
    window = Window(
        start=datetime(9999, 12, 1, tzinfo=UTC), end=datetime(9999, 12, 31, 23, tzinfo=UTC)
    )
    ny = "TZID=America/New_York"
    late_end = _event(f"DTSTART;{ny}:99991231T120000", f"DTEND;{ny}:99991231T233000", "SUMMARY:a")
    assert _strict_spans(_calendar(late_end), window) == [
        (datetime(9999, 12, 31, 17, tzinfo=UTC), last, "a")
    ]
    # oncall: the library's arithmetic passes 9999 (OnCall's crash), named as the DTEND
    text = _calendar(late_end)
    with pytest.raises(CalendarError, match="ends after the year 9999") as raised:
        schedule = Schedule(type="ical", ical_primary=text)
        calendar_records(text, schedule, window, profile="oncall", overrides=False)
    assert raised.value.field == "VEVENT[UID=e1, line 3].DTEND"
    master = _event(
        f"DTSTART;{ny}:99991230T120000", "DURATION:PT1H", "RRULE:FREQ=DAILY", "SUMMARY:a"
    )
    moved = _event(
        f"RECURRENCE-ID;{ny}:99991231T230000", f"DTSTART;{ny}:99991231T100000", "SUMMARY:b"
    )
    assert _strict_spans(_calendar(master, moved), window) == [
        (datetime(9999, 12, 30, 17, tzinfo=UTC), datetime(9999, 12, 30, 18, tzinfo=UTC), "a"),
        (datetime(9999, 12, 31, 15, tzinfo=UTC), datetime(9999, 12, 31, 16, tzinfo=UTC), "b"),
        (datetime(9999, 12, 31, 17, tzinfo=UTC), datetime(9999, 12, 31, 18, tzinfo=UTC), "a"),
    ]
    # the master lasts 35.5 hours; its instance moved to 10:00 would end past 9999 in UTC
    long = _event(
        f"DTSTART;{ny}:99991230T120000",
        f"DTEND;{ny}:99991231T233000",
        "RRULE:FREQ=DAILY;COUNT=1",
        "SUMMARY:a",
    )
    instead = _event(
        f"RECURRENCE-ID;{ny}:99991230T120000", f"DTSTART;{ny}:99991230T100000", "SUMMARY:b"
    )
    assert _strict_spans(_calendar(long, instead), window) == [
        (datetime(9999, 12, 30, 15, tzinfo=UTC), last, "b")
    ]


_NY = "TZID=America/New_York"


@pytest.mark.parametrize(
    ("props", "prop", "value"),
    [
        # the UTC shortcut and the careful path (a zone), a rule's later occurrence too
        (("DTSTART:99991231T000000Z", "DURATION:P2D"), "DURATION", "9999-12-31T00:00:00 + 2 days"),
        ((f"DTSTART;{_NY}:99991230T220000", "DURATION:P3D"), "DURATION", "9999-12-30T22:00:00"),
        (
            ("DTSTART:99991229T000000Z", "DURATION:P2D", "RRULE:FREQ=DAILY"),
            "DURATION",
            "9999-12-30T00:00:00 + 2 days",
        ),
        (
            ("DTSTART:99991230T000000Z", "DTEND:99991230T010000Z", "RDATE:99991231T233000Z"),
            "DTEND",
            "9999-12-31T23:30:00 + 1:00:00",
        ),
        (
            (
                "DTSTART:99991230T000000Z",
                "DURATION:PT1H",
                "RDATE;VALUE=PERIOD:99991231T120000Z/P1D",
            ),
            "RDATE",
            "9999-12-31T12:00:00 + 1 day",
        ),
        (("DTSTART;VALUE=DATE:99991230", "DURATION:P3D"), "DURATION", "9999-12-30 + 3"),
        # the end's wall time is fine, its UTC instant is not (New York is UTC-5)
        ((f"DTSTART;{_NY}:99991231T120000", "DURATION:PT11H30M"), "DURATION", "9999-12-31T23:30"),
    ],
)
def test_ical_oncall_end_past_9999_names_the_length_property(
    props: tuple[str, ...], prop: str, value: str
) -> None:
    """oncall: an occurrence whose end passes 9999 is OnCall's crash, named by the property
    that sets its length, with the start and length (they were all named RRULE, with no
    value, by an OverflowError's text; the session's own probe found it). Skipped alike."""
    text = _calendar(_event(*props, "SUMMARY:a"))
    schedule = Schedule(type="ical", ical_primary=text)
    window = _window("9999-12-25", "9999-12-31T23:00")
    with pytest.raises(CalendarError, match="ends after the year 9999 in UTC") as raised:
        resolve(schedule, window, profile="oncall")
    assert raised.value.field == f"VEVENT[UID=e1, line 3].{prop}"
    assert value in str(raised.value.value)
    skipped = resolve(schedule, window, profile="oncall", calendar_errors="skip").skipped
    assert [(s.property, s.reason) for s in skipped] == [(prop, raised.value.reason)]


@pytest.mark.parametrize(
    ("zone", "day", "window", "span"),
    [
        # from 30 December for three days: cut at the last instant
        (
            "UTC",
            "99991230",
            ("9999-12-25", "9999-12-31T23:59:59.999999"),
            ("9999-12-30T00:00", "9999-12-31T23:59:59.999999"),
        ),
        (
            "Asia/Tokyo",
            "99991230",
            ("9999-12-25", "9999-12-31T23:59:59.999999"),
            ("9999-12-29T15:00", "9999-12-31T23:59:59.999999"),
        ),
        # Tokyo's midnight of 1 January of year 1 is before year 1 in UTC (LMT, +09:18:59):
        # cut at the first instant; two days later is 14:41:01 UTC on the 2nd
        (
            "Asia/Tokyo",
            "00010101",
            ("0001-01-01", "0001-01-05"),
            ("0001-01-01T00:00", "0001-01-02T14:41:01"),
        ),
    ],
)
def test_ical_strict_all_day_event_is_cut_at_the_ends_of_time(
    zone: str, day: str, window: tuple[str, str], span: tuple[str, str]
) -> None:
    """strict cuts an all-day occurrence past the ends of time at the first or last instant,
    as it cuts a timed one (it was skipped, or refused naming RRULE, by an OverflowError).
    Hand-checked from the zone's offsets."""
    head = f"X-WR-TIMEZONE:{zone}\r\n"
    text = _calendar(_event(f"DTSTART;VALUE=DATE:{day}", "DURATION:P2D", "SUMMARY:a"), head=head)
    rows = resolve(Schedule(type="ical", ical_primary=text), _window(*window)).shifts
    expected = tuple(datetime.fromisoformat(t).replace(tzinfo=UTC) for t in span)
    assert [(row.user, row.start, row.end) for row in rows] == [("a", *expected)]


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_start_rdate_and_exdate_past_9999_in_utc_make_no_instance(
    profile: Literal["strict", "oncall"],
) -> None:
    """23:00 in New York on 31 December 9999 is no UTC instant: a DTSTART or RDATE there
    starts no instance (none exists after the end of time) and an EXDATE there excludes
    nothing, in both profiles (strict refused each, naming an RRULE: the release fuzz run's
    class). Hand-checked: the Z instances are the only ones."""
    window = Window(
        start=datetime(9999, 12, 1, tzinfo=UTC), end=datetime(9999, 12, 31, 23, tzinfo=UTC)
    )
    late = "TZID=America/New_York:99991231T230000"
    ten = [datetime(9999, 12, day, 10, tzinfo=UTC) for day in (30, 31)]
    cases = [
        ([f"DTSTART;{late}", "DURATION:PT1H"], []),
        (["DTSTART:99991230T100000Z", "DURATION:PT1H", f"RDATE;{late}"], ten[:1]),
        (["DTSTART:99991230T100000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY", f"EXDATE;{late}"], ten),
    ]
    for props, starts in cases:
        text = _calendar(_event(*props, "SUMMARY:a"))
        schedule = Schedule(type="ical", ical_primary=text)
        records = calendar_records(text, schedule, window, profile=profile, overrides=False)
        assert [(r.start, r.end) for r in records] == [(t, t + timedelta(hours=1)) for t in starts]


# --------------------------------------------------------------------------- 5/6. export


def _row(user: str, start: datetime, end: datetime) -> FinalShift:
    return FinalShift(user=user, start=start, end=end, level=0, is_override=False, shift_id=None)


def test_ics_export_refuses_a_control_character_by_name() -> None:
    """A username with a control character is a CalendarError naming the row, not an error
    of the encoder; one with a lone surrogate (from JSON "\\ud800") is no user at all."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    schedule = Schedule(users=(User(id="u", username="a\x00b"),))
    with pytest.raises(CalendarError) as raised:
        final_shifts_to_ics([_row("u", start, start.replace(day=2))], schedule)
    assert raised.value.field == "rows[0].user ('u').username"
    with pytest.raises(ValidationError, match="lone surrogate"):
        User(id="u", username="\ud800")


def test_ics_export_line_breaks_stay_inside_their_property() -> None:
    """A CR or LF in a username is escaped in SUMMARY and blanked in CN: no injected line."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    user = User(id="u", username="a\rEND:VCALENDAR\nx", email="u@example.com")
    ics = final_shifts_to_ics([_row("u", start, start.replace(day=2))], Schedule(users=(user,)))
    assert ics.split("\r\n").count("END:VCALENDAR") == 1
    assert "SUMMARY:a\\nEND:VCALENDAR\\nx\r\n" in ics


def test_ics_export_writes_years_before_1000_with_four_digits() -> None:
    """A row in year 500 is written 05000101T000000Z (strftime gave 5000101T000000Z)."""
    row = _row("u", datetime(500, 1, 1, tzinfo=UTC), datetime(500, 1, 2, tzinfo=UTC))
    ics = final_shifts_to_ics([row], Schedule())
    assert "DTSTART:05000101T000000Z\r\n" in ics
    assert "DTEND:05000102T000000Z\r\n" in ics


def test_ics_export_of_a_century_is_linear() -> None:
    """100 years of twice-daily rows with long multi-byte names export within the guard, and
    every physical line is at most 75 octets, folded between characters."""
    start = datetime(2000, 1, 1, tzinfo=UTC)
    user = User(id="u", username="ü" * 60 + "€" * 7, email="u@example.com")
    rows = [
        _row("u", start + timedelta(hours=12 * i), start + timedelta(hours=12 * i + 12))
        for i in range(73_000)
    ]
    with hang_guard(60):
        ics = final_shifts_to_ics(rows, Schedule(users=(user,)), name="x" * 100_000)
    lines = ics.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    unfolded = ics.replace("\r\n ", "")
    assert f"SUMMARY:{user.username}\r\n" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 73_000


def test_ics_export_errors_are_shiftcalc_errors() -> None:
    """The export's refusals are ShiftcalcErrors (the CLI prints them as one line)."""
    assert issubclass(CalendarError, ShiftcalcError)


@pytest.mark.parametrize("profile", PROFILES)
def test_ical_occurrence_cap_counts_the_walk_of_a_count_rule(
    profile: Literal["strict", "oncall"],
) -> None:
    """A COUNT rule is walked from DTSTART (earlier instances use up the count): an hourly rule
    from year 1 with a huge COUNT, queried in 9999, is refused by the cap instead of walking
    87 million hours (found by the fuzz)."""
    rule = "RRULE:FREQ=HOURLY;COUNT=" + "9" * 18  # COUNT takes at most 19 digits
    text = _calendar(_event("DTSTART:00010615T090000Z", "DURATION:PT1H", rule, "SUMMARY:a"))
    schedule = Schedule(type="ical", ical_primary=text)
    with hang_guard(60), pytest.raises(CalendarError, match="max_occurrences"):
        resolve(schedule, _window("9999-11-20", "9999-12-24"), profile=profile)
    near = _calendar(
        _event(
            "DTSTART:20240301T000000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3", "SUMMARY:a"
        )
    )
    assert _resolve_text(near, profile) == ("a", "a", "a")


def test_ical_oncall_all_day_event_ending_before_year_1_is_refused() -> None:
    """An all-day event of the first day without DTEND ends a second before year 1 in oncall
    (OnCall's 23:59:59 of the day before): a CalendarError naming DTEND, not an OverflowError."""
    text = _calendar(_event("DTSTART;VALUE=DATE:00010101", "SUMMARY:a"))
    with pytest.raises(CalendarError, match=r"\.DTEND"):
        resolve(
            Schedule(type="ical", ical_primary=text),
            _window("0001-01-01", "0001-01-03"),
            profile="oncall",
        )


def test_ics_export_refuses_an_oncall_row_that_ends_before_it_starts() -> None:
    """An all-day VEVENT without DTEND ends at its start in OnCall, so its row ends a second
    before it starts (OnCall's own answer, kept in oncall); the export refuses the row by
    name (it wrote DTEND before DTSTART: a VEVENT no reader accepts). Hand-checked: 6 January
    00:00 to 5 January 23:59:59."""
    schedule = Schedule(
        type="ical", ical_primary=_calendar(_event("DTSTART;VALUE=DATE:20240106", "SUMMARY:a"))
    )
    rows = resolve(schedule, _window("2024-01-01", "2024-01-10"), profile="oncall").shifts
    assert [(r.start, r.end) for r in rows] == [
        (datetime(2024, 1, 6, tzinfo=UTC), datetime(2024, 1, 5, 23, 59, 59, tzinfo=UTC))
    ]
    with pytest.raises(ValidationError, match="ends before it starts") as raised:
        final_shifts_to_ics(rows, schedule)
    assert raised.value.field == "rows[0].end"
    strict = resolve(schedule, _window("2024-01-01", "2024-01-10")).shifts
    assert "BEGIN:VEVENT" in final_shifts_to_ics(strict, schedule)  # a whole day in strict


@pytest.mark.parametrize(
    ("props", "first"),
    [
        (("DTSTART;VALUE=DATE:99991231",), datetime(9999, 12, 31, tzinfo=UTC)),
        (("DTSTART;VALUE=DATE:99991229", "RRULE:FREQ=DAILY"), datetime(9999, 12, 29, tzinfo=UTC)),
    ],
)
def test_ical_strict_all_day_event_on_the_last_day_of_time(
    props: tuple[str, ...], first: datetime
) -> None:
    """31 December 9999 has no day after it: the strict all-day search bound was that day,
    exclusive, so an event on it was left out (and a holiday calendar lost it). Now it is
    on call to the last instant, and a holiday."""
    text = _calendar(_event(*props, "SUMMARY:a"))
    window = Window(start=datetime(9999, 12, 28, tzinfo=UTC), end=datetime.max.replace(tzinfo=UTC))
    rows = resolve(Schedule(type="ical", ical_primary=text), window).shifts
    assert [(r.user, r.start, r.end) for r in rows] == [("a", first, window.end)]
    days = shiftcalc.holidays_from_ical(text, window)
    assert max(days) == datetime(9999, 12, 31).date() and min(days) == first.date()
