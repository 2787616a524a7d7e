"""Fuzz: VTIMEZONE blocks read by icalendar (odd offsets, rules of any frequency, starts near
years 1 and 9999) under events queried anywhere in the range give records or a
CalendarError, within a guard; a VTIMEZONE copying a tz database zone gives that zone's
records in both profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import CalendarError, Schedule, Window
from shiftcalc.ical import calendar_records

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILES: tuple[Literal["strict", "oncall"], ...] = ("strict", "oncall")

offsets = st.sampled_from(["+0000", "+0100", "-0330", "+1400", "-1200", "+2359", "+0160", "+2400"])
rules = st.sampled_from(
    [
        None,
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20300101T000000Z",
        "FREQ=MONTHLY",
        "FREQ=DAILY;COUNT=3",
        "FREQ=HOURLY",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    ]
)
years = st.sampled_from([1, 2, 1601, 1970, 2024, 2037, 2039, 9998, 9999])


def _part(kind: str, year: int, offset_from: str, offset_to: str, rule: str | None) -> str:
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{year:04d}0301T020000",
        f"TZOFFSETFROM:{offset_from}",
        f"TZOFFSETTO:{offset_to}",
        *([] if rule is None else [f"RRULE:{rule}"]),
        f"END:{kind}",
    ]
    return "".join(line + "\r\n" for line in lines)


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(["STANDARD", "DAYLIGHT"]), years, offsets, offsets, rules)),
    years,
    st.sampled_from([None, "FREQ=DAILY", "FREQ=WEEKLY;COUNT=5", "FREQ=HOURLY;INTERVAL=5"]),
    years,
)
def test_fuzz_vtimezone_events_answer_or_refuse(
    parts: list[tuple[str, int, str, str, str | None]],
    event_year: int,
    event_rule: str | None,
    query_year: int,
) -> None:
    zone = "BEGIN:VTIMEZONE\r\nTZID:Custom\r\n" + "".join(_part(*p) for p in parts)
    zone += "END:VTIMEZONE\r\n"
    event = [
        "BEGIN:VEVENT",
        "UID:e1",
        f"DTSTART;TZID=Custom:{event_year:04d}0305T090000",
        "DURATION:PT1H",
        *([] if event_rule is None else [f"RRULE:{event_rule}"]),
        "SUMMARY:a",
        "END:VEVENT",
    ]
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + zone + "\r\n".join(event) + "\r\nEND:VCALENDAR\r\n"
    )
    start = datetime(query_year, 1, 1, tzinfo=UTC) + timedelta(days=60)
    window = Window(start=start, end=start + timedelta(days=7))
    for profile in PROFILES:
        with hang_guard(60):
            try:
                records = calendar_records(
                    text,
                    Schedule(type="ical", ical_primary=text),
                    window,
                    profile=profile,
                    overrides=False,
                )
            except CalendarError as error:
                assert error.field.startswith(("VEVENT[UID=e1, line", "line "))
                continue
        assert all(r.start < r.end or r.start == r.end for r in records)


BERLIN = (
    "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@FUZZ
@given(
    st.datetimes(min_value=datetime(1997, 1, 1), max_value=datetime(2037, 12, 31)),
    st.sampled_from([None, "FREQ=DAILY;COUNT=40", "FREQ=HOURLY;COUNT=50", "FREQ=WEEKLY;COUNT=9"]),
    st.integers(1, 600),
)
def test_fuzz_vtimezone_copy_matches_the_tz_database(
    wall: datetime, rule: str | None, minutes: int
) -> None:
    wall = wall.replace(microsecond=0)

    def calendar(tzid: str) -> str:
        event = [
            "BEGIN:VEVENT",
            "UID:e1",
            f"DTSTART;TZID={tzid}:{wall:%Y%m%dT%H%M%S}",
            f"DURATION:PT{minutes}M",
            *([] if rule is None else [f"RRULE:{rule}"]),
            "END:VEVENT",
        ]
        head = BERLIN.format(tzid="Custom")
        return "BEGIN:VCALENDAR\r\n" + head + "\r\n".join(event) + "\r\nEND:VCALENDAR\r\n"

    start = wall.replace(tzinfo=UTC) - timedelta(days=2)
    window = Window(start=start, end=start + timedelta(days=70))
    for profile in PROFILES:
        found = [
            [
                (r.start, r.end)
                for r in calendar_records(
                    text,
                    Schedule(type="ical", ical_primary=text),
                    window,
                    profile=profile,
                    overrides=False,
                )
            ]
            for text in (calendar("Custom"), calendar("Europe/Berlin"))
        ]
        assert found[0] == found[1]
