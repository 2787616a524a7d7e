"""Fuzz properties of iCalendar schedules and export: a correct answer or a ShiftcalcError.

Calendars are drawn from the classes of input that broke before: digits by the thousand
(DURATION, [Ln], offsets), far dates (years 1 and 9999) in every date property and in the
window, zones (IANA, Windows, posix/ and right/ spellings, VTIMEZONE blocks with odd offsets),
lone surrogates and control characters in names, and rules with huge counts.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import FinalShift, Schedule, ShiftcalcError, User, Window
from shiftcalc.ical import UnresolvedName, calendar_records, final_shifts_to_ics

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

years = st.sampled_from([1, 2, 1970, 2024, 2025, 9998, 9999])
zones = st.sampled_from(
    [
        None,
        "UTC",
        "Europe/London",
        "posix/Europe/London",
        "right/Europe/London",
        "America/New_York",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
        "W. Europe Standard Time",
        "Custom",
        "Nowhere/Zone",
    ]
)
digits = st.one_of(
    st.integers(0, 99).map(str),
    st.integers(1, 5000).map(lambda n: "9" * n),
    st.integers(1, 40).map(lambda n: "0" * n + "1"),
)
offsets = st.sampled_from(["+0000", "+0100", "-0500", "+1400", "+2359", "+2400", "-2400", "+0160"])


@st.composite
def stamps(draw: st.DrawFn) -> str:
    """A DATE or DATE-TIME text, often at the ends of the calendar's range."""
    year = draw(years)
    month, day = draw(st.sampled_from([(1, 1), (3, 31), (12, 31), (6, 15)]))
    text = f"{year:04d}{month:02d}{day:02d}"
    kind = draw(st.sampled_from(["date", "utc", "floating"]))
    if kind == "date":
        return text
    hour = draw(st.sampled_from([0, 1, 9, 23]))
    return f"{text}T{hour:02d}0000" + ("Z" if kind == "utc" else "")


def _prop(name: str, value: str, zone: str | None) -> str:
    if len(value) == 8:
        return f"{name};VALUE=DATE:{value}"
    if zone is not None and not value.endswith("Z"):
        return f"{name};TZID={zone}:{value}"
    return f"{name}:{value}"


@st.composite
def calendars(draw: st.DrawFn) -> str:
    """A calendar of one to three VEVENTs (and perhaps a VTIMEZONE) built from the classes."""
    head = ""
    if draw(st.booleans()):
        head = (
            "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            f"TZOFFSETFROM:{draw(offsets)}\r\nTZOFFSETTO:{draw(offsets)}\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
    events = []
    for index in range(draw(st.integers(1, 3))):
        zone = draw(zones)
        start = draw(stamps())
        props = [f"UID:e{index}", _prop("DTSTART", start, zone)]
        end = draw(st.sampled_from(["none", "dtend", "duration"]))
        if end == "dtend":
            props.append(_prop("DTEND", draw(stamps()), zone))
        elif end == "duration":
            unit = draw(st.sampled_from(["W", "D", "H", "M", "S"]))
            props.append(f"DURATION:P{'T' if unit in 'HMS' else ''}{draw(digits)}{unit}")
        if draw(st.booleans()):
            freq = draw(st.sampled_from(["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY"]))
            rule = f"RRULE:FREQ={freq}"
            extra = draw(st.sampled_from(["", "count", "until", "interval"]))
            # (RRULE values of more than 4300 digits are _recurrence's to refuse: not drawn)
            if extra == "count":
                rule += f";COUNT={draw(digits.filter(lambda d: len(d) < 4000))}"
            elif extra == "until":
                rule += f";UNTIL={draw(stamps())}"
            elif extra == "interval":
                rule += f";INTERVAL={draw(digits.filter(lambda d: len(d) < 4000))}"
            props.append(rule)
        for name in draw(st.lists(st.sampled_from(["EXDATE", "RDATE", "RECURRENCE-ID"]))):
            props.append(_prop(name, draw(stamps()), draw(zones)))
        level = draw(st.sampled_from(["", "[L1] ", "[L00007] "]) | digits.map(lambda d: f"[L{d}]"))
        who = draw(st.sampled_from(["alice", "ALICE", "bob@example.com", "ghost", "\ud800"]))
        props.append(f"SUMMARY:{level}{who}")
        events.append("BEGIN:VEVENT\r\n" + "".join(p + "\r\n" for p in props) + "END:VEVENT\r\n")
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """A window of up to 40 days, near now or at either end of the calendar's range."""
    start = draw(
        st.sampled_from(
            [
                datetime(1, 1, 1, tzinfo=UTC),
                datetime(2024, 3, 1, tzinfo=UTC),
                datetime(9999, 11, 20, tzinfo=UTC),
            ]
        )
    )
    return Window(start=start, end=start + timedelta(days=draw(st.integers(0, 40))))


USERS = (User(id="U1", username="alice", email="bob@example.com"),)


@FUZZ
@given(
    calendars(),
    windows(),
    st.sampled_from(["strict", "oncall"]),
    st.booleans(),
    st.sampled_from(["raise", "skip"]),
)
def test_fuzz_ical_calendars_answer_or_refuse(
    text: str,
    window: Window,
    profile: Literal["strict", "oncall"],
    directory: bool,
    errors: Literal["raise", "skip"],
) -> None:
    """Any drawn calendar gives records, rows and a calendar export, or a ShiftcalcError, all
    within the guard (a small occurrence cap keeps each example fast: the cap's own cost is
    linear, see test_ical_defects)."""
    unresolved: list[UnresolvedName] = []
    with hang_guard(60):
        try:
            # a text that is no Unicode (a lone surrogate) is refused here already
            schedule = Schedule(type="ical", ical_primary=text, users=USERS if directory else ())
            records = calendar_records(
                text,
                schedule,
                window,
                profile=profile,
                overrides=False,
                on_error=errors,
                unresolved=unresolved,
                max_occurrences=3000,
            )
        except ShiftcalcError:
            return
        for record in records:
            # oncall: all-day rows end a second early (negative for a day-less one, as OnCall)
            slack = timedelta(seconds=1) if profile == "oncall" and record.all_day else timedelta()
            assert record.start <= window.end and window.start <= record.end + slack
            if profile == "strict":
                assert record.start < record.end
        for name in unresolved:
            assert directory and name.property in ("SUMMARY", "DESCRIPTION", "ATTENDEE")
        rows = [
            FinalShift(
                user=user,
                start=record.start,
                end=record.end,
                level=record.level,
                is_override=False,
                shift_id=record.shift_id,
            )
            for record in records
            for user in record.users
        ]
        with contextlib.suppress(ShiftcalcError):
            final_shifts_to_ics(rows, schedule)


@FUZZ
@given(
    st.text(max_size=200),
    st.one_of(st.none(), st.text(max_size=60)),
    st.lists(st.tuples(years, st.integers(0, 364), st.integers(0, 10_000)), max_size=20),
)
def test_fuzz_ics_export_writes_or_refuses(
    username: str, email: str | None, spans: list[tuple[int, int, int]]
) -> None:
    """Any username (surrogates, control characters, line breaks) and rows in any year: a
    calendar whose physical lines are at most 75 octets and whose VEVENTs are the rows, or a
    ShiftcalcError."""
    rows = []
    for year, day, minutes in spans:
        start = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day)
        last = datetime.max.replace(tzinfo=UTC)
        end = (
            last
            if last - start < timedelta(minutes=minutes)
            else start + timedelta(minutes=minutes)
        )
        rows.append(
            FinalShift(user="u", start=start, end=end, level=0, is_override=False, shift_id=None)
        )
    with hang_guard(60):
        try:  # a User refuses some names itself (empty, not text): refused either way
            user = User(id="u", username=username, email=email)
            ics = final_shifts_to_ics(rows, Schedule(users=(user,)))
        except ShiftcalcError:
            return
    physical = ics.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical = ics.replace("\r\n ", "").split("\r\n")
    assert logical.count("BEGIN:VEVENT") == len(rows)
    assert logical.count("END:VCALENDAR") == 1
